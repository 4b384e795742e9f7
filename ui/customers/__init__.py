"""The customer of the sale (F10, C): found by phone number or loyalty card, registered at the
till (offline too), forgotten; a loyalty card scanned on the sale screen identifies its customer."""
