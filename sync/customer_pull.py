"""Pulling the customers a till may identify: the hub's ``customer_keys`` dataset (the chain's
key of the phone numbers' keyed hash), then ``customers`` (local_db/customers.py).

Each page is checked (an item that is not a customer item makes the page unusable: ``BadAnswer``)
and applied with its cursor in one transaction, so a pull cut short goes on from the last page
applied.  The cursor's ``pulled_at`` is the moment this pull began (before its first request):
every sale the hub had acknowledged by then is in the points balances it brought
(local_db/loyalty.py counts the rest as used).  Customers are not part of the catalog's all-or-nothing apply: a customer known a
little earlier than the catalog is harmless.  A hub older than this till (no such dataset) is
logged and the till keeps the customers it has.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import ConfigDict, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import NotRequired, TypedDict

from local_db.customers import CUSTOMERS, KEYS, apply_customer_page, customer_cursor
from local_db.database import Database
from sync.errors import BadAnswer, SyncError
from sync.hub_client import HubClient

log = logging.getLogger(__name__)

Code = Annotated[str, StringConstraints(max_length=64)]


class CustomerItem(TypedDict):
    __pydantic_config__ = ConfigDict(strict=True, extra="ignore")  # type: ignore[misc]
    customer_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    phone_key: Annotated[str, StringConstraints(pattern=r"^([0-9a-f]{64})?$")]
    card: Code
    name: Annotated[str, StringConstraints(max_length=200)]
    tier: Code
    segment: Code
    group: Code
    birthday: Annotated[str, StringConstraints(pattern=r"^((0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?$")]
    offers: list[Code]
    wishlist: list[Code]
    points_balance: NotRequired[int]  # a hub before loyalty points sends none: 0
    deleted: bool


class KeyItem(TypedDict):
    __pydantic_config__ = ConfigDict(strict=True, extra="ignore")  # type: ignore[misc]
    key_id: int
    key: Annotated[str, StringConstraints(pattern=r"^([0-9a-f]{64})?$")]
    deleted: bool


_ITEMS: dict[str, TypeAdapter[Any]] = {CUSTOMERS: TypeAdapter(list[CustomerItem]), KEYS: TypeAdapter(list[KeyItem])}


def pull_customers(client: HubClient, db: Database, *, page_size: int = 2000) -> int:
    """Every page of the two datasets after this till's cursors; the items applied."""
    applied = 0
    started = datetime.now(timezone.utc)  # the balances pulled are the hub's as of this moment or later
    for dataset in (KEYS, CUSTOMERS):
        cursor = customer_cursor(db, dataset)
        while True:
            try:
                page = client.pull_page(dataset, cursor, page_size)
            except SyncError as error:
                if error.fields.get("code") == "unknown_dataset":
                    log.warning("the hub has no %s dataset (a hub older than this till): the till keeps the "
                                "customers it has", dataset)
                    return applied
                raise
            try:
                items = _ITEMS[dataset].validate_python(page.items)
            except ValidationError as error:
                problem = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:3])
                raise BadAnswer(hub=client.base_url, code="bad_answer", reason=f"{dataset}: {problem}") from None
            if items or page.cursor != cursor:
                applied += apply_customer_page(db, dataset, items, cursor=str(page.cursor),
                                               snapshot=str(page.snapshot), pulled_at=started)
            cursor = str(page.cursor)
            if not page.more:
                break
    if applied:
        log.info("pulled %d customer item(s)", applied)
    return applied
