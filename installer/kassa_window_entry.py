"""Windows only: ``kassa-till.exe``, a windowed (no console) start of ``kassa run`` for the
start menu and the autostart shortcut; other arguments follow ``run`` (e.g. ``--config``)."""

import sys

from shell.cli import main

if __name__ == "__main__":
    sys.exit(main(["run", *sys.argv[1:]]))
