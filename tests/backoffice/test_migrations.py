"""The data migrations of the back office, run forwards on real rows."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amicable.letters.models import ContactAttempt
from tests.factories import make_file

BEFORE = [("backoffice", "0002_staff_roles")]
AFTER = [("backoffice", "0003_calls_in_the_contact_guard")]


@pytest.mark.django_db(transaction=True)
def test_logged_calls_move_to_the_contact_guard() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    file = make_file(today=date(2025, 6, 1))
    agent = User.objects.create_user(username="ann")
    at = datetime(2025, 6, 18, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    old_apps.get_model("backoffice", "ContactAttempt").objects.create(
        file_id=file.pk,
        debtor_id=file.debtor_id,
        channel="phone",
        recipient="third_party",
        purpose="collection",
        at=at,
        allowed=False,
        refusal_reason="third_party",
        refusal_message="Third parties are never contacted about a debt.",
        article="Former law of 20 December 2002, art. 3 §2",
        staff_id=agent.pk,
        note="the employer",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    moved = ContactAttempt.objects.get()
    assert (
        moved.file_id,
        moved.debtor_id,
        moved.channel,
        moved.recipient,
        moved.at,
        moved.allowed,
        moved.reason,
        moved.message,
        moved.actor,
        moved.note,
    ) == (
        file.pk,
        file.debtor_id,
        "phone",
        "third_party",
        at,
        False,
        "third_party",
        "Third parties are never contacted about a debt.",
        "staff:ann",
        "the employer",
    )
