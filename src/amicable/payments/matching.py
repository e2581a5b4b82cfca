"""Which file an incoming payment is for: three rules in order, then suggestions for an agent.

1. **Structured communication** (docs/formats.md, sections 1 and 2.2): the movement's structured
   reference is the OGM of a file, or of one of its plan's instalments (the same file: the base is
   the file number times 100 plus the instalment index, ``amicable.files.numbers``). An RF reference
   that wraps one of our OGMs counts the same. The debtor named the debt (old Civil Code art. 1253,
   docs/legal.md, section 6), so this match is certain.
2. **Reference in the free text**: a valid OGM that we issued (it names an existing file, or an
   instalment that exists), or a file reference ``AM`` + 8 digits, typed into the free
   communication. About 1 random 12-digit number in 97 passes the check digits
   (docs/formats.md, section 1.5), hence "issued by us". Several different files named: no match,
   they become suggestions.
3. **Known account and the amount due**: the counterparty's IBAN was seen before on a payment of
   exactly one debtor, that debtor has exactly one open file, and the amount equals what the
   file owes (booked, or with interest to the value date) or one instalment of its plan.

A file that is paid or closed is never matched automatically: the money is put in front of an
agent (refund it or assign it), with the file as the first suggestion.

Everything is set-based (docs/architecture.md, "Scale"): the references of a whole statement are
looked up with one query (numbers of all OGMs and file references -> files), accounts with one,
and suggestions with a few, never one query per movement, except the balance of a rule-3
candidate, of which there are few.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from django.db.models import Count, F, QuerySet, Sum, Window
from django.db.models.functions import Upper
from django.utils import translation

from amicable.domain.lifecycle import OPEN_STATES, FileState
from amicable.domain.money import ZERO
from amicable.domain.references import find_ogms, ogm_is_valid
from amicable.files import ledger
from amicable.files.models import Allocation, Debtor, File, LedgerEntry
from amicable.files.numbers import (
    MAX_INSTALMENTS_PER_REFERENCE,
    file_number_from_structured_communication,
    instalment_structured_communication,
)
from amicable.payments.models import BankMovementRecord, DebtorAccount, MatchMethod
from amicable.plans.models import Instalment, PlanStatus
from amicable.statements import BankMovement

__all__ = [
    "CONFIDENCE",
    "MAX_SUGGESTIONS",
    "Match",
    "booked_outstanding",
    "file_numbers_in_text",
    "match_credits",
    "name_similarity",
    "payment_date",
    "structured_file_number",
]

#: How sure each rule is; kept on the movement with the method.
CONFIDENCE: dict[MatchMethod, Decimal] = {
    MatchMethod.STRUCTURED_REFERENCE: Decimal("1.00"),
    MatchMethod.FREE_TEXT_REFERENCE: Decimal("0.95"),
    MatchMethod.FILE_REFERENCE: Decimal("0.90"),
    MatchMethod.COUNTERPARTY_ACCOUNT: Decimal("0.80"),
}
MAX_SUGGESTIONS = 5
#: A name or an amount shared by more open files than this says nothing by itself (among a
#: million files, "PEETERS JAN" or 50.00 EUR are everywhere): it is then not a candidate.
MAX_FILES_PER_SIGNAL = 20
# Values per IN list: well below PostgreSQL's and SQLite's parameter limits. Lookups by an
# indexed key take CHUNK at a time; the queries that scan a table (names, balances equal to an
# amount) take SCAN_CHUNK, so that a whole statement costs one scan.
CHUNK = 5000
SCAN_CHUNK = 20000
OPEN_STATE_VALUES = [state.value for state in OPEN_STATES]

# "AM" + 8 digits, as printed on letters; people add a space, a dash or a dot after "AM".
_FILE_REFERENCE_IN_TEXT = re.compile(r"(?<![A-Z0-9])AM[\s.\-/]?(\d{8})(?!\d)", re.IGNORECASE)
_NOT_LETTERS = re.compile(r"[^A-Z]+")

_T = TypeVar("_T")


def _chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- references (pure) ------------------------------------------------------------------------


def structured_file_number(reference: str | None) -> tuple[int, int] | None:
    """(file number, instalment index) named by a structured reference, if it can be ours.

    >>> structured_file_number("000000120036")   # file 12, its own OGM (base 1200)
    (12, 0)
    >>> structured_file_number("RF93000000120036")   # the same OGM wrapped in an RF reference
    (12, 0)
    >>> structured_file_number("RF18123456789") is None
    True
    """
    if not reference:
        return None
    digits = reference
    if reference.startswith("RF"):
        digits = reference[4:]
        if len(digits) != 12 or not digits.isdigit() or not ogm_is_valid(digits):
            return None
    elif not (len(digits) == 12 and digits.isdigit()):
        return None
    number, instalment = file_number_from_structured_communication(digits)
    return (number, instalment) if number > 0 else None


def file_numbers_in_text(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """The OGMs (as file number and instalment) and the file references typed into ``text``.

    >>> file_numbers_in_text("dossier am-00000012, +++000/0001/20036+++")
    ([(12, 0)], [12])
    """
    ogms = [file_number_from_structured_communication(digits) for digits in find_ogms(text)]
    references = [int(digits) for digits in _FILE_REFERENCE_IN_TEXT.findall(text)]
    return [pair for pair in ogms if pair[0] > 0], list(dict.fromkeys(references))


def _normal_name(name: str) -> str:
    """Upper case, no accents, words sorted: "Dupré, Françoise" -> "DUPRE FRANCOISE"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(sorted(_NOT_LETTERS.sub(" ", plain.upper()).split()))


