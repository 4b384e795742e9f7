"""``GET /v1/feed``: the CRM feed (central/event_feed.py) over HTTP, for a CRM or any reader of
what the hub accepted (docs/sync-protocol.md, The CRM feed).

Protection, as head office's admin API (central/promotions_api.py): off unless the hub is
started with ``$KASSA_HUB_FEED_TOKEN`` set (at least ``MIN_TOKEN`` characters, no till's
credential); off, the path answers ``404 not_found``.  On, it needs ``Authorization: Bearer
<that token>`` (compared in constant time), else ``401``.  The feed token opens nothing else,
and nothing else (a till's credential, the admin token) opens the feed.
"""

from __future__ import annotations

import os
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from central import api_models as m
from central.event_feed import MAX_FEED_PAGE, read_feed
from central.tokens import check_token, require_token
from central.wire_types import SEQ_MAX

FEED_TOKEN_VARIABLE = "KASSA_HUB_FEED_TOKEN"
_feed = HTTPBearer(scheme_name="FeedToken", auto_error=False,
                   description=f"the CRM's token: the value of ${FEED_TOKEN_VARIABLE} the hub was started with")

EventKind = Literal["sale", "return", "cash_movement", "approval", "sale_cancelled", "shift", "z_report", "customer",
                    "customer_identified"]


class FeedEvent(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    cursor: int = Field(ge=1, description="this event's place in the feed: after=<cursor> reads what follows it")
    kind: EventKind = Field(description="sale, or the store-day document's series (customer: a registration "
                                        "at a till; customer_identified: a customer identified for a sale)")
    schema_: str = Field(alias="schema", description="the document's schema, e.g. kassa.sale.v3, kassa.return.v1")
    document_id: str = Field(description="the sale_id of a sale, else the document's id: unique per kind, forever")
    store_id: str
    till_id: str
    received_at: str = Field(description="when the hub stored it (RFC 3339, UTC)")
    document: dict[str, Any] = Field(description="the document as the till sent it (docs/sync-protocol.md)")


class FeedAnswer(BaseModel):
    events: list[FeedEvent] = Field(description="oldest first; never the same event twice, never one left out")
    cursor: int = Field(ge=0, description="the last event's cursor (or after= when there is none): the next after=")
    more: bool = Field(description="true: more events wait now; false: caught up, ask again in a few seconds")


def check_feed_token(token: str | None) -> str | None:
    """The feed token (None: the feed is off), or AdminProblem for one too weak to use."""
    return check_token(token, FEED_TOKEN_VARIABLE)


def _crm(request: Request, bearer: HTTPAuthorizationCredentials | None = Depends(_feed)) -> None:
    require_token(request.app.state.feed_token, bearer,
                  off=f"the feed is off: start the hub with ${FEED_TOKEN_VARIABLE} set",
                  wrong="send the feed token as Authorization: Bearer")


def add_feed_api(app: FastAPI, token: str | None = None) -> None:
    """The feed's route; its token ``token`` or else ``$KASSA_HUB_FEED_TOKEN`` (checked: a bad one
    stops the hub at start)."""
    app.state.feed_token = check_feed_token(token if token is not None else os.environ.get(FEED_TOKEN_VARIABLE))

    @app.get("/v1/feed", response_model=FeedAnswer, tags=["crm"], responses={
        **m.errors(400), 401: {"model": m.ErrorBody, "description": "no feed token, or a wrong one"},
        404: {"model": m.ErrorBody, "description": "the feed is off (no $KASSA_HUB_FEED_TOKEN)"}})
    def get_feed(request: Request, _reader: Annotated[None, Depends(_crm)],
                 after: Annotated[int, Query(ge=0, le=SEQ_MAX, description=(
                     "the cursor of the last event read (0: from the start)"))] = 0,
                 limit: Annotated[int, Query(ge=1, le=MAX_FEED_PAGE)] = 100) -> FeedAnswer:
        """The documents the hub accepted after a cursor, oldest first: sales, returns, shift documents,
        customers' registrations.  Resume after an outage from the last cursor read: no gap, no repeat."""
        page = read_feed(request.app.state.db, after, limit)
        return FeedAnswer(events=[FeedEvent(**event) for event in page.events], cursor=page.cursor, more=page.more)
