"""Scanners in the window: a keyboard-wedge scan lands in the basket wherever the focus is
(``ui.scanning.wedge``); a serial scanner's codes and state reach the GUI thread
(``ui.scanning.serial``)."""