def name_similarity(first: str, second: str) -> float:
    """0 to 1: how alike two person names are, whatever the order of the words and accents.

    Banks write "DUPRE FRANCOISE" for the debtor "Françoise Dupré".

    >>> name_similarity("DUPRE FRANCOISE", "Françoise Dupré")
    1.0
    >>> round(name_similarity("MAES PIETER", "Pieter Maas"), 2)
    0.91
    """
    a, b = _normal_name(first), _normal_name(second)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _name_variants(name: str) -> set[str]:
    """The spellings a debtor's stored name may have for a bank's "SURNAME FIRSTNAME"."""
    words = name.upper().split()
    variants = {" ".join(words)}
    if len(words) == 2:
        variants.add(f"{words[1]} {words[0]}")
    return variants


# --- what a movement is matched to -------------------------------------------------------------


@dataclass(slots=True)
class Match:
    """The result of matching one credit: a file and how, or the reason it is left to an agent.

    ``suggestions`` (for an agent) are dicts with ``file``, ``reference``, ``debtor``,
    ``outstanding``, ``score`` and ``why``.
    """

    file_id: int | None = None
    method: MatchMethod = MatchMethod.NONE
    confidence: Decimal = ZERO
    reason: str = ""
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    instalment: int = 0
    # Files that a reference named, with why, kept for the suggestions.
    named: dict[int, str] = field(default_factory=dict)

    @property
    def matched(self) -> bool:
        return self.file_id is not None


@dataclass(frozen=True, slots=True)
class _FileRow:
    id: int
    number: int
    reference: str
    state: str
    debtor_id: int
    structured_communication: str

    @property
    def is_open(self) -> bool:
        return FileState(self.state) in OPEN_STATES


def _files_by_number(numbers: Iterable[int]) -> dict[int, _FileRow]:
    wanted = sorted(set(numbers))
    found: dict[int, _FileRow] = {}
    for chunk in _chunks(wanted):
        for row in File.objects.filter(number__any_of=chunk).values_list(
            "id", "number", "reference", "state", "debtor_id", "structured_communication"
        ):
            found[row[1]] = _FileRow(*row)
    return found


def _existing_instalments(
    pairs: Iterable[tuple[int, int]], files: dict[int, _FileRow]
) -> set[tuple[int, int]]:
    """The (file number, instalment index) pairs that are instalments of a plan of that file."""
    wanted: dict[str, tuple[int, int]] = {}
    for number, index in pairs:
        if index and number in files and index <= MAX_INSTALMENTS_PER_REFERENCE:
            wanted[instalment_structured_communication(number, index)] = (number, index)
    found: set[tuple[int, int]] = set()
    keys = sorted(wanted)
    for chunk in _chunks(keys):
        for reference, file_id in Instalment.objects.filter(
            structured_communication__any_of=chunk
        ).values_list("structured_communication", "plan__file_id"):
            number, index = wanted[reference]
            if files[number].id == file_id:
                found.add((number, index))
    return found


