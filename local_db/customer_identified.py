"""A customer identified for the open sale, recorded for the hub (``kassa.customer_identified.v1``,
pos/customer_identified.py): the outbox row alone, written in one transaction, so it goes
offline too and reaches the hub once (the outbox's ``document_id`` is unique).

The same customer identified again in the same sale is the same document id: nothing is
written the second time.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection

from local_db.database import Database
from local_db.outbox import DocumentRow, add_document
from pos.customer_identified import IDENTIFIED_SCHEMA, IDENTIFIED_SERIES, Identification, identification_to_dict


def record_identification(db: Database, identification: Identification) -> bool:
    """Queue the document for the hub; False when this sale already recorded this customer."""
    i = identification

    def write(conn: Connection) -> bool:
        if conn.exec_driver_sql("SELECT 1 FROM outbox WHERE document_id = ?", (str(i.document_id),)).first():
            return False
        add_document(conn, DocumentRow(i.document_id, IDENTIFIED_SCHEMA, IDENTIFIED_SERIES, 0,
                                       json.dumps(identification_to_dict(i), ensure_ascii=False)),
                     i.identified_at.isoformat())
        return True
    return db.write(write, "recording a customer identified for the sale")
