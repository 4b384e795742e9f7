"""The Tryton 8.2 connector: a sale as a ``sale.point.sale`` over Tryton's JSON-RPC.

A sale is delivered in at most four calls, each its own Tryton transaction:

1. look it up by ``kassa_reference`` (our module erp_modules/kassa_pos: unique);
2. if absent, create it whole in one call: the point of sale of its till (a ``sale.point`` named
   ``STORE/TILL``) or else of its store (named ``STORE``), the date (the store's own day, the local
   date of the till's time in the store's time zone: ``ErpSale.day``), the reference, its lines
   (product by code; the till's prices after discounts, VAT included: Tryton's promotions do not
   price POS sales) and its payments (method by name: Cash, Card, Points, Gift card);
3. ``process`` it while it is open, 4. ``post`` it while it is done.
Reading the state first makes each step safe to repeat after a crash at any point: a sale found
processed or posted is success, never a second sale.

Tryton's answers become the interface's faults (central/erp/interface.py): no answer, a 5xx, a
conflict or too many requests: :class:`ErpUnavailable`; a refused password or right, a product or
point of sale Tryton lacks, a document it refuses: :class:`ErpRefused`.  The password is sent
only to sign in, and no message or log line carries it.
"""

from __future__ import annotations

import base64
import logging
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx

from central.erp.interface import Delivered, ErpLine, ErpRefused, ErpSale, ErpShiftClosing, ErpUnavailable
from central.erp.tryton_json import decode, encode
from central.erp.tryton_settings import TrytonSettings

log = logging.getLogger(__name__)

PRICE = Decimal("0.0001")  # Tryton's price digits
DUPLICATE = "Kassa reference already exists"
BUSY = ("ConcurrencyException", "database is locked", "OperationalError", "could not serialize")


