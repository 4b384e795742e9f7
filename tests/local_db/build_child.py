"""A till process for the SIGKILL test of a big pull: applies what is staged in DB_PATH by
building the new catalog beside the live one, in small chunks, and stops dead at MOMENT
(a key of KILL_WHEN) to be killed there.

    python -m tests.local_db.build_child DB_PATH MOMENT

Once the build has committed what MOMENT's query looks for, the child goes on into its
next transaction, does that transaction's work, prints "paused" and waits without
committing: the test kills it there, inside a transaction, at the moment it asked for,
however fast or slow the machine.  If the build ends first it prints "swapped".
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection

from local_db.database import BulkWriter, open_database
from local_db.reference_data import ReferenceData
from tests.local_db.test_catalog_swap import CURSORS, KILL_WHEN, NOW


def pause_at(db_path: Path, query: str) -> None:
    """Make every BulkWriter transaction check, once committed, whether ``query`` holds."""
    watcher = sqlite3.connect(db_path)
    reached = threading.Event()
    transaction = BulkWriter.transaction

    @contextmanager
    def watched(self: BulkWriter) -> Iterator[Connection]:
        with transaction(self) as conn:
            yield conn
            if reached.is_set():  # this transaction's work is done and not committed
                print("paused", flush=True)
                threading.Event().wait()  # until SIGKILL
        if not reached.is_set():
            try:
                reached.set() if watcher.execute(query).fetchone()[0] else None
            except sqlite3.OperationalError:  # the table is not there (yet, or any more)
                pass

    BulkWriter.transaction = watched  # type: ignore[method-assign]


def main(db_path: str, moment: str) -> None:
    pause_at(Path(db_path), KILL_WHEN[moment])
    db = open_database(Path(db_path))
    ReferenceData(db, big_pull=0, chunk=100).apply(CURSORS, NOW)
    print("swapped", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
