"""The back office's cast: one member of staff per role, signed in with both factors.

Staff's day (the ``staff_day`` fixture) is Wednesday 18 June 2025, 10:30 in Brussels, a working
day inside the contact hours. The fixtures are registered for every test by ``tests/conftest.py``;
the back office's tests live in that day, and so do the other tests of what agents do
(``pytest.mark.usefixtures("staff_day")``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from amicable.backoffice.roles import Role, ensure_roles
from amicable.files.models import (
    Document,
    DocumentKind,
    File,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
)

TODAY = date(2025, 6, 18)
BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2025, 6, 18, 10, 30, tzinfo=BRUSSELS)
PASSWORD = "Correct-Horse-Battery-42"
# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

_names = itertools.count(1)


@pytest.fixture
def staff_day() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def make_staff(role: Role | None, *, with_device: bool = True, username: str = "") -> User:
    """A member of staff with ``role`` (None: no role at all) and a confirmed authenticator."""
    ensure_roles()
    user = User.objects.create_user(
        username=username or f"{(role or 'nobody').replace(' ', '-')}-{next(_names)}",
        password=PASSWORD,
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    if with_device:
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def sign_in(client: Client, user: User) -> Client:
    """The session a full sign-in leaves: the user, and the device that verified them."""
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


StaffClient = Callable[[Role], tuple[Client, User]]


@pytest.fixture
def staff_client(db: None) -> StaffClient:
    def make(role: Role) -> tuple[Client, User]:
        user = make_staff(role)
        return sign_in(Client(), user), user

    return make


@pytest.fixture
def agent(staff_client: StaffClient) -> tuple[Client, User]:
    return staff_client(Role.AGENT)


@pytest.fixture
def supervisor(staff_client: StaffClient) -> tuple[Client, User]:
    return staff_client(Role.SUPERVISOR)


@pytest.fixture
def compliance(staff_client: StaffClient) -> tuple[Client, User]:
    return staff_client(Role.COMPLIANCE_OFFICER)


def make_document(
    file: File,
    *,
    kind: DocumentKind = DocumentKind.PROOF_OF_PAYMENT,
    review_status: ReviewStatus = ReviewStatus.PENDING,
    name: str = "extrait.png",
    content: bytes = PNG,
    content_type: str = "image/png",
) -> Document:
    document = Document(
        file=file,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256="0" * 64,
        uploaded_by="portal",
        review_status=review_status,
    )
    document.content.save(name, ContentFile(content), save=False)
    document.save()
    return document


def make_proof(file: File, *, due_on: date = TODAY, name: str = "extrait.png") -> WorkItem:
    """A proof of payment uploaded by the debtor, waiting in the proof-review queue."""
    document = make_document(file, name=name)
    return WorkItem.objects.create(
        kind=WorkItemKind.PROOF_REVIEW,
        file=file,
        document=document,
        title=f"Proof of payment for {file.reference}",
        due_on=due_on,
    )
