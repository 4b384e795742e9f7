"""The till the paying tests wire for real (gift cards, loyalty points, the payment dialog): its
settings (store S1 in Ukrainian, till T07, UAH, cash rounded to 0.10, no printer; the card
terminal "manual" unless named) and its database with cashier Olena and an open shift."""

from __future__ import annotations

from pathlib import Path

from local_db.cashiers import add_cashier
from local_db.database import Database, open_database
from shell.settings import Settings, parse_settings
from tests.shift_setup import open_shift_in


def settings_for(db_path: Path, card_terminal: str = "manual") -> Settings:
    return parse_settings(f"""
[store]
store_id = "S1"
name = "Test Store"
currency = "UAH"
locale = "uk_UA"
[till]
till_id = "T07"
cash_rounding = "0.10"
[printer]
connection = "none"
[database]
path = "{db_path}"
[card_terminal]
connection = "{card_terminal}"
""", Path("test.toml"))


def till_database(path: Path) -> Database:
    """A new till file: cashier 1 (Olena, PIN 1234) and an open shift at S1/T07."""
    db = open_database(path)
    add_cashier(db, "1", "Olena", "1234")
    open_shift_in(db, "S1", "T07")
    return db
