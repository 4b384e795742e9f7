"""The hub's own dataset code (central.datasets over a real SQLite hub database) answering a
till's pulls in-process, with requests that fail on command: for property tests that need
hundreds of pulls.  Pages go through JSON and the till's protocol models, as over HTTP."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from pydantic_core import to_json

from central.catalog_files import CatalogRow
from central.database import HubDatabase
from central.datasets import parse_cursor, pull
from central.stores import TillIdentity
from pos.barcode import with_check_digit
from sync import answers
from sync.errors import HubUnreachable
from tests.fakes import STORE

CODES = [str(n) for n in range(1001, 1013)]
NAMES = ["Мило", "Gülnarə şampun", "Herbal", "Крем"]


class Killed(BaseException):
    """The till process dies during a request: nothing of the attempt's batch in memory is kept."""


@dataclass
class LoopbackHub:
    """A ``HubClient`` stand-in (``base_url``, ``pull_page``).  ``failing[dataset]`` holds the
    numbers (0, 1, 2... counted over every attempt) of that dataset's requests that fail, and
    ``killing`` those during which the till dies."""

    db: HubDatabase
    base_url: str = "http://hub.loopback"
    failing: dict[str, set[int]] = field(default_factory=dict)
    killing: dict[str, set[int]] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def pull_page(self, dataset: str, after: str, limit: int) -> answers.DatasetPage:  # type: ignore[type-arg]
        with self._lock:
            number = self.requests.get(dataset, 0)
            self.requests[dataset] = number + 1
            fails = number in self.failing.get(dataset, ())
            self.failed += fails
        if number in self.killing.get(dataset, ()):
            raise Killed(f"{dataset} request {number}")
        if fails:
            raise HubUnreachable(hub=self.base_url, code="transport", reason=f"{dataset} request {number} failed")
        page = pull(self.db, TillIdentity(STORE.store_id, STORE.till_id), dataset, parse_cursor(after), limit)
        body = to_json({"dataset": page.dataset, "items": page.items, "cursor": str(page.cursor),
                        "more": page.more, "snapshot": str(page.snapshot)})
        return answers.PAGE_MODELS.get(dataset, answers.DatasetPage).model_validate_json(body)

    def clean(self) -> LoopbackHub:
        """The same hub over a link that never fails."""
        return LoopbackHub(self.db, self.base_url)


# a catalog: code -> (name, price in minor units, VAT code, sold by weight, which of its barcodes)
Catalog = dict[str, tuple[str, int, str, bool, set[int]]]


def gtin(code: str, number: int) -> str:
    """The product's barcode ``number`` (0 to 2).  A barcode never moves to another product
    here: after a delta that moves one, the product it left still names it as its main
    barcode (``catalog_changes.MAIN_BARCODES`` looks only at the products it moves to)."""
    return with_check_digit(f"482{code}{number:05d}")


def catalog_rows(catalog: Catalog, vat: dict[str, str]) -> list[CatalogRow]:
    rows = []
    for number, (code, (name, minor, vat_code, weighed, barcodes)) in enumerate(sorted(catalog.items()), 1):
        mine = tuple(gtin(code, n) for n in sorted(barcodes))
        rows.append(CatalogRow(where=f"row {number}", code=code, name=name, brand="Brand", category="Догляд",
                               price_minor=minor, currency="UAH", vat_code=vat_code, vat_percent=vat[vat_code],
                               sold_by_weight=weighed, barcodes=mine))
    return rows
