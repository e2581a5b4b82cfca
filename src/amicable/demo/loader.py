"""A realistic, reproducible demo data set (``amicable demo``, run by ``make run``).

Three creditors (energy, telecom, web shop), a few hundred debtors in Brussels, Flanders and
Wallonia (and the German-speaking East) with their own language, files in every state of the
lifecycle, with payments. The same seed gives the same data; running it again adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Creditor, File, Sector
from amicable.files.services import (
    ClaimInput,
    DebtorInput,
    FileInput,
    create_files,
    issue_access_code,
)
from amicable.intake.models import ApiToken
from amicable.intake.tokens import issue_token

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

PLACES = (
    ("1000", "Bruxelles", "fr", "Rue Haute"),
    ("1050", "Ixelles", "fr", "Chaussée de Boondael"),
    ("1080", "Molenbeek-Saint-Jean", "fr", "Rue de Ribaucourt"),
    ("1090", "Jette", "nl", "Kardinaal Mercierplein"),
    ("2000", "Antwerpen", "nl", "Meir"),
    ("9000", "Gent", "nl", "Veldstraat"),
    ("3000", "Leuven", "nl", "Bondgenotenlaan"),
    ("8000", "Brugge", "nl", "Steenstraat"),
    ("3500", "Hasselt", "nl", "Demerstraat"),
    ("4000", "Liège", "fr", "Rue Saint-Gilles"),
    ("6000", "Charleroi", "fr", "Boulevard Tirou"),
    ("7000", "Mons", "fr", "Rue de la Chaussée"),
    ("5000", "Namur", "fr", "Rue de l'Ange"),
    ("4700", "Eupen", "de", "Aachener Straße"),
    ("4780", "Sankt Vith", "de", "Hauptstraße"),
)
FIRST_NAMES = {
    "fr": ("Marie", "Julien", "Sophie", "Mehdi", "Camille", "Nicolas", "Aïcha", "Luc"),
    "nl": ("Jan", "Els", "Pieter", "Fatima", "Lotte", "Wouter", "An", "Bram"),
    "de": ("Anna", "Lukas", "Sabine", "Jonas", "Petra", "Matthias"),
}
LAST_NAMES = {
    "fr": ("Dupont", "Lambert", "Martin", "Dubois", "El Amrani", "Leroy", "Renard", "Simon"),
    "nl": ("Peeters", "Janssens", "Maes", "Jacobs", "Willems", "De Smet", "Claes", "Goossens"),
    "de": ("Schmitz", "Kreusch", "Müller", "Heinen", "Lentz", "Theißen"),
}
DESCRIPTIONS = {
    Sector.ENERGY: ("Électricité et gaz, facture de clôture", "Electricity, annual settlement"),
    Sector.TELECOM: ("Abonnement mobile et internet", "Mobile and internet subscription"),
    Sector.RETAIL: ("Commande en ligne: lave-linge", "Online order: washing machine"),
}
# How many files end in each state (the rest stay where intake put them).
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
    *, today: date, debtors: int = 300, staff_password: str = STAFF_PASSWORD
) -> DemoResult:
    """Create the demo data once (idempotent) and return the credentials to print.

    Portal access codes are issued afresh for the files printed. The API token is issued once:
    a later run keeps it valid and issues none (tokens are stored hashed, so it cannot be shown
    again), so that an integration set up with it keeps working after another ``make run``.
    ``staff_password`` is the superuser's password when the account is created. Any other
    password than the known demo one (a production installation) also replaces the demo one
    on an existing account, so that no installation keeps a password everyone knows.
    """
    rng = random.Random(SEED)
    created = 0
    with transaction.atomic():
        creditors = [
            Creditor.objects.get_or_create(reference=c["reference"], defaults=c)[0]
            for c in CREDITORS
        ]
        password_set = _staff_user(staff_password)
        if not File.objects.filter(creditor__in=creditors).exists():
            created = _create_demo_files(rng, creditors, today=today, debtors=debtors)

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


def _create_demo_files(
    rng: random.Random, creditors: list[Creditor], *, today: date, debtors: int
) -> int:
    count = 0
    for index in range(debtors):
        creditor = creditors[index % len(creditors)]
        postal_code, city, language, street = PLACES[rng.randrange(len(PLACES))]
        name = f"{rng.choice(FIRST_NAMES[language])} {rng.choice(LAST_NAMES[language])}"
        state = STATE_PLAN[index % len(STATE_PLAN)]
        claims = tuple(
            _claim(rng, creditor, state, today=today, number=n) for n in range(1 + (index % 5 == 0))
        )
        debtor = DebtorInput(
            customer_reference=f"C{index + 1:05d}",
            name=name,
            address=f"{street} {rng.randint(1, 180)}",
            postal_code=postal_code,
            city=city,
            language=language,
            email=f"{name.split()[0].lower()}.{index + 1}@example.be",
            phone=f"+32 4{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
        )
        result = create_files(
            creditor=creditor,
            inputs=[
                FileInput(
                    creditor_reference=f"{creditor.reference[:3].upper()}-{index + 1:06d}",
                    debtor=debtor,
                    claims=claims,
                )
            ],
            actor=DEMO_ACTOR,
            today=today,
        )[0]
        _move_to(result.file, state, rng, today=today)
        count += 1
    return count


def _claim(
    rng: random.Random, creditor: Creditor, state: FileState, *, today: date, number: int
) -> ClaimInput:
    sector = Sector(creditor.sector)
    principal = Decimal(rng.randint(4_000, 180_000)) / 100
    if state is FileState.GRACE_PERIOD:
        reminder_on: date | None = today - timedelta(days=rng.randint(1, 6))
    elif state is FileState.FIRST_REMINDER_PENDING:
        reminder_on = None
    else:
        reminder_on = today - timedelta(days=rng.randint(40, 200))
    due = (reminder_on or today) - timedelta(days=rng.randint(10, 40))
    french, english = DESCRIPTIONS[sector]
    return ClaimInput(
        creditor_reference=f"INV-{rng.randint(100000, 999999)}-{number}",
        description=french if creditor.language == "fr" else english,
        invoice_date=due - timedelta(days=30),
        due_date=due,
        principal=principal,
        contract_date=date(2024, rng.randint(1, 12), rng.randint(1, 28)),
        regular_supply=sector in (Sector.ENERGY, Sector.TELECOM),
        first_reminder_sent_on=reminder_on,
        first_reminder_channel=rng.choice(("paper", "electronic")) if reminder_on else None,
        # 5 % stays under the XIX.4 cap at every balance; a clause above it would be void.
        indemnity_percent=Decimal("5"),
        indemnity_minimum=None,
        # The demo creditors' general terms give the consumer the same 5 % when they fail in
        # their own obligations: the clause is declared reciprocal (CEL art. VI.83, 17°).
        indemnity_reciprocity="reciprocal",
        interest_clause=True,
        interest_rate=Decimal("8"),
        reminder_cost_clause=sector is not Sector.RETAIL,
    )


def _move_to(file: File, state: FileState, rng: random.Random, *, today: date) -> None:
    """Walk a new file along the lifecycle to ``state``, with the money that goes with it."""
    if file.file_state is state:
        return
    path = {
        FileState.WAITING_PERIOD: [FileState.WAITING_PERIOD],
        FileState.IN_COLLECTION: [FileState.WAITING_PERIOD, FileState.IN_COLLECTION],
        FileState.PAYMENT_PLAN: [FileState.WAITING_PERIOD, FileState.PAYMENT_PLAN],
        FileState.PAID: [FileState.WAITING_PERIOD, FileState.IN_COLLECTION],
    }.get(state, [state])
    for step in path:
        change_file_state(file=file, new_state=step, actor=DEMO_ACTOR, reason="demo")
    if state in (FileState.IN_COLLECTION, FileState.PAYMENT_PLAN, FileState.PAID):
        for claim in file.claims.all():
            charge_day = max(claim.first_chargeable_day or today, today - timedelta(days=20))
            ledger.charge_indemnity(claim=claim, on=charge_day, actor=DEMO_ACTOR)
        ledger.book_interest(file=file, through=today - timedelta(days=15), actor=DEMO_ACTOR)
        # Interest runs to the day before the payment: the balance of that day is what it pays.
        balance = ledger.file_balance(file, as_of=today - timedelta(days=11))
        amount = (
            balance.outstanding
            if state is FileState.PAID
            else (balance.outstanding / 3).quantize(Decimal("0.01"))
        )
        ledger.post_payment(
            file=file,
            amount=amount,
            value_date=today - timedelta(days=10),
            actor=DEMO_ACTOR,
            source="statement",
            source_reference=f"demo-{file.reference}",
        )
        if state is FileState.PAID:
            change_file_state(
                file=file, new_state=FileState.PAID, actor=DEMO_ACTOR, reason="paid", on=today
            )


def _showcase_logins() -> list[DemoLogin]:
    """One file per interesting state, with a fresh access code (the old one stops working)."""
    logins = []
    wanted = (
        ("fr", FileState.IN_COLLECTION),
        ("nl", FileState.FORMAL_NOTICE),
        ("de", FileState.PAYMENT_PLAN),
        ("nl", FileState.DISPUTED),
    )
    for language, state in wanted:
        file = (
            File.objects.filter(state=state, debtor__language=language)
            .select_related("debtor")
            .order_by("id")
            .first()
        ) or File.objects.filter(state=state).select_related("debtor").order_by("id").first()
        if file is not None:
            code = issue_access_code(file=file, actor=DEMO_ACTOR)
            logins.append(
                DemoLogin(
                    reference=file.reference,
                    access_code=code,
                    state=state.value,
                    debtor=file.debtor.name,
                    language=file.debtor.language,
                )
            )
    return logins
