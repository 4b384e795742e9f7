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


@pytest.fixture(autouse=True)
def patient_status_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A loopback printer answers within milliseconds, but a busy test machine may take its
    thread longer than the till's two seconds: wait as long as the printer's timeout here."""
    import hardware.transports

    monkeypatch.setattr(hardware.transports, "STATUS_WAIT", 30.0)
