"""Guesses sent in parallel get no more checks than the lock-out allows.

Forty wrong codes (or passwords) sent at once, each on its own database connection, used to be
checked about thirty times against a limit of five: every request read "not locked" before any
had counted its failure. Now each attempt is counted before the check, in one locked step with
the decision (amicable.security.throttle), so at most the limit of checks is ever performed.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.db import connection

from amicable.backoffice import authentication
from amicable.backoffice.models import SignInFailure
from amicable.backoffice.roles import Role
from amicable.files.services import issue_access_code
from amicable.portal import authentication as services
from amicable.portal.models import ThrottledAttempt, ThrottleScope
from tests.factories import make_creditor, make_file
from tests.security.racing import PARALLEL, CountingSpy, race
from tests.staff import make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel database connections to race"
    ),
]

NOW = datetime(2025, 5, 6, 9, 15, tzinfo=UTC)


def test_forty_parallel_wrong_codes_on_one_file_get_five_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = make_file(creditor=make_creditor())
    issue_access_code(file=file, actor="test")
    checks = CountingSpy(services.access_code_matches)
    monkeypatch.setattr(services, "access_code_matches", checks)

    results = race(
        lambda n: services.sign_in(
            reference=file.reference, code=f"WRNG-{n:04d}", client_ip=f"198.51.100.{n}", now=NOW
        )
    )

    assert checks.calls == services.MAX_FAILURES
    assert Counter(result.outcome for result in results) == {
        services.SignInOutcome.REFUSED: services.MAX_FAILURES,
        services.SignInOutcome.LOCKED: PARALLEL - services.MAX_FAILURES,
    }
    counted = ThrottledAttempt.objects.filter(scope=ThrottleScope.SIGN_IN_FILE)
    assert counted.count() == services.MAX_FAILURES


def test_forty_parallel_wrong_codes_from_one_address_get_five_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    creditor = make_creditor()
    files = [make_file(creditor=creditor) for _ in range(PARALLEL)]
    checks = CountingSpy(services.access_code_matches)
    monkeypatch.setattr(services, "access_code_matches", checks)

    results = race(
        lambda n: services.sign_in(
            reference=files[n].reference, code="WRNG-0000", client_ip="203.0.113.9", now=NOW
        )
    )

    assert checks.calls == services.MAX_FAILURES
    assert sum(r.outcome == services.SignInOutcome.REFUSED for r in results) == 5
    assert ThrottledAttempt.objects.filter(scope=ThrottleScope.SIGN_IN_IP).count() == 5


def test_forty_parallel_wrong_passwords_on_one_user_name_get_five_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = make_staff(Role.AGENT)
    checks = CountingSpy(authentication.authenticate)
    monkeypatch.setattr(authentication, "authenticate", checks)

    results = race(
        lambda n: authentication.check_password(
            username=user.username, password=f"wrong-{n}", client_ip=f"198.51.100.{n}", now=NOW
        )
    )

    assert checks.calls == authentication.MAX_FAILURES
    assert Counter(result.outcome for result in results) == {
        authentication.PasswordOutcome.REFUSED: authentication.MAX_FAILURES,
        authentication.PasswordOutcome.LOCKED: PARALLEL - authentication.MAX_FAILURES,
    }
    assert SignInFailure.objects.filter(scope="username").count() == authentication.MAX_FAILURES
