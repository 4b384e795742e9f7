"""The store menu's gift card entry (F10, G): the sell dialog over the sale screen.  Adding the
card runs on the till worker (``pos.gift_cards.selling.sell_gift_card``, a till change, so the
basket shows the new line); the sale screen then says which card was added."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pos.gift_cards.selling import sell_gift_card as add_gift_card
from pos.i18n import _
from pos.till import Till, TillResult
from ui.gift_cards.sell_dialog import SellGiftCardDialog
from ui.operations import Op

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions


def sell_gift_card(actions: SaleActions) -> None:
    """Open the gift card sale dialog (one dialog at a time over the sale screen)."""
    if actions.dialog is not None:
        return
    dialog = SellGiftCardDialog(lambda card, amount, phone: sell_op(actions, card, amount, phone),
                                actions.session.services.ui_locale, actions.window)
    actions.open_dialog(dialog)


def sell_op(actions: SaleActions, card_text: str, amount_text: str, phone_text: str) -> Op[Any]:
    """The op that adds the card's line; once added the sale screen says so."""

    def work(till: Till) -> TillResult:
        return add_gift_card(till, card_text, amount_text, phone_text)

    def added(_result: TillResult) -> None:
        actions.screen.message.show_notice(
            _("Gift card added to the sale: it works once the sale is paid and reaches head office.")
            if not phone_text.strip() else
            _("Electronic gift card added to the sale: the customer gets its number by SMS once the sale is paid."))

    return actions.session.change(work).announce(added)


__all__ = ["sell_gift_card"]
