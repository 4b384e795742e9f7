"""``kassa-hub export FILE [--store S]``: the datasets a new till pulls, in one file, so a
till with no link on its first day is seeded from a USB stick (``kassa seed FILE``) and
then catches up with ordinary pulls.

The file (format 2; docs/sync-protocol.md, "The catalog export file") is UTF-8 JSON lines:

1. a header: ``{"format": "kassa.catalog-export", "format_version": 2, "hub_url", "store_id",
   "store_name", "exported_at", "snapshot", "datasets": {name: {"items", "pages", "cursor"}}}``;
2. the pages, dataset after dataset in the order a till applies them, each exactly a page
   of ``GET /v1/datasets/{name}`` pulled from the start: ``{"dataset", "items", "cursor",
   "more", "snapshot"}``; every dataset has at least one page, its last with ``more: false``;
3. a last line ``{"sha256": "<hex>"}``: the SHA-256 of every byte before that line.

Every page is read at one version of the hub's catalog (``snapshot``, in one read
transaction: REPEATABLE READ on PostgreSQL), so the cursors are the ones a till that
pulled at that moment would hold, and its next pull brings only what changed since.
Cashiers and policies are per store: they are in the file only with ``--store`` (and then the file
holds their PIN hashes: it is to be kept like a key).  The file is written beside its
final name and renamed into place when complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from central.database import HubDatabase
from central.datasets import DATASETS
from central.errors import AdminProblem
from central.stores import check_identifier, require_store
from central.tables import stores
from central.versions import current_version

FORMAT = "kassa.catalog-export"
FORMAT_VERSION = 2  # 2: with the store's policies (a till that reads format 1 only says to upgrade it)
HUB_URL_VARIABLE = "KASSA_HUB_URL"
PAGE_ITEMS = 1000
ORDER = ("taxes", "products", "prices", "barcodes", "cashiers", "policies")  # the till's own order (local_db.reference_data)


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    store_id: str | None
    snapshot: int
    items: dict[str, int]
    size: int

    def describe(self) -> str:
        counts = ", ".join(f"{n} {dataset}" for dataset, n in self.items.items())
        text = (f"wrote {self.path}: {counts} (catalog version {self.snapshot}, {self.size / 1e6:.1f} MB); "
                f"seed a till with: kassa seed {self.path.name}")
        if self.store_id is not None:
            text += (f"\nthe file holds the PIN hashes of store {self.store_id}'s cashiers: keep it like a key "
                     "and delete it once the till is seeded")
        return text


def _line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


@contextmanager
def _snapshot(db: HubDatabase) -> Iterator[Connection]:
    """One read transaction that sees one state of the catalog from its first read to its last."""
    if db.is_sqlite:  # WAL: a read transaction keeps the state it first read
        with db.reading() as conn:
            yield conn
        return
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def _pages(conn: Connection, name: str, snapshot: int, store_id: str | None) -> Iterator[dict[str, Any]]:
    """The pages a till pulling ``name`` from the start at ``snapshot`` would get."""
    dataset = DATASETS[name]
    table = dataset.table
    after = 0
    while True:
        query = (select(table.c.version, *dataset.read()).where(table.c.version > after, table.c.version <= snapshot)
                 .order_by(table.c.version).limit(PAGE_ITEMS + 1))
        if dataset.per_store:
            query = query.where(table.c.store_id == store_id)
        rows = conn.execute(query).all()
        page = rows[:PAGE_ITEMS]
        after = page[-1][0] if page else after
        more = len(rows) > PAGE_ITEMS
        yield {"dataset": name, "items": [dataset.item(row[1:]) for row in page], "cursor": str(after),
               "more": more, "snapshot": str(snapshot)}
        if not more:
            return


def export_catalog(db: HubDatabase, path: Path, *, hub_url: str, store_id: str | None = None,
                   now: datetime | None = None) -> Exported:
    """Write the export file to ``path`` (replacing it only once complete)."""
    hub_url = hub_url.strip().rstrip("/")
    if not hub_url.startswith(("http://", "https://")):
        raise AdminProblem(f"--hub-url {hub_url!r} must be the address the tills use, http(s)://...")
    if store_id is not None:
        store_id = check_identifier("store", store_id)
    names = [n for n in ORDER if store_id is not None or not DATASETS[n].per_store]
    exported_at = (now or datetime.now(timezone.utc)).isoformat()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AdminProblem(f"cannot write {path}: the folder {folder} does not exist")
    with tempfile.TemporaryFile(dir=folder) as body, _snapshot(db) as conn:
        store_name = None
        if store_id is not None:
            require_store(conn, store_id)
            store_name = conn.execute(select(stores.c.name).where(stores.c.store_id == store_id)).scalar_one()
        snapshot = current_version(conn)
        summary: dict[str, dict[str, Any]] = {}
        for name in names:
            count = pages = 0
            cursor = "0"
            for page in _pages(conn, name, snapshot, store_id):
                body.write(_line(page))
                count, pages, cursor = count + len(page["items"]), pages + 1, page["cursor"]
            summary[name] = {"items": count, "pages": pages, "cursor": cursor}
        header = {"format": FORMAT, "format_version": FORMAT_VERSION, "hub_url": hub_url, "store_id": store_id,
                  "store_name": store_name, "exported_at": exported_at, "snapshot": str(snapshot),
                  "datasets": summary}
        size = _write(path, _line(header), body)
    return Exported(path, store_id, snapshot, {n: s["items"] for n, s in summary.items()}, size)


def _write(path: Path, header: bytes, body: Any) -> int:
    """Header, body and checksum line into a file beside ``path``, flushed, then renamed onto it."""
    digest = hashlib.sha256(header)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:  # PIN hashes: 0600
            out.write(header)
            body.seek(0)
            while chunk := body.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
            out.write(_line({"sha256": digest.hexdigest()}))
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
        _sync_folder(path.parent)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise AdminProblem(f"cannot write {path}: {error.strerror or error}") from None
    return path.stat().st_size


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk (a USB stick pulled out right after): POSIX only."""
    if os.name != "posix":
        return
    handle = os.open(folder if str(folder) else ".", os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
