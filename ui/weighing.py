"""F6, "weigh": the scale's weight goes into the sale.

- With a product code typed in the scan field, F6 weighs and adds that product with the weight.
- With the field empty, F6 weighs the selected line (a product sold by weight) anew.

The scale is read on a worker thread of its own (``hardware.scale`` waits at most its timeout);
the basket changes on the till worker, as every change does.  Zero, negative, over-capacity
and unsteady weights are refused with the scale's own message.

A weight read from the scale is the scale's: typing another weight over it (F4) is allowed,
because no permission system exists yet, but it is a distinct action: logged as a warning
("scale weight typed over by hand", the cashier, the product, both weights) and told to the
cashier.  When permissions come, this is the place that asks for a manager.
"""

from __future__ import annotations

import logging
import threading
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from pos.i18n import _
from pos.till import TillResult, is_scan
from ui import formatting
from ui.errors import show_problem
from ui.operations import Op, Worker
from ui.qt import QEvent, QKeyEvent, QObject, Qt, qconnect

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)
WEIGH_KEY = Qt.Key.Key_F6


class Weighing(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.screen = window.sale_screen
        self.scale = window.services.scale
        self.worker = Worker("scale-worker") if self.scale is not None else None
        self.busy = False  # a weighing is under way: F6 again is ignored until it answers
        self._from_scale: dict[uuid.UUID, Decimal] = {}  # lines whose weight the scale gave
        self._lock = threading.Lock()  # written on the till worker, read on the GUI thread
        self.screen.installEventFilter(self)
        self.screen.scan_field.installEventFilter(self)
        qconnect(self.session.changed, self._watch)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() == WEIGH_KEY:
            if self.window.sale_actions.dialog is None and self.window.on_sale_screen():
                self.weigh()
            return True
        return super().eventFilter(watched, event)

    def weigh(self) -> None:
        message = self.screen.message
        if self.scale is None or self.worker is None:
            message.show_error(_("No scale is set up on this till: type the weight (F4), or ask IT to set up [scale]."))
            return
        if self.busy:
            return
        code = self.screen.scan_field.text().strip()
        line_id: uuid.UUID | None = None
        if code:
            if not is_scan(code) or "*" in code:
                message.show_error(_("Type a product's code, then press F6 to weigh it."))
                return
        else:
            row = self.screen.selected_row()
            line = self.screen.model.line_at(row) if row is not None else None
            if line is None or line.voided or not line.product.sold_by_weight:
                message.show_error(_("Select a line sold by weight, or type a product's code, then press F6."))
                return
            line_id = line.line_id
        self.busy = True
        message.show_notice(_("Weighing…"))
        scale = self.scale
        Op(scale.weigh, self.worker).success(lambda weight: self._weighed(weight, code, line_id)).failure(
            self._refused).run()

    def _refused(self, error: BaseException) -> None:
        self.busy = False
        show_problem(self.screen.message, error)

    def _weighed(self, weight: Decimal, code: str, line_id: uuid.UUID | None) -> None:
        self.busy = False
        typed = str(weight)  # "0.350": the till reads a point in every language
        if code:
            if self.screen.scan_field.text().strip() == code:  # not what was typed while the scale answered
                self.screen.scan_field.clear()
            change = self.session.change(lambda till: self._mark(till.scan(f"{typed}*{code}"), weight))
        else:
            assert line_id is not None
            chosen = line_id
            change = self.session.change(lambda till: self._mark(till.change_quantity(chosen, typed), weight))
        change.failure(self._refused).run()

    def _mark(self, result: TillResult, weight: Decimal) -> TillResult:
        """On the till worker, before the result is announced: this line's weight is the scale's."""
        if result.line is not None:
            with self._lock:
                self._from_scale[result.line.line_id] = weight
            log.info("line %s (%s) weighed on the scale: %s kg", result.line.line_id, result.line.product.code, weight)
        return result

    def _watch(self, result: TillResult) -> None:
        """A line the scale weighed that now holds another weight was typed over by hand."""
        line = result.line
        if line is None:
            return
        with self._lock:
            weighed = self._from_scale.get(line.line_id)
            if weighed is None or line.voided or line.quantity == weighed:
                return
            del self._from_scale[line.line_id]
        cashier = result.cashier.name if result.cashier else "?"
        log.warning("scale weight typed over by hand: line %s, product %s (%s), scale %s kg, typed %s kg, cashier %s",
                    line.line_id, line.product.code, line.product.name, weighed, line.quantity, cashier)
        locale = self.session.services.ui_locale
        self.screen.message.show_notice(_("{name}: the scale's {scale} kg was replaced by a typed {typed} kg; "
                                          "this is recorded.").format(
            name=line.product.name, scale=formatting.quantity(weighed, True, locale),
            typed=formatting.quantity(line.quantity, True, locale)))

    def is_scale_weight(self, line_id: uuid.UUID) -> bool:
        with self._lock:
            return line_id in self._from_scale

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.shutdown()
        if self.scale is not None:
            self.scale.close()
