from __future__ import annotations

from collections.abc import Iterator

import pytest

from hardware.loopback_printer import LoopbackPrinter
from pos.receipt import Receipt
from tests.hardware.samples import sample_receipt


@pytest.fixture
def loopback() -> Iterator[LoopbackPrinter]:
    with LoopbackPrinter() as printer:
        yield printer


@pytest.fixture
def receipt() -> Receipt:
    return sample_receipt()
