"""The bundle's entry point: the ``kassa`` command (shell.cli.main), as the console script runs it."""

import sys

from shell.cli import main

if __name__ == "__main__":
    sys.exit(main())
