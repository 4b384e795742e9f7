"""F10, K: promo codes for the open sale (typed or scanned; a personal code asks the customer's
phone number and PIN), the codes applied shown and removable (``ui.promo_codes.actions``)."""
