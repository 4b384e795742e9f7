"""The JSON bodies of the protocol (docs/sync-protocol.md) as pydantic models: they
validate requests and describe every answer in the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, StrictInt

Reason = Literal["schema", "wrong_till", "unknown_product", "totals", "seq_conflict"]


class ErrorBody(BaseModel):
    error: str = Field(examples=["unauthorized"])
    detail: str


class EnrolmentRequest(BaseModel):
    code: Annotated[str, Field(min_length=1, max_length=40, examples=["KQ7M-4XPD-93HF"])]
    device: Annotated[str, Field(min_length=1, max_length=200, examples=["till-pc-014-1"])]


class EnrolmentAnswer(BaseModel):
    store_id: str
    till_id: str
    credential: str = Field(description="kt1.<id>.<secret>: send as Authorization: Bearer")
    hub_time: str


class BatchItem(BaseModel):
    seq: Annotated[StrictInt, Field(ge=1, description="the till's gapless sequence: the receipt number")]
    sale: dict[str, Any] = Field(description="a kassa.sale.v1 document (pos.codec.sale_to_dict); "
                                             "validated one by one, so one bad sale rejects only itself")


class SalesBatch(BaseModel):
    sales: list[BatchItem] = Field(description="at most 500 sales; the request at most 8 MB")


class SaleResult(BaseModel):
    sale_id: str
    status: Literal["accepted", "duplicate", "rejected"]
    reason: Reason | None = None
    detail: str | None = None


class BatchAnswer(BaseModel):
    results: list[SaleResult]
    hub_time: str


class DatasetPage(BaseModel):
    dataset: str
    items: list[dict[str, Any]]
    cursor: str = Field(description="version of the page's last item; pass it as after= for the next page")
    more: bool
    snapshot: str = Field(description="the hub's global version when the page was read")


class Heartbeat(BaseModel):
    till_time: AwareDatetime
    queue_length: Annotated[StrictInt, Field(ge=0)]
    oldest_unsent_seconds: Annotated[StrictInt, Field(ge=0)] | None = None
    app_version: Annotated[str, Field(max_length=40)]


class HeartbeatAnswer(BaseModel):
    hub_time: str


class Health(BaseModel):
    status: Literal["ok"]
    database: str
    hub_time: str


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for error statuses answered with an ErrorBody."""
    return {status: {"model": ErrorBody} for status in statuses}
