"""Gift cards on the screen: selling one (F10, G: ``actions.sell_gift_card``); paying with one
is the payment dialog's F8 (``ui/payment/gift_card_panel.py``)."""
