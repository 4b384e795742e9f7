"""The gift card API a till asks (docs/gift-cards.md, The hub's API): ``POST /v1/gift-cards/find``,
``/code``, ``/redeem`` and ``/release``, authenticated with the till's credential like
``/v1/sales/batch``.  Errors answer ``{"error", "detail"}`` plus ``attempts_left`` (a wrong
code) or ``balance`` (not enough on the card).

The clock is ``app.state.gift_card_clock`` (tests move it) and the SMS sender
``app.state.sms_sender`` (central/sms.py); an SMS goes out once its transaction committed.
After the hub answered a sales batch, the "card ready" messages its sales made due are sent
(``ReadySmsAfterSales``, central/gift_card_ready_sms.py): the till has its answer first.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from central import gift_card_codes, gift_card_ready_sms, gift_cards
from central.gift_card_errors import GiftCardProblem
from central.sms import LoggingSmsSender, SmsSender
from central.stores import TillIdentity
from pos.money import CURRENCY_EXPONENTS

log = logging.getLogger(__name__)

CARD_PATTERN = r"^9900[0-9]{12}$"
PHONE_PATTERN = r"^\+[1-9][0-9]{6,14}$"
CardNumber = Annotated[str, Field(pattern=CARD_PATTERN, examples=["9900123456789015"], description=(
    "16 digits starting 9900 with a Luhn check digit (a wrong check digit: 404 bad_card_number)"))]
Currency = Literal[tuple(CURRENCY_EXPONENTS)]  # type: ignore[valid-type]


class FindByNumber(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    schema_: Literal["kassa.gift_card_find.v1"] = Field(alias="schema")
    card_number: CardNumber


class FindByPhone(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    schema_: Literal["kassa.gift_card_find.v1"] = Field(alias="schema")
    phone: Annotated[str, Field(pattern=PHONE_PATTERN, examples=["+380501234567"], description="E.164")]


class CardAnswer(BaseModel):
    card_number: str
    masked: str = Field(examples=["**** **** **** 9015"])
    balance: str = Field(examples=["500.00"])
    currency: str
    needs_code: bool = Field(description="an electronic card: POST /v1/gift-cards/code first, then redeem with it")
    locked: bool
    phone_masked: str = Field(examples=["+380 ** *** ** 67"], description='"" for a plastic card')


class FindAnswer(BaseModel):
    cards: list[CardAnswer]


class CodeRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    schema_: Literal["kassa.gift_card_code.v1"] = Field(alias="schema")
    card_number: CardNumber


class CodeAnswer(BaseModel):
    card_number: str
    sent_to: str = Field(examples=["+380 ** *** ** 67"])
    expires_in_seconds: int


class RedeemRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    schema_: Literal["kassa.gift_card_redemption.v1"] = Field(alias="schema")
    redemption_id: uuid.UUID = Field(description="the idempotency key: the same id and body again gets the same answer")
    sale_id: uuid.UUID
    card_number: CardNumber
    amount: Annotated[str, Field(max_length=24, examples=["100.00"], description=(
        "more than zero, whole minor units, at most 10000.00 (else 400 bad_amount)"))]
    currency: Currency = Field(description="the card's currency (another: 400 bad_currency)")  # type: ignore[valid-type]
    code: Annotated[str, Field(max_length=16, description='the one-time code of an electronic card; "" for a plastic one')] = ""


class RedeemAnswer(BaseModel):
    redemption_id: str
    card_number: str
    amount: str
    currency: str
    approval_code: str = Field(examples=["GC7K2M9QXA"], description="letters and digits, at most 12")
    balance_after: str


class ReleaseRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    schema_: Literal["kassa.gift_card_release.v1"] = Field(alias="schema")
    redemption_id: uuid.UUID


class ReleaseAnswer(BaseModel):
    redemption_id: str
    released: bool = Field(description="false: it was never held; true: given back (now or before)")


class GiftCardErrorBody(BaseModel):
    error: str
    detail: str
    attempts_left: int | None = Field(default=None, description="403 wrong_code: tries before the card locks")
    balance: str | None = Field(default=None, description="409 not_enough: what the card holds")


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": GiftCardErrorBody} for status in statuses}


def _now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.gift_card_clock
    return clock()


def add_gift_card_api(app: FastAPI, *, clock: Callable[[], datetime] | None = None,
                      sms_sender: SmsSender | None = None) -> None:
    from central.app import current_till  # central.app calls this from create_app

    app.state.gift_card_clock = clock or (lambda: datetime.now(timezone.utc))
    app.state.sms_sender = sms_sender or LoggingSmsSender()
    app.add_middleware(ReadySmsAfterSales)

    @app.exception_handler(GiftCardProblem)
    async def refused(_request: Request, error: GiftCardProblem) -> JSONResponse:
        body = {"error": error.code, "detail": error.detail, **error.extra}
        return JSONResponse(body, status_code=error.status)

    @app.post("/v1/gift-cards/find", response_model=FindAnswer, responses=_errors(400, 401, 404), tags=["gift cards"])
    def find_gift_cards(body: FindByNumber | FindByPhone, request: Request,
                        till: TillIdentity = Depends(current_till)) -> dict[str, Any]:
        """The active card of a number, or the cards bound to a phone (404 gift_card_unknown,
        no_gift_card_for_phone)."""
        with request.app.state.db.writing() as conn:  # a look gives stale holds back
            if isinstance(body, FindByNumber):
                return {"cards": gift_cards.find(conn, _now(request), number=gift_cards.card_number(body.card_number))}
            return {"cards": gift_cards.find(conn, _now(request), phone=body.phone)}

    @app.post("/v1/gift-cards/code", status_code=202, response_model=CodeAnswer,
              responses=_errors(400, 401, 404, 409, 423), tags=["gift cards"])
    def send_gift_card_code(body: CodeRequest, request: Request,
                            till: TillIdentity = Depends(current_till)) -> dict[str, Any]:
        """Send a new one-time code to an electronic card's phone (the older code stops working)."""
        with request.app.state.db.writing() as conn:
            answer, phone, text = gift_card_codes.send_code(conn, body.card_number, _now(request))
        request.app.state.sms_sender.send(phone, text)
        return answer

    @app.post("/v1/gift-cards/redeem", response_model=RedeemAnswer,
              responses=_errors(400, 401, 403, 404, 409, 410, 423), tags=["gift cards"])
    def redeem_gift_card(body: RedeemRequest, request: Request,
                         till: TillIdentity = Depends(current_till)) -> dict[str, Any]:
        """Hold an amount on a card for a sale; idempotent by redemption_id.  The sale's arrival
        captures the hold; POST /v1/gift-cards/release gives it back; unclaimed, after 24 hours."""
        asked = gift_cards.HoldAsked(body.redemption_id, body.sale_id, body.card_number, body.amount, body.currency,
                                     body.code)
        with request.app.state.db.writing() as conn:
            answer, refused_after_commit = gift_cards.redeem(conn, asked, till, _now(request))
        if refused_after_commit is not None:
            raise refused_after_commit
        assert answer is not None
        return answer

    @app.post("/v1/gift-cards/release", response_model=ReleaseAnswer, responses=_errors(400, 401, 409),
              tags=["gift cards"])
    def release_gift_card(body: ReleaseRequest, request: Request,
                          till: TillIdentity = Depends(current_till)) -> dict[str, Any]:
        """Give a hold back to its card (409 already_captured once its sale reached the hub)."""
        with request.app.state.db.writing() as conn:
            released = gift_cards.release(conn, body.redemption_id, _now(request))
        return {"redemption_id": str(body.redemption_id), "released": released}


class ReadySmsAfterSales:
    """Once a sales batch was answered 200 (its transactions committed), the due "card ready"
    messages are sent through ``app.state.sms_sender``; a failure there is logged, never the
    till's concern."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/v1/sales/batch":
            await self.app(scope, receive, send)
            return
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, sending)
        if status == 200:
            state = scope["app"].state
            try:
                await run_in_threadpool(gift_card_ready_sms.send_due, state.db, state.sms_sender,
                                        state.gift_card_clock())
            except Exception:  # the database went away after the answer: the next batch sends them
                log.exception("the due gift card messages were not sent after a sales batch")
