"""A till process for the SIGKILL test of a big pull: applies what is staged in DB_PATH by
building the new catalog beside the live one, in small chunks, until it is killed.

    python -m tests.local_db.build_child DB_PATH
"""

from __future__ import annotations

import sys
from pathlib import Path

from local_db.database import open_database
from local_db.reference_data import ReferenceData
from tests.local_db.test_catalog_swap import CURSORS, NOW


def main(db_path: str) -> None:
    db = open_database(Path(db_path))
    ReferenceData(db, big_pull=0, chunk=100).apply(CURSORS, NOW)
    print("swapped", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
