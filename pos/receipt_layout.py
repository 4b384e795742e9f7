"""The receipt laid out as printable rows of a fixed number of characters.

Pure layout: hardware/ turns these rows into ESC/POS bytes or a picture.  Every label is
translated into the *receipt's* language (``receipt.store.locale``), numbers and dates are
formatted for that locale with Babel, and every row fits the paper width: long names wrap
at spaces, a number is never cut (amounts are glued with no-break spaces while laid out).
A ``double`` row is printed at twice the width and height, so its text is at most half
the width long.  A ``qr`` row holds the receipt code (``pos.receipt_code``): the printer
draws it as a QR code, centred, on rows of its own.

A line that promotions reduced prints its price times quantity, then one indented row per
discount, the promotion's name and the amount with a minus ("   Dairy -10 %        -4.50");
before the total, "Subtotal" (the lines before promotions) and "Discount" (everything they
took off), so every column adds up: the subtotal minus the discount is the TOTAL; at the end,
"You saved" once more for the customer.

A gift card line says "Gift card **** 9015" (and "for +380 ** *** ** 67" under it for an
electronic card); a gift card payment says "Gift card **** 9015".

``Lines`` (formatting in the store's language and the row builders) is shared by the other
printouts of the till: the X and Z reports (``pos.report_layout``) and the return receipt
(``pos.return_layout``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_skeleton, format_time
from babel.numbers import format_decimal

from pos.i18n import N_, Translator, translator
from pos.money import Money, exponent
from pos.receipt import Receipt, ReceiptDiscount, ReceiptLine, ReceiptPayment, StoreInfo
from pos.tax import TaxLine

Align = Literal["left", "center", "right"]
RowKind = Literal["text", "rule", "blank", "qr"]

MIN_WIDTH = 24
GLUE = "\u00a0"  # holds a number together while wrapping; printed as a plain space

LABELS: dict[str, str] = {
    "copy": N_("COPY"),
    "tax_id": N_("Tax ID {tax_id}"),
    "receipt": N_("Receipt No. {number}"),
    "cashier": N_("Cashier: {name}"),
    "till": N_("Till: {till}"),
    "kg": N_("kg"),
    "total": N_("TOTAL"),
    "rounding": N_("Rounding"),
    "to_pay": N_("To pay"),
    "vat_rate": N_("VAT {code} {percent}%"),
    "net": N_("net {amount}"),
    "vat": N_("VAT {amount}"),
    "cash": N_("Cash"),
    "card": N_("Card"),
    "change": N_("Change"),
    "sale": N_("Sale {sale_id}"),
    "exchange_credit": N_("Exchange credit"),
    "points": N_("Loyalty points"),  # the tender (pos.loyalty.earning.POINTS)
    "subtotal": N_("Subtotal"),
    "discount": N_("Discount"),
    "you_saved": N_("You saved {amount}"),
    "gift_card": N_("Gift card"),  # the tender (pos.gift_cards.records.GIFT_CARD), on reports
    "gift_card_number": N_("Gift card {card}"),  # a gift card line or payment: the card masked
    "gift_card_for": N_("for {phone}"),  # an electronic gift card's phone, masked
}
PAYMENT_LABELS = {"cash": "cash", "card": "card", "exchange_credit": "exchange_credit", "points": "points",
                  "gift_card": "gift_card"}


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    align: Align = "left"
    bold: bool = False
    double: bool = False  # twice as wide and twice as high
    kind: RowKind = "text"

    @property
    def columns(self) -> int:
        """Character cells the row takes on paper (a QR code takes rows of its own, no cells)."""
        if self.kind == "qr":
            return 0
        return len(self.text) * (2 if self.double else 1)


@dataclass(frozen=True, slots=True)
class ReceiptDocument:
    rows: tuple[Row, ...]
    width: int

    def plain_text(self) -> str:
        """The receipt as monospace text, as a quick preview and for logs."""
        out = []
        for row in self.rows:
            text = " ".join(row.text) if row.double else row.text
            if row.kind == "qr":
                text = "[QR]"
            if row.align == "center":
                text = text.center(self.width).rstrip()
            elif row.align == "right":
                text = text.rjust(self.width)
            out.append(text)
        return "\n".join(out)


def layout_receipt(receipt: Receipt, width: int = 42) -> ReceiptDocument:
    if width < MIN_WIDTH:
        raise ValueError(f"a receipt needs at least {MIN_WIDTH} characters per line, not {width}")
    return ReceiptDocument(tuple(_Layout(receipt, width).rows()), width)


def clean_text(text: str) -> str:
    """One line of printable text: NFC, control and format characters become spaces."""
    text = unicodedata.normalize("NFC", text)
    chars = (ch if ch == GLUE or unicodedata.category(ch)[0] not in "CZ" else " " for ch in text)
    return " ".join(word for word in "".join(chars).split(" ") if word)


def wrap(text: str, width: int) -> list[str]:
    """Wrap at plain spaces; a word longer than the width (never a glued number) is split."""
    lines: list[str] = []
    current = ""
    for word in (w for w in text.split(" ") if w):
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


class Lines:
    """Numbers, dates and labels in the store's language, and rows that fit ``width``."""

    labels: dict[str, str] = LABELS

    def __init__(self, store: StoreInfo, width: int) -> None:
        if width < MIN_WIDTH:
            raise ValueError(f"a printout needs at least {MIN_WIDTH} characters per line, not {width}")
        self.store = store
        self.width = width
        self.locale = store.locale
        self.t: Translator = translator(store.locale)

    def label(self, key: str, **fields: object) -> str:
        text = self.t.gettext(self.labels[key])
        try:
            return text.format(**fields) if fields else text
        except (KeyError, IndexError):  # a translation with a broken placeholder
            return self.labels[key].format(**fields)

    # -- numbers and dates -------------------------------------------------------------
    def _glued(self, text: str) -> str:
        return "".join(GLUE if unicodedata.category(ch) == "Zs" else ch for ch in text)

    def amount(self, money: Money) -> str:
        digits = exponent(money.currency)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return self._glued(format_decimal(money.amount, format=pattern, locale=self.locale))

    def quantity(self, line: ReceiptLine) -> str:
        return self.quantity_of(line.quantity, line.sold_by_weight)

    def quantity_of(self, q: Decimal, sold_by_weight: bool) -> str:
        if sold_by_weight:
            return self._glued(format_decimal(q, format="#,##0.000", locale=self.locale))
        if q == q.to_integral_value():
            return self._glued(format_decimal(q, format="#,##0", locale=self.locale))
        return self._glued(format_decimal(q.normalize(), format="#,##0.######", locale=self.locale))

    def minus(self, money: Money) -> str:
        """A discount (positive) as printed: ``-4.50``, an ASCII minus every code page has."""
        return "-" + self.amount(money)

    def percent(self, value: Decimal) -> str:
        return self._glued(format_decimal(value, format="0.##", locale=self.locale))

    def when(self, moment: datetime) -> str:
        try:
            zone: ZoneInfo | None = ZoneInfo(self.store.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
        date = format_skeleton("yMd", moment, tzinfo=zone, locale=self.locale)
        time = format_time(moment, "HH:mm", tzinfo=zone, locale=self.locale)
        return self._glued(f"{date} {time}")

    # -- row builders --------------------------------------------------------------------
    def text(self, text: str, align: Align = "left", *, bold: bool = False, double: bool = False) -> list[Row]:
        """Wrapped rows; a double row that would not fit at half the width wraps at half."""
        limit = self.width // 2 if double else self.width
        return [Row(_unglue(line), align, bold, double) for line in wrap(clean_text(text), limit)]

    def pair(
        self, left: str, right: list[str], *, bold: bool = False, double: bool = False, indent: int = 0
    ) -> list[Row]:
        """``left`` at the left margin and ``right`` (unbreakable pieces) at the right margin,
        on one row when they fit, else the left text wrapped and the pieces right-aligned below."""
        limit = self.width // 2 if double else self.width
        left = clean_text(left)
        pieces = [clean_text(p) for p in right if p]
        joined = "  ".join(pieces)
        if double and len(left) + 1 + len(joined) > limit:
            return self.pair(left, right, bold=bold, double=False, indent=indent)
        if indent and left and len(left) + indent + 1 + len(joined) <= limit:
            left = " " * indent + left
        if len(left) + 1 + len(joined) <= limit:
            gap = limit - len(left) - len(joined)
            return [Row(_unglue(left + " " * gap + joined), "left", bold, double)]
        rows = self.text(left, bold=bold) if left else []
        current = ""
        for piece in pieces:
            for part in wrap(piece, limit):
                if current and len(current) + 2 + len(part) <= limit:
                    current += "  " + part
                else:
                    if current:
                        rows.append(Row(_unglue(current), "right", bold))
                    current = part
        if current:
            rows.append(Row(_unglue(current), "right", bold))
        return rows

    def rule(self) -> Row:
        return Row("-" * self.width, kind="rule")

    def blank(self) -> Row:
        return Row("", kind="blank")

    def store_header(self) -> list[Row]:
        """The store's name (double), address and tax id, centred."""
        store = self.store
        rows = self.text(store.name, "center", bold=True, double=True)
        if clean_text(store.address):
            rows += self.text(store.address, "center")
        if clean_text(store.tax_id):
            rows += self.text(self.label("tax_id", tax_id=store.tax_id), "center")
        return rows

    def taxes(self, taxes: tuple[TaxLine, ...]) -> list[Row]:
        """The VAT breakdown as a table: a heading row naming the two amount columns (the
        words of the "net {amount}" and "VAT {amount}" labels), then one row per rate, its
        amounts right-aligned under them.  The words are said once, so a row fits the paper
        in every language ("დღგ-ის გარეშე", net in Georgian, is 13 characters); a table
        that still does not fit falls back to one labelled row per rate."""
        names = [self.label("vat_rate", code=t.vat.code, percent=self.percent(t.vat.percent)) for t in taxes]
        nets = [self.amount(t.net) for t in taxes]
        vats = [self.amount(t.tax) for t in taxes]
        net_word = _unglue(clean_text(self.label("net", amount="")))
        vat_word = _unglue(clean_text(self.label("vat", amount="")))
        name_width = max(len(name) for name in names)
        net_width = max(len(net_word), *(len(net) for net in nets))
        vat_width = max(len(vat_word), *(len(vat) for vat in vats))
        if not net_word or not vat_word or name_width + 1 + net_width + 2 + vat_width > self.width:
            return [row for tax in taxes for row in self.tax(tax)]
        columns = f"{net_word.rjust(net_width)}  {vat_word.rjust(vat_width)}"
        rows = [Row(columns.rjust(self.width))]
        for name, net, vat in zip(names, nets, vats, strict=True):
            amounts = f"{net.rjust(net_width)}  {vat.rjust(vat_width)}"
            rows.append(Row(_unglue(name.ljust(self.width - len(amounts)) + amounts)))
        return rows

    def tax(self, tax: TaxLine) -> list[Row]:
        name = self.label("vat_rate", code=tax.vat.code, percent=self.percent(tax.vat.percent))
        net = self._glued(self.label("net", amount=self.amount(tax.net)))
        vat = self._glued(self.label("vat", amount=self.amount(tax.tax)))
        return self.pair(name, [net, vat])

    def discount(self, discount: ReceiptDiscount) -> list[Row]:
        """One discount under its line: the promotion's name, indented, and ``-amount``."""
        name = clean_text(discount.name) or self.label("discount")
        return self.pair(name, [self.minus(discount.amount)], indent=3)

    def method(self, method: str) -> str:
        """A tender's name (cash, card, exchange credit, loyalty points) in the store's language."""
        key = PAYMENT_LABELS.get(method)
        return self.label(key) if key else method


class _Layout(Lines):
    def __init__(self, receipt: Receipt, width: int) -> None:
        super().__init__(receipt.store, width)
        self.receipt = receipt

    # -- the receipt ---------------------------------------------------------------------
    def rows(self) -> list[Row]:
        r = self.receipt
        rows = self.header()
        rows.append(self.rule())
        for line in r.lines:
            rows += self.item(line)
        rows.append(self.rule())
        rows += self.totals()
        for payment in r.payments:
            rows += self.payment(payment)
        if r.taxes:
            rows.append(self.rule())
            rows += self.taxes(r.taxes)
        rows.append(self.rule())
        if not r.discount.is_zero():
            saved = f"{self.amount(r.discount)}{GLUE}{r.total.currency}"
            rows += self.text(self.label("you_saved", amount=saved), "center", bold=True)
        if clean_text(r.store.footer):
            rows += self.text(r.store.footer, "center")
        if r.code:
            rows.append(Row(r.code, "center", kind="qr"))
        rows += self.text(self.label("sale", sale_id=r.sale_id.hex[:8]), "center")
        if r.is_copy:
            rows += self.text(f"*** {self.label('copy')} ***", "center", bold=True)
        return rows

    def header(self) -> list[Row]:
        r, store = self.receipt, self.receipt.store
        rows = self.store_header()
        if r.is_copy:
            rows.append(Row("", kind="blank"))
            rows += self.text(f"*** {self.label('copy')} ***", "center", bold=True, double=True)
        rows.append(Row("", kind="blank"))
        rows += self.pair(self.label("receipt", number=r.receipt_number), [self.when(r.completed_at)])
        rows += self.pair(self.label("cashier", name=r.cashier_name), [self.label("till", till=store.till_id)])
        return rows

    def item(self, line: ReceiptLine) -> list[Row]:
        if line.gift_card:
            rows = self.text(self.label("gift_card_number", card=self._glued(line.gift_card)))
            if line.gift_card_phone:
                rows += self.pair(self.label("gift_card_for", phone=self._glued(line.gift_card_phone)), [], indent=3)
        else:
            rows = self.text(line.name)
        unit = self.label("kg") if line.sold_by_weight else ""
        quantity = self.quantity(line) + (GLUE + unit if unit else "")
        price = f"{quantity} x {self.amount(line.unit_price)}"
        total = f"{self.amount(line.gross)}{GLUE}{clean_text(line.vat_code)}"
        rows += self.pair(price, [total], indent=3)
        for discount in line.discounts:
            rows += self.discount(discount)
        return rows

    def totals(self) -> list[Row]:
        r = self.receipt
        rows = []
        if not r.discount.is_zero():
            rows += self.pair(self.label("subtotal"), [self.amount(r.gross)])
            rows += self.pair(self.label("discount"), [self.minus(r.discount)], bold=True)
        total = f"{self.amount(r.total)}{GLUE}{r.total.currency}"
        rows += self.pair(self.label("total"), [total], bold=True, double=True)
        if not r.rounding.is_zero():
            rows += self.pair(self.label("rounding"), [self.amount(r.rounding)])
            rows += self.pair(self.label("to_pay"), [f"{self.amount(r.due)}{GLUE}{r.due.currency}"], bold=True)
        return rows

    def payment(self, payment: ReceiptPayment) -> list[Row]:
        name = self.method(payment.method)
        if payment.gift_card:
            name = self.label("gift_card_number", card=self._glued(payment.gift_card))
        rows = self.pair(name, [self.amount(payment.tendered)])
        if not payment.change.is_zero():
            rows += self.pair(self.label("change"), [self.amount(payment.change)])
        return rows


def _unglue(text: str) -> str:
    return text.replace(GLUE, " ")
