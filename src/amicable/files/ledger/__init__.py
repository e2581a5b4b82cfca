"""The ledger: the only way money moves on a file.

Every charge passes :mod:`amicable.domain.law` first; a charge the law forbids raises
``ChargeRefused`` (with the reason and the article) and writes nothing. The modules:

- :mod:`.books`: a file's books read once (per 5,000 files at a time) and the balance they give;
- :mod:`.charges`: interest, indemnity and reminder costs decided on a book, batch or single;
- :mod:`.payments`: payments posted one by one or by the hundred thousand, reversals, refunds;
- :mod:`.corrections`: reductions and write-offs;
- :mod:`.releases`: money paid beyond what a component now holds, released and applied again
  (:func:`.charges.release_and_recount` then takes back the interest it no longer bears);
- :mod:`.single`: the same operations on one file, locked, for agents and intake;
- :mod:`.writes`: the one writer of the ledger and allocation tables;
- :mod:`.locks`: locking files in id order.
"""

from amicable.domain.law import ChargeRefused
from amicable.files.ledger.books import (
    CHARGE_COMPONENTS,
    PAYMENT_KINDS,
    Book,
    ClaimBalance,
    ClaimTerms,
    FileBalance,
    FileTerms,
    file_terms,
    read_books,
)
from amicable.files.ledger.charges import (
    Charged,
    bring_interest,
    charge_indemnities,
    charge_reminder_cost,
    correct_after_cancellation,
    release_and_recount,
)
from amicable.files.ledger.corrections import (
    reduce_charge,
    reverse_indemnities,
    write_off_claims,
)
from amicable.files.ledger.locks import LedgerError, lock_file, lock_files
from amicable.files.ledger.payments import (
    PaymentOrder,
    Posting,
    post_payment,
    post_payments,
    posted_payments,
    refund_credit,
    reverse_payment,
)
from amicable.files.ledger.single import (
    book_interest,
    charge_indemnity,
    charge_principals,
    charge_reminder_cost_on,
    file_balance,
    indemnity_allowed,
    indemnity_decisions,
    interest_lines_held,
    stop_interest_at,
)
from amicable.files.ledger.writes import LedgerWrites, new_entry

__all__ = [
    "CHARGE_COMPONENTS",
    "PAYMENT_KINDS",
    "Book",
    "ChargeRefused",
    "Charged",
    "ClaimBalance",
    "ClaimTerms",
    "FileBalance",
    "FileTerms",
    "LedgerError",
    "LedgerWrites",
    "PaymentOrder",
    "Posting",
    "book_interest",
    "bring_interest",
    "charge_indemnities",
    "charge_indemnity",
    "charge_principals",
    "charge_reminder_cost",
    "charge_reminder_cost_on",
    "correct_after_cancellation",
    "file_balance",
    "file_terms",
    "indemnity_allowed",
    "indemnity_decisions",
    "interest_lines_held",
    "lock_file",
    "lock_files",
    "new_entry",
    "post_payment",
    "post_payments",
    "posted_payments",
    "read_books",
    "reduce_charge",
    "refund_credit",
    "release_and_recount",
    "reverse_indemnities",
    "reverse_payment",
    "stop_interest_at",
    "write_off_claims",
]
