"""Collection strategies, the letters the daily run queues, and the record of each run.

A :class:`Strategy` says when and how each letter of a file goes out: the free first reminder
(CEL art. XIX.2), the formal notice that starts every collection (art. XIX.7 §1 and §2) and the
follow-up reminders after the waiting period. Each creditor may have its own; the default one
serves the others. The law decides *whether* a step may happen; the strategy only decides
*when* (a delay in working days) and by which channel.

A :class:`LetterRequest` is one letter the run decided is due. The letters batch produces it
(or refuses it, with the reason) and records that here; the run acts on produced letters the
next day (starting the waiting period, charging a follow-up's cost). The unique constraint on
(file, kind, cycle, step) is what makes a rerun of the same day queue nothing twice.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amicable.domain.law import Channel
from amicable.domain.mentions import LetterKind
from amicable.files.models import Creditor, File


class StepKind(models.TextChoices):
    """The letters a strategy schedules; the others (plans, disputes...) follow agents' acts."""

    FIRST_REMINDER = LetterKind.FIRST_REMINDER.value, "Free first reminder"
    FORMAL_NOTICE = LetterKind.FORMAL_NOTICE.value, "Formal notice"
    FOLLOW_UP_REMINDER = LetterKind.FOLLOW_UP_REMINDER.value, "Follow-up reminder"


class StepChannel(models.TextChoices):
    """How a letter goes out. ``auto``: by e-mail when the debtor gave one, else on paper."""

    AUTO = "auto", _("E-mail if the debtor has one, else paper")
    PAPER = Channel.PAPER.value, "Paper"
    ELECTRONIC = Channel.ELECTRONIC.value, "E-mail"


