"""The hub's HTTP API (docs/sync-protocol.md): ``create_app(database_url)``.

Request handling keeps no state between requests: the database is the only truth, so
several hub processes can serve one PostgreSQL database.  Endpoints are plain functions
(FastAPI runs them in its thread pool); every error answers ``{"error", "detail"}``.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as FastApiPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic_core import to_json
from sqlalchemy import exc as sa_exc
from sqlalchemy import update
from starlette.exceptions import HTTPException as StarletteHTTPException

from central import api_models as m
from central.body_limit import MAX_BODY_BYTES, BodyLimit
from central.database import HubDatabase, connect
from central.datasets import MAX_PAGE, parse_cursor, pull, unknown_dataset
from central.documents_intake import MAX_DOCUMENTS, Envelope, receive_documents
from central.documents_report import returned_of_sale
from central.enrolment import enrol, till_for_credential
from central.errors import HubError, TooLarge
from central.gift_card_api import add_gift_card_api
from central.feed_api import add_feed_api
from central.promotions_api import add_promotions_api
from central.sale_lookup import sale_for_return
from central.sales_intake import MAX_SALES, receive_batch
from central.status_page import add_status_page
from central.stores import TillIdentity
from central.tables import tills

log = logging.getLogger(__name__)
API_VERSION = "1"
_bearer = HTTPBearer(auto_error=False, description="kt1.<id>.<secret> from POST /v1/enrolments")


def hub_time() -> str:
    return datetime.now(timezone.utc).isoformat()


def create_app(database_url: str, *, status_password: str | None = None, admin_token: str | None = None) -> FastAPI:
    """The hub's app; ``status_password`` turns on the status page (central/status_page.py),
    ``admin_token`` head office's API (``PUT /v1/promotions``, central/promotions_api.py)."""
    app = FastAPI(title="Kassa hub", version=API_VERSION,
                  description="The chain's central system: tills push sales and pull reference data.")
    app.state.db = connect(database_url)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    _add_error_handlers(app)
    _add_routes(app)
    add_status_page(app, status_password)
    add_promotions_api(app, admin_token)
    add_gift_card_api(app)
    add_feed_api(app)  # GET /v1/feed under $KASSA_HUB_FEED_TOKEN (central/feed_api.py)
    return app


def _db(request: Request) -> HubDatabase:
    return request.app.state.db  # type: ignore[no-any-return]


