"""Staff sign-in: personal password, lock-out, then a TOTP code (set up at the first sign-in)."""

from __future__ import annotations

import base64
import html as html_module
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pypdfium2
import pytest
import time_machine
import typst
import zxingcpp
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from amicable.backoffice.authentication import MAX_FAILURES
from amicable.backoffice.models import SignInFailure
from amicable.backoffice.roles import Role
from amicable.files.models import Event
from tests.staff import NOW, PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now, from django-otp's own TOTP implementation."""
    device.refresh_from_db()
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + offset_steps,
    )
    return f"{value:0{device.digits}d}"


def password_step(client: Client, username: str, password: str = PASSWORD, **extra: str) -> str:
    response = client.post(
        "/backoffice/sign-in/", {"username": username, "password": password, **extra}
    )
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


def test_sign_in_with_password_then_totp_code() -> None:
    user = make_staff(Role.AGENT)
    client = Client()
    assert (
        password_step(client, user.username) == "/backoffice/sign-in/verify/?next=%2Fbackoffice%2F"
    )
    # The password alone opens nothing.
    assert client.get("/backoffice/").status_code == 302
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/backoffice/sign-in/verify/", {"token": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200
    assert list(Event.objects.filter(file=None).order_by("pk").values_list("kind", "actor")) == [
        ("staff_signed_in", f"staff:{user.username}")
    ]


