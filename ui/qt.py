"""The one module in Kassa that imports PySide6.

Everything else in ``ui/`` does ``from ui.qt import ...``; a Qt upgrade touches this file
only.  ``qconnect`` connects a signal to a slot and keeps type checkers quiet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QThread,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QBrush, QCloseEvent, QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPalette, QPixmap, QResizeEvent, QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStatusBar,
    QStyle,
    QStyleOption,
    QStyleOptionButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAbstractItemView", "QAbstractScrollArea", "QFontMetrics", "QPainter", "QPaintEvent", "QPalette", "QPixmap", "QPoint", "QRect",
    "QResizeEvent", "QStyle", "QStyleOption", "QStyleOptionButton", "QAbstractTableModel", "QApplication", "QBrush", "QCloseEvent", "QColor",
    "QCoreApplication", "QDialog", "QEvent", "QFont", "QFrame", "QGridLayout", "QHBoxLayout",
    "QHeaderView", "QKeyEvent", "QLabel", "QLibraryInfo", "QLineEdit", "QMainWindow", "QMessageBox", "QModelIndex",
    "QObject", "QPersistentModelIndex", "QPushButton", "QShowEvent", "QSize", "QSizePolicy",
    "QStackedWidget", "QStatusBar", "QTableView", "QThread", "QTimer", "QTranslator", "QVBoxLayout", "QWidget", "Qt",
    "Signal", "Slot", "qconnect",
]


def qconnect(signal: Any, slot: Callable[..., Any], connection: Qt.ConnectionType | None = None) -> None:
    """Connect ``signal`` to ``slot`` (optionally with an explicit connection type)."""
    if connection is None:
        signal.connect(slot)
    else:
        signal.connect(slot, connection)


def qt_charts() -> Any:
    """PySide6's QtCharts module (PySide6-Addons), imported on first use: only the manager's day
    view draws charts, so the till starts without loading it.  Raises ImportError when it is absent."""
    from PySide6 import QtCharts

    return QtCharts
