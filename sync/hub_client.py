"""The till's HTTP client for the hub protocol (docs/sync-protocol.md): enrol, push a batch
of sales, push the store's day documents, ask what was returned of a sale, fetch another
till's sale for a return (``sale_for_return``: one short try, the cashier is waiting), pull
one page of a dataset, heartbeat, health (the hub's clock).

* TLS certificates are verified by default (certifi's CAs, or ``SSL_CERT_FILE``);
  ``ca_bundle`` names a private CA's PEM file (then only that file's CAs are trusted).
  A certificate that does not verify is ``HubNotTrusted`` (not retried: the link is
  "degraded", not "offline"), and so is a ``ca_bundle`` that cannot be read - reported
  on every exchange, so a typo in the settings never stops the till from starting.
* Plain ``http://`` hub URLs are accepted as they are (no loopback-only rule).
* Every request has connect/read timeouts.
* tenacity wraps only the HTTP exchange (``_exchange``): a transport error, a 5xx or a 429
  is retried with exponential backoff and jitter, a bounded number of times; anything else
  is answered at once.  Retrying is safe because every request is idempotent (sales by
  ``sale_id``, pulls by cursor).
* An answer is read up to ``max_answer_bytes`` and checked against the protocol's schema
  (``sync.answers``); a 401 becomes ``CredentialRefused``; anything malformed, truncated,
  oversized or off-schema becomes ``BadAnswer`` with the reason logged.
* No other exception leaves this client: every surprise of the transport is a ``SyncError``
  with one clear line.  The link broke (refused, timeout, cut, the answer stopped half-way):
  ``HubUnreachable``.  The answer cannot be decoded (a ``Content-Encoding`` its body does not
  follow, broken chunks), too many redirects, JSON that is not JSON or nested too deep, a
  body over the bound (also when its ``Content-Length`` says so up front): ``BadAnswer``.
  A hub address httpx cannot use (no ``http(s)://``, a bad port, a control character):
  ``HubAddressInvalid``, on every exchange (the till still starts); so are proxy or CA
  variables of the machine httpx cannot use (``NetworkSettingsUnusable``).  A request that cannot
  be put on the wire (a credential with characters a header cannot carry):
  ``RequestNotSent``.
"""

from __future__ import annotations

import json
import logging
import ssl
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from local_db.outbox import DocumentRow
from sync import answers
from sync.sale_for_return import SaleForReturn, UnusableSale, read_sale_for_return
from sync.errors import (
    BadAnswer,
    CredentialMissing,
    CredentialRefused,
    EnrolmentRefused,
    HubAddressInvalid,
    HubNotTrusted,
    HubUnreachable,
    NetworkSettingsUnusable,
    RequestNotSent,
    RequestRefused,
    SaleNotAtHub,
    SaleOfAnotherStore,
    SyncError,
)

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
MAX_ANSWER_BYTES = 64 * 1024 * 1024
WAITING_CASHIER_TIMEOUT = 3.0  # seconds: a lookup the cashier waits for is tried once, this long
APP_VERSION = "0.1.0"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often one HTTP exchange is tried before the caller hears of the failure."""

    attempts: int = 4
    first_wait: float = 0.25  # seconds; doubles each time, with random jitter
    max_wait: float = 4.0


@dataclass(frozen=True, slots=True)
class HubHealth:
    """The hub's ``GET /v1/health`` answer and when it was asked: ``skew`` is the hub's
    clock minus the till's at the round trip's midpoint (positive: the hub is ahead),
    good to within half the ``round_trip``."""

    hub_time: datetime
    asked_at: datetime  # the till's clock when the request left
    round_trip: timedelta

    @property
    def skew(self) -> timedelta:
        return self.hub_time - (self.asked_at + self.round_trip / 2)


@dataclass(frozen=True, slots=True)
class Enrolment:
    store_id: str
    till_id: str
    credential: str
    hub_time: datetime


@dataclass(frozen=True, slots=True)
class ReturnedAtHub:
    """One sold line of a sale and how much of it the store's tills have returned (at the hub)."""

    sold_line_id: uuid.UUID
    quantity: Decimal
    refunded: Decimal  # in the sale's currency


