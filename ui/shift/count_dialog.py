"""Counting the drawer by denomination: one row per note and coin of the till (notes on the
left, coins on the right), the pieces typed (keyboard, or the keypad by touch), the amount of
each row and the running total of what was counted.  A row that is not a whole number of
pieces is marked and named under the rows; Enter moves to the next row, and on the last row
(or the Done button) hands the count over.  Used to open a shift (the float) and for the
blind count at the close, which shows nothing of what the drawer should hold."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from pos.errors import PosError
from pos.i18n import _
from pos.money import Money, money_sum
from pos.store_day.drawer import Denomination, Denominations, read_pieces
from ui import formatting
from ui.dialogs import big_button
from ui.errors import describe_problem
from ui.keypad import Keypad
from ui.message_area import MessageArea
from ui.qt import QDialog, QEvent, QGridLayout, QHBoxLayout, QKeyEvent, QLabel, QLineEdit, QObject, Qt, QVBoxLayout, QWidget, qconnect

Typed = dict[Decimal, str]
BAD_ROW = "QLineEdit { border-color: #b42318; background: #fde8e6; }"


class CountRow:
    """One denomination: its value, the pieces field and what they come to."""

    def __init__(self, denomination: Denomination, ui_locale: str, parent: QWidget) -> None:
        self.denomination = denomination
        value = denomination.value
        shown = formatting.count(value.amount, ui_locale) if value.amount == value.amount.to_integral_value() \
            else formatting.money(value, ui_locale)
        self.label = QLabel(shown, parent)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.field = QLineEdit(parent)
        self.field.setObjectName(f"pieces_{value.amount}")
        self.field.setPlaceholderText("0")
        self.field.setMaxLength(12)
        self.field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.field.setMinimumWidth(90)
        self.field.setAccessibleName(_("Pieces of {denomination}").format(denomination=shown))
        self.amount = QLabel("", parent)
        self.amount.setObjectName("subtleText")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.amount.setMinimumWidth(130)

    def read(self) -> int:
        """The pieces typed; raises BadCount / NegativeCount naming the denomination."""
        return read_pieces(self.field.text(), self.denomination)


class CountDialog(QDialog):
    """``submit(typed)`` runs when the count is handed over (every row readable); the caller
    closes the dialog (``accept``) or shows a problem in it (``failed``)."""

    def __init__(self, title: str, intro: str, done_text: str, denominations: Denominations, ui_locale: str,
                 submit: Callable[[Typed], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.currency = denominations.currency
        self.ui_locale = ui_locale
        self._submit = submit
        self.busy = False
        heading = QLabel(title, self)
        heading.setObjectName("screenTitle")
        intro_label = QLabel(intro, self)
        intro_label.setObjectName("subtleText")
        intro_label.setWordWrap(True)
        self.rows = [CountRow(d, ui_locale, self) for d in denominations.values]
        self.total_label = QLabel("", self)
        self.total_label.setObjectName("countTotal")
        self.total_label.setStyleSheet("font-weight: bold;")
        self.message = MessageArea(self)
        self.keypad = Keypad(self)
        qconnect(self.keypad.enter_pressed, self.next_or_submit)
        for row in self.rows:
            row.field.installEventFilter(self)
            qconnect(row.field.textChanged, lambda _text, r=row: self.recount(r))
            qconnect(row.field.returnPressed, self.next_or_submit)
        self.done_button = big_button(_("Enter  {action}").format(action=done_text), self, "primaryButton")
        qconnect(self.done_button.clicked, self.submit)
        cancel = big_button(_("Esc  Cancel"), self)
        qconnect(cancel.clicked, self.reject)
        self._lay_out(heading, intro_label, cancel)
        self.recount(None)
        if self.rows:
            self.rows[0].field.setFocus()
            self.keypad.target = self.rows[0].field
        self.resize(1000, 720)  # fits a 1024x768 screen

    def _lay_out(self, heading: QLabel, intro: QLabel, cancel: QWidget) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        notes = [r for r in self.rows if not r.denomination.is_coin]
        coins = [r for r in self.rows if r.denomination.is_coin]
        for group, (caption, rows) in enumerate(((_("Notes"), notes), (_("Coins"), coins))):
            first = group * 4  # label, pieces, amount, then a gap before the coins
            title = QLabel(caption, self)
            title.setObjectName("sectionTitle")
            grid.addWidget(title, 0, first, 1, 3)
            for index, row in enumerate(rows, start=1):
                grid.addWidget(row.label, index, first)
                grid.addWidget(row.field, index, first + 1)
                grid.addWidget(row.amount, index, first + 2)
        grid.setColumnMinimumWidth(3, 36)
        grid.setRowStretch(max(len(notes), len(coins)) + 1, 1)
        left = QVBoxLayout()
        left.addLayout(grid, 1)
        left.addWidget(self.total_label)
        left.addWidget(self.message)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addWidget(self.keypad, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_button)
        buttons.addWidget(cancel)
        page = QVBoxLayout(self)
        page.addWidget(heading)
        page.addWidget(intro)
        page.addLayout(top, 1)
        page.addLayout(buttons)

    # -- keys and touch ------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.keypad.target = watched  # the keypad types into the row touched last
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(watched, QLineEdit):
            step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}.get(Qt.Key(event.key()))
            if step is not None:  # Up and Down go from row to row
                self.go_to(watched, step)
                return True
        return super().eventFilter(watched, event)

    def go_to(self, current: QLineEdit, step: int) -> bool:
        """Move to the row ``step`` away from ``current``; False when there is none."""
        fields = [r.field for r in self.rows]
        index = fields.index(current) + step if current in fields else -1
        if not 0 <= index < len(fields):
            return False
        fields[index].setFocus()
        fields[index].selectAll()
        self.keypad.target = fields[index]
        return True

    def next_or_submit(self) -> None:
        """Enter: the next row; on the last row, hand the count over."""
        current = self.keypad.target
        if current is None or not self.go_to(current, 1):
            self.submit()

    # -- the count -----------------------------------------------------------------------
    def recount(self, changed: CountRow | None) -> Money | None:
        """Each row's amount and the total; the first row that cannot be read is named."""
        amounts: list[Money] = []
        problem: PosError | None = None
        for row in self.rows:
            try:
                pieces = row.read()
            except PosError as error:
                row.field.setStyleSheet(BAD_ROW)
                row.amount.setText("?")
                problem = problem or error
                continue
            row.field.setStyleSheet("")
            amount = row.denomination.value.times(Decimal(pieces))
            row.amount.setText("= " + formatting.money(amount, self.ui_locale) if pieces else "")
            amounts.append(amount)
        if problem is not None:
            self.total_label.setText(_("Counted so far: —"))
            if changed is not None:
                self.message.show_error(describe_problem(problem))
            return None
        total = money_sum(amounts, self.currency)
        self.total_label.setText(_("Counted: {amount}").format(
            amount=formatting.money_with_currency(total, self.ui_locale)))
        if self.message.kind == "error":
            self.message.clear_message()
        return total

    def typed(self) -> Typed:
        return {row.denomination.value.amount: row.field.text() for row in self.rows}

    def submit(self) -> None:
        if self.busy:
            return
        for row in self.rows:  # every row readable before anything leaves the dialog
            try:
                row.read()
            except PosError as error:
                self.failed(error)
                row.field.setFocus()
                row.field.selectAll()
                return
        self.busy = True
        self._submit(self.typed())

    def reject(self) -> None:
        """Esc: nothing is recorded (not while the count or amount is on its way)."""
        if not self.busy:
            super().reject()

    def failed(self, error: BaseException) -> None:
        """A problem with the count: shown here, the dialog stays open to correct it."""
        self.busy = False
        self.message.show_error(describe_problem(error))
