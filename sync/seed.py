"""Seeding a till from a catalog export file (``kassa-hub export``; ``kassa seed FILE``): a
till with no link on its first day gets the catalog and its store's cashiers from a USB
stick, as if it had pulled them, and its next pull from the hub brings only what changed
since the export.

The file's pages are the hub's pages (docs/sync-protocol.md, "The catalog export file"), so
they go the pull's way: each page is checked against the protocol with the same models as a
page over HTTP (``sync.answers``), turned into rows by the pull's own ``sync.pull.ROWS``,
staged (``local_db.reference_data.Staging``) and applied in one apply with the file's
cursors (``ReferenceData.apply``): either the whole file is in the catalog or none of it.

Refused, with nothing changed: a file that is not an export, damaged or cut short (its
last line is the SHA-256 of everything before it; the whole file is checked before
anything is staged, and again while it is staged), a newer format, a file for another
store or from another hub, and one older than what the till already has (a till never goes
backwards).  A file the till already has in full changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from local_db.database import Database
from local_db.reference_data import DATASETS, Applied, Cursor, ReferenceData
from local_db.sync_state import HUB_URL, SyncStateStore
from pos.errors import PosError
from sync import answers
from sync.pull import ROWS, STAGE_ROWS

log = logging.getLogger(__name__)

FORMAT = "kassa.catalog-export"
FORMAT_VERSION = 2  # the newest format this till reads (2 adds the policies dataset; 1 is read too)
MAX_LINE = 64 * 1024 * 1024  # a page of 5,000 items is far smaller
SEEDED_FROM = "seeded_from"  # sync_state: the last file seeded (JSON: hub, store, snapshot, sha256, exported_at)
_TRAILER_START, _TRAILER_END = b'{"sha256":"', b'"}\n'


class SeedRefused(PosError):
    """The file was not seeded; the till is as it was.  Plain English: an IT command's output."""

    message = "cannot seed from {file}: {reason}"


class _Summary(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)
    items: int
    pages: int
    cursor: answers.Version


class Header(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)
    format: Literal["kassa.catalog-export"]
    format_version: int
    hub_url: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    store_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None
    store_name: str | None = None
    exported_at: datetime
    snapshot: answers.Version
    datasets: dict[str, _Summary]


@dataclass(frozen=True, slots=True)
class Seeded:
    header: Header
    sha256: str
    items: dict[str, int] = field(default_factory=dict)
    applied: Applied | None = None  # None: the till had this file's data already

    def describe(self) -> str:
        h = self.header
        if self.applied is None:
            return (f"nothing to do: this till already has the hub's catalog as of version {h.snapshot} "
                    f"(exported {h.exported_at.isoformat(timespec='seconds')})")
        counts = ", ".join(f"{n} {d}" for d, n in self.items.items())
        text = (f"seeded {counts} from the export of {h.hub_url} made {h.exported_at.isoformat(timespec='seconds')} "
                f"(catalog version {h.snapshot}); the next pull brings only what changed since")
        if self.applied.waiting:
            text += f"; {self.applied.waiting} row(s) wait for related data"
        if "cashiers" not in h.datasets:
            text += ("\nthe file has no cashiers (it was exported without --store): nobody can sign in until the "
                     "till pulls them from the hub")
        return text


def normal_hub(url: str) -> str:
    return url.strip().rstrip("/")


def _refuse(path: Path, reason: str) -> SeedRefused:
    return SeedRefused(file=str(path), reason=reason)


def _damaged(path: Path, what: str) -> SeedRefused:
    return _refuse(path, f"the file is damaged or incomplete ({what}); copy it again from the stick, "
                         "or make a new one with kassa-hub export")


