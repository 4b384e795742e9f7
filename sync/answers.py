"""The hub's answers as the till expects them (docs/sync-protocol.md), checked strictly:
a string where a number belongs, a missing field, a float amount or a cursor that is not
a whole number makes the whole answer unusable (``sync.errors.BadAnswer``).  Unknown extra
fields are ignored, so a newer hub can add some."""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from typing_extensions import NotRequired, TypedDict

Code = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Text = Annotated[str, StringConstraints(max_length=300)]
Amount = Annotated[str, StringConstraints(pattern=r"^\d{1,13}(\.\d{1,6})?$")]  # decimal string, never a float
Percent = Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d{1,4})?$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Version = Annotated[str, StringConstraints(pattern=r"^\d{1,18}$")]


class _Answer(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class ErrorBody(_Answer):
    error: str
    detail: str = ""


class EnrolmentAnswer(_Answer):
    store_id: Code
    till_id: Code
    credential: Annotated[str, StringConstraints(pattern=r"^kt1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", max_length=300)]
    hub_time: str


class SaleResult(_Answer):
    sale_id: str
    status: Literal["accepted", "duplicate", "rejected"]
    reason: str | None = None
    detail: str | None = None


class BatchAnswer(_Answer):
    results: list[SaleResult]
    hub_time: str


class DocumentResult(_Answer):
    """The hub's answer for one store's day document (POST /v1/documents), like SaleResult."""

    document_id: str
    status: Literal["accepted", "duplicate", "rejected"]
    reason: str | None = None  # on an accepted return, "sale_unknown": the hub does not hold its sale yet
    detail: str | None = None


class DocumentsAnswer(_Answer):
    results: list[DocumentResult]
    hub_time: str


class ReturnedLine(_Answer):
    sold_line_id: str
    quantity: Annotated[str, StringConstraints(pattern=r"^\d{1,12}(\.\d{1,6})?$")]  # decimal string
    refunded: Amount


class ReturnedAnswer(_Answer):
    """GET /v1/sales/{sale_id}/returned: what every till has returned of a sale so far."""

    sale_id: str
    lines: list[ReturnedLine]


class RefundedPayment(_Answer):
    payment_id: str
    amount: Amount


class SaleForReturnAnswer(_Answer):
    """GET /v1/sales/{sale_id}: a sale of the till's store (its document, read with pos.codec),
    what every till has returned of it per sold line, and refunded per payment."""

    sale_id: str
    sale: dict[str, Any]
    returned: list[ReturnedLine] = Field(max_length=2000)
    refunded: list[RefundedPayment] = Field(max_length=50)


class HeartbeatAnswer(_Answer):
    hub_time: str


# A page holds up to 5,000 items: they are checked as typed dicts (pydantic-core builds
# plain dicts, no object per item), as strictly as the answers above.
_ITEM = ConfigDict(strict=True, extra="ignore")


class ProductItem(TypedDict):
    __pydantic_config__ = _ITEM  # type: ignore[misc]
    code: Code
    name: Text
    brand: Text
    category: Text
    vat_code: Code
    sold_by_weight: bool
    deleted: bool


class BarcodeItem(TypedDict):
    __pydantic_config__ = _ITEM  # type: ignore[misc]
    gtin: Code
    product_code: Code
    deleted: bool


class PriceItem(TypedDict):
    __pydantic_config__ = _ITEM  # type: ignore[misc]
    product_code: Code
    price: Amount
    currency: Currency
    deleted: bool


class TaxItem(TypedDict):
    __pydantic_config__ = _ITEM  # type: ignore[misc]
    code: Code
    percent: Percent
    deleted: bool


class CashierItem(TypedDict):
    __pydantic_config__ = _ITEM  # type: ignore[misc]
    code: Code
    name: Text
    pin_hash: Annotated[str, StringConstraints(max_length=300)]
    active: bool
    deleted: NotRequired[bool]
    role: NotRequired[Annotated[str, StringConstraints(max_length=40)]]  # an older hub sends none: cashier


class PolicyItem(TypedDict):
    __pydantic_config__ = _ITEM  # type: ignore[misc]
    name: Code
    body: Annotated[str, StringConstraints(max_length=65536)]  # JSON, read by pos.store_day.policies
    deleted: bool


ItemT = TypeVar("ItemT")


class DatasetPage(_Answer, Generic[ItemT]):
    dataset: str
    items: list[ItemT] = Field(max_length=5000)
    cursor: Version
    more: bool
    snapshot: Version


PAGE_MODELS: dict[str, type[DatasetPage]] = {  # type: ignore[type-arg]
    "products": DatasetPage[ProductItem],
    "barcodes": DatasetPage[BarcodeItem],
    "prices": DatasetPage[PriceItem],
    "taxes": DatasetPage[TaxItem],
    "cashiers": DatasetPage[CashierItem],
    "policies": DatasetPage[PolicyItem],
}
