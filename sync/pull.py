"""Pulling the hub's reference data (products, barcodes, prices, taxes, cashiers and their
roles, the store's day policies, promotions).

Each dataset is pulled page by page from its cursor until ``more`` is false; every page is
checked against the protocol (``sync.answers``), turned into rows and staged.  Only when
every dataset is complete is everything applied, in ONE local transaction that also moves
the cursors (``local_db.reference_data.ReferenceData.apply``).  A malformed, truncated or
off-schema page stops the pull with a ``SyncError`` and the reason logged: nothing is
applied, the cursors stay, and the catalog the till sells from is the old one.

A policy (permission table, reason codes, denominations) is read with the till's own reader
(``pos.store_day.policies``) before it is staged: one the till cannot use (not JSON, an
unknown action or role: a newer hub, a mistake at head office) is refused alone, with the
reason logged and in the outcome, and the till keeps the policy it had (or its defaults):
never a till with no rules, and the rest of the pull goes on.  A cashier's role the till
does not know makes them a plain cashier (never more rights than the till can tell).

Promotions are kept as the hub sent them (``sync.promotion_rows``: only each item's shape is
checked) and applied with their cursor in one transaction just before the rest
(``local_db.promotions.apply_promotions``); the till reads them at its next sale, skipping
alone any it cannot read.  Promotions staged by a pull that will not go on are thrown away.

A pull that stops (a request failed, a bad page, the till restarted or was killed) keeps
what it staged: every staged batch carries its dataset's cursor, written in the same
transaction, and the next pull goes on from there; a dataset whose last page came is not
asked again until the apply.  Through a link that fails most requests, each attempt brings
some pages and a pull completes after a few.  The pages before a failure are staged before
the failure is reported.  Pages staged from another hub, enrolment or schema are thrown away
(``ReferenceData.resume_points``).

While a page is turned into rows, the next one is already being fetched (one page ahead),
so the network and SQLite work side by side; rows are staged STAGE_ROWS at a time, in
background transactions that give way to the till's own writes.  A sale in progress is not
affected by an apply: its basket holds each product as it was when scanned.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from local_db.promo_codes import apply_promo_codes, discard_staged_promo_codes, stage_promo_codes
from local_db.promotions import apply_promotions, discard_staged_promotions, stage_promotions
from local_db.reference_data import DATASETS, Applied, Cursor, ReferenceData, Resume, Staging
from pos.errors import PosError
from pos.money import Money
from pos.store_day.policies import POLICY_NAMES, BadPolicy, read_policy
from pos.store_day.roles import Role
from sync import answers
from sync.errors import BadAnswer, RequestRefused, SyncError
from sync.hub_client import HubClient
from sync.promo_code_rows import promo_code_row
from sync.promotion_rows import promotion_row

log = logging.getLogger(__name__)

# Datasets a hub older than this till may not have: its 404 unknown_dataset leaves them as they
# were instead of failing the whole pull (hubs are upgraded before their tills, but not always).
NEWER_DATASETS = frozenset({"policies", "promotions", "promo_codes"})
PULLED = (*DATASETS, "promotions", "promo_codes")  # staged and applied apart (local_db.promotions, .promo_codes)

STAGE_ROWS = 40_000  # rows of one dataset staged in one transaction (a fraction of a second)


def _product(item: answers.ProductItem) -> tuple[Any, ...]:
    return (item["code"], item["name"], item["brand"], item["category"], item["vat_code"],
            int(item["sold_by_weight"]), int(item["deleted"]))


def _price(item: answers.PriceItem) -> tuple[Any, ...]:
    price, currency = item["price"], item["currency"]
    try:
        minor = Money(Decimal(price), currency).minor_units()
    except (ValueError, PosError) as error:
        raise ValueError(f"price {price} {currency} of product {item['product_code']}: {error}") from None
    return (item["product_code"], minor, currency, int(item["deleted"]))


_ROLES = frozenset(role.value for role in Role)


def _cashier(item: answers.CashierItem) -> tuple[Any, ...]:
    role = item.get("role", Role.CASHIER.value)
    if role not in _ROLES:
        log.warning("cashier %s comes with the role %r, unknown to this till: a plain cashier here",
                    item["code"], role[:40])
        role = Role.CASHIER.value
    return (item["code"], item["name"], item["pin_hash"], int(item["active"]), int(item.get("deleted", False)), role)


def _policy(item: answers.PolicyItem) -> tuple[Any, ...]:
    """Raises ``BadPolicy`` (a ValueError) for a policy this till cannot use."""
    if item["name"] not in POLICY_NAMES:
        raise BadPolicy(f"{item['name'][:40]!r} is not a policy this till knows (it knows {', '.join(POLICY_NAMES)})")
    if not item["deleted"]:
        read_policy(item["name"], item["body"])
    return (item["name"], item["body"], int(item["deleted"]))


ROWS: dict[str, Callable[[Any], tuple[Any, ...]]] = {
    "products": _product,
    "prices": _price,
    "barcodes": lambda i: (i["gtin"], i["product_code"], int(i["deleted"])),
    "taxes": lambda i: (i["code"], str(Decimal(i["percent"])), int(i["deleted"])),
    "cashiers": _cashier,
    "policies": _policy,
}


@dataclass(frozen=True, slots=True)
class PullOutcome:
    items: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    applied: Applied | None = None
    resumed: tuple[str, ...] = ()  # datasets that went on from an unfinished pull
    refused: tuple[str, ...] = ()  # policies the till cannot use, each with its reason

    def describe(self) -> str:
        counts = ", ".join(f"{n} {d}" for d, n in self.items.items() if n) or "no changes"
        return f"pulled {counts} in {self.pages} page(s)" + (
            f" (resuming {', '.join(self.resumed)})" if self.resumed else "") + (
            f"; {self.applied.waiting} row(s) wait for related data" if self.applied and self.applied.waiting else "") + (
            "".join(f"; refused {reason}: the till keeps the rules it had" for reason in self.refused))


class CatalogPuller:
    def __init__(self, client: HubClient, data: ReferenceData, *, page_size: int = 2000,
                 datasets: tuple[str, ...] = PULLED, stage_rows: int = STAGE_ROWS) -> None:
        self.client = client
        self.data = data
        self.page_size = max(1, min(page_size, 5000))
        self.stage_rows = max(1, stage_rows)
        self.datasets = datasets
        self._lock = threading.Lock()
        self._staging = threading.Lock()  # one batch staged at a time: the datasets queue here, not in SQLite
        self._refused: list[str] = []  # of the pull under way (policies the till cannot use)
        self._origin = ""  # of the pull under way

    def pull(self) -> PullOutcome:
        """Every dataset to the end, then one apply.  Raises SyncError; then nothing is applied,
        and what was staged stays for the next pull to go on from.  The datasets are pulled
        side by side (each in its own thread, one page ahead)."""
        with self._lock:
            started = datetime.now(timezone.utc)
            self._refused = []
            origin = self._origin = self.data.origin(self.client.base_url)
            points = self.data.resume_points(origin)
            start = {d: points.get(d, Resume(Cursor("0", "0"))) for d in self.datasets}
            if "promotions" in start and not start["promotions"].staged:
                discard_staged_promotions(self.data.db)  # left by a pull whose cursor was thrown away
            if "promo_codes" in start and not start["promo_codes"].staged:
                discard_staged_promo_codes(self.data.db)
            resumed = sorted(d for d, point in start.items() if point.staged)
            if resumed:
                log.info("resuming the unfinished pull of %s", ", ".join(resumed))
            with self.data.staging(origin) as staging, \
                    ThreadPoolExecutor(max_workers=len(self.datasets), thread_name_prefix="pull") as pool:
                futures = {d: pool.submit(self._pull_dataset, d, point.cursor.cursor, staging)
                           for d, point in start.items() if not point.complete}
                done = {}
                for d, f in futures.items():  # the first failure is raised here
                    try:
                        done[d] = f.result()
                    except RequestRefused as error:
                        if d not in NEWER_DATASETS or error.fields.get("code") != "unknown_dataset":
                            raise
                        log.warning("the hub at %s has no %s dataset (a hub older than this till): the till "
                                    "keeps the rules it has; upgrade the hub", self.client.base_url, d)
            moved = {d: done[d][0] if d in done else point.cursor for d, point in start.items()}
            items = {d: done[d][1] if d in done else 0 for d in self.datasets}
            codes = moved.pop("promo_codes", None)  # applied with this till's uses the hub's counts now include
            if codes is not None and ("promo_codes" in done or start["promo_codes"].staged):
                apply_promo_codes(self.data.db, codes, started)
            promotions = moved.pop("promotions", None)
            if promotions is not None and ("promotions" in done or start["promotions"].staged):
                apply_promotions(self.data.db, promotions, started)  # first: a restart between pulls the rest again
            applied = self.data.apply(moved, started)
            outcome = PullOutcome(items, sum(pages for _c, _i, pages in done.values()), applied, tuple(resumed),
                                  tuple(self._refused))
            log.info("%s", outcome.describe())
            return outcome

    def _pull_dataset(self, dataset: str, cursor: str, staging: Staging) -> tuple[Cursor, int, int]:
        """Stage every page of ``dataset`` after ``cursor``: (new cursor, items, pages).
        Pages are staged ``stage_rows`` rows at a time (see ``Staging``), each batch with the
        cursor of its last page; when a page cannot be had, the pages before it are staged
        before the failure is raised."""
        items = pages = 0
        batch: list[tuple[Any, ...]] = []
        last: Cursor | None = None  # of the last page in ``batch``
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"pull-{dataset}") as fetcher:
            ahead = fetcher.submit(self.client.pull_page, dataset, cursor, self.page_size)
            try:
                while True:
                    page = ahead.result()
                    if page.more:  # fetch the next page while this one is staged
                        ahead = fetcher.submit(self.client.pull_page, dataset, page.cursor, self.page_size)
                    batch.extend(self._rows(dataset, page))
                    last = Cursor(page.cursor, page.snapshot)
                    pages += 1
                    items += len(page.items)
                    if len(batch) >= self.stage_rows or not page.more:
                        with self._staging:
                            self._stage(staging, dataset, batch, last, complete=not page.more)
                        batch, last = [], None
                    if not page.more:
                        return Cursor(page.cursor, page.snapshot), items, pages
            except SyncError:
                if last is not None:
                    self._keep(staging, dataset, batch, last)
                raise

    def _keep(self, staging: Staging, dataset: str, batch: list[tuple[Any, ...]], last: Cursor) -> None:
        """Stage the pages that came before a failure, so the next pull goes on after them."""
        try:
            with self._staging:
                self._stage(staging, dataset, batch, last)
        except PosError:
            log.exception("could not keep the %s pages pulled before the failure", dataset)
        else:
            log.info("kept %d %s row(s) pulled before the failure; the next pull goes on after %s",
                     len(batch), dataset, last.cursor)

    def _stage(self, staging: Staging, dataset: str, batch: list[tuple[Any, ...]], last: Cursor, *,
               complete: bool = False) -> None:
        if dataset == "promotions":
            stage_promotions(self.data.db, batch, cursor=last, complete=complete, origin=self._origin)
        elif dataset == "promo_codes":
            stage_promo_codes(self.data.db, batch, cursor=last, complete=complete, origin=self._origin)
        else:
            staging.stage(dataset, batch, cursor=last, complete=complete)

    def _rows(self, dataset: str, page: answers.DatasetPage) -> list[tuple[Any, ...]]:  # type: ignore[type-arg]
        if dataset == "policies":
            return self._policies(page)
        try:
            if dataset == "promotions":  # each kept as it came, with the dataset version it came with
                return [promotion_row(item, page.cursor) for item in page.items]
            if dataset == "promo_codes":
                return [promo_code_row(item) for item in page.items]
            make = ROWS[dataset]
            return [make(item) for item in page.items]
        except ValueError as error:
            log.error("a %s page from the hub is unusable: %s", dataset, error)
            raise BadAnswer(hub=self.client.base_url, code="bad_answer", reason=f"{dataset}: {error}") from None

    def _policies(self, page: answers.DatasetPage) -> list[tuple[Any, ...]]:  # type: ignore[type-arg]
        """The policies the till can use; each other one is refused alone (the till keeps the one it had)."""
        rows = []
        for item in page.items:
            try:
                rows.append(_policy(item))
            except BadPolicy as error:
                log.error("refused the %s policy from the hub %s: %s; the till keeps the rules it had",
                          item["name"][:40], self.client.base_url, error)
                self._refused.append(str(error))
        return rows
