"""F6 weighs on a real serial scale simulated on a pseudo-terminal, in the real window."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from hardware.scale import SerialScale
from tests.fakes import APPLES, SHAMPOO
from tests.hardware.pty_devices import ScaleSimulator
from ui.qt import Qt

F6 = Qt.Key.Key_F6


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[ScaleSimulator]:
    device = ScaleSimulator(tmp_path / "ttyScale")
    yield device
    device.close()


@pytest.fixture
def weighing_till(open_till, services, simulator):  # noqa: ANN001, ANN201
    scale = SerialScale(str(simulator.path), timeout=5, framing="8N1")  # a safety net: the simulator answers at once
    driver = open_till(replace(services, scale=scale))
    driver.sign_in("1", "1234")
    return driver


def _weigh(till) -> None:  # noqa: ANN001
    weighing = till.window.weighing
    till.key(F6)
    till.wait_until(lambda: not weighing.busy)
    till.wait_idle()


def test_f6_with_a_code_typed_adds_the_product_with_the_scales_weight(weighing_till, simulator):
    till = weighing_till
    simulator.weight(350)
    till.type_into(till.scan_field, APPLES.code)
    _weigh(till)
    assert [(line.product.code, line.quantity) for line in till.lines] == [(APPLES.code, Decimal("0.350"))]
    assert till.cells(0)[2] == "0.350 kg"
    assert till.scan_field.text() == ""
    assert till.window.weighing.is_scale_weight(till.lines[0].line_id)


def test_f6_on_a_selected_weighed_line_weighs_it_anew(weighing_till, simulator):
    till = weighing_till
    till.scan(f"0.200*{APPLES.code}")
    simulator.weight(1250)
    _weigh(till)
    assert till.lines[0].quantity == Decimal("1.250")
    assert till.total_text == "41.24"  # 1.250 kg × 32.99


@pytest.mark.parametrize(
    ("bits", "words"),
    [(0x01, "still changing"), (0x02, "Too heavy"), (0x04, "less than zero"), (0x10, "Nothing is on the scale")],
)
def test_a_weight_the_scale_flags_is_refused_and_the_line_is_left_as_it_was(weighing_till, simulator, bits, words):
    till = weighing_till
    till.scan(f"0.200*{APPLES.code}")
    simulator.status(bits)
    _weigh(till)
    assert till.lines[0].quantity == Decimal("0.200")
    assert words in till.message and till.message_kind == "error"


def test_f6_on_a_counted_line_asks_for_a_weighed_one(weighing_till, simulator):
    till = weighing_till
    till.scan(SHAMPOO.barcode)
    _weigh(till)
    assert till.message == "Select a line sold by weight, or type a product's code, then press F6."
    assert simulator.requests == 0  # the scale was not even asked


def test_a_scale_unplugged_says_so_and_weighs_again_once_plugged_back(weighing_till, simulator):
    till = weighing_till
    simulator.unplug()
    till.type_into(till.scan_field, APPLES.code)
    _weigh(till)
    assert "does not answer" in till.message and till.lines == ()
    simulator.plug_in()
    simulator.weight(480)
    _weigh(till)  # the code is still in the field
    assert [line.quantity for line in till.lines] == [Decimal("0.480")]


def test_a_scale_weight_typed_over_by_hand_is_logged_and_told(weighing_till, simulator, caplog):
    till = weighing_till
    simulator.weight(350)
    till.type_into(till.scan_field, APPLES.code)
    _weigh(till)
    dialog = till.open_dialog(Qt.Key.Key_F4)
    dialog.field.clear()
    till.enter(dialog.field, "0.5")
    till.wait_until(lambda: till.window.sale_actions.dialog is None)
    till.wait_idle()
    assert till.lines[0].quantity == Decimal("0.500")
    typed_over = [r for r in caplog.records if "scale weight typed over by hand" in r.getMessage()]
    assert len(typed_over) == 1 and typed_over[0].levelno == logging.WARNING
    assert "scale 0.350 kg, typed 0.500 kg, cashier Olena" in typed_over[0].getMessage()
    assert till.message == "Яблука Голден: the scale's 0.350 kg was replaced by a typed 0.500 kg; this is recorded."
    assert not till.window.weighing.is_scale_weight(till.lines[0].line_id)


def test_f6_without_a_scale_says_how_to_weigh(till):
    till.scan(f"0.200*{APPLES.code}")
    till.key(F6)
    assert till.message == "No scale is set up on this till: type the weight (F4), or ask IT to set up [scale]."


def test_the_settings_wire_the_scale_and_the_customer_window_into_the_real_till(open_till, tmp_path, simulator):
    """Through the composition root, on a real till database: [scale] and [customer_display]."""
    from local_db.database import open_database
    from local_db.demo_store import create_demo_store
    from pos.demo_catalog import generate_catalog
    from shell.settings import parse_settings
    from shell.wiring import build_services
    from tests.shift_setup import open_shift_in

    text = (f'[store]\nstore_id = "S1"\nname = "Kassa Demo"\nlocale = "uk_UA"\n'
            f'[scale]\nport = "{simulator.path}"\nframing = "8N1"\ntimeout = 5\n'
            f'[customer_display]\nenabled = true\ngeometry = "0,0,800x480"\n')
    settings = parse_settings(text, tmp_path / "kassa.toml")
    db = open_database(tmp_path / "till.sqlite3")
    create_demo_store(db, items=100)
    weighed = next(p for p in generate_catalog(100) if p.sold_by_weight)
    open_shift_in(db, "S1", "T01")
    try:
        till = open_till(build_services(settings, db))
        till.sign_in("1", "1234")
        simulator.weight(735)
        till.type_into(till.scan_field, weighed.code)
        _weigh(till)
        assert [(line.product.code, line.quantity) for line in till.lines] == [(weighed.code, Decimal("0.735"))]
        customer = till.window.customer_facing.window
        assert customer.line_texts[0][1].startswith("0,735 кг × ")
        assert customer.total_caption.text() == "СУМА"
        till.window.close()
    finally:
        db.close()