def test_first_sign_in_sets_up_the_authenticator_from_qr_code_and_secret() -> None:
    user = make_staff(Role.AGENT, with_device=False)
    client = Client()
    assert (
        password_step(client, user.username) == "/backoffice/sign-in/set-up/?next=%2Fbackoffice%2F"
    )
    page = client.get("/backoffice/sign-in/set-up/?next=%2Fbackoffice%2F")
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    uri = f"otpauth://totp/amicable%3A{user.username}?secret={secret}&amp;issuer=amicable"
    assert uri in html
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert re.search(r'<svg role="img" aria-label="QR code of the authenticator key"', html)
    # The page, shown again, keeps the same secret (the app may already have scanned it).
    client.get("/backoffice/sign-in/set-up/")
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post("/backoffice/sign-in/set-up/", {"token": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/backoffice/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/backoffice/").status_code == 200
    assert list(Event.objects.filter(file=None).order_by("pk").values_list("kind", flat=True)) == [
        "staff_two_factor_set_up",
        "staff_signed_in",
    ]


def decode_svg(svg: str) -> list[str]:
    """Rasterise an SVG (typst, then pdfium) and read the QR codes on it (zxing-cpp)."""
    source = (
        "#set page(width: 6cm, height: 6cm, margin: 0.5cm)\n"
        "#image(bytes(sys.inputs.svg), width: 5cm)"
    )
    pdf = typst.compile(source.encode(), format="pdf", sys_inputs={"svg": svg})
    bitmap = pypdfium2.PdfDocument(pdf)[0].render(scale=2, grayscale=True)
    view = zxingcpp.ImageView(
        memoryview(bitmap.buffer),
        bitmap.width,
        bitmap.height,
        zxingcpp.ImageFormat.Lum,
        bitmap.stride,
    )
    # QR codes only: zxing now and then reads a stray 1D barcode (ITF) in a symbol's modules.
    return [
        barcode.text
        for barcode in zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)
    ]


def test_the_qr_code_on_the_set_up_page_holds_the_otpauth_uri() -> None:
    user = make_staff(Role.AGENT, with_device=False)
    client = Client()
    password_step(client, user.username)
    html = client.get("/backoffice/sign-in/set-up/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    uri = re.search(r'<code class="wrap" id="otpauth-uri">(.*?)</code>', html)
    assert svg is not None
    assert uri is not None
    # zxing may report the one symbol twice (read at two orientations): one text, once.
    shown = html_module.unescape(uri.group(1))
    assert set(decode_svg(svg.group(0))) == {shown}
    query = parse_qs(urlparse(shown).query)
    device = TOTPDevice.objects.get(user=user)
    assert query == {
        "secret": [base64.b32encode(device.bin_key).decode().rstrip("=")],
        "issuer": ["amicable"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }


def test_a_wrong_code_does_not_confirm_the_authenticator() -> None:
    user = make_staff(Role.AGENT, with_device=False)
    client = Client()
    password_step(client, user.username)
    client.get("/backoffice/sign-in/set-up/")
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post("/backoffice/sign-in/set-up/", {"token": wrong})
    assert response.status_code == 400
    assert "This code is not correct" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/backoffice/").status_code == 302


def test_a_wrong_code_is_refused_and_slows_the_next_try() -> None:
    user = make_staff(Role.AGENT)
    client = Client()
    password_step(client, user.username)
    device = TOTPDevice.objects.get(user=user)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/backoffice/sign-in/verify/", {"token": wrong})
    assert response.status_code == 400
    # django-otp's throttling: after a failure the next try must wait (1 s, then 2, 4...).
    assert client.post("/backoffice/sign-in/verify/", {"token": right}).status_code == 400
    with time_machine.travel(NOW + timedelta(seconds=2), tick=False):
        assert client.post("/backoffice/sign-in/verify/", {"token": right}).status_code == 302
    assert list(Event.objects.filter(file=None).order_by("pk").values_list("kind", flat=True)) == [
        "staff_two_factor_failed",
        "staff_two_factor_failed",
        "staff_signed_in",
    ]


def test_a_code_cannot_be_used_twice() -> None:
    user = make_staff(Role.AGENT)
    device = TOTPDevice.objects.get(user=user)
    token = code_for(device)
    first, second = Client(), Client()
    password_step(first, user.username)
    password_step(second, user.username)
    assert first.post("/backoffice/sign-in/verify/", {"token": token}).status_code == 302
    assert second.post("/backoffice/sign-in/verify/", {"token": token}).status_code == 400


def test_a_session_signed_in_without_the_second_factor_is_sent_to_verify() -> None:
    """2FA required: a password-only session (e.g. from the admin login) opens nothing."""
    user = make_staff(Role.ADMINISTRATOR)
    client = Client()
    client.force_login(user)
    response = client.get("/backoffice/files/AM00000001/")
    assert response.status_code == 302
    assert response["Location"] == (
        "/backoffice/sign-in/verify/?next=%2Fbackoffice%2Ffiles%2FAM00000001%2F"
    )
    device = TOTPDevice.objects.get(user=user)
    response = client.post(response["Location"], {"token": code_for(device)})
    assert response["Location"] == "/backoffice/files/AM00000001/"


def test_the_second_step_expires_after_five_minutes() -> None:
    user = make_staff(Role.AGENT)
    client = Client()
    password_step(client, user.username)
    device = TOTPDevice.objects.get(user=user)
    with time_machine.travel(NOW + timedelta(minutes=5, seconds=1), tick=False):
        response = client.post("/backoffice/sign-in/verify/", {"token": code_for(device)})
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/sign-in/?next=")
    assert client.get("/backoffice/").status_code == 302


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/backoffice/dashboard/", "/backoffice/dashboard/"),
        ("https://evil.example/backoffice/", "/backoffice/"),
        ("//evil.example/backoffice/", "/backoffice/"),
        ("/api/v1/docs", "/backoffice/"),
        # The administration signs in here too, and is returned to.
        ("/admin/files/file/", "/admin/files/file/"),
    ],
    ids=["own_page", "other_site", "scheme_relative", "outside_back_office", "administration"],
)
def test_only_back_office_pages_are_followed_after_sign_in(next_url: str, landing: str) -> None:
    user = make_staff(Role.SUPERVISOR)
    client = Client()
    location = password_step(client, user.username, next=next_url)
    response = client.post(location, {"token": code_for(TOTPDevice.objects.get(user=user))})
    assert response["Location"] == landing


def test_wrong_password_is_refused_without_saying_which_part_is_wrong() -> None:
    user = make_staff(Role.AGENT)
    for username, password in [(user.username, "wrong"), ("nobody-at-all", PASSWORD)]:
        response = Client().post(
            "/backoffice/sign-in/", {"username": username, "password": password}
        )
        assert response.status_code == 400
        assert "The user name or the password is not correct." in response.content.decode()
    assert SignInFailure.objects.count() == 4


def test_an_inactive_account_cannot_sign_in() -> None:
    user = make_staff(Role.AGENT)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = Client().post(
        "/backoffice/sign-in/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 400


def test_five_failures_lock_the_user_name_for_fifteen_minutes() -> None:
    user = make_staff(Role.AGENT)
    for attempt in range(MAX_FAILURES):
        client = Client(REMOTE_ADDR=f"10.0.0.{attempt}")
        client.post("/backoffice/sign-in/", {"username": user.username, "password": "no"})
    # Even the right password is refused while locked, and is not checked.
    response = Client(REMOTE_ADDR="10.0.1.1").post(
        "/backoffice/sign-in/", {"username": user.username.upper(), "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "sign-in is blocked for 15 minutes" in response.content.decode()
    assert SignInFailure.objects.count() == 2 * MAX_FAILURES
    with time_machine.travel(NOW + timedelta(minutes=15, seconds=1), tick=False):
        client = Client(REMOTE_ADDR="10.0.1.1")
        assert password_step(client, user.username).startswith("/backoffice/sign-in/verify/")


def test_five_failures_lock_the_client_address_whatever_the_user_name() -> None:
    user = make_staff(Role.AGENT)
    for attempt in range(MAX_FAILURES):
        Client(REMOTE_ADDR="192.0.2.7").post(
            "/backoffice/sign-in/", {"username": f"guess-{attempt}", "password": "no"}
        )
    locked = Client(REMOTE_ADDR="192.0.2.7").post(
        "/backoffice/sign-in/", {"username": user.username, "password": PASSWORD}
    )
    assert locked.status_code == 400
    other_address = Client(REMOTE_ADDR="192.0.2.8")
    assert password_step(other_address, user.username).startswith("/backoffice/sign-in/verify/")


def test_sign_out_ends_the_session() -> None:
    user = make_staff(Role.AGENT)
    client = Client()
    password_step(client, user.username)
    client.post(
        "/backoffice/sign-in/verify/", {"token": code_for(TOTPDevice.objects.get(user=user))}
    )
    assert client.get("/backoffice/").status_code == 200
    response = client.post("/backoffice/sign-out/")
    assert response["Location"] == "/backoffice/sign-in/"
    assert client.get("/backoffice/").status_code == 302
    assert list(Event.objects.filter(file=None).order_by("pk").values_list("kind", flat=True)) == [
        "staff_signed_in",
        "staff_signed_out",
    ]
