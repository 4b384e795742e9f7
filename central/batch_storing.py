"""Storing a batch of documents from a till exactly once, for sales (``sales_intake``) and
the store's day documents (``documents_intake``) alike.

The batch is stored in one transaction; a PostgreSQL deadlock or serialisation failure
runs the whole batch again (up to ``RETRIES`` times).  If the database refuses the values
of one document (``about_values``), the batch is stored again one document per
transaction, so only the refused ones are answered ``rejected`` and the others are kept.
Exactly-once still comes from the tables' unique constraints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from central.database import HubDatabase
from central.stores import TillIdentity, now

log = logging.getLogger(__name__)

RETRIES = 5  # PostgreSQL deadlock or serialisation failure: the whole batch again
RETRY_STATES = {"40P01", "40001"}

Answers = dict[int, dict[str, Any]]


class Indexed(Protocol):
    @property
    def index(self) -> int: ...


C = TypeVar("C", bound=Indexed)


class Refused(Exception):
    """The database refused the values of a document (see ``about_values``)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def about_values(error: BaseException) -> bool:
    """Is ``error`` about a document's values rather than the database's state?  A value the
    driver could not encode or convert (raised as is, or wrapped in a StatementError that
    is no DBAPIError), or one the database refused (DataError, IntegrityError)."""
    if isinstance(error, (sa_exc.DataError, sa_exc.IntegrityError, UnicodeEncodeError, OverflowError)):
        return True
    return isinstance(error, sa_exc.StatementError) and not isinstance(error, sa_exc.DBAPIError)


def first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return (text.splitlines() or [""])[0].encode("utf-8", "backslashreplace").decode("utf-8")


def store_batch(db: HubDatabase, till: TillIdentity, candidates: list[C], what: str,
                store: Callable[[Connection, TillIdentity, list[C], datetime], Answers],
                refused: Callable[[C, BaseException], dict[str, Any]]) -> Answers:
    """The candidates stored with ``store`` in one transaction or, if the database refuses
    one of them, one transaction per candidate, the refused ones answered by ``refused``.
    ``what`` names a candidate in the log ("sale", "document")."""
    try:
        return _store_retrying(db, till, candidates, what, store)
    except Refused as error:
        if len(candidates) == 1:
            return {candidates[0].index: refused(candidates[0], error.error)}
        log.warning("the database refused a %s of a batch from %s (%s); storing them one by one",
                    what, till, first_line(error.error))
    answers: Answers = {}
    for candidate in candidates:
        try:
            answers.update(_store_retrying(db, till, [candidate], what, store))
        except Refused as error:
            answers[candidate.index] = refused(candidate, error.error)
    return answers


def _store_retrying(db: HubDatabase, till: TillIdentity, candidates: list[C], what: str,
                    store: Callable[[Connection, TillIdentity, list[C], datetime], Answers]) -> Answers:
    for attempt in range(1, RETRIES + 1):
        try:
            with db.writing() as conn:
                return store(conn, till, candidates, now())
        except Exception as error:
            if isinstance(error, sa_exc.DBAPIError) and getattr(error.orig, "sqlstate", None) in RETRY_STATES:
                if attempt < RETRIES:
                    log.info("a %s batch from %s met a concurrent one (%s); retrying", what, till, error.orig)
                    continue
                raise
            if about_values(error):
                raise Refused(error) from error
            raise
    raise AssertionError("unreachable")
