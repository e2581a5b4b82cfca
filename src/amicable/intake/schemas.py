"""What the creditor API reads and writes (django-ninja schemas, published as OpenAPI 3).

Input schemas check the shape of each value (``amicable.intake.validation``); the rules that
need today's date or several fields are in ``amicable.intake.rules``. Unknown fields are refused
so that a misspelt field name is an error, not a silent omission. Amounts are written as strings
with two decimals (``"120.50"``) so no client ever reads them through a float.

The schemas are plain pydantic models, not ``ninja.Schema``: they are built from request data
and from values, never read from model instances, and ninja's per-field attribute lookup for
ORM objects doubled the cost of validating a batch.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SkipValidation, WithJsonSchema

from amicable.domain.lifecycle import FileState
from amicable.intake.validation import (
    Address,
    Amount,
    AmountOrZero,
    BirthDate,
    City,
    Country,
    Description,
    Email,
    Iban,
    IsoDate,
    LanguageCode,
    Name,
    Note,
    Percent,
    Phone,
    PostalCode,
    Rate,
    Reason,
    ReciprocityIn,
    Reference,
    ReminderChannel,
)

MAX_CLAIMS_PER_FILE = 100
MAX_FILES_PER_BATCH = 1000

Money = Annotated[
    str,
    WithJsonSchema({"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["120.50"]}),
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors -----------------------------------------------------------------------------------


class ErrorItem(BaseModel):
    field: str | None = Field(
        description="Where the problem is, as a path into the request: debtor.postal_code, "
        "claims[0].principal; null when it concerns the request as a whole."
    )
    reason: str


class ErrorOut(BaseModel):
    errors: list[ErrorItem]


# --- input ------------------------------------------------------------------------------------


class DebtorIn(_Input):
    customer_reference: Reference = Field(
        description="The creditor's own reference of the customer; files with the same one "
        "share one debtor."
    )
    name: Name
    address: Address
    postal_code: PostalCode = Field(
        description="Four digits from 1000 to 9999 in Belgium; free (up to 10 characters) "
        "elsewhere."
    )
    city: City
    country: Country = "BE"
    language: LanguageCode = Field(
        default="fr", description="The language of the letters: fr, nl, de or en."
    )
    email: Email = ""
    phone: Phone = ""
    birth_date: BirthDate | None = None


class ClaimIn(_Input):
    creditor_reference: Reference = Field(
        description="The invoice number (unique within the file)."
    )
    description: Description = Field(
        description="What the debt is for: the product or service (CEL art. XIX.7 §2)."
    )
    invoice_date: IsoDate
    due_date: IsoDate = Field(description="Not in the future: only a late payment is collected.")
    principal: Amount
    contract_date: IsoDate | None = Field(
        default=None,
        description="When the contract was concluded: a clause above the legal caps is void "
        "for contracts from 1 September 2023 (CEL art. XIX.4). Unknown counts as from then.",
    )
    regular_supply: bool = Field(
        default=False,
        description="Energy, telecom or a subscription: three reminders a year are free "
        "(CEL art. XIX.2).",
    )
    first_reminder_sent_on: IsoDate | None = Field(
        default=None,
        description="The free first reminder (CEL art. XIX.2): its date and channel go "
        "together. Without them the agency sends it first.",
    )
    first_reminder_channel: ReminderChannel | None = None
    indemnity_percent: Percent | None = Field(
        default=None, description="Damages clause as a percentage of the balance."
    )
    indemnity_minimum: Amount | None = Field(
        default=None, description="The clause's minimum amount (with a percentage only)."
    )
    indemnity_fixed: Amount | None = Field(
        default=None, description="Damages clause as a fixed amount (not with a percentage)."
    )
    requested_indemnity: AmountOrZero | None = Field(
        default=None,
        description="The indemnity the creditor asks; by default what the clause gives. "
        "Trimmed to the clause and to the legal cap (CEL art. XIX.4).",
    )
    indemnity_reciprocity: ReciprocityIn = Field(
        default="not_declared",
        description="Whether the damages clause is reciprocal: the contract gives the consumer "
        "an indemnity of the same order when the creditor fails in its own obligations (CEL "
        "art. VI.83, 17°). 'reciprocal', 'not_reciprocal' or 'not_declared' (the default). "
        "Only a clause declared 'reciprocal' gives a lump-sum indemnity; attach the general "
        "terms with POST /api/v1/files/{reference}/documents (kind 'general_terms').",
    )
    interest_clause: bool = Field(default=False, description="The contract provides late interest.")
    interest_rate: Rate | None = Field(
        default=None,
        description="The contractual rate in percent a year; without it the civil legal rate "
        "applies. Capped by the rate of the law of 2 August 2002 (CEL art. XIX.4).",
    )
    reminder_cost_clause: bool = Field(
        default=False, description="The contract provides costs for further reminders."
    )
    category: Reference | None = Field(
        default=None,
        description="The claim's prescription category (consumer_goods, network_supply, "
        "medical_care, hotel_restaurant, general, or one the agency added); by default the "
        "one of the creditor's sector. A claim past its period is refused (docs/legal.md, "
        "section 8).",
    )
    prescription_interrupted_on: IsoDate | None = Field(
        default=None,
        description="The day the debtor last interrupted the prescription (a written "
        "acknowledgement, a partial payment, a payment plan request); needed only for a "
        "claim that would otherwise be time-barred. Never the day of a collection letter.",
    )
    prescription_evidence: Reference | None = Field(
        default=None,
        description="The reference of the document that proves that interruption (upload it "
        'with POST /files/{reference}/documents, kind "other", for this claim).',
    )


class FileIn(_Input):
    creditor_reference: Reference = Field(
        description="The creditor's own reference of the file: sending it again returns the "
        "same file (idempotent)."
    )
    debtor: DebtorIn
    claims: list[ClaimIn] = Field(min_length=1, max_length=MAX_CLAIMS_PER_FILE)


class BatchIn(_Input):
    # Each file is validated on its own in the view, so that one bad file does not refuse the
    # others; the schema still documents each item as a FileIn.
    files: list[SkipValidation[FileIn]] = Field(min_length=1, max_length=MAX_FILES_PER_BATCH)


class PaymentIn(_Input):
    amount: Amount
    value_date: IsoDate = Field(description="The day the debtor paid; not in the future.")
    payment_reference: Reference = Field(
        description="The creditor's reference of this payment: sending it again records "
        "nothing twice."
    )
    payer_iban: Iban | None = Field(default=None, description="The debtor's account, if known.")
    note: Note = ""


class WithdrawIn(_Input):
    reason: Reason


# --- output -----------------------------------------------------------------------------------


class DebtorOut(BaseModel):
    customer_reference: str
    name: str
    address: str
    postal_code: str
    city: str
    country: str
    language: str
    email: str
    phone: str
    birth_date: date | None


class ClaimBalanceOut(BaseModel):
    principal: Money
    indemnity: Money
    interest: Money
    reminder_costs: Money
    outstanding: Money


class ClaimOut(BaseModel):
    creditor_reference: str
    description: str
    invoice_date: date
    due_date: date
    principal: Money
    contract_date: date | None
    regular_supply: bool
    first_reminder_sent_on: date | None
    first_reminder_channel: str | None
    grace_last_day: date | None = Field(
        description="The last day of the period after the first reminder (CEL art. XIX.2)."
    )
    first_chargeable_day: date | None
    allowed_indemnity: Money = Field(
        description="The indemnity the law allows once the grace period is over."
    )
    indemnity_reciprocity: str = Field(
        description="What was declared of the damages clause (CEL art. VI.83, 17°): "
        "'reciprocal', 'not_reciprocal' or 'not_declared'; only 'reciprocal' gives an indemnity."
    )
    interest_applies: bool
    applied_interest_rate: str | None = Field(
        description="The contractual rate applied (capped day by day); null with "
        "interest_applies means the civil legal rate."
    )
    balance: ClaimBalanceOut


class BalanceOut(BaseModel):
    as_of: date
    principal: Money
    indemnity: Money
    interest: Money
    interest_booked: Money
    interest_accrued: Money = Field(description="Interest run and not booked yet.")
    reminder_costs: Money
    paid: Money
    credit: Money = Field(description="Received and not used: to refund.")
    outstanding: Money


class EventOut(BaseModel):
    at: datetime
    kind: str
    message: str
    data: dict[str, Any]


class FileOut(BaseModel):
    reference: str = Field(description="The agency's file reference, used in every URL.")
    creditor_reference: str
    state: FileState
    structured_communication: str = Field(description="+++ddd/dddd/ddddd+++")
    opened_on: date
    closed_on: date | None
    closed_reason: str
    updated_at: datetime
    debtor: DebtorOut
    claims: list[ClaimOut]
    balance: BalanceOut
    timeline: list[EventOut]


class FileSummaryOut(BaseModel):
    reference: str
    creditor_reference: str
    state: FileState
    customer_reference: str
    opened_on: date
    closed_on: date | None
    updated_at: datetime


class FilePageOut(BaseModel):
    items: list[FileSummaryOut]
    next_cursor: str | None = Field(
        description="Pass it as cursor to get the next page; null on the last page."
    )


class BatchItemOut(BaseModel):
    index: int = Field(description="The position of the file in the request, from 0.")
    status: Literal["created", "existing", "rejected"]
    creditor_reference: str | None
    reference: str | None
    errors: list[ErrorItem]


class BatchOut(BaseModel):
    created: int
    existing: int
    rejected: int
    items: list[BatchItemOut]


class DocumentOut(BaseModel):
    id: int
    kind: str
    claim: str | None
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class AllocationOut(BaseModel):
    claim: str
    component: str
    amount: Money


class PaymentOut(BaseModel):
    payment_reference: str
    amount: Money
    value_date: date
    allocations: list[AllocationOut]
    balance: BalanceOut
