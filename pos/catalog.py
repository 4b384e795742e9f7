"""What the shop sells: products, their VAT rates and VAT-inclusive prices."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pos.money import Money


@dataclass(frozen=True, slots=True)
class VatRate:
    """A VAT rate as the receipt names it: a letter code and a percentage (``A``, 20)."""

    code: str
    percent: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.percent, Decimal) or not (0 <= self.percent < 100):
            raise ValueError(f"bad VAT percent {self.percent!r}")


@dataclass(frozen=True, slots=True)
class Product:
    """A sellable item.  ``price`` is VAT-inclusive, per unit or per kilogram when weighed."""

    code: str  # the shop's own product code (SKU); weighed goods use their PLU here
    name: str
    brand: str
    category: str
    price: Money
    vat: VatRate
    barcode: str = ""
    sold_by_weight: bool = False
