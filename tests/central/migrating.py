"""Taking a test hub database to one schema revision, up or down (the hub migrations' tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from central.database import MIGRATIONS, connect


def migrate_to(url: str, revision: str, *, down: bool = False) -> None:
    """Upgrade (or with ``down``, downgrade) the hub database at ``url`` to ``revision``."""
    db = connect(url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with db.writing() as conn:
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, revision)
    finally:
        db.close()
