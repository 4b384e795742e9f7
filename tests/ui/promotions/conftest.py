from tests.ui.sale_control.conftest import clock, shop  # noqa: F401  (a real till file, an open shift)
