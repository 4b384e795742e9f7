"""Alembic environment for the hub database.

``central.database.migrate`` passes an open connection, already inside the migration
transaction, in ``config.attributes``; every migration runs in that one transaction.
From a developer's shell, ``alembic -x url=URL upgrade head`` (with ``script_location``
pointing here) works too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

config = context.config
connection = config.attributes.get("connection")

if connection is not None:
    context.configure(connection=connection, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    url = config.get_main_option("sqlalchemy.url") or context.get_x_argument(as_dictionary=True)["url"]
    engine = create_engine(url)
    with engine.connect() as own_connection:
        context.configure(connection=own_connection, transactional_ddl=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
