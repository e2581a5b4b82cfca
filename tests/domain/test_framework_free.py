"""The domain core and the bank-statement parsers are framework-free: no Django import.

The law (``amicable.domain``) and the bank formats (``amicable.statements``) must be readable and
testable without Django, so that a rule never depends on a request, a model or a setting. The
nested ruff configuration bans the import while editing; this test enforces it on every run,
including imports hidden inside functions or done through ``importlib``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import amicable

PACKAGE_ROOT = Path(amicable.__file__).parent
FRAMEWORK_FREE_PACKAGES = ("domain", "statements")
BANNED = "django"


def _is_banned(module: str) -> bool:
    return module == BANNED or module.startswith(f"{BANNED}.")


def banned_imports(source: str, *, filename: str = "<source>") -> list[str]:
    """``line: module`` for every import of Django in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: {alias.name}" for alias in node.names if _is_banned(alias.name)
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module is not None and _is_banned(node.module):
                found.append(f"{node.lineno}: {node.module}")
        elif isinstance(node, ast.Call) and node.args:
            # importlib.import_module("django...") and __import__("django...")
            function = node.func
            name = (
                function.attr
                if isinstance(function, ast.Attribute)
                else getattr(function, "id", "")
            )
            first = node.args[0]
            if (
                name in {"import_module", "__import__"}
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and _is_banned(first.value)
            ):
                found.append(f"{node.lineno}: {first.value}")
    return found


def _modules() -> list[Path]:
    return sorted(
        path
        for package in FRAMEWORK_FREE_PACKAGES
        if (PACKAGE_ROOT / package).is_dir()
        for path in (PACKAGE_ROOT / package).rglob("*.py")
    )


def test_the_domain_package_is_scanned() -> None:
    scanned = {path.relative_to(PACKAGE_ROOT).as_posix() for path in _modules()}
    assert {"domain/__init__.py", "domain/law.py", "domain/money.py"} <= scanned


@pytest.mark.parametrize(
    "path",
    [pytest.param(path, id=path.relative_to(PACKAGE_ROOT).as_posix()) for path in _modules()],
)
def test_module_does_not_import_django(path: Path) -> None:
    assert banned_imports(path.read_text(encoding="utf-8"), filename=str(path)) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("import django", ["1: django"], id="import"),
        pytest.param("import os, django.db as db", ["1: django.db"], id="import_submodule_alias"),
        pytest.param("from django.conf import settings", ["1: django.conf"], id="from_import"),
        pytest.param("def f():\n    from django import forms", ["2: django"], id="inside_function"),
        pytest.param("import importlib\nimportlib.import_module('django.db')", ["2: django.db"],
                     id="importlib"),
        pytest.param("__import__('django')", ["1: django"], id="dunder_import"),
        pytest.param("import djangorestish\nfrom . import django", [], id="lookalikes_allowed"),
        pytest.param("from decimal import Decimal", [], id="stdlib"),
    ],
)  # fmt: skip
def test_the_detector_finds_every_form_of_import(source: str, expected: list[str]) -> None:
    assert banned_imports(source) == expected
