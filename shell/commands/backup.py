"""kassa backup and kassa restore: a copy of the till's database, and putting one back.

``kassa backup [FILE]`` copies the database with SQLite's online backup API while the till
runs (it takes no lock and never blocks a sale), checks the copy (``integrity_check``) and
prints its path and size; without FILE the copy goes beside the database as
``till.sqlite3.backup-<UTC time>.bak``.

``kassa restore FILE`` is refused while the till runs (the one-till lock).  It checks FILE
is a Kassa till database (readable, whole, a schema this Kassa knows, the same store and
till as the settings unless ``--force``), keeps the current database as
``till.sqlite3.before-restore-<UTC time>.bak``, then puts the copy in place; the till
upgrades it when it next starts.  Output is plain English for IT; exit 0 done, 2 refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from shell.command_args import demo_arguments

if TYPE_CHECKING:
    from local_db.backups import CopyFacts
    from shell.settings import Settings


class Refused(Exception):
    """Why a backup or restore was not done, in plain English for IT."""


def _settings(args: argparse.Namespace) -> Settings:
    from shell.command_args import settings_of

    return settings_of(args.config, demo=args.demo, demo_dir=args.data_dir)


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        return _backup(args)
    except Refused as why:
        print(f"kassa backup: {why}", file=sys.stderr)
        return 2


def _backup(args: argparse.Namespace) -> int:
    from local_db.backups import backup_database, inspect_copy, manual_backup_path
    from shell.till import database_path

    database = database_path(_settings(args))
    if not database.is_file():
        raise Refused(f"there is no till database at {database}: nothing to back up (check --config)")
    target: Path = args.file or manual_backup_path(database)
    if target.is_dir():
        target = target / manual_backup_path(database).name
    if target.exists():
        raise Refused(f"{target} already exists: give another file name (nothing was overwritten)")
    if not target.parent.is_dir():
        raise Refused(f"the folder {target.parent} does not exist: create it or give another file name")
    copy = backup_database(database, target)  # online: the till may sell meanwhile
    facts = inspect_copy(copy.path)
    print(f"{copy.path}: {_size(copy.size)}, a checked copy of {database} (integrity ok; schema {facts.schema}, "
          f"{facts.sales} sales, last receipt {facts.last_receipt})")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        return _restore(args)
    except Refused as why:
        print(f"kassa restore: {why}", file=sys.stderr)
        return 2


def _restore(args: argparse.Namespace) -> int:
    from local_db.backups import copy_database, put_in_place, remove_quietly, restore_backup_path
    from local_db.problems import DatabaseInUse
    from shell.till import claim_database, database_path, release_database

    settings = _settings(args)
    database = database_path(settings)
    source: Path = args.file
    facts = _checked_copy(source, settings, force=args.force)
    try:
        lock = claim_database(database)
    except DatabaseInUse:
        raise Refused(f"the till is running on {database} (or another kassa command that writes): "
                      "close it first, then restore; nothing was changed") from None
    try:
        lost = _sales_only_in(database, facts)
        if lost and not args.force:
            raise Refused(f"{lost}. Restore all the same with --force (the current database is kept as a backup); "
                          "nothing was changed")
        _check_room(database, source)
        kept = _keep_current(database, restore_backup_path(database)) if database.is_file() else None
        staged = database.with_name(database.name + ".incoming")
        copy_database(source, staged, full_check=True, read_only=True)  # reads through FILE's own -wal, if any
        try:
            put_in_place(staged, database)
        finally:
            remove_quietly(staged)
    finally:
        release_database(lock)
    print(f"{database}: restored from {source} (schema {facts.schema}, {facts.sales} sales, "
          f"last receipt {facts.last_receipt}); it is upgraded, if needed, when the till next starts")
    if kept is not None:
        print(f"the database it replaced is kept in {kept}")
    return 0


def _checked_copy(source: Path, settings: Settings, *, force: bool) -> CopyFacts:
    import sqlite3

    from local_db.backups import copy_problems, inspect_copy
    from local_db.database import SCHEMA_HEAD, pending_migrations

    if not source.is_file():
        raise Refused(f"{source} is not a file: give the backup file to restore")
    problems = copy_problems(source, full=True)
    if problems:
        raise Refused(f"{source} is not a database or is damaged ({'; '.join(problems[:3])}): "
                      "choose another backup; nothing was changed")
    try:
        facts = inspect_copy(source)
    except sqlite3.Error as error:
        raise Refused(f"{source} cannot be read ({error}): choose another backup; nothing was changed") from None
    if not facts.is_till_database:
        raise Refused(f"{source} is an SQLite file but not a Kassa till database (no till schema or sale journal); "
                      "nothing was changed")
    if pending_migrations(facts.schema) is None:
        raise Refused(f"{source} was made by a newer Kassa (schema {facts.schema}; this Kassa knows up to "
                      f"{SCHEMA_HEAD}): install that version, or choose an older backup; nothing was changed")
    differences = _identity_differences(facts, settings)
    if differences and not force:
        raise Refused(f"{source} is not this till's database: {'; '.join(differences)}. "
                      "If you mean to restore it here all the same, add --force; nothing was changed")
    return facts


def _sales_only_in(database: Path, restored: CopyFacts) -> str:
    """What the current database holds that the restored copy lacks (sales and receipt
    numbers the till would hand out again), or '' when nothing (or it cannot be read)."""
    import sqlite3

    from local_db.backups import inspect_copy

    if not database.is_file():
        return ""
    try:
        current = inspect_copy(database)
    except (sqlite3.Error, UnicodeDecodeError):
        return ""  # a damaged database, often the reason to restore: nothing to compare
    if current.last_receipt <= restored.last_receipt and current.sales <= restored.sales:
        return ""
    return (f"the current database {database} has {current.sales} sales up to receipt {current.last_receipt}, "
            f"the backup only {restored.sales} up to receipt {restored.last_receipt}: the newer sales would be "
            f"left only in the kept copy, and the till would number new sales from {restored.last_receipt + 1} "
            "again; send the newer sales to the hub first (kassa sync)")


def _check_room(database: Path, source: Path) -> None:
    import shutil

    from local_db.backups import SPARE_BYTES, database_bytes

    needed = database_bytes(database) + database_bytes(source) + SPARE_BYTES
    free = shutil.disk_usage(database.parent).free
    if free < needed:
        raise Refused(f"not enough free disk space in {database.parent} to keep the current database and put the "
                      f"backup in place (needs {_size(needed)}, {_size(free)} is free): free some space; "
                      "nothing was changed")


def _identity_differences(facts: CopyFacts, settings: Settings) -> list[str]:
    store, till = settings.store.store_id, settings.till.till_id
    found = []
    if facts.store_ids - {store}:
        found.append(f"it records store {', '.join(sorted(facts.store_ids))}, the settings say store {store}")
    if facts.till_ids - {till}:
        found.append(f"it records till {', '.join(sorted(facts.till_ids))}, the settings say till {till}")
    return found


def _keep_current(database: Path, target: Path) -> Path:
    """A copy of the database about to be replaced: online backup, or (a damaged file, which
    is often why one restores) the file itself, byte for byte."""
    import shutil

    from local_db.backups import copy_database
    from local_db.private_files import FILE_MODE, tighten
    from pos.errors import PosError

    try:
        return copy_database(database, target).path
    except PosError as error:
        print(f"the current database could not be copied by SQLite ({error}); keeping its files as they are",
              file=sys.stderr)
    for suffix in ("", "-wal"):
        if Path(str(database) + suffix).is_file():
            shutil.copy2(str(database) + suffix, str(target) + suffix)
            tighten(Path(str(target) + suffix), FILE_MODE)
    return target


COMMANDS = {"backup": cmd_backup, "restore": cmd_restore}
ONE_LINE_ON_FAILURE = ("backup", "restore")


def add_arguments(sub: argparse._SubParsersAction) -> None:
    backup = sub.add_parser("backup", help="copy the till's database (SQLite online backup; the till may be running)")
    backup.add_argument("file", nargs="?", type=Path,
                        help="where to write the copy (default: till.sqlite3.backup-<UTC time>.bak beside the database)")
    backup.add_argument("--config", type=Path, help="settings file (default: KASSA_CONFIG or the config dir)")
    demo_arguments(backup, "back up the demo store's database")
    restore = sub.add_parser("restore", help="put a backup in place of the till's database (the till must be closed)")
    restore.add_argument("file", type=Path, help="the backup file to restore")
    restore.add_argument("--force", action="store_true",
                         help="restore even if the backup records another store or till than the settings, "
                              "or lacks sales the current database has")
    restore.add_argument("--config", type=Path, help="settings file (default: KASSA_CONFIG or the config dir)")
    demo_arguments(restore, "restore the demo store's database")
