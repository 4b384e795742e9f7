"""The JSON bodies of the protocol (docs/sync-protocol.md) as pydantic models: they
validate requests and describe every answer in the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from central.datasets import DATASET_NAMES
from central.wire_types import SEQ_MAX, CleanText, Count, Time, WholeNumber

Reason = Literal["schema", "wrong_till", "unknown_product", "totals", "seq_conflict", "card_data"]


class ErrorBody(BaseModel):
    error: str = Field(examples=["unauthorized"])
    detail: str


class EnrolmentRequest(BaseModel):
    code: Annotated[CleanText, Field(min_length=1, max_length=40, examples=["KQ7M-4XPD-93HF"])]
    device: Annotated[CleanText, Field(min_length=1, max_length=200, examples=["till-pc-014-1"])]


class EnrolmentAnswer(BaseModel):
    store_id: str
    till_id: str
    credential: str = Field(description="kt1.<id>.<secret>: send as Authorization: Bearer")
    hub_time: str


class BatchItem(BaseModel):
    seq: WholeNumber = Field(description="the till's gapless sequence: the receipt number.  Any integer is read; "
                                         f"a seq outside 1 to {SEQ_MAX} (2^53 - 1) rejects only its sale, as schema")
    sale: dict[str, Any] = Field(description="a kassa.sale.v1, v2 or v3 document (pos.codec.sale_to_dict; "
                                             "v2: each payment carries its card approval or null; v3: v2 whose "
                                             "lines carry the promotions' discounts, each line's total its net, "
                                             "with the sale's customer_id and promo_codes); validated one "
                                             "by one, so one bad sale rejects only itself; anything like a card "
                                             "number in a payment rejects it as card_data")


class SalesBatch(BaseModel):
    sales: list[BatchItem] = Field(description="at most 500 sales; the request at most 8 MB")


class SaleResult(BaseModel):
    sale_id: str
    status: Literal["accepted", "duplicate", "rejected"]
    reason: Reason | None = Field(default=None, description=(
        "why rejected; on an accepted sale, unknown_product: a product code the hub does not know, the sale "
        "stored and flagged for review (kassa-hub sales --flagged), never refused"))
    detail: str | None = None


class BatchAnswer(BaseModel):
    results: list[SaleResult]
    hub_time: str


DatasetName = Literal[DATASET_NAMES]  # type: ignore[valid-type]
Version = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,18}$")]
CURSOR_PATTERN = r"^[0-9]{0,18}$"  # the query's after=: a Version, or empty (= 0)


class DatasetPage(BaseModel):
    dataset: str
    items: list[dict[str, Any]]
    cursor: Version = Field(description="version of the page's last item; pass it as after= for the next page")
    more: bool
    snapshot: Version = Field(description="the hub's global version when the page was read")


class Heartbeat(BaseModel):
    till_time: Time
    queue_length: Count
    oldest_unsent_seconds: Count | None = None
    app_version: Annotated[CleanText, Field(max_length=40)]


class HeartbeatAnswer(BaseModel):
    hub_time: str


class Health(BaseModel):
    status: Literal["ok"]
    database: str
    hub_time: str


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for error statuses answered with an ErrorBody."""
    return {status: {"model": ErrorBody} for status in statuses}


# -- the store's day documents (POST /v1/documents) --------------------------------------------
DocumentReason = Literal["schema", "wrong_till", "conflict", "number_conflict", "other_store", "not_in_sale",
                         "over_return", "sale_unknown"]


class DocumentItem(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    schema_: str = Field(alias="schema", description=(
        "kassa.return.v1 (v2: an unchecked return of another till's sale, reconciled by the hub), "
        "kassa.cash_movement.v1, kassa.approval.v1, kassa.sale_cancelled.v1, kassa.shift.v1 "
        "or kassa.z_report.v1; kassa.customer.v1 (a customer registered at a till), "
        "kassa.customer_identified.v1 (a customer identified for a sale); another rejects only its document, "
        "as schema"))
    document_id: str = Field(description="the body's own id, a UUID (the return_id, movement_id, approval_id, "
                                         "cancelled sale_id, the Z report's shift_id; uuid5(shift_id, event) for a "
                                         "shift event; a registration's registration_id; uuid5(sale_id, "
                                         "customer_id) for a customer identified): stored once, forever")
    series: str = Field(description="return, cash_movement, approval, sale_cancelled, shift, z_report, customer "
                                     "or customer_identified")
    number: WholeNumber = Field(description="the gapless number of a return, cash movement or Z report "
                                            "(from 1, per till); 0 for the others")
    body: dict[str, Any] = Field(description="the JSON form of pos.store_day.forms for that schema; "
                                             "validated one by one, so one bad document rejects only itself")


class DocumentsBatch(BaseModel):
    documents: list[DocumentItem] = Field(description="at most 500 documents; the request at most 8 MB")


class DocumentResult(BaseModel):
    document_id: str
    status: Literal["accepted", "duplicate", "rejected"]
    reason: DocumentReason | None = Field(default=None, description=(
        "why rejected; on an accepted return, sale_unknown: the hub does not hold its sale yet "
        "(an unchecked return is reconciled when it arrives; the detail says how it was reconciled)"))
    detail: str | None = None


class DocumentsAnswer(BaseModel):
    results: list[DocumentResult]
    hub_time: str


class ReturnedLineAnswer(BaseModel):
    sold_line_id: str
    quantity: str = Field(description="a decimal string: how much of the line is back, at every till", examples=["1"])
    refunded: str = Field(description="a decimal string: what those returns paid back for it", examples=["12.34"])


class ReturnedAnswer(BaseModel):
    sale_id: str
    lines: list[ReturnedLineAnswer]


class RefundedPaymentAnswer(BaseModel):
    payment_id: str
    amount: str = Field(description="a decimal string: what returns paid back to this payment, at every till",
                        examples=["12.34"])


class SaleForReturnAnswer(BaseModel):
    """GET /v1/sales/{sale_id}: a sale of the till's store, for a return at any of its tills."""

    sale_id: str
    sale: dict[str, Any] = Field(description="the sale's document as its till sent it: kassa.sale.v1, "
                                             "kassa.sale.v2 with the card approval of each card payment, or "
                                             "kassa.sale.v3 with each line's discounts (its total the net)")
    returned: list[ReturnedLineAnswer] = Field(description="per sold line, what every till's returns took back")
    refunded: list[RefundedPaymentAnswer] = Field(description="per payment of the sale, what those returns paid back "
                                                              "to it (refunds naming it as their original payment)")


# -- head office's promotions (PUT /v1/promotions) ----------------------------------------------
class ProblemsBody(ErrorBody):
    problems: list[str] = Field(default_factory=list, description=(
        "bad_definitions: every problem, one line each naming the promotion and the field"))


class PromotionVersion(BaseModel):
    id: str
    version: Version


class PromotionsAnswer(BaseModel):
    saved: list[PromotionVersion] = Field(description="new or changed definitions, each with its new version")
    unchanged: list[str] = Field(description="definitions the hub had already, exactly: their versions stay")
    removed: list[PromotionVersion] = Field(description="with full=true: the stored promotions the list lacked")
    hub_time: str
