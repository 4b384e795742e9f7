"""The cashier's use cases: sign in, scan, change quantity, void, pay cash.

A ``Till`` is confined to one worker thread (the UI runs every call there).  Every call
returns a ``TillResult``: what changed and an immutable view of the basket, which the UI
shows without touching the domain.  The open basket is saved after every change, so a
crash or power cut reopens it; a completed sale is recorded before the call returns.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pos.barcode import MalformedBarcode, is_code_like
from pos.basket import Basket, BasketLine, BasketState, EmptyBasket
from pos.catalog import Product
from pos.codec import SalePricing, basket_from_dict, basket_to_dict, sale_pricing_from_dict, sale_pricing_to_dict
from pos.errors import PosError
from pos.gift_cards.numbers import looks_like_card_number
from pos.gift_cards.records import GIFT_CARD_CODE, GiftCardSold
from pos.i18n import N_
from pos.loyalty.earning import with_points
from pos.loyalty.redeeming import PointsAccount
from pos.loyalty.rules import LoyaltyRules
from pos.money import BadAmount, Money, parse_amount
from pos.ports import CashierDirectory, Catalog, Clock, OpenBasketStore, PromotionSource, SaleJournal
from pos.pricing.engine import price_basket
from pos.pricing.priced import PricedBasket, PricingContext
from pos.pricing.promotion import CustomerFacts, PromotionSet
from pos.quantity import check_quantity, parse_decimal, shown
from pos.receipt import StoreInfo
from pos.scan import CodeScan, MeasureLayout, Words, read_scan
from pos.sale import Cashier, Sale, sale_from_basket
from pos.store_day.day import StoreDay
from pos.store_day.lock import SwitchWithOpenSale, UnlockRefused, check_unlock
from pos.store_day.report import CancelledSale
from pos.store_day.roles import Action, Role, StaffMember
from pos.tax import TaxLine
from pos.tender import CashPolicy, pay_cash

log = logging.getLogger(__name__)

MAX_SEARCH_TEXT = 100


def is_scan(text: str) -> bool:
    """True for what goes to :meth:`Till.scan` (``pos.scan.read_scan`` decides); anything else is a search."""
    if looks_like_card_number(text):
        return True  # a gift card's number, typed with spaces: Till.scan says what to do with it
    try:
        return not isinstance(read_scan(text), Words)
    except PosError:
        return True  # a code that cannot be read: the till says why


class UnknownBarcode(PosError):
    message = N_("No product has barcode {code}.")


class UnknownProductCode(PosError):
    message = N_("No product has code {code}.")


class ScannedGiftCard(PosError):
    message = N_("This is a gift card: F10, G sells it; pay with it in the payment dialog.")


class GiftCardLineFixed(PosError):
    message = N_("A gift card line is one card of its amount: void it and sell the card again.")


class NeedsWeight(PosError):
    message = N_("{name} is sold by weight: weigh it, or type the weight then * then the code ({weight}*{code}).")


EXAMPLE_WEIGHT = Decimal("0.350")  # shown in the UI's locale (0,350 in uk, az, ka), which the till reads back


class ExpiredItem(PosError):
    """The domain's fact; the window asks the cashier, then scans again with ``sell_expired``."""

    message = N_("{name} expired on {date}.")


class NotSignedIn(PosError):
    message = N_("Sign in first.")


class WrongPin(PosError):
    message = N_("Wrong cashier number or PIN.")


class BasketNotEmpty(PosError):
    message = N_("Finish, park or cancel the sale on the till first.")


class TillLocked(PosError):
    message = N_("The till is locked: {name} or a manager signs in to unlock it.")


class BadPrice(PosError):
    message = N_("“{text}” is not a price.")


class BadCashAmount(PosError):
    message = N_("“{text}” is not an amount of cash.")


