"""Six months of an agency's life, replayed through the real services (``amicable demo``).

The creditors hand claims over through the intake service the API uses
(``files.handover.receive_files``), every week for six months. Then each working day is
replayed as an agency lives it: in the morning the bank statement of the day before is imported
(CODA and camt.053 in turn, ``payments.statement_import``: payments matched by their structured
communication), the daily run takes its steps (``workflow.run_daily``: reminders, formal
notices, waiting periods, indemnities and interest at the published rates, plans kept or
broken, paid files closed) and the post run produces the day's letters
(``letters.post.run_letters_batch``). During the day, debtors act through the services the
portal calls (pay in full or in part, ask for a plan, dispute with a document, declare a debt
mediation or a collective settlement, send a proof of payment, ask for documents), a creditor
withdraws a file, and agents decide the items of their queues, except those of the last days,
which are left open as on any working morning.

Every choice comes from one seeded random generator, and every day is counted back from the
real today: the same seed and the same today give the same files, letters and amounts.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from amicable.demo import texts
from amicable.demo.bank import Credit, camt053, coda
from amicable.demo.clock import SimulatedClock
from amicable.disputes.declarations import (
    MediatorContact,
    declare_collective_settlement,
    declare_debt_mediation,
)
from amicable.disputes.errors import DisputeError
from amicable.disputes.opening import open_dispute, request_documents
from amicable.disputes.resolution import DisputeOutcome, resolve_dispute
from amicable.domain.calendar import add_working_days, is_working_day
from amicable.domain.lifecycle import FileState
from amicable.files.actions import ActionRefused
from amicable.files.handover import receive_files, withdraw_file
from amicable.files.ledger import file_balance
from amicable.files.models import (
    Creditor,
    DocumentKind,
    File,
    Sector,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.services import ClaimInput, DebtorInput, FileInput
from amicable.files.uploads import check_upload
from amicable.letters.emails import send_due_emails
from amicable.letters.post import run_letters_batch
from amicable.payments.decisions import assign_movement
from amicable.payments.models import BankMovementRecord
from amicable.payments.statement_import import import_statement
from amicable.plans.answers import agree_plan_request
from amicable.plans.errors import PlanError
from amicable.plans.models import Instalment, PaymentPlan, PlanStatus
from amicable.plans.requests import request_payment_plan
from amicable.proofs.review import PaidTo, ProofPayment, review_proof
from amicable.proofs.submission import DeclaredPayment, submit_proof_of_payment
from amicable.work_items.assignment import close_work_item, closes_by_decision
from amicable.work_items.notes import add_note
from amicable.workflow.services import run_daily

__all__ = ["DAYS", "Journey", "simulate"]

#: How far back the agency's history starts.
DAYS = 182
#: Items of the last days stay open: the agents have not reached them yet.
OPEN_DAYS = 10
#: Debtors, creditors, agents and the bank as they appear on the timeline and in the ledger.
DEBTOR = "debtor"
AGENT = "staff:admin"
BANK = "statements-import"


class Journey:
    """What a debtor does once the agency writes (one of these per file)."""

    IGNORE = "ignore"
    PAY = "pay"
    PART = "part"
    PLAN = "plan"
    PLAN_BROKEN = "plan_broken"
    PLAN_AGENT = "plan_agent"
    DISPUTE = "dispute"
    MEDIATION = "mediation"
    COLLECTIVE = "collective"
    PROOF = "proof"
    DOCUMENTS = "documents"
    WITHDRAWN = "withdrawn"
    UNMATCHED = "unmatched"
    NOTE = "note"


#: The journeys, in the proportions of a collection agency's book (one cycle of 25 files).
CYCLE = (
    Journey.PAY,
    Journey.IGNORE,
    Journey.PLAN,
    Journey.DISPUTE,
    Journey.PART,
    Journey.PAY,
    Journey.MEDIATION,
    Journey.PLAN_AGENT,
    Journey.IGNORE,
    Journey.NOTE,
    Journey.PAY,
    Journey.COLLECTIVE,
    Journey.PROOF,
    Journey.PLAN,
    Journey.DISPUTE,
    Journey.UNMATCHED,
    Journey.PAY,
    Journey.DOCUMENTS,
    Journey.PLAN_BROKEN,
    Journey.IGNORE,
    Journey.PART,
    Journey.WITHDRAWN,
    Journey.PAY,
    Journey.PLAN,
    Journey.IGNORE,
)
#: The least time after the hand-over before each journey's first step (the formal notice
#: and its waiting period come first for those who pay or ask for a plan).
EARLIEST = {
    Journey.DISPUTE: 12,
    Journey.DOCUMENTS: 12,
    Journey.MEDIATION: 20,
    Journey.COLLECTIVE: 20,
    Journey.WITHDRAWN: 20,
}
DEFAULT_EARLIEST = 34
#: Files handed over in the last days, by their rank after the first cycle: how many working
#: days ago, whether the creditor sent the first reminder, and their journey. They show the
#: first stages: the first reminder still to send (handed over this afternoon, "late"), the
#: 14 days after it, the formal notice of the day, its 14-day waiting period.
RECENT: dict[int, tuple[int, bool, str]] = {
    1: (3, False, Journey.IGNORE),
    2: (0, True, Journey.IGNORE),
    3: (6, True, Journey.IGNORE),
    4: (0, False, "late"),
}

PLACES = (
    ("1000", "Bruxelles", "fr", "Rue Haute"),
    ("1050", "Ixelles", "fr", "Chaussée de Boondael"),
    ("1080", "Molenbeek-Saint-Jean", "fr", "Rue de Ribaucourt"),
    ("1090", "Jette", "nl", "Kardinaal Mercierplein"),
    ("1040", "Etterbeek", "en", "Avenue des Casernes"),
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
    "en": ("Emma", "James", "Olivia", "Daniel", "Grace", "Tomasz"),
}
LAST_NAMES = {
    "fr": ("Dupont", "Lambert", "Martin", "Dubois", "El Amrani", "Leroy", "Renard", "Simon"),
    "nl": ("Peeters", "Janssens", "Maes", "Jacobs", "Willems", "De Smet", "Claes", "Goossens"),
    "de": ("Schmitz", "Kreusch", "Müller", "Heinen", "Lentz", "Theißen"),
    "en": ("Smith", "O'Brien", "Walsh", "Kowalski", "Taylor", "Murphy"),
}
#: Belgian current accounts the debtors pay from (valid IBANs, one per debtor by rotation).
DEBTOR_ACCOUNTS = (
    "BE68539007547034",
    "BE62510007547061",
    "BE43068999999501",
    "BE71096123456769",
    "BE86001234567850",
    "BE32123456789002",
)


@dataclass(slots=True)
class Plan:
    """One demo file: who hands it over when, and what its debtor will do."""

    index: int
    creditor: Creditor
    handover: date
    journey: str
    act_on: date | None  # the debtor's first step; None: after today
    file_input: FileInput
    language: str
    account: str
    file_id: int = 0


@dataclass(slots=True)
class World:
    """What the simulation carries from one day to the next."""

    today: date
    rng: random.Random
    clock: SimulatedClock
    plans: list[Plan]
    #: Credits the bank books on a day, imported the next working morning.
    credits: defaultdict[date, list[Credit]] = field(default_factory=lambda: defaultdict(list))
    #: Files (by plan index) of the debtors who stop paying their plan after one instalment.
    stops_paying: set[int] = field(default_factory=set)
    statements: int = 0
    balance: Decimal = Decimal("25000.00")


#: Django's backend that accepts every message and sends none.
DISCARDING_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


def simulate(
    *, creditors: list[Creditor], today: date, debtors: int, clock: SimulatedClock, seed: int
) -> int:
    """Replay the agency's last :data:`DAYS` days up to ``today``; the number of files made."""
    rng = random.Random(seed)
    start = today - timedelta(days=DAYS)
    plans = [_plan(rng, index, creditors, start=start, today=today) for index in range(debtors)]
    world = World(today=today, rng=rng, clock=clock, plans=plans)
    by_handover: defaultdict[date, list[Plan]] = defaultdict(list)
    by_act: defaultdict[date, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_handover[plan.handover].append(plan)
        if plan.act_on is not None:
            by_act[plan.act_on].append(plan)
    day = start
    while day <= today:
        if is_working_day(day) or day == today:
            _working_day(world, day, handed=by_handover.get(day, []), acting=by_act.get(day, []))
        day += timedelta(days=1)
    return len(plans)


def _working_day(world: World, day: date, *, handed: list[Plan], acting: list[Plan]) -> None:
    clock = world.clock
    clock.set_day(day, hour=7)
    _import_statement(world, day)
    early = [plan for plan in handed if plan.journey != "late"]
    late = [plan for plan in handed if plan.journey == "late"]
    _hand_over(early, day)
    clock.set_day(day, hour=8)
    run_daily(run_date=day, progress_stream=_Silent())
    clock.set_day(day, hour=10)
    run_letters_batch(run_date=day)
    # The day's e-mails leave through the mail service, which accepts them and keeps nothing
    # (the debtors are fictitious): their dispatch starts the periods, as in an agency.
    with override_settings(EMAIL_BACKEND=DISCARDING_BACKEND):
        send_due_emails(now=clock.now(), limit=1_000_000)
    clock.set_day(day, hour=11)
    if day <= world.today - timedelta(days=OPEN_DAYS):
        _agents_decide(world, day)
    clock.set_day(day, hour=14)
    for plan in acting:
        with transaction.atomic():
            _act(world, plan, day)
    _instalments(world, day)
    # Claims handed over in the afternoon wait for tomorrow's run (their first reminder).
    clock.set_day(day, hour=16)
    _hand_over(late, day)


class _Silent:
    """The daily run's progress, which nobody watches during the replay."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False


# -- the book of files -------------------------------------------------------------------------


def _plan(
    rng: random.Random, index: int, creditors: list[Creditor], *, start: date, today: date
) -> Plan:
    creditor = creditors[index % len(creditors)]
    postal_code, city, language, street = PLACES[rng.randrange(len(PLACES))]
    name = f"{rng.choice(FIRST_NAMES[language])} {rng.choice(LAST_NAMES[language])}"
    journey = CYCLE[index % len(CYCLE)]
    span = DAYS - 20
    showcase = index < len(CYCLE)
    reminded: bool | None = None  # None: as the dice say
    stage = index - len(CYCLE)
    if stage in RECENT:
        # The first stages of a file, once each, however few files the demo makes.
        back, reminded, journey = RECENT[stage]
        handover = _working_days_before(today, back) if back else today
    elif showcase:
        # The first files of each journey acted in the last days: their items are still open
        # and their states show, however few files the demo makes.
        handover = today - timedelta(days=rng.randint(60, 120))
    elif index % 10 == 9:
        # Recent hand-overs: files still in their first reminder, notice or waiting period.
        handover = today - timedelta(days=rng.randint(0, 24))
        journey = Journey.IGNORE if handover < today else "late"
    else:
        handover = start + timedelta(days=rng.randint(0, span))
    while not is_working_day(handover) and handover < today:
        handover += timedelta(days=1)
    if handover > today:
        handover = today
        journey = "late"
    earliest = handover + timedelta(days=EARLIEST.get(journey, DEFAULT_EARLIEST))
    act_on: date | None = None
    if showcase and journey not in (Journey.IGNORE, "late"):
        act_on = today - timedelta(days=rng.randint(4, OPEN_DAYS - 2))
        while not is_working_day(act_on):
            act_on -= timedelta(days=1)
    elif journey not in (Journey.IGNORE, "late") and earliest <= today:
        act_on = earliest + timedelta(days=rng.randint(0, max(0, (today - earliest).days)))
        while not is_working_day(act_on):
            act_on += timedelta(days=1)
        if act_on > today:
            act_on = None
    sector = Sector(creditor.sector)
    claims = tuple(
        _claim(rng, creditor, sector, language, handover=handover, number=n, reminded=reminded)
        for n in range(1 + (index % 7 == 0))
    )
    debtor = DebtorInput(
        customer_reference=f"C{index + 1:05d}",
        name=name,
        address=f"{street} {rng.randint(1, 180)}",
        postal_code=postal_code,
        city=city,
        language=language,
        email=(
            f"{name.split()[0].lower()}.{index + 1}@example.be" if index % 3 else ""
        ),  # a third of the debtors have no e-mail address: their letters go by post
        phone=f"+32 4{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
    )
    return Plan(
        index=index,
        creditor=creditor,
        handover=handover,
        journey=journey,
        act_on=act_on,
        file_input=FileInput(
            creditor_reference=f"{creditor.reference[:3].upper()}-{index + 1:06d}",
            debtor=debtor,
            claims=claims,
        ),
        language=language,
        account=DEBTOR_ACCOUNTS[index % len(DEBTOR_ACCOUNTS)],
    )


def _claim(
    rng: random.Random,
    creditor: Creditor,
    sector: Sector,
    language: str,
    *,
    handover: date,
    number: int,
    reminded: bool | None,
) -> ClaimInput:
    principal = Decimal(rng.randint(4_000, 120_000)) / 100
    # Most creditors sent their free first reminder before handing over; a quarter did not,
    # and the agency sends it (CEL art. XIX.2).
    if reminded is None:
        reminded = rng.random() >= 0.25
    reminder_on = handover - timedelta(days=rng.randint(15, 40)) if reminded else None
    due = (reminder_on or handover) - timedelta(days=rng.randint(10, 40))
    products = texts.PRODUCTS[sector][texts.language_of(language)]
    return ClaimInput(
        creditor_reference=f"INV-{rng.randint(100000, 999999)}-{number}",
        description=rng.choice(products),
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
        # A clause without a rate: the civil legal rate, as published (CEL art. XIX.4).
        interest_clause=True,
        interest_rate=None,
        reminder_cost_clause=sector is not Sector.RETAIL,
    )


def _hand_over(plans: list[Plan], day: date) -> None:
    by_creditor: defaultdict[int, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_creditor[plan.creditor.pk].append(plan)
    for group in by_creditor.values():
        creditor = group[0].creditor
        results = receive_files(
            creditor=creditor,
            inputs=[plan.file_input for plan in group],
            actor=f"api:{creditor.reference}",
            today=day,
        )
        for plan, result in zip(group, results, strict=True):
            plan.file_id = result.file.pk


# -- the bank ----------------------------------------------------------------------------------


def _import_statement(world: World, day: date) -> None:
    """The statement of the previous working day, imported in the morning."""
    booked = _working_days_before(day, 1)
    credits = world.credits.pop(booked, [])
    if not credits:
        return
    world.statements += 1
    account = settings.AMICABLE_AGENCY["iban"]
    write = coda if world.statements % 2 else camt053
    data = write(
        account=account,
        sequence=world.statements,
        opening=world.balance,
        day=booked,
        credits=credits,
    )
    world.balance += sum((credit.amount for credit in credits), Decimal(0))
    extension = "cod" if write is coda else "xml"
    import_statement(data, name=f"statement-{booked:%Y%m%d}.{extension}", actor=BANK, today=day)


def _pay(world: World, plan: Plan, day: date, amount: Decimal, *, ogm: str, text: str = "") -> None:
    """The debtor orders a transfer today; the bank books it on the next working day."""
    booked = add_working_days(day, 1)
    if booked > world.today or amount <= 0:
        return
    name = plan.file_input.debtor.name
    number = len(world.credits[booked]) + 1
    world.credits[booked].append(
        Credit(
            amount=amount,
            reference=f"DEMO{booked:%y%m%d}{number:05d}",
            name=name,
            account=plan.account,
            ogm=ogm,
            text=text,
        )
    )


def _instalments(world: World, day: date) -> None:
    """Debtors with a running plan pay each instalment the working day before it is due (or
    stop paying, for those whose plan breaks)."""
    booked = add_working_days(day, 1)
    by_file = {plan.file_id: plan for plan in world.plans if plan.file_id}
    due = Instalment.objects.filter(
        plan__status=PlanStatus.ACTIVE, due_on__gt=day, due_on__lte=booked
    ).select_related("plan")
    for instalment in due.order_by("pk"):
        plan = by_file.get(instalment.plan.file_id)
        if plan is None:
            continue
        if plan.journey == Journey.PLAN_BROKEN and instalment.number > 1:
            continue
        _pay(world, plan, day, instalment.amount, ogm=instalment.structured_communication)


# -- the debtors -------------------------------------------------------------------------------


def _working_days_before(day: date, count: int) -> date:
    """The working day ``count`` working days before ``day``."""
    while count:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def _owed(file: File, on: date) -> Decimal:
    return file_balance(file, as_of=on).outstanding


def _act(world: World, plan: Plan, day: date) -> None:
    file = File.objects.select_related("debtor").get(pk=plan.file_id)
    if file.file_state in (FileState.PAID, FileState.CLOSED):
        return
    rng = world.rng
    language = texts.language_of(plan.language)
    journey = plan.journey
    booked = add_working_days(day, 1)
    if journey == Journey.PAY:
        _pay(world, plan, day, _owed(file, booked), ogm=file.structured_communication)
    elif journey == Journey.PART:
        part = (_owed(file, booked) * Decimal(rng.choice(("0.25", "0.4", "0.5")))).quantize(
            Decimal("1")
        )
        _pay(world, plan, day, part, ogm=file.structured_communication)
    elif journey == Journey.UNMATCHED:
        # Paid, but with the invoice number instead of the structured communication.
        invoice = plan.file_input.claims[0].creditor_reference
        _pay(world, plan, day, _owed(file, booked), ogm="", text=invoice)
    elif journey in (Journey.PLAN, Journey.PLAN_BROKEN, Journey.PLAN_AGENT):
        _ask_plan(world, plan, file, day)
    elif journey == Journey.DISPUTE:
        reason, explanation, name = rng.choice(texts.DISPUTES[language])
        upload = check_upload(_document_pdf(texts.DOCUMENT_TITLES[language], explanation))
        open_dispute(
            file=file,
            reason=reason,
            explanation=explanation,
            evidence=[(upload, name)],
            today=day,
            actor=DEBTOR,
        )
    elif journey == Journey.DOCUMENTS:
        request_documents(file=file, kinds=[DocumentKind.CONTRACT], today=day, actor=DEBTOR)
    elif journey == Journey.MEDIATION:
        organisation, email = texts.MEDIATORS[language]
        declare_debt_mediation(
            file=file,
            mediator=MediatorContact(
                name=plan.file_input.debtor.name.split()[0]
                + " "
                + rng.choice(LAST_NAMES[plan.language]),
                organisation=f"{organisation} {file.debtor.city}",
                email=email,
            ),
            today=day,
            actor=DEBTOR,
        )
    elif journey == Journey.COLLECTIVE:
        title = texts.COURT_DECISION[language]
        upload = check_upload(_document_pdf(title, f"R.G. {day:%y}/{plan.index:04d}/B"))
        declare_collective_settlement(
            file=file,
            admissibility_date=day - timedelta(days=rng.randint(5, 20)),
            court_decision=(upload, "decision.pdf"),
            court_reference=f"{day:%y}/{plan.index:04d}/B",
            mediator=MediatorContact(
                name=f"Me {rng.choice(LAST_NAMES[plan.language])}",
                organisation="",
                email=f"avocat.{plan.index}@barreau.example",
            ),
            today=day,
            actor=DEBTOR,
        )
    elif journey == Journey.PROOF:
        paid_on = day - timedelta(days=2)
        amount = _owed(file, paid_on)
        upload = check_upload(_document_pdf(texts.PROOF_TITLE[language], f"{amount} EUR"))
        submit_proof_of_payment(
            file=file,
            upload=upload,
            original_name="virement.pdf",
            declared=DeclaredPayment(paid_to=PaidTo.CREDITOR, paid_on=paid_on, amount=amount),
            today=day,
            actor=DEBTOR,
        )
    elif journey == Journey.WITHDRAWN:
        withdraw_file(
            file=file,
            reason="Paid to the creditor before the hand-over.",
            actor=f"api:{plan.creditor.reference}",
            today=day,
        )
    elif journey == Journey.NOTE:
        add_note(file=file, text=rng.choice(texts.NOTES[language]), actor=AGENT)


def _ask_plan(world: World, plan: Plan, file: File, day: date) -> None:
    rng = world.rng
    first = day + timedelta(days=rng.randint(5, 12))
    if plan.journey == Journey.PLAN_AGENT:
        count, note = 24, texts.PLAN_NOTES[texts.language_of(plan.language)]
    else:
        count, note = rng.randint(2, 5), ""
    try:
        request_payment_plan(
            file=file,
            instalment_count=count,
            first_due_on=first,
            today=day,
            actor=DEBTOR,
            mentions_difficulties=bool(note),
            note=note,
        )
    except PlanError:
        return  # not at a stage where a plan is asked for: the debtor does nothing more


# -- the agents --------------------------------------------------------------------------------


def _agents_decide(world: World, day: date) -> None:
    """The agents work through the items opened at least two working days ago."""
    before = _working_days_before(day, 2)
    items = list(
        WorkItem.objects.filter(status=WorkItemStatus.OPEN, created_at__date__lte=before)
        .select_related("file", "file__debtor", "document")
        .order_by("pk")
    )
    now = world.clock.now()
    for item in items:
        with transaction.atomic():
            _decide(world, item, day=day, now=now)


def _decide(world: World, item: WorkItem, *, day: date, now: datetime) -> None:
    file = item.file
    try:
        if item.kind == WorkItemKind.PAYMENT_PLAN_REQUEST and file is not None:
            plan = PaymentPlan.objects.get(pk=item.data["plan_id"])
            agree_plan_request(
                plan=plan,
                actor=AGENT,
                today=day,
                now=now,
                instalment_count=12,
                first_due_on=add_working_days(day, 5),
            )
        elif item.kind == WorkItemKind.DISPUTE and file is not None:
            language = texts.language_of(file.debtor.language)
            # One dispute in three is upheld (by the creditor number, not the row id, so that
            # every database decides alike).
            cancel = int(file.creditor_reference[-6:]) % 3 == 0
            resolve_dispute(
                file=file,
                outcome=DisputeOutcome.CANCEL if cancel else DisputeOutcome.CONFIRM,
                explanation=texts.OUTCOMES["cancel" if cancel else "confirm"][language],
                actor=AGENT,
                today=day,
                now=now,
            )
        elif item.kind == WorkItemKind.PROOF_REVIEW and item.document is not None:
            amount = _owed(file, day) if file is not None else Decimal(0)
            review_proof(
                document=item.document,
                accepted=True,
                actor=AGENT,
                now=now,
                payment=ProofPayment(
                    amount=amount, value_date=day - timedelta(days=2), paid_to=PaidTo.CREDITOR
                ),
            )
        elif item.kind == WorkItemKind.UNMATCHED_MOVEMENT:
            movement = BankMovementRecord.objects.filter(pk=item.data.get("movement")).first()
            target = _file_named_by(movement)
            if movement is not None and target is not None:
                assign_movement(movement=movement, file=target, actor=AGENT, today=day)
        elif not closes_by_decision(item) and item.kind in (
            WorkItemKind.DEBT_MEDIATION,
            WorkItemKind.COLLECTIVE_SETTLEMENT,
        ):
            close_work_item(
                item=item,
                outcome="Declaration checked; the mediator is our contact from now on.",
                actor=AGENT,
                now=now,
            )
    except (ActionRefused, DisputeError, PlanError):
        return  # the item waits for an agent in the back office


def _file_named_by(movement: BankMovementRecord | None) -> File | None:
    """The file whose invoice number the debtor wrote instead of the communication."""
    if movement is None:
        return None
    text = (movement.communication or "").strip()
    if not text:
        return None
    return File.objects.filter(claims__creditor_reference=text).first()


# -- documents ---------------------------------------------------------------------------------


def _document_pdf(title: str, body: str) -> bytes:
    """A one-page PDF with a title and a line of text: the scan a debtor would upload."""

    def escape_text(value: str) -> bytes:
        raw = value.encode("cp1252", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    lines = [escape_text(title)] + [escape_text(part) for part in _wrap(body, 80)]
    stream = b"BT /F1 14 Tf 60 780 Td (" + lines[0] + b") Tj /F1 10 Tf"
    for line in lines[1:]:
        stream += b" 0 -18 Td (" + line + b") Tj"
    stream += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 "
        b"4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body_bytes in enumerate(objects, 1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body_bytes + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\n"
    out += b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return out


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines
