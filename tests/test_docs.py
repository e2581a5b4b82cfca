"""The project documents itself: every page the code cites is under docs/, and exists.

The pages on the law, the debtors' journeys, the architecture and the payment formats are cited
from docstrings, comments, templates and messages. A citation without the ``docs/`` prefix would
point outside the repository; a ``docs/...`` path that does not exist, or a section, journey or
invariant the page does not have, would send the reader nowhere.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: The kinds of file that cite documentation.
SUFFIXES = frozenset({".py", ".html", ".typ", ".md", ".txt"})
#: Folders that are not the project's own text: tools, environments, outputs.
SKIPPED = frozenset({"__pycache__", "node_modules", "var", "out", "build", "dist"})
#: The pages the code cites by name; each must be cited as docs/<name>.md.
PAGES = ("legal", "journeys", "architecture", "formats")

_PAGE = "|".join(PAGES)
# A page name with whatever path comes before it in the same word ("../notes/", "docs/", "").
_CITATION = re.compile(rf"(?P<path>[\w./-]*?)\b(?P<name>{_PAGE})\.md\b")
# A path under docs/ with an extension, not part of a longer path or address.
_DOCS_PATH = re.compile(r"(?<![\w/.-])docs/(?:[\w-]+/)*[\w-]+\.\w+")
# "docs/legal.md, section 3", "docs/legal.md``, sections 3 and 4", "docs/journeys.md, journey 2",
# "docs/architecture.md, invariant 4".
_NUMBERED = re.compile(
    rf"docs/(?P<name>{_PAGE})\.md`*, (?:sections?|journeys?|invariants?) "
    r"(?P<numbers>\d+(?:\.\d+)?(?:(?:, | and | to )\d+(?:\.\d+)?)*)"
)
# 'docs/architecture.md, "Scale"', 'docs/journeys.md, "Getting in"'.
_NAMED = re.compile(rf"docs/(?P<name>{_PAGE})\.md`*, \\?\"(?P<title>[^\"\\]+)\\?\"")
_HEADING = re.compile(r"^#+ (?P<number>\d+(?:\.\d+)?)?\.? ?(?P<title>.*)$", re.MULTILINE)
_LIST_ITEM = re.compile(r"^(?P<number>\d+)\. ", re.MULTILINE)


def _text_files() -> Iterator[Path]:
    for folder, folders, names in os.walk(ROOT):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and f not in SKIPPED)
        for name in sorted(names):
            if Path(name).suffix in SUFFIXES:
                yield Path(folder) / name


def _lines() -> Iterator[tuple[str, int, str]]:
    for path in _text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            yield str(path.relative_to(ROOT)), number, line


def _relative_link_in_docs(where: str, line: str, start: int, path: str) -> bool:
    """``[docs/<name>.md](<name>.md)`` in a page of docs/: a Markdown link from one page to another,
    which must be relative to the page to work where the pages are read."""
    return where.startswith("docs/") and path == "" and line[:start].endswith("](")


def _anchors(name: str) -> tuple[set[str], set[str]]:
    """The numbers and the titles of the headings of ``docs/<name>.md``, and for the
    architecture the numbers of its invariants."""
    text = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    numbers = {m["number"] for m in _HEADING.finditer(text) if m["number"]}
    titles = {m["title"].strip() for m in _HEADING.finditer(text)}
    if name == "architecture":
        invariants = text.split("## Invariants", 1)[1].split("\n## ", 1)[0]
        numbers |= {m["number"] for m in _LIST_ITEM.finditer(invariants)}
    return numbers, titles


def test_the_pages_the_code_cites_exist() -> None:
    for name in PAGES:
        assert (DOCS / f"{name}.md").is_file(), f"docs/{name}.md is missing"


def test_every_citation_of_a_page_is_under_docs() -> None:
    wrong = [
        f"{where}:{number}: {match.group(0)!r} in {line.strip()!r}"
        for where, number, line in _lines()
        for match in _CITATION.finditer(line)
        if match["path"] != "docs/"
        and not _relative_link_in_docs(where, line, match.start(), match["path"])
    ]
    assert wrong == [], "cite these pages as docs/<name>.md:\n" + "\n".join(wrong)


def test_every_docs_path_cited_exists() -> None:
    missing = [
        f"{where}:{number}: {match.group(0)}"
        for where, number, line in _lines()
        for match in _DOCS_PATH.finditer(line)
        if not (ROOT / match.group(0)).is_file()
    ]
    assert missing == [], "no such file:\n" + "\n".join(missing)


def test_every_section_journey_and_invariant_cited_exists() -> None:
    anchors = {name: _anchors(name) for name in PAGES}
    missing = []
    for where, number, line in _lines():
        for match in _NUMBERED.finditer(line):
            numbers, _titles = anchors[match["name"]]
            for cited in re.split(r", | and | to ", match["numbers"]):
                if cited not in numbers:
                    missing.append(f"{where}:{number}: docs/{match['name']}.md has no {cited}")
        for match in _NAMED.finditer(line):
            _numbers, titles = anchors[match["name"]]
            if match["title"] not in titles:
                missing.append(
                    f"{where}:{number}: docs/{match['name']}.md has no {match['title']!r}"
                )
    assert missing == [], "\n".join(missing)


LEGAL, JOURNEYS, _ARCHITECTURE, FORMATS = (f"{name}.md" for name in PAGES)


@pytest.mark.parametrize(
    ("line", "wrong"),
    [
        (f"({LEGAL} section 4)", True),
        (f"from ``notes/{LEGAL}``", True),
        (f"../notes/{FORMATS}, section 3", True),
        (f"see {JOURNEYS} 3", True),
        (f"(docs/{LEGAL}, section 4)", False),
        (f"``docs/{LEGAL}``, invariant 4", False),
        (f"my{LEGAL}", False),
    ],
)
def test_the_citation_rule_tells_a_bare_name_from_a_docs_path(line: str, wrong: bool) -> None:
    found = [m["path"] != "docs/" for m in _CITATION.finditer(line)]
    assert any(found) is wrong