@dataclass(frozen=True, slots=True)
class TillSettings:
    store: StoreInfo
    cash: CashPolicy = field(default_factory=CashPolicy)
    weight_prefixes: tuple[str, ...] = ("22",)
    scan_layout: MeasureLayout | None = None  # None: weight labels with ``weight_prefixes``, 5-digit items

    @property
    def layout(self) -> MeasureLayout:
        return self.scan_layout or MeasureLayout(weight_prefixes=self.weight_prefixes)


@dataclass(frozen=True, slots=True)
class BasketView:
    """An immutable picture of the basket for the screen."""

    basket_id: uuid.UUID
    state: BasketState
    lines: tuple[BasketLine, ...]
    total: Money  # after promotions
    cash_due: Money
    taxes: tuple[TaxLine, ...]
    item_count: Decimal
    priced: PricedBasket | None = None  # each line's discounts, the promotions applied, gift offers
    customer: CustomerFacts | None = None
    customer_name: str = ""  # the identified customer's display name ("Olena K."), "" if not known
    gift_names: tuple[tuple[str, str], ...] = ()  # (product code, catalog name) of each gift offer's product
    gift_cards: tuple[GiftCardSold, ...] = ()  # the cards of the gift card lines (GIFT_CARD_CODE), by line_id

    def gift_name(self, product_code: str) -> str:
        """The catalog name of a gift offer's product; its code when the catalog has none."""
        return dict(self.gift_names).get(product_code) or product_code


@dataclass(frozen=True, slots=True)
class TillResult:
    view: BasketView
    cashier: Cashier | None
    line: BasketLine | None = None  # the line this call touched, for the screen to select
    sale: Sale | None = None  # the sale this call recorded
    basket_changed: bool = False
    journal_changed: bool = False


class PointsLedger(Protocol):
    """The till's loyalty points (local_db.loyalty.SqlLoyalty): the chain's rules, a customer's account."""

    def rules(self) -> LoyaltyRules | None: ...

    def account(self, customer_id: str, day_start: datetime) -> PointsAccount: ...


