"""The creditor API, version 1, mounted at /api/v1/ (OpenAPI at /api/v1/openapi.json).

Each creditor authenticates with its own bearer token (``amicable.intake.tokens``) and reaches
only its own files: another creditor's file answers 404, like a file that does not exist
(docs/architecture.md, invariant 5). Every error has one shape,
``{"errors": [{"field": "debtor.postal_code", "reason": "..."}]}``, and bad input is always a
4xx, never a server error: the JSON body is parsed with numbers as ``Decimal`` (never float), a
NUL character (which the database refuses) is refused wherever it is as the request is read, and
every text is checked for the other characters we do not store before any query.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

import pydantic
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from ninja import File as UploadParam
from ninja import Form, Header, NinjaAPI, Query, Schema, Status, UploadedFile
from ninja import Path as PathParam
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.types import DictStrAny
from pydantic import AfterValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from amicable.domain.errors import UnknownRateError
from amicable.domain.lifecycle import FileState, TransitionRefused
from amicable.files import handover
from amicable.files.ledger import file_balance
from amicable.files.models import Creditor, DocumentKind, File
from amicable.files.rates import rate_table
from amicable.files.selectors import (
    access_file_for_creditor,
    get_claim_by_reference,
    list_files_for_creditor,
)
from amicable.files.services import ClaimCheck
from amicable.files.uploads import UploadRejected
from amicable.intake import presenters
from amicable.intake.docs import OfflineSwagger
from amicable.intake.models import ApiToken
from amicable.intake.rules import (
    FieldError,
    PrescriptionTerms,
    check_claim_rules,
    check_file,
    check_payment,
    claim_rule_errors,
    file_rule_errors,
    first_errors,
    payment_rule_errors,
    prescription_terms,
    to_claim_input,
    to_file_input,
)
from amicable.intake.schemas import (
    BatchIn,
    BatchItemOut,
    BatchOut,
    ClaimIn,
    ClaimOut,
    DocumentOut,
    ErrorItem,
    ErrorOut,
    FileIn,
    FileOut,
    FilePageOut,
    PaymentIn,
    PaymentOut,
    WithdrawIn,
)
from amicable.intake.tokens import authenticate_token
from amicable.intake.validation import (
    IdempotencyKey,
    Location,
    Reference,
    clean_text,
    nul_locations,
    refused_character,
)

# "amc_" and the URL-safe base64 of 32 random bytes (tokens.issue_token).
_TOKEN = re.compile(r"amc_[A-Za-z0-9_-]{20,100}")
_CURSOR = re.compile(r"[A-Za-z0-9_-]{1,40}={0,2}")
ViewFunction = TypeVar("ViewFunction", bound=Callable[..., Any])
_UPDATED_SINCE_RANGE = (datetime(2000, 1, 1), datetime(2100, 1, 1))  # noqa: DTZ001 (naive bounds)

DESCRIPTION = """
Hand over unpaid consumer claims to the agency, follow each file, and send what the agency
needs to collect lawfully under Book XIX of the Code of Economic Law.

* Authenticate with `Authorization: Bearer <token>` (a token per creditor, from the agency).
* Amounts are decimal strings with at most two decimals (`"120.50"`); JSON numbers are read
  exactly, never as floats. Dates are `YYYY-MM-DD`.
* Creating a file is idempotent: the same `creditor_reference` (or `Idempotency-Key` header)
  returns the same file with 200 instead of 201.
* Every error answers `{"errors": [{"field": ..., "reason": ...}]}`.
* A NUL character anywhere in a request (path, query, body, form) refuses it: 422, with the
  field of each.
"""


class CreditorParser(Parser):
    """Reads a request as it enters: JSON with exact numbers, and no NUL character anywhere.

    Every non-integer JSON number is read as a ``Decimal`` from its digits; ``NaN`` and
    ``Infinity`` are not JSON and are refused, and so is a number too long to read. A NUL in
    any string or key of the body, the query or a form is refused before any field is read
    (``RefusedCharacters``), with the place of each.
    """

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = json.loads(request.body, parse_float=Decimal, parse_constant=_refuse_constant)
        _refuse_nul(data)
        return data  # type: ignore[no-any-return]

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        values = super().parse_querydict(data, list_fields, request)
        _refuse_nul(values)
        return values


class RefusedCharacters(Exception):
    """NUL characters in a request: answered 422 with the place of each."""

    def __init__(self, locations: Sequence[Location]) -> None:
        super().__init__(locations)
        self.locations = list(locations)


def _refuse_nul(data: object) -> None:
    locations = nul_locations(data)
    if locations:
        raise RefusedCharacters(locations)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number in JSON")


class CreditorToken(HttpBearer):
    """A creditor's bearer token; the active ``ApiToken`` becomes ``request.auth``."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        # A token of the wrong shape cannot exist: no query (and none with a NUL byte).
        if _TOKEN.fullmatch(token) is None:
            return None
        return authenticate_token(token)


