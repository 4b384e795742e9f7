"""Pulling the chain's loyalty rules (the hub's ``loyalty`` dataset: one item, ``rules``).

The dataset is one small JSON body, so it is read whole at every pull (from cursor 0) right
after the catalog pull is applied, checked with the till's own reader (``pos.loyalty.rules``)
and kept (``local_db.loyalty``).  Rules the till cannot read are refused and logged, and the
till keeps those it had; a hub without the dataset (older than this till) changes nothing; a
failure here never fails the pull.
"""

from __future__ import annotations

import logging
from typing import Any

from local_db.loyalty import SqlLoyalty
from pos.errors import PosError
from pos.loyalty.rules import BadLoyaltyRules, read_rules
from sync.errors import RequestRefused, SyncError
from sync.hub_client import HubClient

log = logging.getLogger(__name__)

DATASET = "loyalty"
NAME = "rules"
MAX_PAGES = 10


def pull_loyalty_rules(client: HubClient, loyalty: SqlLoyalty) -> str:
    """Fetch and keep the rules; the outcome in a few words, for the log."""
    try:
        item = _latest_rules(client)
    except RequestRefused as error:
        if error.fields.get("code") == "unknown_dataset":
            return "the hub has no loyalty dataset: the till keeps its loyalty rules"
        log.warning("the loyalty rules could not be pulled: %s", error)
        return "loyalty rules not pulled"
    except SyncError as error:
        log.warning("the loyalty rules could not be pulled: %s", error)
        return "loyalty rules not pulled"
    except Exception:  # never fails the pull it follows
        log.exception("the loyalty rules could not be pulled")
        return "loyalty rules not pulled"
    try:
        if item is None or item.get("deleted"):
            loyalty.keep_rules(None)
            return "no loyalty rules at the hub: no points are earned or paid"
        body = item.get("body")
        if not isinstance(body, str):
            raise BadLoyaltyRules("the rules item has no JSON body")
        read_rules(body)
        loyalty.keep_rules(body)
        return "loyalty rules kept"
    except BadLoyaltyRules as error:
        log.error("refused the loyalty rules from the hub %s: %s; the till keeps the rules it had",
                  client.base_url, error)
        return f"loyalty rules refused: {error}"
    except PosError:
        log.exception("the loyalty rules could not be kept")
        return "loyalty rules not kept"


def _latest_rules(client: HubClient) -> dict[str, Any] | None:
    after, found = "0", None
    for _ in range(MAX_PAGES):
        page = client.pull_page(DATASET, after, 100)
        for item in page.items:
            if isinstance(item, dict) and item.get("name") == NAME:
                found = item
        if not page.more:
            break
        after = page.cursor
    return found