class Strategy(models.Model):
    """The collection strategy of one creditor, or the default one (``creditor`` empty)."""

    name = models.CharField(max_length=100, verbose_name=_("name"))
    creditor = models.OneToOneField(
        Creditor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="strategy",
        help_text="Empty for the default strategy, used for every creditor without its own.",
        verbose_name=_("creditor"),
    )
    is_default = models.BooleanField(default=False, verbose_name=_("default"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("collection strategy")
        verbose_name_plural = _("collection strategies")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="strategy_one_default"
            ),
            models.CheckConstraint(
                condition=Q(is_default=True, creditor__isnull=True)
                | Q(is_default=False, creditor__isnull=False),
                name="strategy_default_xor_creditor",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StrategyStep(models.Model):
    """One letter of a strategy, in order.

    ``delay_working_days`` counts working days (new Civil Code art. 1.7) after:

    - first reminder: the day the file was opened;
    - formal notice: the last day of the first reminder's 14-day period (CEL art. XIX.2);
    - first follow-up reminder: the last day of the waiting period after the notice
      (CEL art. XIX.7 §3);
    - next follow-up reminders: the day the previous one was sent.

    ``charges_cost``: the follow-up's cost (at most EUR 7.50 plus postage, CEL art. XIX.2) is
    charged, only where the law allows it and the contract provides it.
    """

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=StepKind.choices)
    delay_working_days = models.PositiveSmallIntegerField(default=0)
    channel = models.CharField(max_length=12, choices=StepChannel.choices, default=StepChannel.AUTO)
    charges_cost = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["strategy", "position"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["strategy", "position"], name="step_unique_position"),
            models.UniqueConstraint(
                fields=["strategy", "kind"],
                condition=Q(kind__in=[StepKind.FIRST_REMINDER, StepKind.FORMAL_NOTICE]),
                name="step_one_legal_letter_each",
            ),
            # Only a follow-up reminder may cost anything (CEL art. XIX.2: the first reminder
            # is free; the notice's cost is the agency's, never the consumer's, art. XIX.4).
            models.CheckConstraint(
                condition=Q(charges_cost=False) | Q(kind=StepKind.FOLLOW_UP_REMINDER),
                name="step_cost_only_for_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_kind_display()} (+{self.delay_working_days} wd)"

    def clean(self) -> None:
        # The law's order: first reminder, then the notice, then any follow-up.
        order = {
            StepKind.FIRST_REMINDER.value: 1,
            StepKind.FORMAL_NOTICE.value: 2,
            StepKind.FOLLOW_UP_REMINDER.value: 3,
        }
        if self.kind != StepKind.FOLLOW_UP_REMINDER and self.position != order[self.kind]:
            raise ValidationError(
                {"position": "The first reminder is step 1 and the formal notice step 2."}
            )
        if self.kind == StepKind.FOLLOW_UP_REMINDER and self.position < order[self.kind]:
            raise ValidationError(
                {"position": "Follow-up reminders come after the formal notice (step 3 or more)."}
            )


class Postage(models.Model):
    """The postage of a letter from a date on (added by staff when the post changes its price).

    The cost of a follow-up reminder is at most EUR 7.50 plus the postage in force when it is
    sent (CEL art. XIX.2); with no row for that day the postage counts as 0.00, the safer choice
    for the consumer. An e-mail has no postage.
    """

    valid_from = models.DateField(unique=True, verbose_name=_("valid from"))
    amount = models.DecimalField(max_digits=6, decimal_places=2, verbose_name=_("amount"))
    note = models.CharField(max_length=200, blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("postage rate")
        verbose_name_plural = _("postage rates")
        ordering: ClassVar = ["-valid_from"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="postage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} from {self.valid_from}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class DailyRun(models.Model):
    """One execution of the daily run (a run stopped half-way stays ``running``)."""

    run_date = models.DateField(db_index=True, verbose_name=_("run date"))
    started_at = models.DateTimeField(auto_now_add=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    status = models.CharField(
        max_length=10,
        choices=RunStatus.choices,
        default=RunStatus.RUNNING,
        verbose_name=_("status"),
    )
    batch_size = models.PositiveIntegerField(verbose_name=_("batch size"))
    files_total = models.PositiveIntegerField(default=0, verbose_name=_("files in total"))
    files_done = models.PositiveIntegerField(default=0, verbose_name=_("files done"))
    # The highest file id whose batch is committed: how far a stopped run got.
    last_file_id = models.BigIntegerField(default=0, verbose_name=_("last file done"))
    counts = models.JSONField(default=dict, blank=True, verbose_name=_("counts"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    # The last row id of each chained table of the books when the run started ("ledger",
    # "allocations", "events"): the next run verifies the chains from there on.
    books_from = models.JSONField(default=dict, blank=True, verbose_name=_("books from"))

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")
        ordering: ClassVar = ["-started_at"]

    def __str__(self) -> str:
        return f"daily run {self.run_date} ({self.status})"


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    PRODUCED = "produced", _("Produced")
    REFUSED = "refused", _("Refused")


class LetterRequest(models.Model):
    """A letter due on a file: the queue between the daily run and the letters batch.

    ``cycle`` numbers the letters of one kind on a file: the n-th first reminder (a claim added
    later gets its own), the n-th formal notice (a new notice after a dispute or a suspension),
    and for a follow-up the notice it follows. ``step`` is the strategy step's position.
    ``applied_on``: the day the run acted on the produced letter (waiting period started, cost
    charged or refused), so that it acts once.
    """

    # No index of its own: the unique constraint on (file, kind, cycle, step) starts with it.
    file = models.ForeignKey(
        File,
        on_delete=models.PROTECT,
        related_name="letter_requests",
        db_index=False,
        verbose_name=_("file"),
    )
    kind = models.CharField(max_length=30, choices=StepKind.choices, verbose_name=_("kind"))
    cycle = models.PositiveSmallIntegerField(default=1, verbose_name=_("cycle"))
    step = models.PositiveSmallIntegerField(default=0, verbose_name=_("step"))
    channel = models.CharField(
        max_length=12, choices=[(c.value, c.value) for c in Channel], verbose_name=_("channel")
    )
    due_on = models.DateField(verbose_name=_("due on"))
    status = models.CharField(
        max_length=10,
        choices=LetterStatus.choices,
        default=LetterStatus.PENDING,
        verbose_name=_("status"),
    )
    requested_at = models.DateTimeField(verbose_name=_("requested at"))
    requested_by = models.CharField(max_length=100, verbose_name=_("requested by"))
    run = models.ForeignKey(
        DailyRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("daily run"),
    )
    charges_cost = models.BooleanField(default=False, verbose_name=_("charges cost"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    produced_on = models.DateField(null=True, blank=True, verbose_name=_("produced on"))
    refused_reason = models.CharField(max_length=500, blank=True, verbose_name=_("reason refused"))
    applied_on = models.DateField(null=True, blank=True, verbose_name=_("applied on"))

    class Meta:
        verbose_name = _("letter to send")
        verbose_name_plural = _("letters to send")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["file", "kind", "cycle", "step"], name="letter_request_once"
            ),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.PRODUCED) | Q(produced_on__isnull=False),
                name="letter_request_produced_has_date",
            ),
        ]
        indexes: ClassVar = [
            # A file's letters, of a kind or all, are read through letter_request_once.
            models.Index(fields=["status", "due_on"], name="letter_request_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.cycle}.{self.step} for file {self.file_id} ({self.status})"
