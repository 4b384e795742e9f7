"""A real till file with an open shift and a manager (tests/ui/sale_control/shop.py)."""

from tests.ui.sale_control.conftest import clock, shop  # noqa: F401
