"""Creditors, debtors, files (dossiers), claims, the append-only ledger and the timeline.

Balances are never stored: they are sums of the ledger (docs/architecture.md, invariant 1). Ledger
entries and events are append-only; corrections are new entries that reverse old ones.
Only ``amicable.files.services`` and ``amicable.files.ledger`` write these tables.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amicable.domain.imputation import Component
from amicable.domain.law import Channel, Reciprocity
from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import CreditorCapacity
from amicable.files.labels import COMPONENT_LABELS, STATE_LABELS


class Language(models.TextChoices):
    FRENCH = "fr", "Français"
    DUTCH = "nl", "Nederlands"
    GERMAN = "de", "Deutsch"
    ENGLISH = "en", "English"


class Sector(models.TextChoices):
    ENERGY = "energy", _("Energy")
    TELECOM = "telecom", _("Telecom")
    RETAIL = "retail", _("Retail and web shop")
    OTHER = "other", _("Other")


#: The creditor's capacity, as staff choose it; letters print it in the debtor's language.
CAPACITY_CHOICES = [
    (CreditorCapacity.ORIGINAL.value, _("Original creditor")),
    (CreditorCapacity.ASSIGNEE.value, _("New creditor after an assignment")),
]


class NumberSequence(models.Model):
    """A named counter, advanced atomically in blocks (file numbers for bulk intake)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Creditor(models.Model):
    reference = models.SlugField(max_length=40, unique=True, verbose_name=_("reference"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    enterprise_number = models.CharField(
        max_length=10, help_text="KBO/BCE number, 10 digits", verbose_name=_("enterprise number")
    )
    address = models.CharField(max_length=200, verbose_name=_("address"))
    postal_code = models.CharField(max_length=10, verbose_name=_("postal code"))
    city = models.CharField(max_length=100, verbose_name=_("city"))
    phone = models.CharField(max_length=40, verbose_name=_("phone"))
    email = models.EmailField(verbose_name=_("e-mail"))
    # In which capacity it claims the debt (CEL art. XIX.7 §2), a code of CreditorCapacity.
    capacity = models.CharField(
        max_length=20,
        choices=CAPACITY_CHOICES,
        default=CreditorCapacity.ORIGINAL.value,
        verbose_name=_("capacity"),
    )
    remittance_iban = models.CharField(max_length=34, verbose_name=_("remittance IBAN"))
    language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.FRENCH, verbose_name=_("language")
    )
    sector = models.CharField(
        max_length=20, choices=Sector.choices, default=Sector.OTHER, verbose_name=_("sector")
    )
    commission_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"), verbose_name=_("commission percent")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("creditor")
        verbose_name_plural = _("creditors")

    def __str__(self) -> str:
        return self.name


class OverIndebtedness(models.TextChoices):
    NONE = "none", _("None")
    DEBT_MEDIATION = "debt_mediation", _("Amicable debt mediation")
    COLLECTIVE_SETTLEMENT = "collective_settlement", _("Collective debt settlement")


class Debtor(models.Model):
    """A consumer, as known to one creditor (matched by the creditor's customer reference).

    Debtors are not merged across creditors on a fuzzy match: a debtor must never see a file
    of someone else. The files of one debtor are shown together in the portal.
    """

    creditor = models.ForeignKey(
        Creditor, on_delete=models.PROTECT, related_name="debtors", verbose_name=_("creditor")
    )
    customer_reference = models.CharField(max_length=64, verbose_name=_("customer reference"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    address = models.CharField(max_length=200, verbose_name=_("address"))
    postal_code = models.CharField(max_length=10, verbose_name=_("postal code"))
    city = models.CharField(max_length=100, verbose_name=_("city"))
    country = models.CharField(max_length=2, default="BE", verbose_name=_("country"))
    language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.FRENCH, verbose_name=_("language")
    )
    email = models.EmailField(blank=True, verbose_name=_("e-mail"))
    phone = models.CharField(max_length=40, blank=True, verbose_name=_("phone"))
    birth_date = models.DateField(null=True, blank=True, verbose_name=_("birth date"))
    over_indebtedness = models.CharField(
        max_length=30,
        choices=OverIndebtedness.choices,
        default=OverIndebtedness.NONE,
        verbose_name=_("over-indebtedness"),
    )
    mediator_name = models.CharField(max_length=200, blank=True, verbose_name=_("mediator name"))
    mediator_organisation = models.CharField(
        max_length=200, blank=True, verbose_name=_("mediator organisation")
    )
    mediator_email = models.EmailField(blank=True, verbose_name=_("mediator e-mail"))
    mediator_phone = models.CharField(max_length=40, blank=True, verbose_name=_("mediator phone"))
    admissibility_date = models.DateField(
        null=True, blank=True, verbose_name=_("admissibility date")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # The day the retention period of the debtor's last file ended and their personal data was
    # erased (amicable.privacy.retention).
    erased_on = models.DateField(null=True, blank=True, verbose_name=_("erased on"))

    class Meta:
        verbose_name = _("debtor")
        verbose_name_plural = _("debtors")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["creditor", "customer_reference"], name="debtor_unique_per_creditor"
            )
        ]
        indexes: ClassVar = [
            # The back office's search by e-mail, whatever the case typed: it compares
            # lower(email), the expression this index holds (backoffice.search.search_files).
            models.Index(Lower("email"), name="debtor_email_lower_idx"),
        ]

    def __str__(self) -> str:
        return self.name


STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in FileState]


