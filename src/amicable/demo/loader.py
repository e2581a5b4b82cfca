"""A realistic, reproducible demo data set (``amicable demo``, run by ``make run``).

Three creditors (energy, telecom, web shop) and a few hundred debtors in Brussels, Flanders,
Wallonia and the German-speaking East, each with their own language. The data is not written
state by state: six months of the agency's life are replayed through the real services
(:mod:`amicable.demo.simulation`), ending on the real today, so that every state, queue, chart
and timeline has the records a real agency would have. The same seed and the same today give
the same data; running it again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef

from amicable.demo.clock import simulated_time
from amicable.demo.simulation import simulate
from amicable.disputes.models import Declaration, Dispute
from amicable.domain.lifecycle import FileState
from amicable.files.models import Creditor, File, LedgerEntry, Sector
from amicable.files.services import issue_access_code
from amicable.intake.models import ApiToken
from amicable.intake.tokens import issue_token
from amicable.plans.models import PaymentPlan, PlanStatus

SEED = 20261124
DEMO_ACTOR = "demo"
STAFF_USERNAME = "admin"
STAFF_PASSWORD = "admin"  # noqa: S105 - demo data only, printed on screen

CREDITORS = (
    {
        "reference": "lumen-energy",
        "name": "Lumen Energy SA",
        "enterprise_number": "0403170701",
        "address": "Boulevard du Régent 8",
        "postal_code": "1000",
        "city": "Bruxelles",
        "phone": "+32 2 555 01 01",
        "email": "facturation@lumen.example",
        "remittance_iban": "BE68539007547034",
        "language": "fr",
        "sector": Sector.ENERGY,
    },
    {
        "reference": "telenova",
        "name": "Telenova NV",
        "enterprise_number": "0202239951",
        "address": "Koning Albert II-laan 27",
        "postal_code": "1030",
        "city": "Schaerbeek",
        "phone": "+32 2 555 02 02",
        "email": "klantendienst@telenova.example",
        "remittance_iban": "BE71096123456769",
        "language": "nl",
        "sector": Sector.TELECOM,
    },
    {
        "reference": "boutique-en-ligne",
        "name": "Boutique en ligne SRL",
        "enterprise_number": "0477472701",
        "address": "Rue de Fer 15",
        "postal_code": "5000",
        "city": "Namur",
        "phone": "+32 81 55 03 03",
        "email": "service@boutique.example",
        "remittance_iban": "BE62510007547061",
        "language": "fr",
        "sector": Sector.RETAIL,
    },
)

#: The states the demo's files are in at the end of the replay (every state of the lifecycle).
STATE_PLAN = (
    FileState.FIRST_REMINDER_PENDING,
    FileState.GRACE_PERIOD,
    FileState.FORMAL_NOTICE,
    FileState.WAITING_PERIOD,
    FileState.IN_COLLECTION,
    FileState.PAYMENT_PLAN,
    FileState.SUSPENDED,
    FileState.DISPUTED,
    FileState.DEBT_MEDIATION,
    FileState.COLLECTIVE_SETTLEMENT,
    FileState.PAID,
    FileState.CLOSED,
)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    reference: str
    access_code: str
    state: str
    debtor: str
    language: str
    journey: str = ""


@dataclass(frozen=True, slots=True)
class DemoResult:
    created_files: int
    # The demo creditor's API token, when this run issued it (None: an earlier one still works).
    api_token: str | None
    api_token_prefix: str
    creditor: str
    logins: tuple[DemoLogin, ...]
    #: The staff account's password when this run set it; None when an earlier one stands.
    staff_password: str | None = None


def load_demo(
    *, today: date, debtors: int = 120, staff_password: str = STAFF_PASSWORD
) -> DemoResult:
    """Create the demo data once (idempotent) and return the credentials to print.

    Portal access codes are issued afresh for the files printed. The API token is issued once:
    a later run keeps it valid and issues none (tokens are stored hashed, so it cannot be shown
    again), so that an integration set up with it keeps working after another ``make run``.
    ``staff_password`` is the superuser's password when the account is created. Any other
    password than the known demo one (a production installation) also replaces the demo one
    on an existing account, so that no installation keeps a password everyone knows.
    """
    created = 0
    with transaction.atomic():
        creditors = [
            Creditor.objects.get_or_create(reference=c["reference"], defaults=c)[0]
            for c in CREDITORS
        ]
        password_set = _staff_user(staff_password)
        if not File.objects.filter(creditor__in=creditors).exists():
            with simulated_time() as clock:
                created = simulate(
                    creditors=creditors, today=today, debtors=debtors, clock=clock, seed=SEED
                )

    creditor = creditors[0]
    secret = None
    token = (
        ApiToken.objects.filter(creditor=creditor, name="demo", revoked_at=None)
        .order_by("-created_at")
        .first()
    )
    if token is None:
        issued = issue_token(creditor=creditor, name="demo", actor=DEMO_ACTOR)
        secret, token = issued.secret, issued.token
    return DemoResult(
        created_files=created,
        api_token=secret,
        api_token_prefix=token.prefix,
        creditor=creditor.reference,
        logins=tuple(_showcase_logins()),
        staff_password=staff_password if password_set else None,
    )


def _staff_user(password: str) -> bool:
    """The demo superuser with ``password``; True when this call set the password."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=STAFF_USERNAME).first()
    if user is None:
        user_model.objects.create_superuser(
            username=STAFF_USERNAME, email="admin@amicable.example", password=password
        )
        return True
    if not user.check_password(STAFF_PASSWORD):
        return False  # someone chose a password of their own: it stands
    if password != STAFF_PASSWORD:
        user.set_password(password)
        user.save(update_fields=["password"])
    return True


