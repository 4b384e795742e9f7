"""What can go wrong with the till's database, told in words a shop manager can act on.

Every failure of the storage layer reaches the rest of the till as a
``pos.errors.StorageProblem`` (or one of the subclasses below), never as a raw SQLite or
SQLAlchemy exception.  :func:`explain` turns a low-level error into the right one.
"""

from __future__ import annotations

import logging

from sqlalchemy import exc as sa_exc

from pos.errors import StorageProblem
from pos.i18n import N_

log = logging.getLogger(__name__)


class DatabaseDamaged(StorageProblem):
    message = N_(
        "The file {path} is not a till database or is damaged ({reason}). "
        "Restore it from a backup or move it away so the till can start a new one."
    )


class DatabaseInUse(StorageProblem):
    message = N_(
        "The till's database is being used by another program ({reason}). "
        "Close that program (or a second copy of the till) and try again."
    )


class FolderNotWritable(StorageProblem):
    message = N_(
        "The till cannot write its database in {folder} ({reason}). "
        "Check that the folder exists and that this user may write to it."
    )


class DiskFull(StorageProblem):
    message = N_("The disk holding the till's database is full ({reason}). Free some space and try again.")


class DatabaseTooNew(StorageProblem):
    message = N_(
        "The till's database was made by a newer version of Kassa (schema {version}). "
        "Install that version again or restore an older database."
    )


def _root_cause(error: BaseException) -> BaseException:
    if isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
        return error.orig
    return error


def explain(error: BaseException, *, path: object = "", doing: str = "") -> StorageProblem:
    """The StorageProblem that tells a person what ``error`` means for the till."""
    if isinstance(error, StorageProblem):
        return error
    cause = _root_cause(error)
    text = str(cause).strip() or type(cause).__name__
    reason = f"{doing}: {text}" if doing else text
    lowered = text.lower()
    log.error("storage problem%s: %s", f" while {doing}" if doing else "", text, exc_info=error)
    if "file is not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return DatabaseDamaged(path=str(path) or "?", reason=text)
    if "locked" in lowered or "busy" in lowered:
        return DatabaseInUse(reason=text)
    if "disk is full" in lowered or "database or disk is full" in lowered:
        return DiskFull(reason=text)
    if "readonly" in lowered or "read-only" in lowered or "unable to open database file" in lowered:
        folder = getattr(path, "parent", path)
        return FolderNotWritable(folder=str(folder) or "?", reason=text)
    return StorageProblem(reason=reason)


class DatabaseMissing(StorageProblem):
    message = N_(
        "There is no till database at {path}. "
        "Check the [database] path in the settings, or start the till once to create it."
    )


class BackupWontFit(StorageProblem):
    message = N_(
        "There is not enough free disk space for a backup of the till's database at {path} "
        "(it needs {needed}, {free} is free). Free some space and start the till again."
    )


class BackupDamaged(StorageProblem):
    message = N_(
        "The backup copy {path} failed its check ({reason}), so it was not kept. "
        "The database may be damaged: call IT before going on."
    )


class UpgradeFailed(StorageProblem):
    """A migration failed: the database was put back as it was and the till does not start."""

    message = N_(
        "Kassa could not upgrade the till's database from schema {version}: "
        "migration {migration} failed ({reason}). "
        "The database {path} is back exactly as it was before the upgrade (a copy is kept in {backup}), "
        "and Kassa will not run on a half-upgraded file. "
        "Tell IT: 'upgrade of the till database from schema {version} failed at {migration}' "
        "and send them the log; until it is fixed, reinstall the previous version of Kassa to keep selling."
    )


class UpgradeNotRolledBack(StorageProblem):
    """A migration failed and the backup could not be put back either."""

    message = N_(
        "Kassa could not upgrade the till's database from schema {version}: migration {migration} "
        "failed ({reason}), and the backup could not be put back ({restore_reason}). "
        "Do not use this till: call IT now. The backup made just before the upgrade is {backup}."
    )
