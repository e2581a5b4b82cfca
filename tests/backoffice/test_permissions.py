"""Who may open what: every back-office view, for every role, for strangers, and with CSRF.

"Back-office view" includes the staff pages mounted beside the back office: the sheet import of
a creditor's files and the bank statement pages. They pass the same gate (``staff_view``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from amicable.backoffice.roles import Perm, Role
from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Event, File, WorkItem
from tests.factories import make_file
from tests.payments.helpers import coda, credit, import_bytes, movement_of
from tests.staff import make_proof, make_staff, sign_in

pytestmark = pytest.mark.django_db

AGENT, SUPERVISOR, ACCOUNTANT, COMPLIANCE, ADMIN = (
    Role.AGENT,
    Role.SUPERVISOR,
    Role.ACCOUNTANT,
    Role.COMPLIANCE_OFFICER,
    Role.ADMINISTRATOR,
)
EVERYONE = frozenset(Role)
WORKERS = frozenset({AGENT, SUPERVISOR, ADMIN})
# Loading a creditor's sheet opens files: a supervisor's act.
IMPORTERS = frozenset({SUPERVISOR, ADMIN})
# The bank statements and the payments waiting in them: finance and supervisors.
RECONCILERS = frozenset({ACCOUNTANT, SUPERVISOR, ADMIN})


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    allowed: frozenset[Role]
    # The status an allowed role gets for the request as sent (empty forms for the POSTs).
    status: int


@dataclass(frozen=True)
class World:
    file: File
    item: WorkItem
    document_id: int
    movement_id: int


@pytest.fixture
def world(db: None) -> World:
    file = make_file(today=date(2025, 6, 1))
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="test")
    item = make_proof(file)
    assert item.document is not None
    waiting = movement_of(import_bytes(coda(credit("150.00", text="?"))))
    return World(file=file, item=item, document_id=item.document.pk, movement_id=waiting.pk)


def endpoints(world: World) -> list[Endpoint]:
    ref, item, doc = world.file.reference, world.item.pk, world.document_id
    movement = f"/backoffice/statements/movements/{world.movement_id}/"
    return [
        Endpoint("overview", "get", "/backoffice/", EVERYONE, 200),
        Endpoint("queue", "get", "/backoffice/queues/proof_review/", EVERYONE, 200),
        Endpoint("item", "get", f"/backoffice/items/{item}/", EVERYONE, 200),
        Endpoint("item_take", "post", f"/backoffice/items/{item}/assign/", WORKERS, 302),
        Endpoint("item_close", "post", f"/backoffice/items/{item}/close/", WORKERS, 302),
        Endpoint(
            "item_requeue_letter",
            "post",
            f"/backoffice/items/{item}/requeue-letter/",
            WORKERS,
            302,
        ),
        Endpoint(
            "item_reciprocity",
            "post",
            f"/backoffice/items/{item}/reciprocity/",
            WORKERS,
            302,
        ),
        Endpoint("file", "get", f"/backoffice/files/{ref}/", EVERYONE, 200),
        Endpoint("document", "get", f"/backoffice/files/{ref}/documents/{doc}/", EVERYONE, 200),
        Endpoint(
            "review_proof",
            "post",
            f"/backoffice/files/{ref}/documents/{doc}/review/",
            WORKERS,
            400,
        ),
        Endpoint("add_note", "post", f"/backoffice/files/{ref}/note/", WORKERS, 400),
        Endpoint("log_call", "post", f"/backoffice/files/{ref}/call/", WORKERS, 400),
        Endpoint("resolve_dispute", "post", f"/backoffice/files/{ref}/dispute/", WORKERS, 400),
        Endpoint("agree_plan", "post", f"/backoffice/files/{ref}/plan/", WORKERS, 400),
        Endpoint("answer_plan", "post", f"/backoffice/files/{ref}/plan/answer/", WORKERS, 400),
        Endpoint("send_letter", "post", f"/backoffice/files/{ref}/letter/", WORKERS, 400),
        Endpoint("resume", "post", f"/backoffice/files/{ref}/resume/", WORKERS, 400),
        Endpoint(
            "acknowledge_debt", "post", f"/backoffice/files/{ref}/acknowledgement/", WORKERS, 400
        ),
        # Open on a file in collective settlement only: refused on this one, after the check.
        Endpoint("declare_claim", "post", f"/backoffice/files/{ref}/declare-claim/", WORKERS, 409),
        Endpoint("search", "get", "/backoffice/search/?q=nobody", EVERYONE, 200),
        Endpoint(
            "dashboard", "get", "/backoffice/dashboard/", {SUPERVISOR, COMPLIANCE, ADMIN}, 200
        ),
        Endpoint("audit", "get", "/backoffice/audit/", {COMPLIANCE, ADMIN}, 200),
        Endpoint(
            "refused_contacts",
            "get",
            "/backoffice/audit/refused-contacts/",
            {COMPLIANCE, ADMIN},
            200,
        ),
        Endpoint("file_reads", "get", "/backoffice/audit/file-reads/", {COMPLIANCE, ADMIN}, 200),
        # The empty forms are refused as invalid (422) once the gate lets the request through.
        Endpoint("intake_upload", "get", "/backoffice/intake/upload", IMPORTERS, 200),
        Endpoint("intake_upload_post", "post", "/backoffice/intake/upload", IMPORTERS, 422),
        Endpoint("statements", "get", "/backoffice/statements/", RECONCILERS, 200),
        Endpoint("statements_upload", "post", "/backoffice/statements/", RECONCILERS, 422),
        Endpoint("movement", "get", movement, RECONCILERS, 200),
        Endpoint("movement_decide", "post", movement, RECONCILERS, 422),
    ]


ENDPOINT_NAMES = [
    "overview",
    "queue",
    "item",
    "item_take",
    "item_close",
    "item_requeue_letter",
    "item_reciprocity",
    "file",
    "document",
    "review_proof",
    "add_note",
    "log_call",
    "resolve_dispute",
    "agree_plan",
    "answer_plan",
    "send_letter",
    "resume",
    "acknowledge_debt",
    "declare_claim",
    "search",
    "dashboard",
    "audit",
    "refused_contacts",
    "file_reads",
    "intake_upload",
    "intake_upload_post",
    "statements",
    "statements_upload",
    "movement",
    "movement_decide",
]

POST_DATA = {
    "item_take": {"take": "1"},
    # A decision without its reason: a form error, and nothing decided.
    "movement_decide": {"action": "dismiss"},
}


def request(client: Client, endpoint: Endpoint) -> int:
    if endpoint.method == "get":
        return client.get(endpoint.path).status_code
    return client.post(endpoint.path, POST_DATA.get(endpoint.name, {})).status_code


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value.replace(" ", "_"))
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_each_role_opens_exactly_its_views(world: World, role: Role, name: str) -> None:
    endpoint = next(e for e in endpoints(world) if e.name == name)
    client = sign_in(Client(), make_staff(role))
    expected = endpoint.status if role in endpoint.allowed else 403
    assert request(client, endpoint) == expected


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_staff_without_a_role_open_nothing(world: World, name: str) -> None:
    endpoint = next(e for e in endpoints(world) if e.name == name)
    client = sign_in(Client(), make_staff(None))
    assert request(client, endpoint) == 403


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_strangers_are_sent_to_sign_in(world: World, name: str) -> None:
    endpoint = next(e for e in endpoints(world) if e.name == name)
    response = getattr(Client(), endpoint.method)(endpoint.path)
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/sign-in/?next=")


@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_a_password_without_the_second_factor_opens_nothing(world: World, name: str) -> None:
    endpoint = next(e for e in endpoints(world) if e.name == name)
    client = Client()
    client.force_login(make_staff(ADMIN))  # every permission, but no verified device
    response = getattr(client, endpoint.method)(endpoint.path)
    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/sign-in/verify/?next=")


def test_a_refused_write_changes_nothing(world: World) -> None:
    client = sign_in(Client(), make_staff(COMPLIANCE))
    events = Event.objects.count()
    response = client.post(
        f"/backoffice/files/{world.file.reference}/note/", {"text": "looked at it"}
    )
    assert response.status_code == 403
    assert Event.objects.count() == events


def _namespace_patterns(namespace: str) -> list[URLPattern]:
    resolver = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == namespace
    )
    return [p for p in resolver.url_patterns if isinstance(p, URLPattern)]


def _backoffice_patterns() -> list[URLPattern]:
    return _namespace_patterns("backoffice")


SIGN_IN_STEPS = {"login", "verify", "setup", "logout"}


def test_every_view_but_the_sign_in_steps_names_its_permission() -> None:
    patterns = _backoffice_patterns()
    assert {p.name for p in patterns} >= SIGN_IN_STEPS
    unguarded = [
        p.name
        for p in patterns
        if p.name not in SIGN_IN_STEPS and not hasattr(p.callback, "required_permission")
    ]
    assert unguarded == []
    # Every guarded view is in the matrix above.
    assert {p.name for p in patterns} - SIGN_IN_STEPS == {
        "overview",
        "queue",
        "item",
        "item_assign",
        "item_close",
        "item_requeue_letter",
        "item_reciprocity",
        "file",
        "document",
        "review_proof",
        "add_note",
        "log_call",
        "resolve_dispute",
        "agree_plan",
        "answer_plan",
        "send_letter",
        "resume",
        "acknowledge_debt",
        "declare_claim",
        "search",
        "dashboard",
        "audit",
        "refused_contacts",
        "file_reads",
        "statements",
        "movement",
        "import_files",
    }


def test_the_statement_and_sheet_pages_pass_the_same_gate() -> None:
    patterns = [
        p for p in _backoffice_patterns() if p.name in {"import_files", "statements", "movement"}
    ]
    assert {p.name: getattr(p.callback, "required_permission", None) for p in patterns} == {
        "import_files": Perm.IMPORT_FILES,
        "statements": Perm.RECONCILE_PAYMENTS,
        "movement": Perm.RECONCILE_PAYMENTS,
    }


def test_the_statement_and_sheet_pages_keep_their_addresses() -> None:
    from django.urls import resolve

    assert resolve("/backoffice/intake/upload").view_name == "backoffice:import_files"
    assert resolve("/backoffice/statements/").view_name == "backoffice:statements"
    assert resolve("/backoffice/statements/movements/7/").view_name == "backoffice:movement"


def test_a_post_without_the_csrf_token_is_refused(world: World) -> None:
    user = make_staff(AGENT)
    client = sign_in(Client(enforce_csrf_checks=True), user)
    path = f"/backoffice/files/{world.file.reference}/note/"
    assert client.post(path, {"text": "called, no answer"}).status_code == 403
    assert not Event.objects.filter(kind="note_added").exists()
    page = client.get(f"/backoffice/files/{world.file.reference}/")
    token = page.context["csrf_token"]
    response = client.post(path, {"text": "called, no answer", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert Event.objects.filter(kind="note_added").count() == 1


def test_the_sign_in_form_needs_the_csrf_token_too() -> None:
    user = make_staff(AGENT)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/backoffice/sign-in/", {"username": user.username, "password": "x"})
    assert response.status_code == 403


MENU = {
    "Work queues": "/backoffice/",
    "Bank statements": "/backoffice/statements/",
    "Import files": "/backoffice/intake/upload",
    "Search": "/backoffice/search/",
    "Dashboard": "/backoffice/dashboard/",
    "Audit trail": "/backoffice/audit/",
    "Refused contacts": "/backoffice/audit/refused-contacts/",
}


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (AGENT, {"Work queues", "Search"}),
        (
            SUPERVISOR,
            {"Work queues", "Bank statements", "Import files", "Search", "Dashboard"},
        ),
        (ACCOUNTANT, {"Work queues", "Bank statements", "Search"}),
        (COMPLIANCE, {"Work queues", "Search", "Dashboard", "Audit trail", "Refused contacts"}),
        (ADMIN, set(MENU)),
    ],
    ids=lambda v: v.value.replace(" ", "_") if isinstance(v, Role) else "",
)
def test_the_menu_offers_what_the_role_opens(db: None, role: Role, shown: set[str]) -> None:
    client = sign_in(Client(), make_staff(role))
    html = client.get("/backoffice/").content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    assert {label for label, href in MENU.items() if f'<a href="{href}">{label}</a>' in nav} == (
        shown
    )