class Till:
    def __init__(
        self,
        settings: TillSettings,
        *,
        catalog: Catalog,
        journal: SaleJournal,
        baskets: OpenBasketStore,
        cashiers: CashierDirectory,
        clock: Clock,
        day: StoreDay | None = None,
        promotions: PromotionSource | None = None,
    ) -> None:
        self.settings = settings
        self.promotions = promotions  # None: no promotions (a till without them, tests, tools)
        self.day = day  # the store's day (shifts, roles, approvals); None: a till without one (tests, tools)
        self.locked_by: StaffMember | None = None  # the inactivity lock is on
        self.catalog = catalog
        self.journal = journal
        self.baskets = baskets
        self.cashiers = cashiers
        self.clock = clock
        self.cashier: Cashier | None = None
        self.customer: CustomerFacts | None = None  # identified for the open sale
        self.unlocked: frozenset[str] = frozenset()  # promotion ids the open sale's promo codes unlocked
        self.personal_offers: frozenset[str] = frozenset()  # promotion ids the identified customer's offers unlock
        self.promo_codes: tuple[str, ...] = ()  # the codes that unlocked them, recorded with the sale
        self.gift_cards_sold: tuple[GiftCardSold, ...] = ()  # the cards of the open sale's gift card lines
        self.loyalty: PointsLedger | None = None  # the chain's points rules (local_db.loyalty); None: no points
        self._promotion_set = PromotionSet()
        self._priced_at: datetime | None = None  # the pricing time, frozen while the customer pays
        self._priced: tuple[object, PricedBasket] | None = None
        self._customer_name: tuple[str, str] = ("", "")  # (customer id, display name) said when identified
        self._gift_names: dict[str, str] = {}  # product code -> catalog name, looked up once per gift code
        self.basket = self._new_basket()
        self.restored_lines = 0

    # -- session -----------------------------------------------------------------------
    def start(self) -> TillResult:
        """Reopen the basket that was being built when the till last stopped, if any."""
        snapshot = self.baskets.load_basket()
        if snapshot:
            try:
                self.basket = self._restored(snapshot)
                self.restored_lines = len(self.basket.active_lines())
                log.info("reopened basket %s with %d lines", self.basket.basket_id, len(self.basket.lines))
            except (KeyError, ValueError, TypeError, AttributeError, ArithmeticError, PosError):
                log.exception("the saved basket could not be read; starting a new one")
            else:
                self._take_pricing(snapshot)
        if self.day is not None:
            self.day.start()
        return self._result(basket_changed=True)

    def _restored(self, snapshot: dict[str, Any]) -> Basket:
        """The saved basket, if every number in it is one the till could have made."""
        basket = basket_from_dict(snapshot)
        if basket.currency != self.settings.store.currency:
            raise ValueError(f"the saved basket is in {basket.currency}")
        for line in basket.lines:
            check_quantity(line.quantity, sold_by_weight=line.product.sold_by_weight, name=line.product.name)
            if line.product.price.minor_units() < 0:
                raise ValueError("a saved price is negative")
        self.settings.cash.due(basket.total()).minor_units()  # every amount and tax can be worked out and stored
        basket.total().minor_units()
        basket.taxes()
        return basket

    def sign_in(self, cashier_code: str, pin: str) -> TillResult:
        cashier = self.cashiers.sign_in(cashier_code.strip(), pin)
        if cashier is None:
            raise WrongPin()
        if self.cashier is not None and self.cashier.cashier_id != cashier.cashier_id and self.basket.active_lines():
            raise SwitchWithOpenSale(name=self.cashier.name)
        self.cashier = cashier
        self.locked_by = None
        log.info("cashier %s signed in", cashier.cashier_id)
        return self._result()

    def sign_out(self) -> TillResult:
        """Refused while the basket has lines: the next cashier would complete the sale under
        their name (the same rule as another cashier signing in, ``SwitchWithOpenSale``)."""
        if self.cashier is not None and self.basket.active_lines():
            raise SwitchWithOpenSale(name=self.cashier.name)
        self.cashier = None
        self.locked_by = None
        return self._result()

    def staff(self) -> StaffMember:
        """The signed-in person with their role (a till without a store's day: a plain cashier)."""
        cashier = self._require_cashier()
        if self.day is None:
            return StaffMember(cashier, Role.CASHIER)
        return self.day.member(cashier)

    def lock(self) -> TillResult:
        """The inactivity lock: the basket stays; only the same cashier or a manager unlocks."""
        if self.cashier is not None and self.locked_by is None:
            self.locked_by = self.staff()
            log.info("till locked for %s", self.cashier.cashier_id)
        return self._result()

    def unlock(self, cashier_code: str, pin: str) -> TillResult:
        """The same cashier, or a manager (who then carries on under their own name only when
        no sale is open; with a sale open the cashier of the sale stays signed in)."""
        locked_by = self.locked_by
        if locked_by is None:
            return self._result()
        cashier = self.cashiers.sign_in(cashier_code.strip(), pin)
        if cashier is None:
            raise WrongPin()
        who = self.day.member(cashier) if self.day is not None else None
        if who is None:
            if cashier.cashier_id != locked_by.cashier.cashier_id:
                raise UnlockRefused(name=locked_by.cashier.name)
        else:
            check_unlock(locked_by, who)
        if cashier.cashier_id != locked_by.cashier.cashier_id and not self.basket.active_lines():
            self.cashier = cashier
        self.locked_by = None
        log.info("till unlocked by %s", cashier.cashier_id)
        return self._result()

    # -- building the basket -----------------------------------------------------------
    def scan(self, text: str, *, sell_expired: bool = False) -> TillResult:
        """What the scanner or keyboard typed: a code, a label, a GS1 element string or
        ``quantity*code``.  An item past its GS1 expiry date raises ``ExpiredItem`` unless
        ``sell_expired`` (the cashier was asked)."""
        self._require_selling()
        if looks_like_card_number(text):
            raise ScannedGiftCard()
        reading = read_scan(text, self.settings.layout)
        if isinstance(reading, Words):
            if "*" in text:  # "1e30*code": the quantity is what is wrong
                parse_decimal(text.partition("*")[0])
            raise MalformedBarcode(code=reading.text[:40])
        product = self._product_for(reading)
        if reading.expiry is not None and not sell_expired and reading.expiry < self._today():
            raise ExpiredItem(name=product.name, date=reading.expiry)
        quantity = reading.quantity
        if quantity is None and reading.net_weight is not None and product.sold_by_weight:
            quantity = reading.net_weight  # a GS1 code's net weight; a packed item's is only information
        if reading.price is not None:  # a price label: one item at the label's price
            product = replace(product, price=Money.of(reading.price, product.price.currency), sold_by_weight=False)
            quantity = Decimal(1)
        if quantity is None:
            if product.sold_by_weight:
                raise NeedsWeight(name=product.name, code=reading.codes[0], weight=EXAMPLE_WEIGHT)
            quantity = Decimal(1)
        if reading.batch:
            log.info("scanned %s batch %s", reading.scanned, reading.batch)
        chosen = quantity
        return self._change(lambda: self.basket.add(product, chosen, reading.scanned))

    def _product_for(self, reading: CodeScan) -> Product:
        for code in reading.codes:
            found = self.catalog.by_code(code) if reading.by_product_code else self.catalog.by_barcode(code)
            if found is not None:
                return found
        if reading.by_product_code:
            raise UnknownProductCode(code=reading.codes[0])
        raise UnknownBarcode(code=reading.scanned)

    def _today(self) -> date:
        """The store's date now (an item expires at the end of its day where the store is)."""
        now = self.clock.now()
        try:
            return now.astimezone(ZoneInfo(self.settings.store.timezone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            return now.date()

    def add_product(self, product: Product, quantity: Decimal | None = None) -> TillResult:
        """Add a product picked from the search list; weighed goods need their weight."""
        self._require_selling()
        if quantity is None:
            if product.sold_by_weight:
                raise NeedsWeight(name=product.name, code=product.code, weight=EXAMPLE_WEIGHT)
            quantity = Decimal(1)
        chosen = quantity
        return self._change(lambda: self.basket.add(product, chosen, product.barcode))

    def search(self, text: str, limit: int = 50) -> list[Product]:
        text = text.strip()[:MAX_SEARCH_TEXT]
        if not text:
            return []
        if is_code_like(text):
            found = self.catalog.by_code(text) or (self.catalog.by_barcode(text) if len(text) >= 8 else None)
            if found:
                return [found]
        return self.catalog.search(text, limit)

    def change_quantity(self, line_id: uuid.UUID, text: str, approval_id: uuid.UUID | None = None) -> TillResult:
        """A new quantity or weight.  Changing a weight read from a scale label is an override:
        under its permission, or an approval bound to the line and the new amount."""
        self._require_cashier()
        quantity = parse_decimal(text)
        line = next((x for x in self.basket.lines if x.line_id == line_id and not x.voided), None)
        if line is not None and line.product.code == GIFT_CARD_CODE and quantity != line.quantity:
            raise GiftCardLineFixed()
        if self.day is not None and line is not None and self._weighed_by_label(line) and quantity != line.quantity:
            amount = replace(line, quantity=quantity).total
            self.day.authorise(self.staff(), Action.WEIGHT_OVERRIDE, approval_id=approval_id, amount=amount,
                               sale_id=self.basket.basket_id, line_id=line_id)
        return self._change(lambda: self.basket.set_quantity(line_id, quantity))

    def override_price(self, line_id: uuid.UUID, text: str, approval_id: uuid.UUID | None = None) -> TillResult:
        """A new unit price for a line (a wrong shelf price honoured, damaged packaging), under
        PRICE_OVERRIDE or a manager's approval bound to the line and its new total."""
        self._require_cashier()
        try:
            price = parse_amount(text, self.settings.store.currency)
        except BadAmount:
            raise BadPrice(text=shown(text)) from None
        line = next((x for x in self.basket.lines if x.line_id == line_id and not x.voided), None)
        if line is not None and line.product.code == GIFT_CARD_CODE:
            raise GiftCardLineFixed()
        if self.day is not None and line is not None and price.amount > 0:
            new_total = replace(line, product=replace(line.product, price=price)).total
            self.day.authorise(self.staff(), Action.PRICE_OVERRIDE, approval_id=approval_id, amount=new_total,
                               sale_id=self.basket.basket_id, line_id=line_id)
        if line is not None:
            log.info("price of line %s changed from %s to %s by %s", line_id, line.product.price, price,
                     self._require_cashier().cashier_id)
        return self._change(lambda: self.basket.set_price(line_id, price))

    def _weighed_by_label(self, line: BasketLine) -> bool:
        """A weighed line whose weight came from the code scanned (a scale label, a GS1 weight)."""
        if not line.product.sold_by_weight or not line.scanned_code:
            return False
        try:
            reading = read_scan(line.scanned_code, self.settings.layout)
        except PosError:
            return False
        return isinstance(reading, CodeScan) and (reading.quantity is not None or reading.net_weight is not None)

    def void_line(self, line_id: uuid.UUID, approval_id: uuid.UUID | None = None) -> TillResult:
        """Void a line, under the role's permission or a manager's approval bound to this line
        and its amount (``NeedsApproval`` says which)."""
        self._require_cashier()
        if self.day is not None:
            line = next((x for x in self.basket.lines if x.line_id == line_id and not x.voided), None)
            if line is not None:
                self.day.authorise(self.staff(), Action.VOID_LINE, approval_id=approval_id, amount=line.total,
                                   sale_id=self.basket.basket_id, line_id=line_id)
        return self._with_gift_cards(tuple(g for g in self.gift_cards_sold if g.line_id != line_id),
                                     lambda: self.basket.void_line(line_id))

    def add_gift_card(self, product: Product, card: GiftCardSold) -> TillResult:
        """A gift card line (``pos.gift_cards.selling`` makes and checks ``product`` and ``card``):
        the line at quantity 1 and its card, kept together with the open sale."""
        self._require_selling()
        if any(g.card_number == card.card_number for g in self.gift_cards_sold):
            raise ValueError("that card is already sold in this sale")
        before = self.gift_cards_sold

        def add() -> BasketLine:
            line = self.basket.add(product, Decimal(1), card.card_number)
            self.gift_cards_sold = before + (replace(card, line_id=line.line_id),)
            return line

        return self._with_gift_cards(before, add)

    def _with_gift_cards(self, cards: tuple[GiftCardSold, ...], change: Callable[[], BasketLine]) -> TillResult:
        """A basket change that also changes the open sale's gift cards (both undone if saving fails)."""
        before = self.gift_cards_sold
        self.gift_cards_sold = cards
        try:
            return self._change(change)
        except Exception:
            self.gift_cards_sold = before
            raise

    def cancel_sale(self, approval_id: uuid.UUID | None = None) -> TillResult:
        """Cancel the whole open sale (under its permission or an approval bound to this sale and
        its total).  With a store's day it is recorded in the journal as a cancelled sale; then a
        new basket opens."""
        cashier = self._require_cashier()
        basket = self.basket
        if not basket.lines:
            raise EmptyBasket()
        if basket.state is BasketState.PAYING:
            basket.cancel_payment()
        total = self.priced().total
        if self.day is not None:
            record = self.day.authorise(self.staff(), Action.CANCEL_SALE, approval_id=approval_id, amount=total,
                                        sale_id=basket.basket_id)
            self.day.journal.record_cancelled_sale(CancelledSale(
                basket.basket_id, cashier.cashier_id, self.clock.now(), total, len(basket.active_lines()),
                record.approval_id if record else None))
        log.info("sale %s cancelled by %s", basket.basket_id, cashier.cashier_id)
        self.basket = self._new_basket()
        self.restored_lines = 0
        self.baskets.discard_basket()
        return self._result(basket_changed=True, journal_changed=self.day is not None)

    # -- paying ------------------------------------------------------------------------
    def begin_payment(self) -> TillResult:
        self._require_cashier()
        if self.basket.state is BasketState.OPEN:
            self.basket.begin_payment()
            self._priced_at = self._local_now()
        return self._result()

    def cancel_payment(self) -> TillResult:
        self.basket.cancel_payment()
        self._priced_at = None
        return self._result()

    def pay_cash(self, tendered_text: str = "") -> TillResult:
        """Settle the basket in cash; ``""`` means the exact amount.  The sale is durable
        in the journal before this returns; then a new basket opens."""
        cashier = self._require_selling()
        if self.basket.state is BasketState.OPEN:
            self.basket.begin_payment()
            self._priced_at = self._local_now()
        priced = self.priced()
        due = self.settings.cash.due(priced.total)
        tendered = due if not tendered_text.strip() else self._parse_cash(tendered_text)
        payment = pay_cash(due, tendered, self.settings.cash)
        sale = sale_from_basket(
            self.basket,
            store_id=self.settings.store.store_id,
            till_id=self.settings.store.till_id,
            cashier=cashier,
            payment=payment,
            completed_at=self.clock.now(),
            **self.pricing_of_sale(),
        )
        sale = self.with_points(sale)
        recorded = self.journal.record_sale(sale)
        log.info("sale %s recorded as receipt %d", recorded.sale_id, recorded.receipt_number)
        self.basket.mark_completed()
        self.basket = self._new_basket()
        self.restored_lines = 0
        return self._result(sale=recorded, basket_changed=True, journal_changed=True)

    def complete(self, recorded: Sale) -> TillResult:
        """The open basket was paid and ``recorded`` is durable in the journal (a split or card
        sale, an exchange: ``pos.store_day.checkout``): a new basket opens."""
        if recorded.sale_id != self.basket.basket_id:
            raise ValueError("the recorded sale is not the open basket")
        self.basket.mark_completed()
        self.basket = self._new_basket()
        self.restored_lines = 0
        return self._result(sale=recorded, basket_changed=True, journal_changed=True)

    def set_aside(self) -> Basket:
        """Take the open basket off the till (to park it; the caller keeps it durable first);
        a new empty basket opens."""
        self._require_cashier()
        basket = self.basket
        if not basket.active_lines():
            raise EmptyBasket()
        basket.cancel_payment()
        self.basket = self._new_basket()
        self.restored_lines = 0
        self.baskets.discard_basket()
        return basket

    def take_back(self, basket: Basket, snapshot: dict[str, Any] | None = None) -> TillResult:
        """Make a parked basket the open one again (only while the open one is empty), with the
        customer and codes its ``snapshot`` kept."""
        self._require_selling()
        if self.basket.active_lines():
            raise BasketNotEmpty()
        previous, pricing = self.basket, self.sale_pricing()
        self.basket = basket
        if snapshot is not None:
            self._take_pricing(snapshot)
        try:
            self.baskets.save_basket(self.snapshot())
        except Exception:
            self.basket = previous
            self._set_pricing(pricing)
            raise
        return self._result(basket_changed=True)

    # -- the open sale's pricing, kept with its snapshot -------------------------------
    def sale_pricing(self) -> SalePricing:
        return SalePricing(self.customer, self.personal_offers, self.promo_codes, self.unlocked,
                           self._name_of(self.customer), self.gift_cards_sold)

    def snapshot(self) -> dict[str, Any]:
        """The open basket as the open-basket store (or a parked sale) keeps it, with its pricing."""
        form = basket_to_dict(self.basket, self.cashier)
        pricing = self.sale_pricing()
        if not pricing.empty:
            form["pricing"] = sale_pricing_to_dict(pricing)
        return form

    def _set_pricing(self, pricing: SalePricing) -> None:
        self.customer, self.personal_offers = pricing.customer, pricing.personal_offers
        self.promo_codes, self.unlocked = pricing.promo_codes, pricing.unlocked
        self.gift_cards_sold = pricing.gift_cards_sold
        if pricing.customer is not None:
            self._customer_name = (pricing.customer.customer_id, pricing.customer_name)

    def _take_pricing(self, snapshot: dict[str, Any]) -> None:
        """The customer and codes a snapshot kept; one that cannot be read is left off (logged):
        the lines matter more, and the cashier can identify the customer again."""
        form = snapshot.get("pricing")
        if form is None:
            return
        try:
            self._set_pricing(sale_pricing_from_dict(form))
        except (KeyError, ValueError, TypeError, AttributeError):
            log.exception("the saved sale's customer and codes could not be read; the sale goes on without them")

    def _save_pricing(self, pricing: SalePricing) -> TillResult:
        """Change the open sale's pricing and keep it with the basket (undone if saving fails)."""
        before = self.sale_pricing()
        self._set_pricing(pricing)
        if self.basket.lines:
            try:
                self.baskets.save_basket(self.snapshot())
            except Exception:
                self._set_pricing(before)
                raise
        return self._result(basket_changed=True)

    def view(self) -> BasketView:
        b = self.basket
        priced = self.priced()
        total = priced.total
        return BasketView(
            basket_id=b.basket_id,
            state=b.state,
            lines=tuple(b.lines),
            total=total,
            cash_due=self.settings.cash.due(total),
            taxes=priced.taxes,
            item_count=b.item_count(),
            priced=priced,
            customer=self.customer,
            customer_name=self._name_of(self.customer),
            gift_names=tuple((o.product_code, self._gift_name(o.product_code)) for o in priced.offers),
            gift_cards=self.gift_cards_sold,
        )

    def _name_of(self, customer: CustomerFacts | None) -> str:
        """The display name said when ``customer`` was identified ("" if none was said)."""
        said_for, name = self._customer_name
        return name if customer is not None and customer.customer_id == said_for else ""

    def _gift_name(self, product_code: str) -> str:
        """A gift's product name from the catalog (on the till worker), remembered per code; a
        catalog that cannot be read now is asked again next time, a code it lacks is said as is."""
        if product_code not in self._gift_names:
            try:
                product = self.catalog.by_code(product_code)
            except PosError:
                log.exception("the gift product %s could not be looked up", product_code)
                return product_code
            self._gift_names[product_code] = product.name if product is not None else product_code
        return self._gift_names[product_code]

    # -- helpers -----------------------------------------------------------------------
    def _parse_cash(self, text: str) -> Money:
        try:
            return parse_amount(text, self.settings.store.currency)
        except BadAmount:
            raise BadCashAmount(text=shown(text)) from None

    def _change(self, change: Callable[[], BasketLine]) -> TillResult:
        """Apply a basket change and save the basket; undo the change if saving fails."""
        before = (list(self.basket.lines), self.basket.state)
        line = change()
        try:
            self.baskets.save_basket(self.snapshot())
        except Exception:
            self.basket.lines, self.basket.state = before
            raise
        return self._result(line=line, basket_changed=True)

    def _require_cashier(self) -> Cashier:
        if self.cashier is None:
            raise NotSignedIn()
        if self.locked_by is not None:
            raise TillLocked(name=self.locked_by.cashier.name)
        return self.cashier

    def _require_selling(self) -> Cashier:
        """A signed-in cashier and, with a store's day, an open shift (no sale without one)."""
        cashier = self._require_cashier()
        if self.day is not None:
            self.day.require_selling()
        return cashier

    def _new_basket(self) -> Basket:
        """A new sale: the clear point where promotions pulled since the last one take effect,
        and the customer and codes of the last sale are forgotten."""
        self._promotion_set = self._current_promotions()
        self._gift_names = {}  # a product renamed by a pull is said by its new name from the next sale
        self.customer = None
        self.unlocked = frozenset()
        self.personal_offers = frozenset()
        self.promo_codes = ()
        self.gift_cards_sold = ()
        self._priced_at = None
        return Basket(currency=self.settings.store.currency, opened_at=self.clock.now())

    def _current_promotions(self) -> PromotionSet:
        if self.promotions is None:
            return PromotionSet()
        try:
            return self.promotions.current()
        except PosError:
            log.exception("the promotions could not be read: selling at catalog prices")
            return PromotionSet()

    # -- pricing -----------------------------------------------------------------------
    def priced(self) -> PricedBasket:
        """The open basket priced by the promotions held since it opened (cached per change)."""
        at = self._priced_at or self._local_now()
        key = (tuple(self.basket.lines), self.customer, self.unlocked | self.personal_offers, id(self._promotion_set),
               at.replace(second=0, microsecond=0))
        if self._priced is None or self._priced[0] != key:
            context = PricingContext(now=at, store_id=self.settings.store.store_id, customer=self.customer,
                                     unlocked=self.unlocked | self.personal_offers)
            self._priced = (key, price_basket(self.basket.lines, self._promotion_set, context, self.basket.currency))
        return self._priced[1]

    def identify_customer(self, customer: CustomerFacts | None, offers: frozenset[str] = frozenset(),
                          name: str = "") -> TillResult:
        """The customer of the open sale (None: forget); the basket is repriced for them.  ``offers``:
        the promotion ids of their personal offers, unlocked for this sale as a code would; ``name``:
        what the screen calls them (kept while they stay the sale's customer, and in the snapshot)."""
        self._require_cashier()
        said = self._customer_name
        if customer is not None:
            self._customer_name = (customer.customer_id, name)
        try:
            return self._save_pricing(SalePricing(customer, frozenset(offers) if customer is not None else frozenset(),
                                                  self.promo_codes, self.unlocked, name, self.gift_cards_sold))
        except Exception:
            self._customer_name = said
            raise

    def unlock_promotions(self, codes: tuple[str, ...], promotion_ids: frozenset[str]) -> TillResult:
        """The open sale's promo codes (checked by the caller) and the promotions they unlock."""
        self._require_cashier()
        return self._save_pricing(SalePricing(self.customer, self.personal_offers, tuple(codes),
                                              frozenset(promotion_ids), self._name_of(self.customer),
                                              self.gift_cards_sold))

    def pricing_of_sale(self) -> dict[str, Any]:
        """What the sale records of its pricing: the priced basket, the customer, the codes, and the
        gift cards its lines sell."""
        return {"priced": self.priced(), "customer_id": self.customer.customer_id if self.customer else "",
                "promo_codes": self.promo_codes, "gift_cards_sold": self.gift_cards_sold}

    def with_points(self, sale: Sale) -> Sale:
        """The sale with the loyalty points it earns and spends (``pos.loyalty.earning``): only with an
        identified customer and the chain's rules; rules that cannot be read earn nothing (logged)."""
        if self.loyalty is None or self.customer is None:
            return sale
        try:
            rules = self.loyalty.rules()
        except PosError:
            log.exception("the loyalty rules could not be read: sale %s earns no points", sale.sale_id)
            return sale
        return with_points(sale, rules, self.customer.tier)

    def _local_now(self) -> datetime:
        """The store's wall-clock time now, naive (validity windows are in the store's time)."""
        now = self.clock.now()
        try:
            return now.astimezone(ZoneInfo(self.settings.store.timezone)).replace(tzinfo=None)
        except (ZoneInfoNotFoundError, ValueError):
            return now.replace(tzinfo=None)

    def _result(self, **kw: object) -> TillResult:
        return TillResult(view=self.view(), cashier=self.cashier, **kw)  # type: ignore[arg-type]


