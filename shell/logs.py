"""The log every ``kassa`` command writes: a rotating file in the data folder (0600 in a
0700 folder: it names cashiers and amounts) and one clear line on the terminal."""

from __future__ import annotations

import io
import logging
import logging.handlers
from pathlib import Path
from typing import cast

from local_db.private_files import private_folder, private_opener, tighten_files


def setup_logging(directory: Path, verbose: bool = False) -> Path:
    """Log to a rotating file in the data directory and to stderr.  The folder is 0700 and
    the log files 0600 (they name cashiers and amounts); looser modes left by an older
    install are tightened, and the log says so."""
    if not directory.is_dir():
        private_folder(directory)
    log_file = directory / "kassa.log"
    handler = _PrivateLogFile(log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.CRITICAL)
    if not verbose:  # the person at the terminal gets one clear line; the file keeps the traceback
        console.setFormatter(_OneLine("kassa: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.handlers[:] = [handler, console]
    private_folder(directory)
    tighten_files(directory, patterns=("kassa.log*", "*.lock", "*.sqlite3*"))
    return log_file


class _PrivateLogFile(logging.handlers.RotatingFileHandler):
    """A rotating log whose every new file (the first, and each one after a rotation) is 0600."""

    def _open(self) -> io.TextIOWrapper:
        file = open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=private_opener)
        return cast(io.TextIOWrapper, file)


class _OneLine(logging.Formatter):
    def formatException(self, ei) -> str:  # noqa: ANN001, N802
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = ""
        return super().format(record).rstrip()
