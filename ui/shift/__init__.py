"""The shift at the till (issue 9): open it with a counted float, cash in and out, the X report,
the blind close with its variance and Z report, the drawer without a sale.  ``actions`` holds
the F10 menu's entries; the dialogs are ``count_dialog``, ``cash_dialog``, ``report_view`` and
``close_result``; ``desk`` runs the use cases of ``pos.store_day.shift_desk`` on the till worker."""
