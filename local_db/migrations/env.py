"""Alembic environment for the till database.

At run time the till calls ``local_db.database.upgrade_schema``, which passes an open
connection (already inside a ``BEGIN IMMEDIATE`` transaction) in ``config.attributes``;
every migration then runs in that one transaction.  From a developer's shell,
``alembic -x db=PATH upgrade head`` (with ``script_location`` pointing here) works too.
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
    url = config.get_main_option("sqlalchemy.url") or f"sqlite:///{context.get_x_argument(as_dictionary=True)['db']}"
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
    else:
        engine = create_engine(url)
        with engine.connect() as own_connection:
            context.configure(connection=own_connection, transactional_ddl=True)
            with context.begin_transaction():
                context.run_migrations()
        engine.dispose()