api = NinjaAPI(
    title="amicable creditor API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=CreditorToken(),
    parser=CreditorParser(),
    docs=OfflineSwagger(),
)

ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
BODY_ERRORS: dict[int, Any] = {**ERRORS, 400: ErrorOut, 413: ErrorOut}


# --- errors -----------------------------------------------------------------------------------


class RequestRefused(Exception):
    """Input that fails the intake rules: answered 422 with every field at fault."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__(errors)
        self.errors = list(errors)


def _errors(
    request: HttpRequest, status: int, errors: Sequence[FieldError | ErrorItem]
) -> HttpResponse:
    body = {"errors": [{"field": e.field, "reason": e.reason} for e in errors]}
    return api.create_response(request, body, status=status)


def field_path(loc: Sequence[str | int]) -> str | None:
    """A pydantic location as a path: ("debtor", "postal_code") -> "debtor.postal_code".

    >>> field_path(["claims", 0, "principal"])
    'claims[0].principal'
    >>> field_path([]) is None
    True
    """
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or None


def _pydantic_errors(errors: Sequence[Any]) -> list[FieldError]:
    return [FieldError(field_path(e["loc"]), str(e["msg"])) for e in errors]


def _request_location(loc: Sequence[str | int]) -> list[str | int]:
    """Drop ninja's source ("body", "query"...) and, for a body, the parameter's name."""
    parts = list(loc)
    if parts and parts[0] in {"body", "form"} and len(parts) >= 2:
        rest = parts[2:]
        return rest or ["body" if parts[0] == "body" else str(parts[1])]
    return parts[1:] or parts


BodyRules = Callable[..., list[FieldError]]
_BODY_RULES = "amicable_body_rules"


def rules_also_on_malformed_body(rules: BodyRules) -> Callable[[ViewFunction], ViewFunction]:
    """Have a request refused for its format also checked by ``rules`` (on the well-formed
    parts of its body: ``rules(raw, today=..., rates=...)``), so that one answer gives every
    error. Ninja validates before the view runs: the handler below reads the mark."""

    def mark(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(run)
        def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            setattr(request, _BODY_RULES, rules)
            return run(request, *args, **kwargs)

        return marked

    return decorate_view(mark)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        FieldError(field_path(_request_location(e["loc"])), str(e["msg"])) for e in exc.errors
    ]
    rules: BodyRules | None = getattr(request, _BODY_RULES, None)
    if rules is not None:
        try:
            raw = api.parser.parse_body(request)
        except (ValueError, RefusedCharacters):  # no body, or not one its rules can read
            raw = None
        errors.extend(
            rules(raw, today=_today(), rates=rate_table(), prescription=_prescription(request))
        )
    return _errors(request, 422, first_errors(errors))


@api.exception_handler(RequestRefused)
def _refused(request: HttpRequest, exc: RequestRefused) -> HttpResponse:
    return _errors(request, 422, first_errors(exc.errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _errors(
        request,
        401,
        [FieldError(None, "A valid bearer token is required (Authorization: Bearer <token>).")],
    )
    response["WWW-Authenticate"] = 'Bearer realm="amicable"'
    return response


@api.exception_handler(RefusedCharacters)
def _refused_characters(request: HttpRequest, exc: RefusedCharacters) -> HttpResponse:
    reason = refused_character("\x00").message()
    errors = [FieldError(field_path(loc) or "body", reason) for loc in exc.locations]
    return _errors(request, 422, first_errors(errors))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, RefusedCharacters):
        # ninja reports any failure to read the body as a 400; this one has its fields.
        return _refused_characters(request, exc.__cause__)
    if exc.status_code == 400:
        # The only 400 ninja raises: a body that is not JSON (multipart is handled above).
        reason = "The request body is not valid JSON (UTF-8, numbers without NaN or Infinity)."
        return _errors(request, 400, [FieldError("body", reason)])
    return _errors(request, exc.status_code, [FieldError(None, exc.message)])


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig | None = None) -> HttpResponse:
    """413: a body over the size limit (amicable.security.request_size refuses it before it is
    read; Django raises RequestDataTooBig for a form whose fields alone are over it)."""
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    reason = (
        f"The request body is larger than {megabytes} MB, the most this API accepts: send "
        "large batches in several calls."
    )
    return _errors(request, 413, [FieldError("body", reason)])


@api.exception_handler(MultiPartParserError)
def _unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    reason = (
        "The request body is not valid multipart/form-data (the Content-Type must give the "
        "boundary that separates the parts)."
    )
    return _errors(request, 400, [FieldError("body", reason)])


@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def _too_many_parts(
    request: HttpRequest, exc: TooManyFieldsSent | TooManyFilesSent
) -> HttpResponse:
    reason = "The request has more fields or files than any operation of this API reads."
    return _errors(request, 400, [FieldError("body", reason)])


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _errors(request, 404, [FieldError(None, "No such file.")])


@api.exception_handler(handover.HandoverRefused)
def _conflict(request: HttpRequest, exc: handover.HandoverRefused) -> HttpResponse:
    return _errors(request, 409, [FieldError(exc.field, exc.message)])


@api.exception_handler(TransitionRefused)
def _transition_refused(request: HttpRequest, exc: TransitionRefused) -> HttpResponse:
    return _errors(request, 409, [FieldError(None, str(exc))])


@api.exception_handler(UploadRejected)
def _upload_rejected(request: HttpRequest, exc: UploadRejected) -> HttpResponse:
    status = 413 if exc.code == "too_large" else 422
    return _errors(request, status, [FieldError("file", exc.message)])


@api.exception_handler(UnknownRateError)
def _unknown_rate(request: HttpRequest, exc: UnknownRateError) -> HttpResponse:
    # Not the client's fault: a published rate is missing from the table (an administrator adds
    # it). Answered as a temporary unavailability, with the reason.
    response = _errors(request, 503, [FieldError(None, str(exc))])
    response["Retry-After"] = "3600"
    return response


# --- helpers ----------------------------------------------------------------------------------


def _token(request: HttpRequest) -> ApiToken:
    token = request.auth  # type: ignore[attr-defined]
    assert isinstance(token, ApiToken)
    return token


def _creditor(request: HttpRequest) -> Creditor:
    return _token(request).creditor


def _actor(request: HttpRequest) -> str:
    token = _token(request)
    return f"api:{token.creditor.reference}:{token.prefix}"


def _today() -> date:
    return timezone.localdate()


def _prescription(request: HttpRequest) -> PrescriptionTerms:
    """The prescription periods, and the default category of the calling creditor's sector."""
    token = getattr(request, "auth", None)
    sector = token.creditor.sector if isinstance(token, ApiToken) else ""
    return prescription_terms(sector)