@dataclass(frozen=True, slots=True)
class _Showcase:
    journey: str
    language: str
    state: FileState


#: The journeys the banner shows, each with a file in the language most visitors try first.
SHOWCASES = (
    _Showcase("to pay", "fr", FileState.IN_COLLECTION),
    _Showcase("with a plan", "nl", FileState.PAYMENT_PLAN),
    _Showcase("disputed", "fr", FileState.DISPUTED),
    _Showcase("paid", "nl", FileState.PAID),
    _Showcase("in debt mediation", "de", FileState.DEBT_MEDIATION),
)


def _showcase_files(showcase: _Showcase) -> list[File]:
    """The files that show ``showcase``'s journey with the records behind it."""
    files = File.objects.filter(state=showcase.state).select_related("debtor")
    if showcase.state is FileState.IN_COLLECTION:
        # Nothing paid yet: the portal offers to pay and to ask for a plan.
        payments = LedgerEntry.objects.filter(file=OuterRef("pk"), amount__lt=0)
        files = files.filter(~Exists(payments))
    elif showcase.state is FileState.PAYMENT_PLAN:
        files = files.filter(
            Exists(PaymentPlan.objects.filter(file=OuterRef("pk"), status=PlanStatus.ACTIVE))
        )
    elif showcase.state is FileState.DISPUTED:
        files = files.filter(Exists(Dispute.objects.filter(file=OuterRef("pk"))))
    elif showcase.state is FileState.DEBT_MEDIATION:
        files = files.filter(Exists(Declaration.objects.filter(files=OuterRef("pk"))))
    preferred = list(files.filter(debtor__language=showcase.language).order_by("id")[:1])
    return preferred or list(files.order_by("id")[:1])


def _showcase_logins() -> list[DemoLogin]:
    """One file per journey, with a fresh access code (the old one stops working)."""
    logins = []
    for showcase in SHOWCASES:
        for file in _showcase_files(showcase):
            code = issue_access_code(file=file, actor=DEMO_ACTOR)
            logins.append(
                DemoLogin(
                    reference=file.reference,
                    access_code=code,
                    state=showcase.state.value,
                    debtor=file.debtor.name,
                    language=file.debtor.language,
                    journey=showcase.journey,
                )
            )
    return logins
