"""The payment dialog's parts for a till running a store's day: the tenders paid so far and
the card panels (follow the terminal, check the terminal, the approval code from a slip).
The dialog itself is ``ui.payment_dialog.PaymentDialog``; its use cases are
``pos.store_day.checkout``, run on the till worker."""
