"""The real window over a real till file whose hub gift card service is the in-memory one
(tests/ui/gift_cards/memory_service.py), attached as the composition root attaches the HTTP
client: the till's own redemption log (local_db.gift_card_log) and the chain's policy."""

from __future__ import annotations

from pathlib import Path

from local_db.database import open_database
from local_db.gift_card_log import SqlGiftCardLog
from pos.gift_cards import holds
from pos.gift_cards.policy import GiftCardPolicy
from pos.money import Money
from shell.settings import parse_settings
from shell.wiring import build_services
from tests.ui.driver import TillDriver
from tests.ui.gift_cards.memory_service import MemoryGiftCards
from tests.ui.sale_control.shop import DrivenClock, OLENA, STORE_ID, TILL_ID
from ui.app import make_application
from ui.services import TillServices

OFFLINE_CAP = Money.of("200.00", "UAH")


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
    services.gift_cards = cards  # type: ignore[attr-defined]  # (shell/wiring.py: the hub's client)
    services.gift_card_log = log  # type: ignore[attr-defined]
    policy = GiftCardPolicy(offline, OFFLINE_CAP if offline else Money.zero("UAH"))
    holds.attach(services.till, cards, log, lambda: policy)
    return services


def open_with_gift_cards(qtbot, path: Path, clock: DrivenClock, cards: MemoryGiftCards,  # noqa: ANN001
                         printer: str = "none", offline: bool = True) -> TillDriver:
    make_application()
    driver = TillDriver.open(qtbot, gift_card_services(path, clock, cards, printer, offline))
    driver.sign_in(*OLENA)
    assert driver.window.on_sale_screen()
    return driver
