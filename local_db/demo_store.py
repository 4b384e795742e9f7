"""The demo store: VAT rates, a generated catalog and its people (a cashier, a senior cashier
and a manager, who approves what the others may not do alone), and its promotions
(``pos.demo_promotions``), customers, promo codes and loyalty rules (``pos.demo_loyalty``),
for `kassa demo`, the benchmarks and tests.  What a hub has ever sent is the hub's: the demo's
own are loaded only where no pull brought them."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import date

from sqlalchemy import exc as sa_exc

from local_db.cashiers import add_cashier
from local_db.catalog import load_products, product_count
from local_db.customers import load_demo_customers
from local_db.database import Database
from local_db.loyalty import SqlLoyalty
from local_db.problems import explain
from local_db.promotions import load_promotions
from pos.demo_catalog import DEMO_VAT_RATES, generate_catalog
from pos.demo_loyalty import DEMO_PROMO_CODES, demo_loyalty_rules
from pos.catalog import Product
from pos.demo_promotions import demo_promotions
from pos.store_day.roles import Role

log = logging.getLogger(__name__)

DEMO_CASHIERS = (("1", "Olena", "1234", Role.CASHIER), ("2", "Rashad", "4321", Role.SENIOR_CASHIER),
                 ("9", "Iryna (manager)", "9999", Role.MANAGER))


def create_demo_store(db: Database, items: int = 5000, *, seed: int = 42, currency: str = "UAH",
                      promotions: bool = False, today: date | None = None) -> bool:
    """Fill an empty database with the demo store.  Does nothing to a database that has
    products already (it only adds a demo cashier that is missing); returns True when it
    loaded the catalog.  With ``promotions`` (``kassa demo``; tests and tools that check
    catalog prices leave them out) also :func:`load_demo_promotions`."""
    loaded = False
    if product_count(db) == 0:
        load_products(db, generate_catalog(items, seed=seed, currency=currency), DEMO_VAT_RATES)
        log.info("demo store created with %d products", items)
        loaded = True
    for code, name, pin, role in DEMO_CASHIERS:
        if not _has_cashier(db, code):
            add_cashier(db, code, name, pin, role=role)
    if promotions and currency == "UAH":  # the demo's amounts are hryvnias
        load_demo_customers(db, today or date.today())  # birthdays near today (pos.demo_customers)
        load_demo_promotions(db, today or date.today(), generate_catalog(items, seed=seed, currency=currency))
        load_demo_promo_codes(db)
        load_demo_loyalty_rules(db)
    return loaded


def load_demo_promo_codes(db: Database) -> bool:
    """The demo's promo codes (``pos.demo_loyalty``: anyone may use them, no minimum, no
    window), unless a hub has sent this till its own; a code held already stays as it is.
    True when it loaded them."""
    if _pulled(db, "promo_codes"):
        return False
    rows = [(code, json.dumps([promotion_id])) for code, promotion_id in DEMO_PROMO_CODES]
    db.write(lambda conn: conn.exec_driver_sql(_DEMO_CODE, rows), "adding the demo's promo codes")
    return True


_DEMO_CODE = ("INSERT INTO promo_codes (code, promotion_ids, starts, ends, minimum, uses_allowed, uses_known, "
              "per_customer, customer_uses, phone_hash, pin_hash) VALUES (?, ?, NULL, NULL, NULL, NULL, 0, NULL, "
              "'{}', '', '') ON CONFLICT (code) DO NOTHING")


def load_demo_loyalty_rules(db: Database) -> bool:
    """The demo's loyalty rules, on a till that holds none (a hub's rules, once pulled, replace
    them at every pull).  True when it loaded them."""
    loyalty = SqlLoyalty(db)
    if loyalty.rules() is not None:
        return False
    loyalty.keep_rules(demo_loyalty_rules())
    return True


def load_demo_promotions(db: Database, today: date, products: Iterable[Product] | None = None) -> bool:
    """The demo's promotions, their date windows around ``today``, over the names ``products``
    have (those already held that did not change stay as they are), unless a hub has sent this
    till its own (then they are the hub's to change).  True when it loaded them."""
    if _pulled(db, "promotions"):
        return False
    count = load_promotions(db, demo_promotions(today, products), version="demo")
    log.info("the demo's %d promotions loaded for %s", count, today.isoformat())
    return True


def _pulled(db: Database, dataset: str) -> bool:
    """Has a hub ever sent this till ``dataset`` (then it is the hub's to change)?"""
    try:
        with db.lookup() as conn:
            return conn.exec_driver_sql("SELECT 1 FROM sync_cursors WHERE dataset = ?", (dataset,)).first() is not None
    except sa_exc.SQLAlchemyError as error:
        raise explain(error, path=db.path, doing=f"reading where the {dataset} come from") from error


def _has_cashier(db: Database, code: str) -> bool:
    try:
        with db.lookup() as conn:
            return conn.exec_driver_sql("SELECT 1 FROM cashiers WHERE code = ?", (code,)).first() is not None
    except sa_exc.SQLAlchemyError as error:
        raise explain(error, path=db.path, doing="reading the cashiers") from error