def _lines(path: Path) -> Iterator[bytes]:
    """Every line of the file but the last, which must be the SHA-256 of all of them: raises
    SeedRefused at the end when it is not (so a reader stops before trusting a damaged file)."""
    digest = hashlib.sha256()
    previous: bytes | None = None
    try:
        with open(path, "rb") as data:
            while line := data.readline(MAX_LINE + 1):
                if len(line) > MAX_LINE:
                    raise _damaged(path, f"a line longer than {MAX_LINE} bytes")
                if previous is not None:
                    digest.update(previous)
                    yield previous
                previous = line
    except OSError as error:
        raise _refuse(path, f"the file cannot be read: {error.strerror or error}") from None
    expected = _TRAILER_START + digest.hexdigest().encode() + _TRAILER_END
    if previous is None:
        raise _damaged(path, "it is empty")
    if previous != expected:
        if not (previous.startswith(_TRAILER_START) and previous.endswith(_TRAILER_END)):
            raise _damaged(path, "it does not end with its checksum line: was it copied completely?")
        raise _damaged(path, "its SHA-256 does not match its content")


def read_header(path: Path) -> tuple[Header, str]:
    """Check the whole file (checksum) and read its header: the header and the SHA-256."""
    try:
        with open(path, "rb") as data:
            start = data.read(40)
    except OSError as error:
        raise _refuse(path, f"the file cannot be read: {error.strerror or error}") from None
    if not start:
        raise _damaged(path, "it is empty")
    if not start.startswith(b'{"format":"' + FORMAT.encode() + b'"'):
        raise _refuse(path, "it is not a Kassa catalog export (kassa-hub export makes them), or its beginning is "
                            "damaged")
    first = b""
    digest = hashlib.sha256()
    for number, line in enumerate(_lines(path)):
        if number == 0:
            first = line
        digest.update(line)
    try:
        raw = json.loads(first)
        version = raw["format_version"] if isinstance(raw, dict) else None
    except (ValueError, KeyError):
        raise _damaged(path, "its first line is not a header") from None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _damaged(path, "its header has no format version")
    if version > FORMAT_VERSION:
        raise _refuse(path, f"it is in format {version}, newer than this till reads (format {FORMAT_VERSION}): "
                            "upgrade the till first, or export with the kassa-hub of the till's version")
    try:
        header = Header.model_validate_json(first)
    except ValidationError as error:
        raise _damaged(path, f"its header is not valid: {_first_problem(error)}") from None
    unknown = sorted(set(header.datasets) - set(DATASETS))
    if unknown or not header.datasets:
        raise _damaged(path, f"unknown datasets {unknown}" if unknown else "it names no datasets")
    return header, digest.hexdigest()


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0] if error.error_count() else {"loc": (), "msg": "invalid"}
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def check_fits(path: Path, header: Header, db: Database, *, store_id: str, hub_url: str | None) -> bool:
    """Refuse a file for another store, from another hub or older than the till's catalog;
    False when the till already has everything in it."""
    if header.store_id is not None and header.store_id != store_id:
        raise _refuse(path, f"it was exported for store {header.store_id}, but this till is in store {store_id} "
                            "(see the [store] settings): export again with --store " + store_id)
    state = SyncStateStore(db)
    known = [(normal_hub(url), where) for url, where in (
        (state.get(HUB_URL), "the hub it is enrolled with"), (hub_url, "its settings' [sync] hub_url"),
        (_seeded_hub(state), "the hub of the file it was seeded from before")) if url]
    for url, where in known:
        if url != normal_hub(header.hub_url):
            raise _refuse(path, f"it comes from the hub at {header.hub_url}, but this till works with {url} "
                                f"({where}): export from that hub")
    snapshot = int(header.snapshot)
    have = {d: int(c.snapshot) for d, c in ReferenceData(db).cursors().items() if d in header.datasets}
    newer = {d: s for d, s in have.items() if s > snapshot}
    if newer:
        raise _refuse(path, f"it holds the hub's catalog as of version {snapshot} (exported "
                            f"{header.exported_at.isoformat(timespec='seconds')}), but this till already has version "
                            f"{max(newer.values())}: seeding it would go backwards; make a new export")
    return not (len(have) == len(header.datasets) and all(s == snapshot for s in have.values()))