def _file(request: HttpRequest, reference: str) -> File:
    return access_file_for_creditor(_creditor(request), reference)


# One example, not a list: OpenAPI 3.1 wants a parameter's "examples" as a map of named examples.
FileReference = Annotated[
    str,
    AfterValidator(clean_text),
    PathParam(
        max_length=40,
        example="AM00000042",
        description="The agency's file reference, as in the file's `reference`.",
    ),
]


# --- files ------------------------------------------------------------------------------------

# OpenAPI links: what a client (or a stateful test) can do next with the file it just created.
_FILE_REFERENCE = {"reference": "$response.body#/reference"}
FILE_LINKS = {
    name: {"operationId": operation, "parameters": _FILE_REFERENCE, "description": description}
    for name, operation, description in [
        ("GetFile", "get_file", "Read the file."),
        ("AddClaim", "add_claim", "Add a claim to the file."),
        ("UploadDocument", "upload_document", "Attach a document to the file."),
        ("ReportPayment", "report_payment", "Report a payment on the file."),
        ("WithdrawFile", "withdraw_file", "Withdraw the file."),
    ]
}


@api.post(
    "/files",
    response={200: FileOut, 201: FileOut, **BODY_ERRORS},
    openapi_extra={"responses": {201: {"links": FILE_LINKS}, 200: {"links": FILE_LINKS}}},
    operation_id="create_file",
    summary="Hand over a file: one debtor and their claims",
    tags=["files"],
)
@rules_also_on_malformed_body(file_rule_errors)
def create_file(
    request: HttpRequest,
    payload: FileIn,
    idempotency_key: Annotated[
        IdempotencyKey | None, Header(alias="Idempotency-Key", default=None)
    ] = None,
) -> Status[FileOut]:
    """201 with the new file; 200 with the existing one when its `creditor_reference` (or the
    `Idempotency-Key` header) was already received. Each claim is checked as the law requires
    before collection (CEL art. XIX.2 and XIX.4); what is above a cap is trimmed and the
    trimming is on the timeline."""
    today = _today()
    checked = check_file(
        payload, today=today, rates=rate_table(), prescription=_prescription(request)
    )
    if checked.errors:
        raise RequestRefused(checked.errors)
    (created,) = handover.receive_files(
        creditor=_creditor(request),
        inputs=[to_file_input(payload, idempotency_key=idempotency_key)],
        actor=_actor(request),
        today=today,
        checks=[checked.checks],
    )
    status = 201 if created.created else 200
    return Status(status, presenters.file_out(created.file, as_of=today))


