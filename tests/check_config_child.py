"""Run `kassa check-config --config FILE` (the CLI's main function) for each FILE named on
the command line, in this one process; print one JSON line per file: exit code, stderr,
and whether an exception escaped main (which would be a traceback for the person)."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback

from shell.cli import main


def check(path: str) -> dict:
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            code = main(["check-config", "--config", path])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException:  # noqa: BLE001 - the point is to see any escape
            traceback.print_exc()
            code = 99
    return {"file": path, "code": code, "stderr": err.getvalue(), "stdout": out.getvalue()}


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(json.dumps(check(name)), file=sys.__stdout__, flush=True)
