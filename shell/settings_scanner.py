"""The barcode scanner's settings (``[scanner]``): how a keyboard-wedge scan is told from typing,
an optional serial scanner, and the store's variable-measure labels.  All optional.

``weight_prefixes`` moved here from ``[till] weight_barcode_prefixes``: a settings file that
still has the old key keeps working (it is used while ``[scanner] weight_prefixes`` is not
set); a file with both, different, is refused with a message saying which one to keep."""

from __future__ import annotations

import logging
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pos.money import exponent
from pos.scan import MeasureLayout
from pos.scan_timing import TERMINATORS, WedgeTiming

SERIAL_SPEEDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
SERIAL_TERMINATORS = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n"}
PREFIXES_EXAMPLE = 'two digits from 20 to 29 each, e.g. ["22"] or ["21", "22"]'


class ScannerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # keyboard-wedge scanners (pos/scan_timing.py says where the defaults come from)
    max_key_gap_ms: int = Field(default=50, ge=5, le=500, strict=True)
    min_length: int = Field(default=6, ge=3, le=48, strict=True)
    terminator: Literal["enter", "tab", "none"] = "enter"
    # a serial scanner (RS-232 or USB in "virtual COM port" mode); "": none
    serial_port: str = ""
    serial_speed: int = Field(default=9600, strict=True)
    serial_terminator: Literal["cr", "lf", "crlf"] = "cr"
    # variable-measure labels: PP + item code (item_digits) + weight in grams or price in minor units + C
    weight_prefixes: list[str] | None = None  # None: [till] weight_barcode_prefixes (["22"])
    price_prefixes: list[str] = []
    item_digits: int = Field(default=5, ge=4, le=6, strict=True)

    @field_validator("serial_port")
    @classmethod
    def _a_port(cls, value: str) -> str:
        if value and (not value.isprintable() or value != value.strip() or len(value) > 200):
            raise ValueError('holds spaces at an end or control characters; it is a serial port, e.g. '
                             '"/dev/ttyACM0", "/dev/serial/by-id/..." or "COM3"')
        return value

    @field_validator("serial_speed")
    @classmethod
    def _a_speed(cls, value: int) -> int:
        if value not in SERIAL_SPEEDS:
            raise ValueError(f"must be a serial speed: {', '.join(map(str, SERIAL_SPEEDS))}")
        return value

    @field_validator("weight_prefixes", "price_prefixes")
    @classmethod
    def _prefixes(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and (
            len(value) > 10 or not all(len(p) == 2 and p.isascii() and p.isdigit() and p[0] == "2" for p in value)
        ):
            raise ValueError(PREFIXES_EXAMPLE)
        return value

    @model_validator(mode="after")
    def _each_prefix_one_meaning(self) -> ScannerSettings:
        both = set(self.weight_prefixes or ()) & set(self.price_prefixes)
        if both:
            raise ValueError(f"{', '.join(sorted(both))} cannot be both a weight and a price prefix")
        return self

    def wedge_timing(self) -> WedgeTiming:
        return WedgeTiming(self.max_key_gap_ms, self.min_length, TERMINATORS[self.terminator])

    def serial_end(self) -> bytes:
        return SERIAL_TERMINATORS[self.serial_terminator]


def measure_layout(scanner: ScannerSettings, till_weight_prefixes: list[str], currency: str) -> MeasureLayout:
    """The labels as the store set them; ``[till] weight_barcode_prefixes`` while ``[scanner]`` has none."""
    weight = scanner.weight_prefixes if scanner.weight_prefixes is not None else till_weight_prefixes
    price = tuple(p for p in scanner.price_prefixes if p not in weight)
    return MeasureLayout(tuple(weight), price, scanner.item_digits, exponent(currency))


def old_and_new_prefixes_problem(scanner: ScannerSettings, till_weight_prefixes: list[str]) -> str | None:
    """Both the old and the new key set, to different prefixes: which one the till would use is unclear."""
    if scanner.weight_prefixes is not None and till_weight_prefixes != ["22"] and till_weight_prefixes != scanner.weight_prefixes:
        return ("[till] weight_barcode_prefixes and [scanner] weight_prefixes differ: keep only "
                "[scanner] weight_prefixes (the [till] key is the old place)")
    return None


def scan_layout_for(settings: Any) -> MeasureLayout:
    """The labels of a whole ``shell.settings.Settings``; a conflict of the old and new keys is logged."""
    problem = old_and_new_prefixes_problem(settings.scanner, settings.till.weight_barcode_prefixes)
    if problem:
        logging.getLogger(__name__).warning("%s; using [scanner] weight_prefixes", problem)
    return measure_layout(settings.scanner, settings.till.weight_barcode_prefixes, settings.store.currency)


def serial_scanner_for(scanner: ScannerSettings) -> Any:
    """A ``hardware.serial_scanner.SerialScanner`` (not started) for ``serial_port``, or None."""
    if not scanner.serial_port:
        return None
    from hardware.serial_scanner import SerialScanner

    def nobody(_value: object) -> None:  # the window sets the real callbacks (ui.scanning.serial)
        return None

    return SerialScanner(scanner.serial_port, scanner.serial_speed, scanner.serial_end(), on_code=nobody, on_state=nobody)
