"""A PosError keeps its fields as values; whoever shows it decides how to write them."""

from __future__ import annotations

from decimal import Decimal

from pos.errors import PosError
from pos.i18n import translator
from pos.money import Money
from pos.tender import CashBelowTotal


def test_the_fields_are_written_by_the_given_formatter_and_the_values_stay_values():
    error = CashBelowTotal(tendered=Money(Decimal("10.00"), "UAH"), due=Money(Decimal("22041.20"), "UAH"))
    shown = error.user_message(show=lambda value: f"<{value.amount}>")
    assert shown == "<10.00> is less than the <22041.20> to pay."
    assert error.fields["due"] == Money(Decimal("22041.20"), "UAH")


def test_without_a_formatter_the_fields_are_written_plainly_as_the_log_has_them():
    error = CashBelowTotal(tendered=Money(Decimal("10.00"), "UAH"), due=Money(Decimal("22041.20"), "UAH"))
    assert error.user_message() == str(error) == "10.00 UAH is less than the 22041.20 UAH to pay."


def test_the_formatter_is_used_with_a_translation_too():
    error = CashBelowTotal(tendered=Money(Decimal("10.00"), "UAH"), due=Money(Decimal("22041.20"), "UAH"))
    shown = error.user_message(translator("uk"), show=lambda value: "X")
    assert shown == "X — менше, ніж X до сплати."


def test_a_broken_translation_falls_back_to_english_with_the_formatted_fields():
    class Broken:
        def gettext(self, message: str) -> str:
            return "{missing}"

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return singular

    error = PosError("Total {total}", total=Decimal("1.5"))
    assert error.user_message(Broken(), show=lambda value: "1,5") == "Total 1,5"
