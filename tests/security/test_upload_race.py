"""Documents sent in parallel on one file get no more than the limit stored: each is counted
before it is read, in one locked step with the decision (amicable.security.throttle)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from amicable.portal import limits
from amicable.portal.models import ThrottledAttempt, ThrottleScope
from tests.factories import make_creditor, make_file
from tests.security.racing import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel database connections to race"
    ),
]

NOW = datetime(2025, 5, 6, 9, 15, tzinfo=UTC)


def test_forty_parallel_uploads_of_two_documents_store_at_most_five() -> None:
    file = make_file(creditor=make_creditor())

    claims = race(lambda n: limits.claim_uploads(file=file, count=2, now=NOW))

    accepted = [claim for claim in claims if not claim.refused]
    assert len(accepted) == limits.MAX_UPLOADS_PER_FILE // 2
    counted = ThrottledAttempt.objects.filter(scope=ThrottleScope.UPLOAD, key=file.reference)
    assert counted.count() == 2 * len(accepted) <= limits.MAX_UPLOADS_PER_FILE
