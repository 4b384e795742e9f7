"""The customer's window: large type, read-only, never takes the keyboard.  It shows a
``CustomerScreen`` (ui.customer_display.texts) and nothing else: the latest lines, each with
its promotions' discounts on rows under it, the total, and what the customer saved."""

from __future__ import annotations

import logging

from ui.customer_display.options import CustomerDisplayOptions
from ui.customer_display.texts import CustomerLine, CustomerScreen
from ui.qt import QApplication, QFrame, QGridLayout, QLabel, QRect, Qt, QVBoxLayout, QWidget
from ui.widgets.elided_label import ElidedLabel

log = logging.getLogger(__name__)

SHOWN_LINES = 8  # rows of the latest lines and their discounts; a long sale scrolls by itself
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LOOK = """
#customerDisplay { background: #10202b; }
#customerDisplay QLabel { color: #f4f7f9; font-size: 26px; }
#customerDisplay QLabel#customerStore { color: #9fb6c6; font-size: 22px; }
#customerDisplay QLabel#customerQuantity { color: #9fb6c6; font-size: 20px; }
#customerDisplay QLabel#customerTotalCaption { font-size: 30px; font-weight: bold; }
#customerDisplay QLabel#customerTotal { font-size: 64px; font-weight: bold; color: #ffffff; }
#customerDisplay QLabel#customerChange { font-size: 44px; font-weight: bold; color: #7fe08a; }
#customerDisplay QLabel#customerGreeting { font-size: 34px; color: #ffd479; }
#customerDisplay QLabel#customerDiscount { font-size: 20px; color: #7fe08a; }
#customerDisplay QLabel#customerSaved { font-size: 30px; font-weight: bold; color: #7fe08a; }
#customerDisplay QFrame#customerRule { background: #34505f; max-height: 2px; }
"""


class CustomerWindow(QWidget):
    def __init__(self, store_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerDisplay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)  # the cashier keeps the keyboard
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWindowTitle(store_name)
        self.setStyleSheet(LOOK)
        self.store_label = self._label(store_name, "customerStore")
        self.lines_grid = QGridLayout()
        self.lines_grid.setHorizontalSpacing(24)
        self.total_caption = self._label("", "customerTotalCaption")
        self.total_label = ElidedLabel("", self, shrink=0.4)
        self.total_label.setObjectName("customerTotal")
        self.total_label.setAlignment(RIGHT)
        self.paid_label = self._label("", "customerPaid", RIGHT)
        self.change_label = self._label("", "customerChange", RIGHT)
        self.greeting_label = self._label("", "customerGreeting", Qt.AlignmentFlag.AlignCenter)
        self.saved_label = self._label("", "customerSaved", RIGHT)
        self.line_texts: list[tuple[str, str, str]] = []  # what the lines say (for tests and screenshots)
        self.discount_texts: list[tuple[str, str]] = []  # the discounts shown under them
        rule = QFrame(self)
        rule.setObjectName("customerRule")
        rule.setFixedHeight(2)
        column = QVBoxLayout(self)
        column.setContentsMargins(32, 24, 32, 24)
        column.addWidget(self.store_label)
        column.addLayout(self.lines_grid)
        column.addStretch(1)
        column.addWidget(rule)
        column.addWidget(self.total_caption)
        column.addWidget(self.total_label)
        column.addWidget(self.saved_label)
        column.addWidget(self.paid_label)
        column.addWidget(self.change_label)
        column.addWidget(self.greeting_label)

    def _label(self, text: str, name: str, align: Qt.AlignmentFlag | None = None) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        if align is not None:
            label.setAlignment(align)
        return label

    def show_screen(self, screen: CustomerScreen) -> None:
        while self.lines_grid.count():
            item = self.lines_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        shown = latest(screen)
        self.line_texts = [(line.name, line.quantity, line.amount) for line in shown]
        self.discount_texts = [d for line in shown for d in line.discounts]
        row = 0
        for line in shown:
            name = ElidedLabel(line.name, self, shrink=0.7)  # a long name: a smaller font, then "…"
            self.lines_grid.addWidget(name, row, 0)
            self.lines_grid.addWidget(self._label(line.quantity, "customerQuantity", RIGHT), row, 1)
            self.lines_grid.addWidget(self._label(line.amount, "customerAmount", RIGHT), row, 2)
            for promotion, amount in line.discounts:
                row += 1
                note = ElidedLabel(f"    {promotion}", self, shrink=0.7)
                note.setObjectName("customerDiscount")
                self.lines_grid.addWidget(note, row, 0, 1, 2)
                self.lines_grid.addWidget(self._label(amount, "customerDiscount", RIGHT), row, 2)
            row += 1
        self.lines_grid.setColumnStretch(0, 1)
        self.total_caption.setText(screen.total_caption)
        self.total_label.setText(screen.total)
        self.paid_label.setText(screen.paid)
        self.change_label.setText(screen.change)
        self.greeting_label.setText(screen.greeting)
        self.saved_label.setText(screen.saved)
        for label in (self.total_caption, self.saved_label, self.paid_label, self.change_label, self.greeting_label):
            label.setVisible(bool(label.text()))

    def place(self, options: CustomerDisplayOptions) -> None:
        """On its own screen (whole), or where the settings put it; without that screen, a
        window on the first one (a till with one monitor still shows it, e.g. for testing)."""
        screens = QApplication.screens()
        if options.geometry is not None:
            self.setGeometry(QRect(*options.geometry))
            self.show()
        elif 0 <= options.screen < len(screens):
            screen = screens[options.screen]
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            log.warning("the customer display's screen %d is not attached (%d screens): shown as a window",
                        options.screen, len(screens))
            self.resize(1024, 600)
            self.show()


def latest(screen: CustomerScreen) -> tuple[CustomerLine, ...]:
    """The latest lines that fit the rows there is room for, a line and each of its discounts a
    row: ``SHOWN_LINES`` after payment (one fewer with "You saved"), two more before it (no
    paid, change and thanks below the total); the last line always."""
    shown: list[CustomerLine] = []
    room = SHOWN_LINES - (1 if screen.saved else 0) if screen.paid else SHOWN_LINES + 2
    rows = 0
    for line in reversed(screen.lines):
        rows += 1 + len(line.discounts)
        if shown and rows > room:
            break
        shown.append(line)
    return tuple(reversed(shown))