class File(models.Model):
    """A dossier: one debtor's unpaid claims handed over by one creditor."""

    # Unique by a constraint (Meta), not ``unique=True``: on PostgreSQL that would add a second
    # index for LIKE searches, which nothing makes, on a row every state change rewrites.
    reference = models.CharField(max_length=16, verbose_name=_("reference"))
    number = models.BigIntegerField(unique=True, verbose_name=_("number"))
    # No index of its own: the unique constraint on (creditor, creditor_reference) and the
    # index on (creditor, updated_at) start with it.
    creditor = models.ForeignKey(
        Creditor,
        on_delete=models.PROTECT,
        related_name="files",
        db_index=False,
        verbose_name=_("creditor"),
    )
    debtor = models.ForeignKey(
        Debtor, on_delete=models.PROTECT, related_name="files", verbose_name=_("debtor")
    )
    creditor_reference = models.CharField(max_length=64, verbose_name=_("creditor reference"))
    # NULL, not "", when absent: the partial unique constraint below needs it.
    idempotency_key = models.CharField(  # noqa: DJ001
        max_length=128, null=True, blank=True, verbose_name=_("idempotency key")
    )
    state = models.CharField(
        max_length=30, choices=STATE_CHOICES, default=FileState.NEW, verbose_name=_("state")
    )
    structured_communication = models.CharField(
        max_length=12, verbose_name=_("structured communication")
    )
    access_code_hash = models.CharField(
        max_length=64, blank=True, verbose_name=_("access code hash")
    )
    suspension_reason = models.CharField(
        max_length=200, blank=True, verbose_name=_("reason for suspension")
    )
    suspended_since = models.DateField(null=True, blank=True, verbose_name=_("suspended since"))
    suspended_until = models.DateField(null=True, blank=True, verbose_name=_("suspended until"))
    interest_stops_on = models.DateField(null=True, blank=True, verbose_name=_("interest stops on"))
    # When the file entered its state (every state change sets it).
    state_since = models.DateTimeField(
        null=True, blank=True, default=timezone.now, verbose_name=_("state since")
    )
    # The working state the file left when it entered a hold (dispute, suspension, mediation,
    # collective settlement) or PAID: where it resumes (amicable.domain.resumption).
    state_before_hold = models.CharField(
        max_length=30, choices=STATE_CHOICES, blank=True, verbose_name=_("state before hold")
    )
    formal_notice_sent_on = models.DateField(
        null=True, blank=True, verbose_name=_("formal notice sent on")
    )
    waiting_period_last_day = models.DateField(
        null=True, blank=True, verbose_name=_("last day of the waiting period")
    )
    opened_on = models.DateField(verbose_name=_("opened on"))
    closed_on = models.DateField(null=True, blank=True, verbose_name=_("closed on"))
    closed_reason = models.CharField(
        max_length=200, blank=True, verbose_name=_("reason for closing")
    )
    # The day the file's retention period ended and its personal data was erased; the amounts
    # stay (amicable.privacy.retention).
    erased_on = models.DateField(null=True, blank=True, verbose_name=_("erased on"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # Read by creditor only (file_creditor_updated_idx): no index of its own.
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["reference"], name="file_unique_reference"),
            models.UniqueConstraint(
                fields=["structured_communication"], name="file_unique_structured_communication"
            ),
            models.UniqueConstraint(
                fields=["creditor", "creditor_reference"], name="file_unique_creditor_reference"
            ),
            models.UniqueConstraint(
                fields=["creditor", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="file_unique_idempotency_key",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["state", "id"], name="file_state_idx"),
            models.Index(fields=["creditor", "updated_at"], name="file_creditor_updated_idx"),
            # The search by the creditor's reference, without the creditor: the unique
            # constraint's index starts with the creditor and cannot serve it.
            models.Index(fields=["creditor_reference"], name="file_creditor_reference_idx"),
            # The files whose retention period may be over (amicable.privacy.retention): the
            # closed ones not erased yet, by their closing day.
            models.Index(
                fields=["state", "closed_on"],
                condition=Q(erased_on__isnull=True, state__in=["paid", "closed"]),
                name="file_retention_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def file_state(self) -> FileState:
        return FileState(self.state)

    @property
    def held_from(self) -> FileState | None:
        """The working state the file left for its hold or for PAID, if it remembers one."""
        return FileState(self.state_before_hold) if self.state_before_hold else None


class ClaimCategory(models.Model):
    """What kind of claim it is, and so after how long it is time-barred (docs/legal.md,
    section 8; the rule: ``amicable.domain.prescription``). Seeded by a data migration with
    the periods of the old Civil Code; an administrator adds categories in the admin."""

    code = models.SlugField(max_length=40, unique=True, verbose_name=_("code"))
    name = models.CharField(max_length=200, verbose_name=_("name"))
    period_months = models.PositiveSmallIntegerField(
        help_text="After how many months from the due date (or the last interruption) the "
        "claim is time-barred.",
        verbose_name=_("period in months"),
    )
    legal_basis = models.CharField(
        max_length=200, help_text="The article that sets the period.", verbose_name=_("legal basis")
    )

    class Meta:
        verbose_name_plural = "claim categories"
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(period_months__gt=0), name="claim_category_period_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period_months} months)"


class Claim(models.Model):
    """An invoice or obligation inside a file, with the contract terms that govern its costs."""

    # Indexed by the unique (file, creditor_reference) constraint, whose first column it is.
    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="claims", db_index=False)
    creditor_reference = models.CharField(max_length=64)
    description = models.CharField(max_length=300)
    invoice_date = models.DateField()
    due_date = models.DateField()
    principal = models.DecimalField(max_digits=14, decimal_places=2)
    contract_date = models.DateField(null=True, blank=True)
    regular_supply = models.BooleanField(default=False)
    # The damages clause of the general terms, as written (docs/legal.md, section 2).
    indemnity_clause = models.BooleanField(default=False)
    indemnity_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    indemnity_minimum = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    indemnity_fixed = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    requested_indemnity = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Whether the clause is reciprocal (CEL art. VI.83, 17°): declared by the creditor at
    # hand-over, or by an agent from the general terms; who declared it and when. Without a
    # "reciprocal" declaration the clause gives no lump-sum indemnity (docs/legal.md, section 2).
    indemnity_reciprocity = models.CharField(
        max_length=16,
        choices=[(r.value, r.value) for r in Reciprocity],
        default=Reciprocity.NOT_DECLARED.value,
    )
    reciprocity_declared_by = models.CharField(max_length=100, blank=True)
    reciprocity_declared_at = models.DateTimeField(null=True, blank=True)
    # The indemnity that may be charged once the grace period has ended (after intake checks).
    allowed_indemnity = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    interest_clause = models.BooleanField(default=False)
    interest_rate = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    # The rate applied: None with interest_applies means the civil legal rate.
    applied_interest_rate = models.DecimalField(
        max_digits=6, decimal_places=3, null=True, blank=True
    )
    interest_applies = models.BooleanField(default=False)
    reminder_cost_clause = models.BooleanField(default=False)
    first_reminder_sent_on = models.DateField(null=True, blank=True)
    first_reminder_channel = models.CharField(
        max_length=12, choices=[(c.value, c.value) for c in Channel], blank=True
    )
    grace_last_day = models.DateField(null=True, blank=True)
    first_chargeable_day = models.DateField(null=True, blank=True)
    # Prescription (docs/legal.md, section 8): the category sets the period; the clock runs
    # from the due date or from the last interruption (an acknowledgement, a partial payment,
    # a plan request, or one the creditor declared at hand-over with its evidence).
    category = models.ForeignKey(
        ClaimCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    prescription_interrupted_on = models.DateField(null=True, blank=True)
    prescription_interruption = models.CharField(max_length=30, blank=True)
    # The creditor's evidence of an interruption declared at hand-over: a document reference.
    prescription_evidence = models.CharField(max_length=200, blank=True)
    # The day the daily run found the claim time-barred and stopped collecting it.
    time_barred_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["file", "creditor_reference"], name="claim_unique_reference_in_file"
            ),
            models.CheckConstraint(condition=Q(principal__gt=0), name="claim_principal_positive"),
        ]
        indexes: ClassVar = [
            # The search by invoice number, across files (the unique constraint's index starts
            # with the file).
            models.Index(fields=["creditor_reference"], name="claim_creditor_reference_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.creditor_reference} ({self.principal})"


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("Charge")
    PAYMENT = "payment", _("Payment to the agency")
    CREDITOR_PAYMENT = "creditor_payment", _("Payment to the creditor")
    REDUCTION = "reduction", _("Reduction")
    WRITE_OFF = "write_off", _("Write-off")
    REFUND = "refund", _("Refund of a credit")
    REVERSAL = "reversal", _("Reversal")
    RECALCULATION = "recalculation", _("Recalculation")


class EntrySource(models.TextChoices):
    INTAKE = "intake", _("Creditor intake")
    API = "api", _("Creditor API")
    STATEMENT = "statement", _("Bank statement")
    AGENT = "agent", _("Agent")
    DAILY_RUN = "daily_run", _("Daily run")
    PORTAL = "portal", _("Portal")
    SYSTEM = "system", _("System")


COMPONENT_CHOICES = [(c.value, COMPONENT_LABELS[c]) for c in Component]


class LedgerEntry(models.Model):
    """One line of the append-only ledger. Signed: positive adds to what the debtor owes.

    Charges carry a component (principal, indemnity, interest, reminder cost); payments carry
    none and are split by their Allocation rows. A correction is a REVERSAL entry that points to
    the entry it cancels, with the opposite amount; nothing is ever updated or deleted.
    """

    # Indexed by ledger_file_chain_idx (file, id), the order of the file's chain: every
    # query on a file's entries goes through it (a file holds tens of rows, sorted in memory
    # by day where needed); a second index on the file would only slow down every insert.
    file = models.ForeignKey(
        File,
        on_delete=models.PROTECT,
        related_name="ledger",
        db_index=False,
        verbose_name=_("file"),
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger",
        verbose_name=_("claim"),
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices, verbose_name=_("kind"))
    component = models.CharField(
        max_length=20, choices=COMPONENT_CHOICES, blank=True, verbose_name=_("component")
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("amount"))
    value_date = models.DateField(verbose_name=_("value date"))
    # The moment of writing, set by the writer (amicable.files.chain): it is hashed.
    booked_at = models.DateTimeField(default=timezone.now, verbose_name=_("booked at"))
    source = models.CharField(max_length=20, choices=EntrySource.choices, verbose_name=_("source"))
    source_reference = models.CharField(
        max_length=128, blank=True, verbose_name=_("source reference")
    )
    actor = models.CharField(max_length=100, verbose_name=_("actor"))
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))
    # For interest entries: the period of calendar days covered, both inclusive.
    period_start = models.DateField(null=True, blank=True, verbose_name=_("period start"))
    period_end = models.DateField(null=True, blank=True, verbose_name=_("period end"))
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    # The file's ledger as a hash chain (amicable.files.chain).
    chain_hash = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("chain hash")
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes: ClassVar = [
            # A file's entries, and the last row of its chain, read by every write
            # (amicable.files.chain).
            models.Index(fields=["file", "id"], name="ledger_file_chain_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            # One bank movement (or API call) is posted once: the statement import and the
            # creditor API rely on this to be idempotent even when two workers race. Their
            # lookups of a posted payment read through its index (their filters hold its
            # condition), so the entries without a reference are in no index of source.
            models.UniqueConstraint(
                fields=["source", "source_reference"],
                condition=Q(kind__in=["payment", "creditor_payment"]) & ~Q(source_reference=""),
                name="ledger_payment_posted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.component} {self.amount} on {self.value_date}"


class Allocation(models.Model):
    """How a payment (or its reversal) was split over the components of the claims."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="allocations")
    # Indexed by allocation_file_chain_idx (file, id), as the ledger's entries.
    file = models.ForeignKey(
        File, on_delete=models.PROTECT, related_name="allocations", db_index=False
    )
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="allocations")
    component = models.CharField(max_length=20, choices=COMPONENT_CHOICES)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    # The day the split takes effect: the payment's value date, or the day of a correction
    # that released a part of it (negative amount) or applied a credit.
    value_date = models.DateField()
    # The file's allocations as a hash chain (amicable.files.chain).
    chain_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["file", "id"], name="allocation_file_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.component} {self.amount}"


class Event(models.Model):
    """The timeline: every letter, call, upload, dispute, decision and state change, append-only."""

    # Indexed by event_file_chain_idx (file, id), as the ledger's entries: a file's timeline
    # is read whole and ordered by moment in memory.
    file = models.ForeignKey(
        File,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,
        verbose_name=_("file"),
    )
    kind = models.CharField(max_length=40, verbose_name=_("kind"))
    # The moment of writing, set by the timeline (amicable.files.chain): it is hashed.
    at = models.DateTimeField(default=timezone.now, verbose_name=_("moment"))
    actor = models.CharField(max_length=100, verbose_name=_("actor"))
    message = models.CharField(max_length=500, blank=True, verbose_name=_("message"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    # The file's timeline as a hash chain; the personal fields enter it through their digest,
    # checkable while the seal is kept, which pseudonymisation erases (amicable.files.chain).
    chain_hash = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("chain hash")
    )
    seal = models.CharField(max_length=32, blank=True, default="", verbose_name=_("seal"))
    personal_digest = models.CharField(
        max_length=64, blank=True, default="", verbose_name=_("personal digest")
    )

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes: ClassVar = [
            models.Index(fields=["file", "id"], name="event_file_chain_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.actor}"

    @property
    def visible_to_debtor(self) -> bool:
        """Whether the debtor's portal shows this event: its kind's audience (staff pages
        mark such events)."""
        # Imported here: the timeline imports this module.
        from amicable.files.timeline import Audience, EventKind, audiences_of

        known = self.kind in EventKind._value2member_map_
        return known and Audience.DEBTOR in audiences_of(self.kind)


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CONTRACT = "contract", _("Contract")
    GENERAL_TERMS = "general_terms", _("General terms")
    FIRST_REMINDER = "first_reminder", _("First reminder")
    PROOF_OF_PAYMENT = "proof_of_payment", _("Proof of payment")
    DISPUTE_EVIDENCE = "dispute_evidence", _("Dispute evidence")
    COURT_DECISION = "court_decision", _("Court decision")
    LETTER = "letter", _("Letter")
    STATEMENT = "statement", _("Statement of account")
    OTHER = "other", _("Other")


class ReviewStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required")
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CONFIRMED = "confirmed", _("Confirmed by a bank movement")


class ScanStatus(models.TextChoices):
    NOT_SCANNED = "not_scanned", _("Not scanned")
    CLEAN = "clean", _("Clean")
    INFECTED = "infected", _("Infected")


class Document(models.Model):
    file = models.ForeignKey(
        File, on_delete=models.PROTECT, related_name="documents", verbose_name=_("file")
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("claim"),
    )
    kind = models.CharField(max_length=30, choices=DocumentKind.choices, verbose_name=_("kind"))
    content = models.FileField(upload_to="documents/%Y/%m/", verbose_name=_("content"))
    original_name = models.CharField(max_length=200, verbose_name=_("original name"))
    content_type = models.CharField(max_length=60, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, db_index=True, verbose_name=_("SHA-256 fingerprint"))
    uploaded_by = models.CharField(max_length=100, verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))
    review_status = models.CharField(
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.NOT_REQUIRED,
        verbose_name=_("review status"),
    )
    review_reason = models.CharField(max_length=500, blank=True, verbose_name=_("review reason"))
    reviewed_by = models.CharField(max_length=100, blank=True, verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    scan_status = models.CharField(
        max_length=20,
        choices=ScanStatus.choices,
        default=ScanStatus.NOT_SCANNED,
        verbose_name=_("scan status"),
    )
    # When its retention period ended: the content is deleted from storage, the row stays.
    erased_at = models.DateTimeField(null=True, blank=True, verbose_name=_("erased at"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"

    @property
    def is_erased(self) -> bool:
        """Its content left storage at the end of its retention period."""
        return self.erased_at is not None or not self.content


class WorkItemKind(models.TextChoices):
    PROOF_REVIEW = "proof_review", _("Proof of payment to review")
    DISPUTE = "dispute", _("Dispute")
    DEBT_MEDIATION = "debt_mediation", _("Debt mediation declaration")
    COLLECTIVE_SETTLEMENT = "collective_settlement", _("Collective debt settlement declaration")
    PAYMENT_PLAN_REQUEST = "payment_plan_request", _("Payment plan request outside the rules")
    DOCUMENT_REQUEST = "document_request", _("Supporting documents requested")
    UNMATCHED_MOVEMENT = "unmatched_movement", _("Unmatched bank movement")
    PHISHING_REPORT = "phishing_report", _("Phishing report")
    LETTER_REFUSED = "letter_refused", _("Letter refused by a rule")
    TIME_BARRED = "time_barred", _("Claim time-barred")
    RECIPROCITY_REVIEW = "reciprocity_review", _("Damages clause to confirm as reciprocal")


class WorkItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class WorkItem(models.Model):
    """One item of a staff work queue, with the due date that the law or policy sets."""

    kind = models.CharField(max_length=30, choices=WorkItemKind.choices, verbose_name=_("kind"))
    file = models.ForeignKey(
        File,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("file"),
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("document"),
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    due_on = models.DateField(verbose_name=_("due on"))
    owner = models.ForeignKey(
        "auth.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_items",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        max_length=10,
        choices=WorkItemStatus.choices,
        default=WorkItemStatus.OPEN,
        verbose_name=_("status"),
    )
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    closed_by = models.CharField(max_length=100, blank=True, verbose_name=_("closed by"))
    outcome = models.CharField(max_length=500, blank=True, verbose_name=_("outcome"))

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        indexes: ClassVar = [
            models.Index(fields=["status", "kind", "due_on"], name="workitem_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class RateKind(models.TextChoices):
    CIVIL = "civil", _("Civil legal interest rate (per year)")
    COMMERCIAL = "commercial", _("Commercial late-payment rate, law of 2 August 2002 art. 5 al. 2")


class InterestRate(models.Model):
    """A rate published in the Moniteur belge, added by an administrator.

    These rows extend (and may correct) the default table of ``amicable.domain.interest``.
    """

    kind = models.CharField(max_length=12, choices=RateKind.choices, verbose_name=_("kind"))
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    half = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="1 (January-June) or 2 (July-December); commercial only",
        verbose_name=_("half-year"),
    )
    rate = models.DecimalField(
        max_digits=6, decimal_places=3, help_text="percent per year", verbose_name=_("rate")
    )
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    class Meta:
        verbose_name = _("interest rate")
        verbose_name_plural = _("interest rates")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["kind", "year", "half"], name="rate_unique_period"),
        ]

    def __str__(self) -> str:
        period = f"{self.year}" + (f" H{self.half}" if self.half else "")
        return f"{self.kind} {period}: {self.rate} %"
