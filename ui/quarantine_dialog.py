"""The manager's quarantine (Ctrl+Q): what the hub refused for good, with its reasons: sales
and the store's day documents (returns, cash movements, Z reports...), the sales first in
receipt order, then the documents in the order they were written.  One can be put back in the queue (after the hub or the catalog was fixed) or
all of them exported to a JSON file for head office.  Reads and writes run on the till worker."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from local_db.outbox import QuarantinedDocument, QuarantinedSale
from pos.i18n import N_, _
from pos.store_day.roles import Action
from sync.service import TillSync
from ui.approval import permit
from ui.dialogs import big_button
from ui.errors import show_problem
from ui import formatting
from ui.list_model import RowsModel, list_table, move_selection, selected_row
from ui.message_area import MessageArea
from ui.qt import QDialog, QHBoxLayout, QKeyEvent, QLabel, Qt, QVBoxLayout, QWidget, qconnect
from ui.session import TillSession

HEADERS = (N_("Receipt"), N_("Quarantined"), N_("Reason"))
Held = QuarantinedSale | QuarantinedDocument

# what the list calls a document of each series (a sale is its receipt number)
_SERIES_NAMES = {
    "return": N_("Return {number}"),
    "cash_movement": N_("Cash movement {number}"),
    "z_report": N_("Z report {number}"),
    "shift": N_("Shift"),
    "approval": N_("Manager approval"),
    "sale_cancelled": N_("Cancelled sale"),
    "customer": N_("Customer registration"),
    "customer_identified": N_("Customer identified"),
}


def held_name(held: Held) -> str:
    """A sale's receipt number, or what the document is ("Return 3", "Z report 12")."""
    if isinstance(held, QuarantinedSale):
        return str(held.seq)
    row = held.message.document
    return _(_SERIES_NAMES.get(row.series, row.kind)).format(number=row.number)


def export_quarantine(held: list[Held], folder: Path) -> Path:
    """Write the quarantined sales and documents (each in full) to a new JSON file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"quarantine-{datetime.now(timezone.utc).strftime('%Y%m%d-%H%M%S')}.json"
    document: list[dict[str, Any]] = [_exported(q) for q in held]
    # written beside it, then renamed: whoever opens quarantine-*.json never finds it half written
    part = path.with_name(f".{path.name}.part")
    part.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(part, path)
    return path


def _exported(q: Held) -> dict[str, Any]:
    common = {"reason": q.reason, "attempts": q.attempts, "quarantined_at": q.quarantined_at.isoformat()}
    if isinstance(q, QuarantinedSale):
        return {"seq": q.seq, "sale_id": str(q.message.sale_id), **common, "sale": json.loads(q.message.payload)}
    row = q.message.document
    return {"kind": row.kind, "series": row.series, "number": row.number, "document_id": str(row.document_id),
            **common, "document": json.loads(row.payload)}


class QuarantineDialog(QDialog):
    def __init__(self, session: TillSession, sync: TillSync, export_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quarantineDialog")
        self.setWindowTitle(_("Sales the hub refused"))
        self.setModal(True)
        self.session, self.sync, self.export_folder = session, sync, export_folder
        zone = session.services.store.timezone
        self.model: RowsModel[Held] = RowsModel(
            HEADERS, lambda q: (held_name(q), formatting.store_time(q.quarantined_at, zone), q.reason), frozenset({0}), self)
        self.table = list_table(self.model, 2, self)
        self.message = MessageArea(self)
        hint = QLabel(_("R: send the chosen sale again · E: export all to a file · Esc: close"), self)
        hint.setWordWrap(True)
        retry = big_button(_("R  Send again"), self, "primaryButton")
        export = big_button(_("E  Export"), self)
        close = big_button(_("Esc  Close"), self)
        qconnect(retry.clicked, self.retry_selected)
        qconnect(export.clicked, self.export)
        qconnect(close.clicked, self.reject)
        buttons = QHBoxLayout()
        for button in (retry, export, close):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(hint)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        column.addLayout(buttons)
        self.resize(820, 520)
        self.loaded = False
        self.reload()

    def reload(self, notice: str | None = None) -> None:
        """Read the quarantine again; ``notice`` (what was just done) is shown once it is read."""
        outbox = self.sync.outbox

        def held() -> list[Held]:  # the sales in receipt order, then the documents in the order written
            return [*outbox.quarantined(), *outbox.quarantined_documents()]

        self.session.query(lambda _t, _j: held()).success(lambda found: self._show(found, notice)).failure(
            self._problem).run()

    def _show(self, sales: list[Held], notice: str | None = None) -> None:
        self.model.set_items(sales)
        if sales:
            self.table.selectRow(0)
        if notice is not None:
            self.message.show_notice(notice)
        elif not sales:
            self.message.show_notice(_("No sales in quarantine."))
        self.loaded = True

    def retry_selected(self) -> None:
        row = selected_row(self.table)
        chosen = self.model.item(row) if row is not None else None
        if chosen is None:
            return
        outbox, name = self.sync.outbox, held_name(chosen)

        def retry() -> bool:
            if isinstance(chosen, QuarantinedSale):
                return outbox.retry_quarantined(chosen.seq)
            return outbox.retry_quarantined_document(chosen.message.row_id)

        def done(_retried: bool) -> None:
            if isinstance(chosen, QuarantinedSale):
                self.reload(_("Receipt {number} goes back in the queue.").format(number=name))
            else:
                self.reload(_("{document} goes back in the queue.").format(document=name))

        self.session.query(lambda _t, _j: retry()).success(done).failure(self._problem).run()

    def export(self) -> None:
        """Under its own permission (QUARANTINE_EXPORT): anyone else asks a manager on the spot."""
        actions = getattr(self.parent(), "sale_actions", None)
        if actions is None:
            self._export_now()
            return
        permit(actions, Action.QUARANTINE_EXPORT, self._export_now)

    def _export_now(self) -> None:
        sales, folder = list(self.model.items), self.export_folder
        self.session.query(lambda _t, _j: export_quarantine(sales, folder)).success(
            lambda path: self.message.show_notice(_("Exported to {path}").format(path=path))
        ).failure(self._problem).run()

    def _problem(self, error: BaseException) -> None:
        show_problem(self.message, error)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_R:
            self.retry_selected()
        elif key == Qt.Key.Key_E:
            self.export()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            move_selection(self.table, -1 if key == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)
