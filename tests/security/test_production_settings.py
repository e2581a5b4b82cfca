"""Production settings (DEBUG off) pass Django's deployment checks and turn HTTPS on.

``amicable check --deploy`` runs in a subprocess with only what README asks of production
(DEBUG=false, a real SECRET_KEY, ALLOWED_HOSTS): it must report nothing at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.test import Client

from tests.security.production import run

SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER", "TRUSTED_PROXY_COUNT")}))
"""


def production_settings(tmp_path: Path, **overrides: str) -> dict[str, object]:
    done = run(
        ["-c", SETTINGS],
        tmp_path,
        DJANGO_SETTINGS_MODULE="amicable.config.settings",
        **overrides,
    )
    assert done.returncode == 0, done.stderr
    loaded: dict[str, object] = json.loads(done.stdout)
    return loaded


def test_check_deploy_reports_nothing_with_production_settings(tmp_path: Path) -> None:
    done = run(["-m", "amicable", "check", "--deploy", "--fail-level", "DEBUG"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."
    assert done.stderr == ""


def test_production_defaults_are_https_only(tmp_path: Path) -> None:
    assert production_settings(tmp_path) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "TRUSTED_PROXY_COUNT": 0,
    }


def test_each_https_setting_can_be_changed_from_the_environment(tmp_path: Path) -> None:
    loaded = production_settings(
        tmp_path,
        TRUSTED_PROXY_COUNT="1",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    assert loaded["SECURE_HSTS_SECONDS"] == 3600
    # Behind a trusted proxy, its X-Forwarded-Proto says whether the client used HTTPS.
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert not any(
        loaded[name]
        for name in (
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
        )
    )


def test_a_negative_proxy_count_is_refused(tmp_path: Path) -> None:
    done = run(
        ["-c", SETTINGS],
        tmp_path,
        DJANGO_SETTINGS_MODULE="amicable.config.settings",
        TRUSTED_PROXY_COUNT="-1",
    )
    assert done.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more." in done.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/sign-in/", "/backoffice/sign-in/", "/rights/"])
def test_every_page_carries_the_strict_policy(client: Client, path: str) -> None:
    policy = client.get(path)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives == {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_plain_http_is_redirected_but_the_health_check_answers(
    client: Client, settings: LazySettings
) -> None:
    settings.SECURE_SSL_REDIRECT = True  # the production default (above)
    redirected = client.get("/rights/")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://testserver/rights/"
    assert client.get("/healthz").status_code == 200
