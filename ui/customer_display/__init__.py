"""The customer-facing display: a window on the customer's own screen and/or a two-line pole
display, following the sale in the store's language (docs/hardware.md).  ``follower`` holds
``CustomerFacing`` (the window imports it from there: ``ui.services`` imports this package)."""

from ui.customer_display.options import CustomerDisplayOptions, PoleDisplay

__all__ = ["CustomerDisplayOptions", "PoleDisplay"]