def booked_outstanding(file_ids: Iterable[int]) -> dict[int, Decimal]:
    """What each file owes on its booked charges (interest not yet booked left out), set-based:
    charges minus what payments were allocated to them (``amicable.files.ledger``)."""
    ids = sorted(set(file_ids))
    result: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    for chunk in _chunks(ids):
        for file_id, total in (
            LedgerEntry.objects.filter(file_id__any_of=chunk, claim__isnull=False)
            .exclude(component="")
            .values("file_id")
            .annotate(total=Sum("amount"))
            .values_list("file_id", "total")
        ):
            result[file_id] += total
        for file_id, total in (
            Allocation.objects.filter(file_id__any_of=chunk)
            .values("file_id")
            .annotate(total=Sum("amount"))
            .values_list("file_id", "total")
        ):
            result[file_id] -= total
    return result


def _ledger_sums(file_ids: Iterable[int]) -> dict[int, Decimal]:
    """The ledger balance of each file: what it owes on booked entries, less its credit."""
    ids = sorted(set(file_ids))
    result: dict[int, Decimal] = {}
    for chunk in _chunks(ids):
        result.update(
            LedgerEntry.objects.filter(file_id__any_of=chunk)
            .values("file_id")
            .annotate(total=Sum("amount"))
            .values_list("file_id", "total")
        )
    return result


def _instalment_amounts(file_ids: Iterable[int]) -> dict[int, set[Decimal]]:
    amounts: dict[int, set[Decimal]] = defaultdict(set)
    ids = sorted(set(file_ids))
    for chunk in _chunks(ids):
        for file_id, amount in Instalment.objects.filter(
            plan__file_id__any_of=chunk, plan__status=PlanStatus.ACTIVE
        ).values_list("plan__file_id", "amount"):
            amounts[file_id].add(amount)
    return amounts


def payment_date(movement: BankMovement | BankMovementRecord) -> date:
    """The day a payment counts from: its value date, else the day the bank booked it."""
    return movement.value_date or movement.booking_date


def match_credits(movements: Sequence[BankMovement]) -> list[Match]:
    """Match incoming EUR payments to files (one :class:`Match` per movement, in order)."""
    matches = [Match() for _ in movements]
    structured: list[tuple[int, int] | None] = []
    in_text: list[tuple[list[tuple[int, int]], list[int]]] = []
    numbers: set[int] = set()
    for movement in movements:
        pair = structured_file_number(movement.structured_reference)
        structured.append(pair)
        text = " ".join((movement.communication, *movement.information))
        found = file_numbers_in_text(text) if text.strip() else ([], [])
        in_text.append(found)
        if pair:
            numbers.add(pair[0])
        numbers.update(number for number, _ in found[0])
        numbers.update(found[1])
    files = _files_by_number(numbers)
    pairs = [p for p in structured if p] + [p for ogms, _ in in_text for p in ogms]
    instalments = _existing_instalments(pairs, files)
    rows_by_id = {row.id: row for row in files.values()}

    def issued(pair: tuple[int, int]) -> _FileRow | None:
        row = files.get(pair[0])
        if row is None or (pair[1] and pair not in instalments):
            return None
        return row

    for match, pair, (ogms, references) in zip(matches, structured, in_text, strict=True):
        # Rule 1: the structured communication of a file or of one of its instalments.
        row = issued(pair) if pair else None
        if row is not None:
            if row.is_open:
                match.file_id = row.id
                match.method = MatchMethod.STRUCTURED_REFERENCE
                match.confidence = CONFIDENCE[MatchMethod.STRUCTURED_REFERENCE]
                match.instalment = pair[1] if pair else 0
                continue
            match.named[row.id] = f"its structured communication; the file is {row.state}"
        # Rule 2: an OGM we issued, or a file reference, in the free text.
        named: dict[int, MatchMethod] = {}
        for ogm_pair in ogms:
            found_row = issued(ogm_pair)
            if found_row is not None:
                named.setdefault(found_row.id, MatchMethod.FREE_TEXT_REFERENCE)
                match.named.setdefault(found_row.id, "its structured communication in the text")
        for number in references:
            found_row = files.get(number)
            if found_row is not None:
                named.setdefault(found_row.id, MatchMethod.FILE_REFERENCE)
                match.named.setdefault(found_row.id, "its reference in the text")
        open_named = [file_id for file_id in named if rows_by_id[file_id].is_open]
        for file_id in named:
            if not rows_by_id[file_id].is_open:
                match.named[file_id] = (
                    f"{match.named[file_id]}; the file is {rows_by_id[file_id].state}"
                )
        if len(open_named) == 1:
            method = named[open_named[0]]
            match.file_id = open_named[0]
            match.method = method
            match.confidence = CONFIDENCE[method]
            continue
        if len(open_named) > 1:
            match.reason = "the communication names several files"
        elif match.named:
            match.reason = "the file named is not open"

    _match_by_account(movements, matches)
    _suggest(movements, matches)
    return matches


