"""The demo hub's process: runs ``central.cli`` (``python -m shell.hub_watchdog PID serve ...``)
and stops it when the demo that owns it is gone, however that demo ended (closed, SIGTERM,
kill -9, a crash of the window): a watchdog thread looks at the owner every half second
and sends this process SIGTERM, so the hub shuts down as it does on Ctrl+C.

Portable (no prctl): the owner is this process's parent (its parent pid changes when it
dies) or, for a hub restarted with ``kassa demo-hub start`` beside a running demo, that
demo's pid.  The hub's code is run, not imported: the till never imports ``central``.
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import threading
import time

LOOK_EVERY = 0.5  # seconds between two looks at the owner
GRACE = 15.0  # seconds the hub has to shut down before the process exits anyway


def alive(pid: int) -> bool:
    """Is process ``pid`` running (a zombie, dead but not yet reaped, is not)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS, Windows): kill(pid, 0) said it exists


def _watch(owner: int) -> None:
    is_parent = os.getppid() == owner
    while (os.getppid() == owner) if is_parent else alive(owner):
        time.sleep(LOOK_EVERY)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE)
    os._exit(0)


def main(argv: list[str]) -> None:
    owner, hub_args = int(argv[0]), argv[1:]
    threading.Thread(target=_watch, args=(owner,), daemon=True, name="demo-hub-watchdog").start()
    sys.argv = ["central.cli", *hub_args]
    runpy.run_module("central.cli", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
