"""A till process for the SIGKILL test: records sales and pushes them with the sync
worker (woken after every sale) until it is killed.

    python -m tests.sync.till_child DB_PATH HUB_URL CREDENTIAL SALES
"""

from __future__ import annotations

import sys
from pathlib import Path

from local_db.database import open_database
from local_db.journal import SqlJournal
from sync.hub_client import HubClient, RetryPolicy
from sync.service import SyncConfig, TillSync
from sync.worker import SyncWorker
from tests.fakes import SHAMPOO, STORE
from tests.local_db.conftest import make_sql_till, sell


def main(db_path: str, hub_url: str, credential: str, count: int) -> None:
    db = open_database(Path(db_path))
    config = SyncConfig(hub_url, push_batch_size=7, push_interval_seconds=0.5, pull_interval_seconds=3600,
                        retry=RetryPolicy(attempts=2, first_wait=0.05, max_wait=0.2))
    worker = SyncWorker(TillSync(db, HubClient(hub_url, credential), config)).start()
    till = make_sql_till(SqlJournal(db, STORE.till_id))
    for _ in range(count):
        sell(till, SHAMPOO.barcode)
        worker.wake()
    print("recorded", flush=True)
    worker._thread.join()  # until killed


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