@api.post(
    "/files/batch",
    response={200: BatchOut, **BODY_ERRORS},
    operation_id="create_files_batch",
    summary="Hand over up to 1,000 files in one call",
    tags=["files"],
)
def create_files_batch(request: HttpRequest, payload: BatchIn) -> BatchOut:
    """Each file is accepted or refused on its own (with its index and the fields at fault);
    the accepted ones are created together in one transaction. Idempotent per
    `creditor_reference`, like POST /files."""
    today = _today()
    rates = rate_table()
    prescription = _prescription(request)
    results: dict[int, BatchItemOut] = {}
    accepted: list[tuple[int, FileIn, list[ClaimCheck]]] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(payload.files):
        try:
            item = FileIn.model_validate(raw)
        except pydantic.ValidationError as exc:
            errors = _pydantic_errors(exc.errors())
            errors += file_rule_errors(raw, today=today, rates=rates, prescription=prescription)
            results[index] = _rejected(index, raw, errors)
            continue
        checked = check_file(item, today=today, rates=rates, prescription=prescription)
        errors = list(checked.errors)
        if item.creditor_reference in first_index:
            errors.append(
                FieldError(
                    "creditor_reference",
                    f"This reference is already used by "
                    f"files[{first_index[item.creditor_reference]}] of this batch.",
                )
            )
        if errors:
            results[index] = _rejected(index, raw, errors)
            continue
        first_index[item.creditor_reference] = index
        accepted.append((index, item, checked.checks))
    if accepted:
        created = handover.receive_files(
            creditor=_creditor(request),
            inputs=[to_file_input(item) for _, item, _ in accepted],
            actor=_actor(request),
            today=today,
            checks=[checks for _, _, checks in accepted],
        )
        for (index, item, _), result in zip(accepted, created, strict=True):
            results[index] = BatchItemOut(
                index=index,
                status="created" if result.created else "existing",
                creditor_reference=item.creditor_reference,
                reference=result.file.reference,
                errors=[],
            )
    items = [results[i] for i in range(len(payload.files))]
    return BatchOut(
        created=sum(1 for i in items if i.status == "created"),
        existing=sum(1 for i in items if i.status == "existing"),
        rejected=sum(1 for i in items if i.status == "rejected"),
        items=items,
    )


def _rejected(index: int, raw: object, errors: Sequence[FieldError]) -> BatchItemOut:
    reference = raw.get("creditor_reference") if isinstance(raw, dict) else None
    if isinstance(reference, str):
        try:
            reference = clean_text(reference)[:64]
        except ValueError:  # PydanticCustomError: a character we do not echo back
            reference = None
    return BatchItemOut(
        index=index,
        status="rejected",
        creditor_reference=reference if isinstance(reference, str) else None,
        reference=None,
        errors=[ErrorItem(field=e.field, reason=e.reason) for e in first_errors(errors)],
    )


