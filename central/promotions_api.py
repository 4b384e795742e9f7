"""``PUT /v1/promotions``: head office sets promotion definitions over HTTP, checked exactly as
``kassa-hub set-promotions`` checks them (central/promotions.py): all or nothing, ``400
bad_definitions`` listing every problem, or ``200`` with what changed.

Protection.  Off unless the hub is started with ``$KASSA_HUB_ADMIN_TOKEN`` set (at least
``MIN_TOKEN`` characters); off, the path answers ``404 not_found``.  On, it needs
``Authorization: Bearer <that token>`` (compared in constant time), else ``401``.  A till's
credential opens nothing here (it is never the admin token: a token shaped like one is
refused at start), and the admin token opens nothing of the till API.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from central import api_models as m
from central.promotions import MAX_DEFINITIONS, BadPromotions, set_promotions
from central.tokens import check_token, require_token

ADMIN_TOKEN_VARIABLE = "KASSA_HUB_ADMIN_TOKEN"
_admin = HTTPBearer(scheme_name="AdminToken", auto_error=False,
                    description=f"head office's token: the value of ${ADMIN_TOKEN_VARIABLE} the hub was started with")


def check_admin_token(token: str | None) -> str | None:
    """The admin token as given to ``create_app`` (None: the admin API is off), or AdminProblem."""
    return check_token(token, ADMIN_TOKEN_VARIABLE)


def _head_office(request: Request, bearer: HTTPAuthorizationCredentials | None = Depends(_admin)) -> None:
    require_token(request.app.state.admin_token, bearer,
                  off=f"the admin API is off: start the hub with ${ADMIN_TOKEN_VARIABLE} set",
                  wrong="send head office's admin token as Authorization: Bearer")


def add_promotions_api(app: FastAPI, admin_token: str | None) -> None:
    app.state.admin_token = admin_token

    @app.exception_handler(BadPromotions)
    async def refused(_request: Request, error: BadPromotions) -> JSONResponse:
        body = {"error": error.code, "detail": error.detail.encode("utf-8", "backslashreplace").decode("utf-8"),
                "problems": [p.encode("utf-8", "backslashreplace").decode("utf-8") for p in error.problems]}
        return JSONResponse(body, status_code=error.status)

    @app.put("/v1/promotions", response_model=m.PromotionsAnswer, tags=["head office"], responses={
        400: {"model": m.ProblemsBody, "description": "bad_definitions (nothing changed) or a malformed body"},
        401: {"model": m.ErrorBody, "description": "no admin token, or a wrong one"},
        404: {"model": m.ErrorBody, "description": "the admin API is off (no $KASSA_HUB_ADMIN_TOKEN)"},
        413: {"model": m.ErrorBody}})
    def put_promotions(
            request: Request, _signed_in: Annotated[None, Depends(_head_office)],
            definitions: Annotated[list[Any], Body(max_length=MAX_DEFINITIONS, description=(
                "kassa.promotion.v1 definitions (docs/promotions.md, The definition format); all stored or none"))],
            full: Annotated[bool, Query(description="the list is the whole set: remove the stored promotions "
                                                    "it lacks")] = False) -> m.PromotionsAnswer:
        """Check and store head office's promotion definitions (the tills pull them as the promotions dataset)."""
        saved = set_promotions(request.app.state.db, definitions, full=full)
        return m.PromotionsAnswer(
            saved=[m.PromotionVersion(id=i, version=str(v)) for i, v in saved.saved], unchanged=saved.unchanged,
            removed=[m.PromotionVersion(id=i, version=str(v)) for i, v in saved.removed], hub_time=datetime.now(timezone.utc).isoformat())