class TrytonConnector:
    """An :class:`~central.erp.interface.ErpConnector` for one Tryton database."""

    def __init__(self, settings: TrytonSettings, *, http: httpx.Client | None = None) -> None:
        self.settings = settings
        self.http = http or httpx.Client(timeout=settings.timeout)
        self._auth: str | None = None
        self.context: dict[str, Any] = {}
        self._ids: dict[tuple[str, str], int] = {}  # (model, name or code) -> id, for this session

    # -- the interface --------------------------------------------------------------------------
    def describe(self) -> str:
        return f"Tryton {self.settings.url} database {self.settings.database!r} as {self.settings.user!r}"

    def check(self) -> str:
        self._auth = None
        self._sign_in()
        points = self.call("sale.point", "search_read", [], 0, None, [("name", "ASC")], ["name"])
        methods = self.call("sale.point.payment.method", "search_read", [], 0, None, None, ["name"])
        return (f"signed in to {self.describe()}; points of sale: "
                f"{', '.join(p['name'] for p in points) or 'none'}; payment methods: "
                f"{', '.join(m['name'] for m in methods) or 'none'}")

    def deliver_sale(self, sale: ErpSale) -> Delivered:
        found = self._find(sale.reference)
        already = found is not None
        if found is None:
            try:
                self.call("sale.point.sale", "create", [self._sale_values(sale)])
            except ErpRefused as refused:
                if DUPLICATE not in refused.reason:
                    raise
            found = self._find(sale.reference)
            if found is None:
                raise ErpUnavailable(f"Tryton did not keep sale {sale.reference}: it will be sent again")
        if found["state"] == "cancelled":
            raise ErpRefused(f"sale {sale.reference} is cancelled in Tryton (POS sale {found['id']}): "
                             "reopen or delete it there, then retry")
        if found["state"] == "open":
            self.call("sale.point.sale", "process", [found["id"]])
            found = self._find(sale.reference) or found
            if found["state"] == "open":
                raise ErpRefused(f"Tryton left sale {sale.reference} open (POS sale {found['id']}): its payments "
                                 "do not settle its total")
        if found["state"] == "done":
            self.call("sale.point.sale", "post", [found["id"]])
            found = self._find(sale.reference) or found
        return Delivered(f"{found['id']} {found.get('number') or ''}".strip(), already_there=already)

    def close_shift(self, closing: ErpShiftClosing) -> Delivered:
        from central.erp.cash_sessions import close_in_tryton

        return close_in_tryton(self, closing)

    def close(self) -> None:
        self.http.close()

    # -- RPC ------------------------------------------------------------------------------------
    def calls(self, model: str, method: str, *args: Any, context: dict[str, Any] | None = None) -> Any:
        """Any ``model.method(*args)`` in the user's context (plus ``context``): for other readers."""
        return self.call(model, method, *args, context=context)

    def call(self, model: str, method: str, *args: Any, context: dict[str, Any] | None = None) -> Any:
        if self._auth is None:
            self._sign_in()
        try:
            return self._rpc(f"model.{model}.{method}", [*args, {**self.context, **(context or {})}])
        except _SessionEnded:
            self._sign_in()  # the session may have ended: once more with a new one
        try:
            return self._rpc(f"model.{model}.{method}", [*args, {**self.context, **(context or {})}])
        except _SessionEnded:
            raise ErpRefused(f"Tryton refused user {self.settings.user!r} {model}.{method} (HTTP 403): give it "
                             "the rights in Tryton (groups POS and POS Posting), then retry") from None

    def _sign_in(self) -> None:
        settings = self.settings
        self._auth, self._ids = None, {}
        try:
            user_id, session, _bus = self._rpc(
                "common.db.login", [settings.user, {"password": settings.password()}, "en"], signing_in=True)
        except _SessionEnded:
            raise ErpRefused(f"Tryton refused user {settings.user!r} on database {settings.database!r}: "
                             "a wrong password or login (check the password file or variable)") from None
        self._auth = "Session " + base64.b64encode(f"{settings.user}:{user_id}:{session}".encode()).decode()
        try:
            self.context = self._rpc("model.res.user.get_preferences", [True, {}])
        except _SessionEnded:
            raise ErpRefused(f"Tryton signed user {settings.user!r} in but refused its preferences") from None

    def _rpc(self, method: str, params: list[Any], *, signing_in: bool = False) -> Any:
        headers = {"Content-Type": "application/json"}
        if self._auth and not signing_in:
            headers["Authorization"] = self._auth
        body = encode({"id": 1, "method": method, "params": params})
        try:
            answer = self.http.post(self.settings.rpc_url, content=body, headers=headers)
        except httpx.TimeoutException:
            raise ErpUnavailable(f"Tryton at {self.settings.url} did not answer {method} in "
                                 f"{self.settings.timeout:g} s") from None
        except httpx.TransportError as error:
            raise ErpUnavailable(f"Tryton at {self.settings.url} cannot be reached: {error}") from None
        if answer.status_code in (401, 403):
            raise _SessionEnded()
        if answer.status_code == 429:
            raise ErpUnavailable("Tryton asks to wait: too many sign-ins or requests (HTTP 429)")
        if answer.status_code == 404:
            raise ErpRefused(f"Tryton at {self.settings.url} has no database {self.settings.database!r}")
        if answer.status_code >= 400:
            raise ErpUnavailable(f"Tryton answered HTTP {answer.status_code} to {method}")
        try:
            reply = decode(answer.text)
        except ValueError:
            raise ErpUnavailable(f"Tryton's answer to {method} is not JSON-RPC") from None
        if "error" in reply and reply["error"] is not None:
            raise _fault(method, reply["error"])
        return reply.get("result")

    # -- the sale -------------------------------------------------------------------------------
    def _find(self, reference: str) -> dict[str, Any] | None:
        found = self.call("sale.point.sale", "search_read", [("kassa_reference", "=", reference)], 0, 1, None,
                          ["id", "state", "number"])
        return found[0] if found else None

    def _sale_values(self, sale: ErpSale) -> dict[str, Any]:
        point = self._point(sale.store_id, sale.till_id)
        lines = [self._line(line) for line in sale.lines]
        payments = [{"method": self._id("sale.point.payment.method", self.settings.method_name(p.method),
                                        f"payment method {self.settings.method_name(p.method)!r} (the till's "
                                        f"{p.method!r})"),
                     "amount": p.amount} for p in sale.payments if p.amount]
        return {"point": point, "date": sale.day, "kassa_reference": sale.reference,
                "lines": [["create", lines]], "payments": [["create", payments]]}

    def _line(self, line: ErpLine) -> dict[str, Any]:
        product = self._product(line.product_code)
        gross = (line.total / line.quantity).quantize(PRICE, ROUND_HALF_UP) if line.quantity else Decimal(0)
        untaxed = (gross * 100 / (100 + line.vat_percent)).quantize(PRICE, ROUND_HALF_UP)
        return {"product": product, "quantity": float(line.quantity), "unit_gross_price": gross,
                "unit_list_price": untaxed}

    def _point(self, store_id: str, till_id: str) -> int:
        for name in (f"{store_id}/{till_id}", store_id):
            if ("sale.point", name) in self._ids:
                return self._ids[("sale.point", name)]
            found = self.call("sale.point", "search", [("name", "=", name)], 0, 1, None)
            if found:
                self._ids[("sale.point", name)] = found[0]
                return int(found[0])
        raise ErpRefused(f"Tryton has no point of sale for store {store_id!r} (a sale.point named "
                         f"{store_id!r} or {store_id + '/' + till_id!r}): add it in Tryton, then retry")

    def _product(self, code: str) -> int:
        if ("product.product", code) not in self._ids:
            found = self.call("product.product", "search", [("code", "=", code)], 0, 1, None)
            if not found:
                raise ErpRefused(f"Tryton has no product {code!r} (deleted or deactivated since the pull?): "
                                 "add or reactivate it, or map the code, then retry")
            self._ids[("product.product", code)] = int(found[0])
        return self._ids[("product.product", code)]

    def _id(self, model: str, name: str, what: str) -> int:
        if (model, name) not in self._ids:
            found = self.call(model, "search", [("name", "=", name)], 0, 1, None)
            if not found:
                raise ErpRefused(f"Tryton has no {what}: add it in Tryton, then retry")
            self._ids[(model, name)] = int(found[0])
        return self._ids[(model, name)]


class _SessionEnded(Exception):
    """Tryton refused the credentials (HTTP 401/403): sign in again, once."""


def _fault(method: str, error: Any) -> Exception:
    """Tryton's JSON-RPC error ``[kind, details]`` (a Tryton exception) or ``[text, traceback]``."""
    kind = str(error[0]) if isinstance(error, list) and error else str(error)
    details = error[1] if isinstance(error, list) and len(error) > 1 else ""
    if isinstance(details, list):
        message = " - ".join(str(part) for part in details[:2] if part)
    else:
        message = kind if not isinstance(details, str) or "Traceback" in details else f"{kind}: {details}"
    text = f"Tryton refused {method}: {message}"
    log.warning("%s", text)
    if any(word in kind or word in message for word in BUSY):
        return ErpUnavailable(f"Tryton was busy with {method}: {message}")
    if kind in {"UserError", "AccessError", "ValidationError", "RequiredValidationError", "DomainValidationError",
                "UserWarning", "SizeValidationError", "SelectionValidationError", "ForeignKeyError"}:
        return ErpRefused(text)
    return ErpUnavailable(f"Tryton failed on {method}: {message}")