def _match_by_account(movements: Sequence[BankMovement], matches: list[Match]) -> None:
    """Rule 3: the account of exactly one debtor with exactly one open file, amount due."""
    waiting = [
        (movement, match)
        for movement, match in zip(movements, matches, strict=True)
        if not match.matched and not match.named and movement.counterparty_account
    ]
    if not waiting:
        return
    ibans = sorted({m.counterparty_account for m, _ in waiting if m.counterparty_account})
    debtors_of: dict[str, set[int]] = defaultdict(set)
    for chunk in _chunks(ibans):
        for iban, debtor_id in DebtorAccount.objects.filter(iban__any_of=chunk).values_list(
            "iban", "debtor_id"
        ):
            debtors_of[iban].add(debtor_id)
    sole_debtors = {next(iter(d)) for d in debtors_of.values() if len(d) == 1}
    if not sole_debtors:
        return
    open_files: dict[int, list[int]] = defaultdict(list)
    for debtor_chunk in _chunks(sorted(sole_debtors)):
        for file_id, debtor_id in File.objects.filter(
            debtor_id__any_of=debtor_chunk, state__in=OPEN_STATE_VALUES
        ).values_list("id", "debtor_id"):
            open_files[debtor_id].append(file_id)
    candidates: dict[int, int] = {}  # waiting index -> file id
    for index, (movement, match) in enumerate(waiting):
        debtors = debtors_of.get(movement.counterparty_account or "", set())
        if len(debtors) != 1:
            if len(debtors) > 1:
                match.reason = "the account is known for several debtors"
            continue
        files = open_files.get(next(iter(debtors)), [])
        if len(files) == 1:
            candidates[index] = files[0]
        elif len(files) > 1:
            match.reason = "the debtor of this account has several open files"
    if not candidates:
        return
    booked = booked_outstanding(candidates.values())
    instalments = _instalment_amounts(candidates.values())
    file_objects = File.objects.in_bulk(sorted(set(candidates.values())))
    for index, file_id in candidates.items():
        movement, match = waiting[index]
        amount = movement.amount
        due = amount == booked[file_id] or amount in instalments.get(file_id, set())
        if not due:
            # The debtor may have paid the balance with interest to the day they paid.
            balance = ledger.file_balance(file_objects[file_id], as_of=payment_date(movement))
            due = amount == balance.outstanding
        if due:
            match.file_id = file_id
            match.method = MatchMethod.COUNTERPARTY_ACCOUNT
            match.confidence = CONFIDENCE[MatchMethod.COUNTERPARTY_ACCOUNT]
            match.reason = ""
        else:
            match.named.setdefault(file_id, "the only open file of the account's debtor")
            match.reason = "the amount is not what the debtor's only open file owes"


_Rows = TypeVar("_Rows", bound=QuerySet[Any])


def _shared_by_few(rows: _Rows, signal: str) -> _Rows:
    """The ``rows`` (one per open file) whose ``signal`` (a name, an amount) few enough files
    share to say something by itself (``MAX_FILES_PER_SIGNAL``): the database counts the files
    of each and sends only those, where a common name's tens of thousands of files were read
    to be dropped."""
    return rows.annotate(sharing=Window(Count("*"), partition_by=[F(signal)])).filter(
        sharing__lte=MAX_FILES_PER_SIGNAL
    )


