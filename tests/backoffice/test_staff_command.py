"""amicable create-staff-user: accounts with one role, and a lost authenticator removed."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from amicable.backoffice.roles import Role
from amicable.files.models import Event
from tests.staff import PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def run(monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = "") -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("create_staff_user", *args, stdout=out)
    return out.getvalue()


def test_an_account_is_created_with_its_role(monkeypatch: pytest.MonkeyPatch) -> None:
    out = run(monkeypatch, "alice", "--role", "supervisor", "--password-stdin", stdin=PASSWORD)
    assert out == (
        "Created supervisor alice. At the first sign-in at /backoffice/ the authenticator app is "
        "set up.\n"
    )
    user = User.objects.get(username="alice")
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == ["supervisor"]
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert Event.objects.get(kind="staff_account_created").data == {
        "username": "alice",
        "role": "supervisor",
    }


def test_an_account_changes_role_and_keeps_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_staff(Role.AGENT, username="bob")
    run(monkeypatch, "bob", "--role", "compliance officer")
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["compliance officer"]
    assert user.check_password(PASSWORD)


def test_a_weak_password_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Django's own validators speak the installation's language (LANGUAGE_CODE, French).
    with pytest.raises(CommandError, match=r"^Ce mot de passe est trop court\."):
        run(monkeypatch, "carol", "--role", "agent", "--password-stdin", stdin="abc")
    assert not User.objects.filter(username="carol").exists()


def test_the_role_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CommandError, match=r"^Give the account's role with --role\.$"):
        run(monkeypatch, "dave", "--password-stdin", stdin=PASSWORD)


def test_a_lost_authenticator_is_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_staff(Role.AGENT, username="erin")
    out = run(monkeypatch, "erin", "--reset-authenticator")
    assert out == "erin sets up a new authenticator at the next sign-in.\n"
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert Event.objects.get(kind="staff_two_factor_reset").data == {"username": "erin"}
