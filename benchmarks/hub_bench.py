"""Hub figures (prints them; not a test):

* replaying 10,000 queued sales in batches of 200 to a real hub process on loopback
  (``kassa-hub serve``), as a till does after a long time offline: sales per second;
* importing a 1,000,000-item catalog (CSV made from pos.demo_catalog), then importing it
  again unchanged.

On SQLite always, and on PostgreSQL when KASSA_TEST_PG_URL is set (each run in a fresh
schema, dropped afterwards).   Run: .venv/bin/python -m benchmarks.hub_bench [--items N]
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from central.catalog_files import read_catalog_file
from central.catalog_import import import_catalog
from central.database import open_hub_database
from tests.central.hub_process import running_hub
from tests.central.shop import Shop, batch, make_sales

SALES = 10_000
BATCH = 200


def fresh_schema_url(base: str) -> tuple[str, str]:
    schema = f"hub_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    admin.dispose()
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, url.render_as_string(hide_password=False)


def drop_schema(base: str, schema: str) -> None:
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


def replay(url: str) -> float:
    db = open_hub_database(url, migrate_schema=True)
    try:
        with running_hub(url) as base, httpx.Client(base_url=base, timeout=60) as http:
            shop = Shop.set_up(db, http)
            till = shop.enrol("T01")
            sales = make_sales(SALES, till)
            bodies = [batch(*sales[i:i + BATCH]) for i in range(0, SALES, BATCH)]
            started = time.perf_counter()
            for body in bodies:
                answer = http.post("/v1/sales/batch", json=body, headers=shop.auth(till))
                answer.raise_for_status()
                assert all(r["status"] == "accepted" for r in answer.json()["results"])
            return SALES / (time.perf_counter() - started)
    finally:
        db.close()


def write_catalog_csv(path: Path, items: int) -> None:
    from pos.demo_catalog import generate_catalog

    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["code", "name", "brand", "category", "price", "currency", "vat_code", "vat_percent",
                      "sold_by_weight", "barcodes"])
        for p in generate_catalog(items, seed=42):
            out.writerow([p.code, p.name, p.brand, p.category, p.price.amount, p.price.currency, p.vat.code,
                          p.vat.percent, "yes" if p.sold_by_weight else "no", p.barcode])


def import_twice(url: str, path: Path) -> tuple[float, float]:
    db = open_hub_database(url, migrate_schema=True)
    try:
        first = import_catalog(db, read_catalog_file(path))
        again = import_catalog(db, read_catalog_file(path))
        assert again.products == again.prices == again.barcodes == 0
        return first.seconds, again.seconds
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    args = parser.parse_args()
    pg_base = os.environ.get("KASSA_TEST_PG_URL")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        catalog = folder / "catalog.csv"
        started = time.perf_counter()
        write_catalog_csv(catalog, args.items)
        print(f"catalog file: {args.items:,} items, {catalog.stat().st_size / 1e6:.0f} MB "
              f"(written in {time.perf_counter() - started:.1f} s)")
        backends = [("SQLite", f"sqlite:///{folder / 'replay.sqlite3'}", f"sqlite:///{folder / 'catalog.sqlite3'}")]
        schemas: list[str] = []
        if pg_base:
            replay_schema, replay_url = fresh_schema_url(pg_base)
            catalog_schema, catalog_url = fresh_schema_url(pg_base)
            schemas = [replay_schema, catalog_schema]
            backends.append(("PostgreSQL", replay_url, catalog_url))
        else:
            print("PostgreSQL: skipped (KASSA_TEST_PG_URL is not set)")
        try:
            for name, replay_url, catalog_url in backends:
                rate = replay(replay_url)
                print(f"{name}: replay of {SALES:,} sales in batches of {BATCH} through a hub process: "
                      f"{rate:,.0f} sales/s (target >= 1,000)")
                first, again = import_twice(catalog_url, catalog)
                print(f"{name}: import of {args.items:,} items: {first:.1f} s; unchanged re-import: {again:.1f} s")
        finally:
            for schema in schemas:
                drop_schema(pg_base or "", schema)


if __name__ == "__main__":
    main()
