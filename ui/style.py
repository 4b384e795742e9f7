"""The till's look: large, high-contrast text and touch-sized targets."""

STYLESHEET = """
QWidget { font-size: 17pt; color: #1d1d1f; }
QMainWindow, QDialog { background: #f4f5f7; }
QLineEdit {
    font-size: 20pt; padding: 6px 10px; background: white;
    border: 2px solid #8a94a6; border-radius: 6px;
}
QLineEdit:focus { border-color: #1f6feb; }
QPushButton {
    min-height: 56px; padding: 4px 12px; font-size: 15pt;
    background: #e6e9ef; border: 1px solid #aab2c0; border-radius: 8px;
}
QPushButton:pressed { background: #cfd6e2; }
QPushButton:disabled { color: #a0a0a0; background: #eeeeee; }
QPushButton#primaryButton, QPushButton#payButton { background: #1f7a3a; color: white; font-weight: bold; }
QPushButton#dangerButton { background: #b42318; color: white; font-weight: bold; }
QTableView {
    font-size: 18pt; background: white; alternate-background-color: #f3f6fa;
    selection-background-color: #1f6feb; selection-color: white; border: 1px solid #c5cbd6;
}
QTableView::item { padding: 0px 10px; }
QHeaderView::section {
    font-size: 14pt; font-weight: bold; padding: 6px 10px;
    background: #e6e9ef; border: none; border-bottom: 1px solid #c5cbd6;
}
QFrame#totalsPanel { background: white; border: 1px solid #c5cbd6; border-radius: 8px; }
QLabel#totalCaption, QLabel#totalCurrency { font-size: 20pt; font-weight: bold; color: #5a6270; }
QLabel#totalAmount { font-size: 44pt; font-weight: bold; }
QLabel#dueAmount { font-size: 40pt; font-weight: bold; }
QLabel#changeAmount { font-size: 32pt; font-weight: bold; color: #1f7a3a; }
QLabel#itemCount { font-size: 18pt; }
QLabel#sectionTitle, QLabel#vatHeader { font-size: 14pt; font-weight: bold; color: #5a6270; }
QLabel#vatCell { font-size: 15pt; }
QLabel#subtleText, QLabel#hint { font-size: 14pt; color: #5a6270; }
QLabel#screenTitle { font-size: 30pt; font-weight: bold; }
QLabel#question { font-size: 20pt; }
QLabel#messageArea { font-size: 17pt; padding: 6px 10px; border-radius: 6px; }
QLabel#messageArea[kind="error"] { color: #b42318; background: #fde8e6; font-weight: bold; }
QLabel#messageArea[kind="notice"] { color: #14532d; background: #e3f4e8; }
QStatusBar { font-size: 13pt; background: #e6e9ef; }
QStatusBar::item { border: none; }
QStatusBar QLabel { font-size: 13pt; padding: 2px 12px; }
QStatusBar QLabel#printerState[problem="true"] { color: #b42318; font-weight: bold; }
QStatusBar QLabel#linkState { color: #8a4b00; font-weight: bold; }
QStatusBar QLabel#linkState[online="true"] { color: #1e7a3c; }
"""

# Screens below COMPACT_BELOW (1024x768, 1366x768): the same look, a little smaller, so the
# basket shows more of each name.  Set on the main window, it reaches its dialogs too.
COMPACT_BELOW = (1200, 800)  # width, height: either one smaller is a small screen
COMPACT_STYLESHEET = """
QWidget { font-size: 15pt; }
QLineEdit { font-size: 17pt; padding: 4px 8px; }
QPushButton { min-height: 48px; padding: 2px 8px; font-size: 13pt; }
QTableView { font-size: 15pt; }
QTableView::item { padding: 0px 6px; }
QHeaderView::section { font-size: 12pt; padding: 4px 6px; }
QLabel#totalCaption, QLabel#totalCurrency { font-size: 17pt; }
QLabel#totalAmount { font-size: 38pt; }
QLabel#dueAmount { font-size: 34pt; }
QLabel#changeAmount { font-size: 28pt; }
QLabel#itemCount { font-size: 15pt; }
QLabel#sectionTitle, QLabel#vatHeader { font-size: 12pt; }
QLabel#vatCell { font-size: 13pt; }
QLabel#subtleText, QLabel#hint { font-size: 12pt; }
QLabel#screenTitle { font-size: 24pt; }
QLabel#question { font-size: 17pt; }
QLabel#messageArea { font-size: 15pt; padding: 4px 8px; }
QStatusBar { font-size: 11pt; }
QStatusBar QLabel { font-size: 11pt; padding: 1px 6px; }
"""


def stylesheet_for(width: int, height: int) -> str:
    """What the main window adds to the till's look at this size ("" on a large screen)."""
    small = width < COMPACT_BELOW[0] or height < COMPACT_BELOW[1]
    return COMPACT_STYLESHEET if small else ""
