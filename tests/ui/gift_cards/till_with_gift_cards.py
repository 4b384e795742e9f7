"""The real window over a real till file whose hub gift card service is the in-memory one
(tests/pos/gift_cards/memory_service.py), attached as the composition root attaches the HTTP
client: the till's own redemption log and the chain's policy as a pull keeps it
(local_db.gift_card_log)."""

from __future__ import annotations

from pathlib import Path

from local_db.database import open_database
from local_db.gift_card_log import SqlGiftCardLog, stored_gift_card_policy
from pos.gift_cards import holds
from shell.settings import parse_settings
from shell.wiring import build_services
from tests.ui.driver import TillDriver
from tests.pos.gift_cards.memory_service import MemoryGiftCards
from tests.pos.gift_cards.paying_setup import keep_policy
from tests.ui.sale_control.shop import DrivenClock, OLENA, STORE_ID, TILL_ID
from ui.app import make_application
from ui.services import TillServices

OFFLINE_CAP = "200.00"


def gift_card_services(path: Path, clock: DrivenClock, cards: MemoryGiftCards, printer: str = "none",
                       offline: bool = True) -> TillServices:
    settings = parse_settings(f"""
[store]
store_id = "{STORE_ID}"
name = "Test Store"
currency = "UAH"
locale = "uk_UA"
[till]
till_id = "{TILL_ID}"
[printer]
connection = "{printer}"
[database]
path = "{path}"
""", Path("test.toml"))
    db = open_database(path)
    services = build_services(settings, db, clock)
    log = SqlGiftCardLog(db)
    if offline:  # the chain lets a manager approve an offline gift card payment up to the cap
        keep_policy(db, {"offline": True, "offline_cap": OFFLINE_CAP, "currency": "UAH"})
    services.gift_cards, services.gift_card_log = cards, log  # as shell/wiring.py hands them to the window
    holds.attach(services.till, cards, log, lambda: stored_gift_card_policy(db))
    return services


def open_with_gift_cards(qtbot, path: Path, clock: DrivenClock, cards: MemoryGiftCards,  # noqa: ANN001
                         printer: str = "none", offline: bool = True) -> TillDriver:
    make_application()
    driver = TillDriver.open(qtbot, gift_card_services(path, clock, cards, printer, offline))
    driver.sign_in(*OLENA)
    assert driver.window.on_sale_screen()
    return driver
