"""Returns and exchanges at the till: the F10 entry and a scanned receipt code
(``actions``), the search for the sale (``find_dialog``), the return dialog
(``return_dialog``) and the hub's answer for another till's sale (``hub``).  The use cases
are ``pos.store_day.returns_desk``."""