def current_till(request: Request, bearer: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> TillIdentity:
    header = None if bearer is None else f"Bearer {bearer.credentials}"
    return till_for_credential(_db(request), header)


def _add_routes(app: FastAPI) -> None:
    @app.post("/v1/enrolments", status_code=201, response_model=m.EnrolmentAnswer,
              responses=m.errors(400, 403), tags=["tills"])
    def post_enrolment(body: m.EnrolmentRequest, request: Request) -> m.EnrolmentAnswer:
        """Exchange a one-time enrolment code for the till's credential."""
        enrolment = enrol(_db(request), body.code, body.device)
        till = enrolment.till
        return m.EnrolmentAnswer(store_id=till.store_id, till_id=till.till_id,
                                 credential=enrolment.credential, hub_time=hub_time())

    @app.post("/v1/sales/batch", response_model=m.BatchAnswer, response_model_exclude_none=True,
              responses=m.errors(400, 401, 413), tags=["sales"])
    def push_sales(batch: m.SalesBatch, request: Request,
                   till: TillIdentity = Depends(current_till)) -> dict[str, Any]:
        """Store a batch of the till's sales, exactly once each, in one transaction."""
        if len(batch.sales) > MAX_SALES:
            raise TooLarge(f"{len(batch.sales)} sales in one batch; at most {MAX_SALES}")
        results = receive_batch(_db(request), till, [(item.seq, item.sale) for item in batch.sales])
        return {"results": results, "hub_time": hub_time()}

    @app.post("/v1/documents", response_model=m.DocumentsAnswer, response_model_exclude_none=True,
              responses=m.errors(400, 401, 413), tags=["store day"])
    def push_documents(batch: m.DocumentsBatch, request: Request,
                       till: TillIdentity = Depends(current_till)) -> dict[str, Any]:
        """Store the till's store-day documents (returns, cash movements, approvals, cancelled sales,
        shift openings and closings, Z reports), exactly once each, in one transaction."""
        if len(batch.documents) > MAX_DOCUMENTS:
            raise TooLarge(f"{len(batch.documents)} documents in one request; at most {MAX_DOCUMENTS}")
        envelopes = [Envelope(d.schema_, d.document_id, d.series, d.number, d.body) for d in batch.documents]
        return {"results": receive_documents(_db(request), till, envelopes), "hub_time": hub_time()}

    @app.get("/v1/sales/{sale_id}/returned", response_model=m.ReturnedAnswer, responses=m.errors(400, 401, 404),
             tags=["store day"])
    def get_returned(sale_id: Annotated[str, FastApiPath(max_length=100, description=(
                         "the sale's id; a sale of another store, or one the hub does not hold, is 404"))],
                     request: Request, till: TillIdentity = Depends(current_till)) -> m.ReturnedAnswer:
        """What has been returned of a sale of the till's store so far, at every till: the arbiter of returns."""
        lines = returned_of_sale(_db(request), till, sale_id)
        return m.ReturnedAnswer(sale_id=sale_id, lines=[
            m.ReturnedLineAnswer(sold_line_id=line.sold_line_id, quantity=str(line.quantity),
                                 refunded=str(line.refunded.amount)) for line in lines])

    @app.get("/v1/sales/{sale_id}", response_model=m.SaleForReturnAnswer, responses=m.errors(400, 401, 404),
             tags=["store day"])
    def get_sale(sale_id: Annotated[str, FastApiPath(max_length=100, description=(
                     "the sale's id; 404 sale_not_found when the hub does not hold it, 404 sale_of_another_store "
                     "when another store sold it"))],
                 request: Request, till: TillIdentity = Depends(current_till)) -> m.SaleForReturnAnswer:
        """A sale of the till's store with what has been returned and refunded of it at every till: a return
        of another till's sale."""
        found = sale_for_return(_db(request), till, sale_id)
        return m.SaleForReturnAnswer(
            sale_id=str(found.document["sale_id"]), sale=found.document,
            returned=[m.ReturnedLineAnswer(sold_line_id=line.sold_line_id, quantity=str(line.quantity),
                                           refunded=str(line.refunded.amount)) for line in found.returned],
            refunded=[m.RefundedPaymentAnswer(payment_id=key, amount=str(amount.amount))
                      for key, amount in sorted(found.refunded.items())])

    @app.get("/v1/datasets/{dataset}", response_model=m.DatasetPage, responses=m.errors(400, 401, 404),
             tags=["reference data"])
    def get_dataset(dataset: Annotated[m.DatasetName, FastApiPath(description="an unknown name is 404 unknown_dataset")],
                    request: Request,
                    after: Annotated[str | None, Query(pattern=m.CURSOR_PATTERN, description=(
                        "the cursor of the previous page (a whole number of at most 18 digits); "
                        "absent or empty: from the start"))] = None,
                    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
                    till: TillIdentity = Depends(current_till)) -> Response:
        """One page of a dataset's changes after a cursor, oldest first."""
        page = pull(_db(request), till, dataset, parse_cursor(after), limit)
        # A page is up to 5,000 items built by the hub itself: it is written straight to JSON
        # (pydantic-core) rather than validated again item by item against m.DatasetPage.
        body = {"dataset": page.dataset, "items": page.items, "cursor": str(page.cursor),
                "more": page.more, "snapshot": str(page.snapshot)}
        return Response(to_json(body), media_type="application/json")

    @app.post("/v1/heartbeat", response_model=m.HeartbeatAnswer, responses=m.errors(400, 401), tags=["tills"])
    def post_heartbeat(body: m.Heartbeat, request: Request,
                       till: TillIdentity = Depends(current_till)) -> m.HeartbeatAnswer:
        """The till says it is alive; the answer's hub_time lets it measure clock skew."""
        with _db(request).writing() as conn:
            conn.execute(update(tills).where(tills.c.store_id == till.store_id, tills.c.till_id == till.till_id)
                         .values(last_seen_at=datetime.now(timezone.utc), last_till_time=body.till_time,
                                 queue_length=body.queue_length, oldest_unsent_seconds=body.oldest_unsent_seconds,
                                 app_version=body.app_version))
        return m.HeartbeatAnswer(hub_time=hub_time())

    @app.get("/v1/health", response_model=m.Health, responses=m.errors(503), tags=["operations"])
    def get_health(request: Request) -> m.Health:
        """No credential needed: is the hub up and its database reachable?"""
        db = _db(request)
        with db.reading() as conn:
            conn.exec_driver_sql("SELECT 1")
        return m.Health(status="ok", database=db.engine.dialect.name, hub_time=hub_time())


def _error(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    # A detail may quote the request (a field's name, a dataset's): whatever it holds, the
    # answer must encode as UTF-8, so a lone surrogate is written as its escape.
    detail = detail.encode("utf-8", "backslashreplace").decode("utf-8")
    return JSONResponse({"error": code, "detail": detail}, status_code=status, headers=headers)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HubError)
    async def hub_error(_request: Request, error: HubError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return _error(error.status, error.code, error.detail, headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = error.errors()
        if any(tuple(problem["loc"]) == ("path", "dataset") for problem in problems):
            return await hub_error(_request, unknown_dataset(str(_request.path_params.get("dataset", ""))))
        first = problems[0] if problems else {"loc": (), "msg": "bad request", "type": ""}
        if first.get("type") == "json_invalid":
            return _error(400, "bad_request", f"malformed JSON: {first.get('ctx', {}).get('error', first['msg'])}")
        where = ".".join(str(part) for part in first["loc"])
        return _error(400, "bad_request", f"{where}: {first['msg']}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        codes = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
        return _error(error.status_code, codes.get(error.status_code, f"http_{error.status_code}"), str(error.detail),
                      getattr(error, "headers", None))

    @app.exception_handler(sa_exc.OperationalError)
    async def database_down(_request: Request, error: sa_exc.OperationalError) -> JSONResponse:
        log.error("database problem: %s", error)
        return _error(503, "database_unavailable", "the hub cannot reach its database; retry later")

    @app.exception_handler(Exception)
    async def internal(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return _error(500, "internal", "the hub failed; the request was not applied")


def openapi_document() -> str:
    """The API's OpenAPI document as committed in docs/openapi.json (sorted keys, indent 2)."""
    app = create_app("sqlite://")
    try:
        return json.dumps(app.openapi(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    finally:
        app.state.db.close()


if __name__ == "__main__":  # python -m central.app > docs/openapi.json
    print(openapi_document(), end="")