def _updated_since(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    low, high = (timezone.make_aware(bound) for bound in _UPDATED_SINCE_RANGE)
    if not low <= value <= high:
        raise PydanticCustomError("date_range", "The moment must be between 2000 and 2100.")
    return value


class FileFilters(Schema):
    state: FileState | None = None
    updated_since: Annotated[
        datetime | None,
        AfterValidator(lambda v: None if v is None else _updated_since(v)),
    ] = Field(
        default=None,
        description="Only files changed at or after this moment (ISO 8601; Brussels time "
        "when no offset is given).",
    )
    creditor_reference: Reference | None = Field(
        default=None, description="The file with this reference of yours."
    )
    limit: int = Field(default=100, ge=1, le=500)
    cursor: Annotated[
        str | None,
        WithJsonSchema({"type": "string", "maxLength": 44, "pattern": "^[A-Za-z0-9_=-]+$"}),
    ] = Field(default=None, description="The next_cursor of the previous page.")


def encode_cursor(file_id: int) -> str:
    return base64.urlsafe_b64encode(f"f{file_id}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The last file id of the previous page; RequestRefused for anything else."""
    refused = RequestRefused([FieldError("cursor", "This cursor is not one we gave.")])
    if _CURSOR.fullmatch(cursor) is None:
        raise refused
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise refused from None
    if not re.fullmatch(r"f\d{1,18}", text):
        raise refused
    return int(text[1:])


@api.get(
    "/files",
    response={200: FilePageOut, **ERRORS},
    operation_id="list_files",
    summary="List your files, oldest first, a page at a time",
    tags=["files"],
)
def list_files(request: HttpRequest, filters: Query[FileFilters]) -> FilePageOut:
    """Filter by `state` and `updated_since` (to synchronise: keep the time of your last call).
    Pages follow a stable order; pass `next_cursor` as `cursor` until it is null."""
    after_id = None if filters.cursor is None else decode_cursor(filters.cursor)
    files = list_files_for_creditor(
        creditor=_creditor(request),
        limit=filters.limit + 1,
        state=filters.state,
        updated_since=filters.updated_since,
        creditor_reference=filters.creditor_reference,
        after_id=after_id,
    )
    page, more = files[: filters.limit], len(files) > filters.limit
    return FilePageOut(
        items=[presenters.file_summary_out(f) for f in page],
        next_cursor=encode_cursor(page[-1].pk) if more else None,
    )


@api.get(
    "/files/{reference}",
    response={200: FileOut, **ERRORS, 503: ErrorOut},
    operation_id="get_file",
    summary="A file: state, balance, claims, timeline",
    tags=["files"],
)
def get_file(
    request: HttpRequest,
    reference: FileReference,
    as_of: Annotated[
        date | None, Query(description="The balance on this day (default today).")
    ] = None,
) -> FileOut:
    """The balance is split per component (principal, indemnity, interest booked and accrued,
    reminder costs) and per claim, as of today or `as_of`."""
    file = _file(request, reference)
    day = as_of or _today()
    if not date(2000, 1, 1) <= day <= date(2099, 12, 31):
        raise RequestRefused([FieldError("as_of", "The date must be between 2000 and 2099.")])
    return presenters.file_out(file, as_of=day)


# --- claims, documents, payments, withdrawal --------------------------------------------------


@api.post(
    "/files/{reference}/claims",
    response={200: ClaimOut, 201: ClaimOut, **BODY_ERRORS, 409: ErrorOut},
    operation_id="add_claim",
    summary="Add a claim to a file",
    tags=["claims"],
)
@rules_also_on_malformed_body(claim_rule_errors)
def add_claim(request: HttpRequest, reference: FileReference, payload: ClaimIn) -> Status[ClaimOut]:
    """The claim goes through the same checks as at intake. Possible until the formal notice
    is sent, and only if the claim needs no earlier stage than the file's (409 otherwise:
    send it as a new file). Idempotent on the claim's `creditor_reference`."""
    file = _file(request, reference)
    today = _today()
    checked = check_claim_rules(
        payload, today=today, rates=rate_table(), prescription=_prescription(request)
    )
    if checked.errors:
        raise RequestRefused(checked.errors)
    added = handover.add_claim(
        file=file, claim=to_claim_input(payload), actor=_actor(request), today=today
    )
    balance = file_balance(file, as_of=today)
    claim_balance = next(b for b in balance.claims if b.claim_id == added.claim.pk)
    return Status(201 if added.created else 200, presenters.claim_out(added.claim, claim_balance))


DocumentKindIn = Literal["invoice", "contract", "general_terms", "first_reminder"]


@api.post(
    "/files/{reference}/documents",
    response={200: DocumentOut, 201: DocumentOut, **BODY_ERRORS},
    operation_id="upload_document",
    summary="Attach a supporting document (PDF, JPEG or PNG, at most 10 MB)",
    tags=["documents"],
)
def upload_document(
    request: HttpRequest,
    reference: FileReference,
    kind: Form[DocumentKindIn],
    file: UploadParam[UploadedFile],
    claim: Annotated[
        Reference | None,
        Form(description="The claim the document is for (its creditor_reference)."),
    ] = None,
) -> Status[DocumentOut]:
    """The evidence the consumer may ask for at any time (CEL art. XIX.7 §3). The type is read
    from the content, not the name; the SHA-256 is kept. The same content sent again is not
    stored twice (200)."""
    target = _file(request, reference)
    claim_row = None
    if claim is not None:
        claim_row = get_claim_by_reference(target, claim)
        if claim_row is None:
            raise RequestRefused(
                [FieldError("claim", "This file has no claim with this reference.")]
            )
    # The API speaks English throughout; the upload checks' messages are translated.
    with translation.override("en"):
        stored = handover.store_creditor_document(
            file=target,
            kind=DocumentKind(kind),
            upload=file,
            original_name=file.name or "document",
            actor=_actor(request),
            claim=claim_row,
        )
    return Status(201 if stored.created else 200, presenters.document_out(stored.document))


@api.post(
    "/files/{reference}/payments",
    response={200: PaymentOut, 201: PaymentOut, **BODY_ERRORS, 409: ErrorOut, 503: ErrorOut},
    operation_id="report_payment",
    summary="Report a payment the debtor made to you directly",
    tags=["payments"],
)
@rules_also_on_malformed_body(payment_rule_errors)
def report_payment(
    request: HttpRequest, reference: FileReference, payload: PaymentIn
) -> Status[PaymentOut]:
    """Imputed like any payment: interest, then indemnity and costs, then principal, oldest
    claim first (old Civil Code art. 1254). Idempotent on `payment_reference` (200 when
    already recorded; 409 if that reference was recorded with another amount or date)."""
    file = _file(request, reference)
    today = _today()
    if errors := check_payment(payload, today=today):
        raise RequestRefused(errors)
    recorded = handover.record_creditor_payment(
        file=file,
        amount=payload.amount,
        value_date=payload.value_date,
        payment_reference=payload.payment_reference,
        actor=_actor(request),
        note=payload.note,
        payer_iban=payload.payer_iban,
    )
    claims = {c.pk: c for c in file.claims.all()}
    body = PaymentOut(
        payment_reference=payload.payment_reference,
        amount=presenters.money(-recorded.entry.amount),
        value_date=recorded.entry.value_date,
        allocations=[presenters.allocation_out(a, claims) for a in recorded.allocations],
        balance=presenters.balance_out(file_balance(file, as_of=today)),
    )
    return Status(201 if recorded.created else 200, body)


@api.post(
    "/files/{reference}/withdraw",
    response={200: FileOut, **BODY_ERRORS, 409: ErrorOut},
    operation_id="withdraw_file",
    summary="Withdraw a file (close it)",
    tags=["files"],
)
def withdraw(request: HttpRequest, reference: FileReference, payload: WithdrawIn) -> FileOut:
    """Collection stops and the file is closed with your reason. Refused (409, with the
    reason) where the file's state does not allow it, for instance a file already paid."""
    file = _file(request, reference)
    today = _today()
    closed = handover.withdraw_file(
        file=file, reason=payload.reason, actor=_actor(request), today=today
    )
    return presenters.file_out(closed, as_of=today)


# --- URLs -------------------------------------------------------------------------------------


def urls_with_trailing_slashes() -> tuple[list[URLPattern | URLResolver], str, str]:
    """The API's URLs, each also answering with a trailing slash (/files/ as /files).

    Clients and proxies add or drop the slash; a redirect would not do, since many clients do
    not send a POST's body again after one. The document lists the paths without the slash;
    the twins have no name, so every reverse() gives that form.
    """
    patterns, app_name, namespace = api.urls
    twins: dict[str, URLPattern] = {}
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLPattern) and route and not route.endswith("/"):
            # One pattern per operation: paths with several methods share one view.
            twins.setdefault(route, path(f"{route}/", pattern.callback, pattern.default_args))
    return [*patterns, *twins.values()], app_name, namespace
