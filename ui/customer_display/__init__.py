"""The customer-facing display: a window on the customer's own screen and/or a two-line pole
display, following the sale in the store's language (docs/hardware.md)."""

from ui.customer_display.follower import CustomerFacing
from ui.customer_display.options import CustomerDisplayOptions, PoleDisplay

__all__ = ["CustomerDisplayOptions", "CustomerFacing", "PoleDisplay"]