def _seeded_hub(state: SyncStateStore) -> str | None:
    text = state.get(SEEDED_FROM)
    try:
        return None if text is None else str(json.loads(text)["hub_url"])
    except (ValueError, KeyError, TypeError):
        return None


def seed_till(db: Database, path: Path, *, store_id: str, hub_url: str | None = None) -> Seeded:
    """Seed the till database ``db`` (its one-till lock held by the caller) from ``path``."""
    header, sha = read_header(path)
    if not check_fits(path, header, db, store_id=store_id, hub_url=hub_url):
        return Seeded(header, sha)
    data = ReferenceData(db)
    data.discard_pull()  # an unfinished pull goes on from the seeded cursors instead
    try:
        cursors, items = _stage(path, header, data, sha)
        applied = data.apply(cursors, header.exported_at)
    except BaseException:
        data.discard_pull()
        raise
    SyncStateStore(db).put(**{SEEDED_FROM: json.dumps({
        "hub_url": normal_hub(header.hub_url), "store_id": header.store_id, "snapshot": header.snapshot,
        "exported_at": header.exported_at.isoformat(), "sha256": sha, "file": path.name})})
    log.info("seeded the catalog from %s (hub %s, version %s, sha256 %s): %s", path, header.hub_url,
             header.snapshot, sha, items)
    return Seeded(header, sha, items, applied)


def _stage(path: Path, header: Header, data: ReferenceData, sha: str) -> tuple[dict[str, Cursor], dict[str, int]]:
    """Stage every page (checked as a pull checks a page); the cursor each dataset ends at."""
    order = list(header.datasets)
    done: dict[str, Cursor] = {}
    items = {d: 0 for d in order}
    pages = {d: 0 for d in order}
    current: str | None = None
    after = "0"
    batch: list[tuple[Any, ...]] = []
    with data.staging(f"seed {sha}") as staging:
        lines = _lines(path)
        next(lines, None)  # the header, read already
        for number, line in enumerate(lines, start=2):
            where = f"line {number}"
            try:
                dataset = json.loads(line).get("dataset")
            except (ValueError, AttributeError):
                raise _damaged(path, f"{where} is not a page") from None
            if not isinstance(dataset, str):
                raise _damaged(path, f"{where} is not a page")
            if dataset != current:
                if current is not None and current not in done:
                    raise _damaged(path, f"{where}: the {current} pages stop before their last page")
                if dataset not in order or dataset in done or order.index(dataset) != len(done):
                    raise _damaged(path, f"{where}: a {dataset!r} page out of place")
                current, after = dataset, "0"
            elif dataset in done:
                raise _damaged(path, f"{where}: a {dataset} page after its last page")
            try:
                page = answers.PAGE_MODELS[dataset].model_validate_json(line)
                rows = [ROWS[dataset](item) for item in page.items]
            except ValidationError as error:
                raise _damaged(path, f"{where} does not follow the protocol: {_first_problem(error)}") from None
            except ValueError as error:
                raise _damaged(path, f"{where}: {error}") from None
            if page.snapshot != header.snapshot or (page.items and int(page.cursor) <= int(after)):
                raise _damaged(path, f"{where}: the {dataset} page's cursor or snapshot does not follow")
            after = page.cursor
            items[dataset] += len(page.items)
            pages[dataset] += 1
            batch.extend(rows)
            if page.more and len(batch) < STAGE_ROWS:
                continue
            cursor = Cursor(page.cursor, page.snapshot)
            staging.stage(dataset, batch, cursor=cursor, complete=not page.more)
            batch = []
            if not page.more:
                done[dataset] = cursor
    missing = [d for d in order if d not in done]
    if missing:
        raise _damaged(path, f"no last page of {', '.join(missing)}")
    for dataset, summary in header.datasets.items():
        if (summary.items, summary.pages, summary.cursor) != (items[dataset], pages[dataset], done[dataset].cursor):
            raise _damaged(path, f"the {dataset} pages do not add up to what the header says")
    return done, items