class HubClient:
    """One till's connection to the hub; thread-safe (httpx.Client is)."""

    def __init__(
        self,
        base_url: str,
        credential: str | None = None,
        *,
        ca_bundle: Path | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy = RetryPolicy(),
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credential = credential
        self.retry = retry
        self.max_answer_bytes = max_answer_bytes
        self._unusable: SyncError | None = None  # a setting that cannot work: said on every exchange
        verify: Any = True
        if ca_bundle is not None:
            try:
                verify = ssl.create_default_context(cafile=str(ca_bundle))
            except (OSError, ssl.SSLError, ValueError) as error:  # ValueError: a NUL in the path
                log.error("the CA bundle %s cannot be used: %s", ca_bundle, error)
                self._unusable = HubNotTrusted(
                    hub=self.base_url, code="ca_bundle",
                    reason=f"the CA bundle {ca_bundle} (ca_bundle in [sync]) cannot be used: {_ssl_text(error)}")
        options: dict[str, Any] = dict(verify=verify, timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                                       headers={"User-Agent": f"kassa-till/{APP_VERSION}"})
        base_url = self.base_url
        try:
            httpx.URL(base_url)
        except (httpx.InvalidURL, ValueError, TypeError) as error:
            log.error("the hub address %r cannot be used: %s", self.base_url, error)
            self._unusable = self._unusable or _bad_address(self.base_url, error)
            base_url = ""
        try:
            self._http = httpx.Client(base_url=base_url, **options)
        except Exception as error:  # noqa: BLE001 - the machine's proxy or CA variables: never crash the till
            log.error("this computer's network settings cannot be used: %s", error)
            self._unusable = self._unusable or NetworkSettingsUnusable(
                hub=self.base_url, code="network_settings",
                reason=f"this computer's network settings cannot be used ({_text(error)}); check the "
                       "variables HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, SSL_CERT_FILE and SSL_CERT_DIR")
            self._http = httpx.Client(**{**options, "verify": ssl.create_default_context()}, trust_env=False)

    # -- the protocol --------------------------------------------------------------------
    def enrol(self, code: str, device: str) -> Enrolment:
        status, body = self._exchange("POST", "/v1/enrolments", json={"code": code, "device": device}, auth=False)
        if status == 403:
            raise EnrolmentRefused(hub=self.base_url, status=status, code="enrolment_refused",
                                   reason=_detail(body) or "the code is used, expired or unknown")
        self._check_status(status, body, expected=201)
        answer = self._parse(answers.EnrolmentAnswer, body, "enrolment")
        return Enrolment(answer.store_id, answer.till_id, answer.credential, _time(answer.hub_time))

    def push_sales(self, items: Sequence[tuple[int, str]]) -> list[answers.SaleResult]:
        """Send ``(seq, kassa.sale.v1 or v2 JSON)`` pairs as one batch; the hub's answer per sale,
        in the order sent.  The JSON texts are sent as they are, never re-encoded."""
        body = ('{"sales":[' + ",".join(f'{{"seq":{int(seq)},"sale":{payload}}}' for seq, payload in items)
                + "]}").encode("utf-8")
        status, answer_body = self._exchange(
            "POST", "/v1/sales/batch", content=body, headers={"Content-Type": "application/json"}
        )
        self._check_status(status, answer_body, expected=200)
        answer = self._parse(answers.BatchAnswer, answer_body, "batch answer")
        if len(answer.results) != len(items):
            raise self._bad(f"the batch answer has {len(answer.results)} results for {len(items)} sales")
        return list(answer.results)

    def push_documents(self, items: Sequence[DocumentRow]) -> list[answers.DocumentResult]:
        """Send store's day documents (returns, cash movements, approvals, cancelled sales, shift
        events, Z reports) as one ``POST /v1/documents``; the hub's answer per document, in the
        order sent.  Each body is the outbox's JSON text, sent as it is."""
        parts = []
        for item in items:
            head = json.dumps({"schema": item.kind, "document_id": str(item.document_id), "series": item.series,
                               "number": int(item.number)}, ensure_ascii=False)
            parts.append(f'{head[:-1]},"body":{item.payload}}}')
        body = ('{"documents":[' + ",".join(parts) + "]}").encode("utf-8")
        status, answer_body = self._exchange(
            "POST", "/v1/documents", content=body, headers={"Content-Type": "application/json"}
        )
        self._check_status(status, answer_body, expected=200)
        answer = self._parse(answers.DocumentsAnswer, answer_body, "documents answer")
        if len(answer.results) != len(items):
            raise self._bad(f"the documents answer has {len(answer.results)} results for {len(items)} documents")
        return list(answer.results)

    def returned_of(self, sale_id: uuid.UUID) -> list[ReturnedAtHub] | None:
        """What every till of the store has returned of ``sale_id``, per sold line, as the hub
        knows it (the arbiter for another till's sale); None when the hub does not hold that
        sale of this store (404)."""
        status, body = self._exchange("GET", f"/v1/sales/{sale_id}/returned")
        if status == 404:
            return None
        self._check_status(status, body, expected=200)
        answer = self._parse(answers.ReturnedAnswer, body, "returned answer")
        if answer.sale_id != str(sale_id):
            raise self._bad(f"asked what was returned of sale {sale_id}, the answer is of {answer.sale_id[:40]}")
        try:
            return [ReturnedAtHub(uuid.UUID(line.sold_line_id), Decimal(line.quantity), Decimal(line.refunded))
                    for line in answer.lines]
        except ValueError:
            raise self._bad("the returned answer names a line that is not a UUID") from None

    def sale_for_return(self, sale_id: uuid.UUID, *, timeout: float = WAITING_CASHIER_TIMEOUT) -> SaleForReturn:
        """Another till's sale of this store, for a return: ``(Sale, already_returned per sold
        line, already_refunded per payment)`` at every till, as the hub knows them.  Tried once,
        for at most ``timeout`` seconds to connect and as long for the answer (the cashier is
        waiting).  Raises ``SaleNotAtHub`` (the hub does not hold it: not sent yet, or no such
        sale), ``SaleOfAnotherStore``, ``HubUnreachable`` (and the other ``SyncError`` kinds of
        ``_exchange``) or ``BadAnswer`` for an answer the till cannot trust."""
        status, body = self._exchange("GET", f"/v1/sales/{sale_id}", retry=RetryPolicy(attempts=1),
                                      timeout=httpx.Timeout(timeout))
        if status == 404 and _code(body) == "sale_not_found":
            raise SaleNotAtHub(hub=self.base_url, status=status, code="sale_not_found", reason=_detail(body))
        if status == 404 and _code(body) == "sale_of_another_store":
            raise SaleOfAnotherStore(hub=self.base_url, status=status, code="sale_of_another_store",
                                     reason=_detail(body))
        self._check_status(status, body, expected=200)
        answer = self._parse(answers.SaleForReturnAnswer, body, "sale answer")
        try:
            return read_sale_for_return(answer, sale_id)
        except UnusableSale as problem:
            raise self._bad(f"the sale answer cannot be used: {problem}") from None

    def pull_page(self, dataset: str, after: str, limit: int) -> answers.DatasetPage:
        status, body = self._exchange("GET", f"/v1/datasets/{dataset}", params={"after": after, "limit": limit})
        self._check_status(status, body, expected=200)
        model = answers.PAGE_MODELS.get(dataset, answers.DatasetPage)
        page = self._parse(model, body, f"{dataset} page")
        if page.dataset != dataset:
            raise self._bad(f"asked for {dataset}, the page is of {page.dataset}")
        if page.items and int(page.cursor) <= int(after or "0"):
            raise self._bad(f"the {dataset} page's cursor {page.cursor} does not move past {after}")
        return page

    def heartbeat(self, queue_length: int, oldest_unsent_seconds: int | None) -> datetime:
        body = {"till_time": datetime.now(timezone.utc).isoformat(), "queue_length": queue_length,
                "oldest_unsent_seconds": oldest_unsent_seconds, "app_version": APP_VERSION}
        status, answer_body = self._exchange("POST", "/v1/heartbeat", json=body)
        self._check_status(status, answer_body, expected=200)
        return _time(self._parse(answers.HeartbeatAnswer, answer_body, "heartbeat answer").hub_time)

    def health(self) -> HubHealth:
        """``GET /v1/health`` (no credential): the hub's clock, for the skew against the till's."""
        asked_at, started = datetime.now(timezone.utc), time.monotonic()
        status, body = self._exchange("GET", "/v1/health", auth=False)
        round_trip = timedelta(seconds=time.monotonic() - started)
        self._check_status(status, body, expected=200)
        answer = self._parse(answers.HeartbeatAnswer, body, "health answer")  # the same hub_time; status ignored
        try:
            hub_time = datetime.fromisoformat(answer.hub_time)
        except ValueError:
            raise self._bad(f"the health answer's hub_time {answer.hub_time[:40]!r} is not a time") from None
        if hub_time.tzinfo is None:
            raise self._bad(f"the health answer's hub_time {answer.hub_time[:40]!r} has no time zone")
        return HubHealth(hub_time, asked_at, round_trip)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- one HTTP exchange, retried only when the transport broke ----------------------
    def _exchange(self, method: str, path: str, *, auth: bool = True, retry: RetryPolicy | None = None,
                  **kw: Any) -> tuple[int, bytes]:
        headers = dict(kw.pop("headers", {}))
        policy = retry or self.retry
        if self._unusable is not None:
            raise self._unusable
        if auth:
            if not self.credential:
                raise CredentialMissing(hub=self.base_url, code="no_credential",
                                        reason="nothing is stored; run: kassa enrol --hub URL --code CODE")
            headers["Authorization"] = f"Bearer {self.credential}"
        retrying = Retrying(
            stop=stop_after_attempt(max(1, policy.attempts)),
            wait=wait_random_exponential(multiplier=policy.first_wait, max=policy.max_wait),
            retry=retry_if_exception(lambda e: isinstance(e, HubUnreachable)),
            reraise=True,
            before_sleep=lambda state: log.info("%s %s failed (%s); trying again", method, path,
                                                state.outcome.exception() if state.outcome else "?"),
        )
        return retrying(self._once, method, path, headers=headers, **kw)

    def _once(self, method: str, path: str, **kw: Any) -> tuple[int, bytes]:
        try:
            with self._http.stream(method, path, **kw) as response:
                status = response.status_code
                self._check_declared_length(response, method, path)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.max_answer_bytes:
                        raise self._bad(f"the answer to {method} {path} is over {self.max_answer_bytes} bytes")
        except SyncError:
            raise
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise _bad_address(self.base_url, error) from error
        except httpx.LocalProtocolError as error:
            raise self._not_sent(method, path, error) from error
        except httpx.TransportError as error:
            refused = _certificate_problem(error)
            if refused is not None:
                raise HubNotTrusted(
                    hub=self.base_url, code="untrusted_certificate",
                    reason=f"its TLS certificate is not trusted ({refused}); if the chain has its own CA, "
                           "set ca_bundle in the [sync] settings to that CA's certificate (PEM)") from error
            raise HubUnreachable(hub=self.base_url, reason=_text(error), code="transport") from error
        except httpx.DecodingError as error:
            raise self._bad(f"the answer to {method} {path} cannot be decoded ({_text(error)})") from error
        except (httpx.HTTPError, httpx.StreamError) as error:  # too many redirects, and what a later httpx adds
            raise self._bad(f"the answer to {method} {path} cannot be used ({_text(error)})") from error
        except (UnicodeError, ValueError) as error:  # a header value httpx cannot encode
            raise self._not_sent(method, path, error) from error
        if status >= 500 or status == 429:
            raise HubUnreachable(hub=self.base_url, status=status, code=_code(bytes(body)) or f"http_{status}",
                                 reason=f"HTTP {status} {_detail(bytes(body))}".strip())
        return status, bytes(body)

    def _check_declared_length(self, response: httpx.Response, method: str, path: str) -> None:
        """An answer that says up front it is over the bound is refused before it is read."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_answer_bytes:
            raise self._bad(f"the answer to {method} {path} declares {declared} bytes, over {self.max_answer_bytes}")

    def _not_sent(self, method: str, path: str, error: BaseException) -> SyncError:
        log.error("%s %s could not be sent to %s: %s", method, path, self.base_url, error)
        return RequestNotSent(hub=self.base_url, code="request_not_sent",
                              reason=f"{method} {path} could not be sent ({_text(error)})")

    # -- answers -----------------------------------------------------------------------
    def _check_status(self, status: int, body: bytes, *, expected: int) -> None:
        if status == expected:
            return
        if status == 401:
            raise CredentialRefused(hub=self.base_url, status=status, code="unauthorized",
                                    reason=_detail(body) or "unauthorized")
        if 400 <= status < 500:
            raise RequestRefused(hub=self.base_url, status=status, code=_code(body) or f"http_{status}",
                                 reason=f"HTTP {status}: {_detail(body) or 'no detail'}")
        raise self._bad(f"unexpected HTTP status {status}", status=status)

    def _parse(self, model: type[M], body: bytes, what: str) -> M:
        try:
            return model.model_validate_json(body)
        except ValidationError as error:
            first = error.errors()[0] if error.error_count() else {"loc": (), "msg": "invalid"}
            where = ".".join(str(p) for p in first["loc"])
            raise self._bad(f"the {what} does not follow the protocol ({error.error_count()} problem(s); "
                            f"first: {where}: {first['msg']})") from None

    def _bad(self, reason: str, status: int | None = None) -> SyncError:
        log.error("bad answer from the hub at %s: %s", self.base_url, reason)
        return BadAnswer(hub=self.base_url, status=status, code="bad_answer", reason=reason)


def _certificate_problem(error: BaseException) -> str | None:
    """What certificate verification said, if that is why the connection failed."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLCertVerificationError):
            return str(cause.verify_message or cause.reason or cause)
        cause = cause.__cause__ or cause.__context__
    return None


def _bad_address(hub: str, error: BaseException) -> SyncError:
    return HubAddressInvalid(hub=hub[:200], code="invalid_hub_url",
                             reason=f"its address cannot be used ({_text(error)}); check hub_url in the [sync] "
                                    "settings, e.g. https://hub.example.com")


def _text(error: BaseException) -> str:
    """One line naming the error: its type and (cut) message; never a multi-line dump."""
    message = " ".join(str(error).split())[:300]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _ssl_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {getattr(error, 'strerror', None) or error}"


def _error_body(body: bytes) -> dict[str, Any]:
    try:
        return answers.ErrorBody.model_validate_json(body).model_dump()
    except ValidationError:
        return {}


def _detail(body: bytes) -> str:
    return str(_error_body(body).get("detail") or "")[:300]


def _code(body: bytes) -> str:
    return str(_error_body(body).get("error") or "")


def _time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return datetime.now(timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
