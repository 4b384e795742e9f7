"""The store menu's promo code entry (F10, K): type or scan a code; it unlocks its promotions
and the basket is repriced, or the dialog says exactly why not.  A personal code asks the
customer's phone number and PIN in the same dialog.  The codes already applied are listed,
each removable, with a note for any whose minimum the basket no longer reaches (the code is
dropped when payment starts: ``pos.pricing.code_desk``).

Every call runs on the till worker (the desk and its SQLite book); the UI thread only shows."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from local_db.journal import SqlJournal
from local_db.promo_codes import SqlPromoCodeBook
from pos.errors import PosError
from pos.i18n import _
from pos.pricing.code_desk import PromoCodeBook, PromoCodeDesk
from pos.pricing.codes import CodeEntry, UsesHere, normalise_code
from pos.till import Till, TillResult
from ui.promo_codes.dialog import CodesNow, PromoCodeDialog, unmet_text
from ui.qt import qconnect

if TYPE_CHECKING:
    from ui.sale_actions import SaleActions

_DESKS: weakref.WeakKeyDictionary[Till, PromoCodeDesk] = weakref.WeakKeyDictionary()
_WATCHED: weakref.WeakKeyDictionary[SaleActions, list[bool]] = weakref.WeakKeyDictionary()


class NoBook:
    """A till without a database of its own (tests' fakes): every code is unknown."""

    def entry(self, code: str) -> CodeEntry | None:
        return None

    def uses_here(self, code: str, customer_id: str = "") -> UsesHere:
        return UsesHere()

    def matches(self, secret_hash: str, secret: str) -> bool:
        return False


def desk_of(actions: SaleActions, till: Till) -> PromoCodeDesk:
    """The till's one desk (it keeps the open sale's wrong PIN count); on the till worker."""
    desk = _DESKS.get(till)
    if desk is None:
        journal = actions.session.services.journal
        book: PromoCodeBook = (SqlPromoCodeBook(journal.db, till.settings.store.currency)
                               if isinstance(journal, SqlJournal) else NoBook())
        desk = _DESKS[till] = PromoCodeDesk(till, book)
    return desk


def _now(desk: PromoCodeDesk) -> CodesNow:
    return CodesNow(desk.applied(), desk.unmet())


def watch_minimums(actions: SaleActions) -> None:
    """After each change of a sale with codes, the sale screen says when the basket no longer
    reaches a code's minimum (the code is dropped when payment starts).  Connected once."""
    if actions in _WATCHED:
        return
    watching = _WATCHED[actions] = [False]  # the open sale has codes

    def said(now: CodesNow) -> None:
        watching[0] = bool(now.applied)
        if now.unmet:
            actions.screen.message.show_error(unmet_text(now.unmet))

    def changed(result: TillResult) -> None:
        if result.sale is not None:
            watching[0] = False
        elif watching[0]:
            actions.session.query(lambda till, _journal: _now(desk_of(actions, till))).success(said).run()

    qconnect(actions.session.changed, changed)


def enter_code(actions: SaleActions) -> None:
    """Open the promo code dialog over the sale screen."""
    watch_minimums(actions)
    def opened(now: CodesNow) -> None:
        if actions.dialog is not None:
            return
        dialog = PromoCodeDialog(now, apply=lambda code, phone, pin: apply_code(actions, code, phone, pin),
                                 remove=lambda code: remove_code(actions, code), parent=actions.window)
        actions.open_dialog(dialog)

    actions.session.query(lambda till, _journal: _now(desk_of(actions, till))).success(opened).failure(
        actions.problem).run()


def code_or_search(actions: SaleActions, text: str, otherwise: Callable[[], None]) -> None:
    """Words scanned or typed on the sale screen: a promo code the book knows is applied (a
    personal one opens the dialog for the phone and PIN); anything else runs ``otherwise``
    (the product search).  The book is read on the till worker."""
    def known(till: Till, _journal: object) -> CodeEntry | None:
        try:
            code = normalise_code(text)
        except PosError:
            return None
        return desk_of(actions, till).book.entry(code)

    def found(entry: CodeEntry | None) -> None:
        if entry is None or actions.dialog is not None:
            otherwise()
            return
        actions.screen.scan_field.clear()
        watch_minimums(actions)
        if entry.personal:
            enter_code(actions)
            return
        apply_code(actions, text, "", "").failure(actions.problem).run()

    actions.session.query(known).success(found).failure(lambda _error: otherwise()).run()


def apply_code(actions: SaleActions, code: str, phone: str, pin: str):  # type: ignore[no-untyped-def]
    """The op that applies ``code``; on success the sale screen says which code was applied."""
    codes: list[tuple[str, ...]] = []  # written on the worker, read after the op is done

    def work(till: Till) -> TillResult:
        result = desk_of(actions, till).apply(code, phone=phone, pin=pin)
        codes.append(till.promo_codes)
        return result

    def applied(_result: TillResult) -> None:
        shown = ", ".join(codes[-1]) if codes else ""
        _WATCHED.get(actions, [False])[0] = True
        actions.screen.message.show_notice(_("Promo code applied. Codes on this sale: {codes}").format(codes=shown))

    return actions.session.change(work).announce(applied)


def remove_code(actions: SaleActions, code: str):  # type: ignore[no-untyped-def]
    def work(till: Till) -> TillResult:
        return desk_of(actions, till).remove(code)

    def removed(_result: TillResult) -> None:
        actions.screen.message.show_notice(_("Promo code {code} removed from the sale.").format(code=code))

    return actions.session.change(work).announce(removed)