def _suggest(movements: Sequence[BankMovement], matches: list[Match]) -> None:
    """Suggestions for the credits left to an agent, best first (a few queries in all).

    Candidates: the files a reference named; the open files of debtors known for the account;
    the open files of debtors with the counterparty's name; open files whose ledger balance
    equals the amount. Each is scored by these signals and by name similarity.
    """
    left = [
        (movement, match)
        for movement, match in zip(movements, matches, strict=True)
        if not match.matched
    ]
    if not left:
        return
    candidates: list[dict[int, list[str]]] = [
        {file_id: [why] for file_id, why in match.named.items()} for _, match in left
    ]

    ibans = sorted({m.counterparty_account for m, _ in left if m.counterparty_account})
    files_of_account: dict[str, list[int]] = defaultdict(list)
    for iban_chunk in _chunks(ibans):
        for iban, file_id in DebtorAccount.objects.filter(
            iban__any_of=iban_chunk, debtor__files__state__in=OPEN_STATE_VALUES
        ).values_list("iban", "debtor__files__id"):
            files_of_account[iban].append(file_id)

    variants: dict[str, list[int]] = defaultdict(list)
    for index, (movement, _) in enumerate(left):
        for variant in _name_variants(movement.counterparty_name or ""):
            variants[variant].append(index)
    files_of_name: dict[str, list[int]] = defaultdict(list)
    names = sorted(variants)
    for name_chunk in _chunks(names, SCAN_CHUNK):
        for name, file_id in _shared_by_few(
            Debtor.objects.annotate(upper_name=Upper("name")).filter(
                upper_name__in=name_chunk, files__state__in=OPEN_STATE_VALUES
            ),
            "upper_name",
        ).values_list("upper_name", "files__id"):
            files_of_name[name].append(file_id)

    amounts = sorted({m.amount for m, _ in left if m.amount > 0})
    files_of_amount: dict[Decimal, list[int]] = defaultdict(list)
    for amount_chunk in _chunks(amounts, SCAN_CHUNK):
        for file_id, total in _shared_by_few(
            LedgerEntry.objects.filter(file__state__in=OPEN_STATE_VALUES)
            .values("file_id")
            .annotate(total=Sum("amount"))
            .filter(total__in=amount_chunk),
            "total",
        ).values_list("file_id", "total"):
            files_of_amount[total].append(file_id)

    for index, (movement, _) in enumerate(left):
        found = candidates[index]
        for file_id in files_of_account.get(movement.counterparty_account or "", []):
            found.setdefault(file_id, []).append("the debtor paid from this account before")
        for variant in _name_variants(movement.counterparty_name or ""):
            for file_id in files_of_name.get(variant, []):
                found.setdefault(file_id, [])
        for file_id in files_of_amount.get(movement.amount, []):
            found.setdefault(file_id, []).append("it owes this amount")

    all_ids = sorted({file_id for found in candidates for file_id in found})
    info: dict[int, tuple[str, str, str]] = {}
    for id_chunk in _chunks(all_ids):
        for file_id, reference, state, debtor_name in File.objects.filter(
            id__any_of=id_chunk
        ).values_list("id", "reference", "state", "debtor__name"):
            info[file_id] = (reference, state, debtor_name)
    sums = _ledger_sums(all_ids)

    for index, (movement, match) in enumerate(left):
        scored: list[dict[str, Any]] = []
        for file_id, why in candidates[index].items():
            reference, state, debtor_name = info[file_id]
            score = 0.0
            reasons = list(why)
            if file_id in match.named:
                score += 0.5
            if "the debtor paid from this account before" in why:
                score += 0.3
            if sums.get(file_id) == movement.amount:
                score += 0.3
                if "it owes this amount" not in reasons:
                    reasons.append("it owes this amount")
            similarity = name_similarity(movement.counterparty_name or "", debtor_name)
            if similarity >= 0.8:
                score += 0.4 * similarity
                reasons.append(f"debtor name {similarity:.0%} alike")
            if score <= 0:
                continue
            scored.append(
                {
                    "file": file_id,
                    "reference": reference,
                    "state": state,
                    "debtor": debtor_name,
                    "outstanding": f"{sums.get(file_id, ZERO):.2f}",
                    "score": round(min(score, 1.0), 2),
                    "why": reasons,
                }
            )
        scored.sort(key=lambda s: (-s["score"], s["reference"]))
        match.suggestions = scored[:MAX_SUGGESTIONS]


@cache
def method_note(method: MatchMethod) -> str:
    """How a payment was matched, in the words of its ledger note: English (the audit record's
    language, whatever the request's), lower case; worked out once per method, not for each
    of a statement's thousands of payments."""
    with translation.override("en"):
        return str(method.label).lower()
