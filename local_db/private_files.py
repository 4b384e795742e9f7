"""The till's files are readable by the till's user only.

The database holds the cashiers' PIN hashes and every sale; the log and the receipts name
cashiers and amounts.  On POSIX systems the data folder is 0700 and every file in it 0600:
set when the till creates them, and tightened at start-up when an older install left them
looser (a line in the log says so).  New files are born private: SQLite gives a database's
``-wal`` and ``-shm`` files the mode of the database file itself, and :func:`private_umask`
covers the moment the database file is created.

On Windows, POSIX modes mean little (``os.chmod`` only toggles read-only), so nothing is
changed there: the per-user data folder under ``%LOCALAPPDATA%`` is private to its user by
its inherited ACL, and a per-machine install restricts its folder with ``icacls`` (see
docs/configuration.md, "Security").
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600
POSIX = os.name != "nt"
_umask_lock = threading.Lock()


def tighten(path: Path, mode: int) -> bool:
    """Remove every permission bit of ``path`` that ``mode`` does not allow (never adds
    one).  True if the mode changed; a missing file, a symbolic link or a file the till may
    not change is left as it is (and logged)."""
    if not POSIX:
        return False
    try:
        found = os.stat(path, follow_symlinks=False)
    except OSError:  # missing, or a folder we may not look into: nothing to tighten here
        return False
    current = stat.S_IMODE(found.st_mode)
    if stat.S_ISLNK(found.st_mode) or not current & ~mode:
        return False
    try:
        os.chmod(path, current & mode)
    except OSError as error:  # another user's file, a read-only file system
        log.warning("could not make %s private (mode %o): %s", path, current & mode, error)
        return False
    log.warning("%s was readable by other users (mode %o); now %o", path, current, current & mode)
    return True


def private_folder(folder: Path) -> Path:
    """Create ``folder`` (and its missing parents) as 0700, or tighten it when it exists."""
    folder = Path(folder)
    if not folder.is_dir():
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    tighten(folder, FOLDER_MODE)
    return folder


def tighten_files(folder: Path, names: tuple[str, ...] = (), patterns: tuple[str, ...] = ()) -> None:
    """Tighten the named files and those matching ``patterns`` in ``folder`` to 0600."""
    folder = Path(folder)
    for name in names:
        tighten(folder / name, FILE_MODE)
    for pattern in patterns:
        for path in folder.glob(pattern):
            if path.is_file() and not path.is_symlink():
                tighten(path, FILE_MODE)


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for ``open()``: a file it creates is 0600 from its first moment."""
    return os.open(path, flags, FILE_MODE)


@contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders created inside are private to the user (umask 077).  The umask is
    the process's, so this is for short moments such as opening the database at start-up."""
    with _umask_lock:
        previous = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(previous)
