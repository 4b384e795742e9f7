"""What the till remembers about its hub, in the ``sync_state`` table: the hub's address,
the store and till it enrolled as, when it enrolled, last pushed and last pulled.  Never
the credential (that lives in the OS keyring, see sync/credentials.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exc as sa_exc

from local_db.database import Database
from local_db.problems import explain

HUB_URL, STORE_ID, TILL_ID, ENROLLED_AT = "hub_url", "store_id", "till_id", "enrolled_at"
LAST_PULL_AT, LAST_PUSH_AT = "last_pull_at", "last_push_at"


class SyncStateStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str) -> str | None:
        try:
            with self.db.lookup() as conn:
                value = conn.exec_driver_sql("SELECT value FROM sync_state WHERE key = ?", (key,)).scalar()
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing="reading the sync state") from error
        return None if value is None else str(value)

    def put(self, **values: str) -> None:
        try:
            with self.db.writing() as conn:
                conn.exec_driver_sql(
                    "INSERT INTO sync_state (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    list(values.items()),
                )
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing="saving the sync state") from error

    def moment(self, key: str) -> datetime | None:
        text = self.get(key)
        return None if text is None else datetime.fromisoformat(text)

    def all(self) -> dict[str, str]:
        try:
            with self.db.lookup() as conn:
                return {str(k): str(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM sync_state")}
        except sa_exc.SQLAlchemyError as error:
            raise explain(error, path=self.db.path, doing="reading the sync state") from error
