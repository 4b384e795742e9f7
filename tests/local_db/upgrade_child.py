"""A till starting on an older database, stopped on purpose inside its upgrade so a test can
SIGKILL it there (tests/local_db/test_upgrade_kills.py).

    python -m tests.local_db.upgrade_child DB STOP_AT [MIGRATIONS]

STOP_AT is ``statement:N`` (stop before the N-th SQL statement of the migrations; 0 = after
the backup, before the first one) or ``restore`` (a migration failed: stop just before the
backup is put back).  At the stop it prints ``STOPPED`` and waits to be killed; if the
upgrade ends first it prints ``DONE <statements run>`` (or ``REFUSED``).  MIGRATIONS, if
given, replaces the real migrations folder (a test's copy with a failing revision)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

import local_db.backups as backups
import local_db.database as database
from local_db.problems import UpgradeFailed


def _stop() -> None:
    print("STOPPED", flush=True)
    time.sleep(600)
    sys.exit("not killed")


def main(path: Path, stop_at: str, migrations: str | None) -> None:
    if migrations:
        database.MIGRATIONS = Path(migrations)
        database.SCHEMA_HEAD = database.migration_order()[-1]
    seen = {"migrating": False, "statements": 0}
    real_upgrade = database.upgrade_schema

    def upgrade(db: database.Database) -> None:
        seen["migrating"] = True
        if stop_at == "statement:0":
            _stop()
        real_upgrade(db)
        seen["migrating"] = False  # committed: what follows (the quick check) is not the upgrade

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not seen["migrating"]:
            return
        seen["statements"] += 1
        if stop_at == f"statement:{seen['statements']}":
            _stop()

    real_checkpoint = backups.checkpoint_and_close

    def checkpoint(db_path: Path) -> None:
        if stop_at == "restore":
            _stop()
        real_checkpoint(db_path)

    database.upgrade_schema = upgrade  # type: ignore[assignment]
    backups.checkpoint_and_close = checkpoint  # type: ignore[assignment]
    try:
        database.open_database(path).close()
    except UpgradeFailed:
        print("REFUSED", flush=True)
        return
    print(f"DONE {seen['statements']}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
