"""The administration (/admin/): the back office's two-step sign-in, no login form of its own."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from amicable.backoffice.roles import Role
from amicable.config.admin_site import StaffAdminSite
from amicable.files.models import Event
from tests.backoffice.test_sign_in import code_for, password_step
from tests.staff import PASSWORD, make_staff, sign_in

pytestmark = pytest.mark.django_db


def make_superuser(*, with_device: bool = True) -> User:
    """An administrator who also holds the administration (``is_staff``, every model)."""
    user = make_staff(Role.ADMINISTRATOR, with_device=with_device)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def landing(client: Client, path: str) -> tuple[int, str]:
    """Follow the redirects from ``path``: the last status and the last address."""
    response = client.get(path, follow=True)
    chain = [url for url, _ in response.redirect_chain]
    return response.status_code, chain[-1] if chain else path


def test_the_registrations_of_the_apps_are_on_the_guarded_site() -> None:
    assert isinstance(admin.site, StaffAdminSite)
    labels = {model._meta.label for model in admin.site._registry}
    assert {"files.File", "payments.Refund", "auth.User", "otp_totp.TOTPDevice"} <= labels


def test_strangers_are_sent_to_the_back_office_sign_in() -> None:
    status, where = landing(Client(), "/admin/files/file/")
    assert (status, where) == (200, "/backoffice/sign-in/?next=%2Fadmin%2Ffiles%2Ffile%2F")


def test_a_password_alone_is_sent_to_the_second_factor() -> None:
    client = Client()
    client.force_login(make_superuser())
    status, where = landing(client, "/admin/")
    assert (status, where) == (200, "/backoffice/sign-in/verify/?next=%2Fadmin%2F")


def test_a_staff_account_without_an_authenticator_sets_one_up_first() -> None:
    client = Client()
    client.force_login(make_superuser(with_device=False))
    _, where = landing(client, "/admin/")
    assert where.startswith("/backoffice/sign-in/set-up/?next=%2Fadmin%2F")


def test_with_the_second_factor_the_administration_opens() -> None:
    client = sign_in(Client(), make_superuser())
    assert client.get("/admin/").status_code == 200
    # Its login address no longer shows a form: it sends the signed-in back where they were.
    response = client.get("/admin/login/?next=/admin/files/file/")
    assert (response.status_code, response["Location"]) == (302, "/admin/files/file/")


def test_the_whole_sign_in_from_the_administration_returns_to_it() -> None:
    user = make_superuser()
    client = Client()
    response = client.get("/admin/files/file/")
    login = client.get(response["Location"])
    next_url = parse_qs(urlparse(login["Location"]).query)["next"][0]
    assert login["Location"].startswith("/backoffice/sign-in/?")
    location = password_step(client, user.username, next=next_url)
    token = code_for(TOTPDevice.objects.get(user=user))
    response = client.post(location, {"token": token})
    assert response["Location"] == "/admin/files/file/"
    assert client.get("/admin/files/file/").status_code == 200
    assert Event.objects.filter(kind="staff_signed_in", actor=f"staff:{user.username}").exists()


def test_the_stock_login_form_signs_nobody_in() -> None:
    user = make_superuser()
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/sign-in/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    assert landing(client, "/admin/")[1].startswith("/backoffice/sign-in/?next=")


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SUPERVISOR, None], ids=str)
def test_a_verified_account_that_is_not_staff_of_the_administration_is_refused(
    role: Role | None,
) -> None:
    # Back-office roles do not open the administration: only is_staff accounts do.
    client = sign_in(Client(), make_staff(role))
    assert client.get("/admin/", follow=True).status_code == 403
    assert client.get("/admin/files/file/", follow=True).status_code == 403


def test_every_registered_model_opens_for_a_verified_superuser() -> None:
    client = sign_in(Client(), make_superuser())
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_signing_out_of_the_administration_is_the_back_office_sign_out() -> None:
    user = make_superuser()
    client = sign_in(Client(), user)
    response = client.post("/admin/logout/")
    assert (response.status_code, response["Location"]) == (302, "/backoffice/sign-in/")
    assert Event.objects.filter(kind="staff_signed_out", actor=f"staff:{user.username}").exists()
    assert landing(client, "/admin/")[1].startswith("/backoffice/sign-in/?next=")
