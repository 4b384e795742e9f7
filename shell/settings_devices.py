"""The settings of the scale (``[scale]``), of the customer display (``[customer_display]``) and
of the card terminal (``[card_terminal]``): all optional; without them the till has no scale,
no customer screen, and takes cards by the approval code typed from a standalone terminal."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hardware.card_terminal import PAY_TIMEOUT
from hardware.card_terminal_config import CardTerminalNotConfigured, parse_card_terminal

SERIAL_SPEEDS = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
GEOMETRY = re.compile(r"(-?[0-9]{1,5}),(-?[0-9]{1,5}),([0-9]{1,5})x([0-9]{1,5})")
if TYPE_CHECKING:
    from hardware.scale import SerialScale
    from pos.payment_terminal import PaymentTerminal
    from shell.settings import Settings
    from ui.customer_display import CustomerDisplayOptions

PORT_EXAMPLE = 'a serial port, e.g. "/dev/ttyUSB0", "/dev/serial/by-id/..." or "COM3"'


class _Section(BaseModel):  # as shell.settings' sections (not imported from there: that module imports this one)
    model_config = ConfigDict(extra="forbid", frozen=True)


def _a_port(value: str) -> str:
    if value and (not value.isprintable() or value != value.strip() or len(value) > 200):
        raise ValueError(f"holds spaces at an end or control characters; it is {PORT_EXAMPLE}")
    return value


def _a_speed(value: int) -> int:
    if value not in SERIAL_SPEEDS:
        raise ValueError(f"must be a serial speed: {', '.join(map(str, SERIAL_SPEEDS))}")
    return value


class ScaleSettings(_Section):
    """A retail scale on a serial port (Toledo 8217 protocol): F6 puts its weight into the sale."""

    port: str = ""  # "": no scale
    speed: int = Field(default=9600, strict=True)
    protocol: Literal["toledo-8217"] = "toledo-8217"
    framing: str = "7E1"  # data bits, parity, stop bits
    timeout: float = Field(default=1.0, gt=0, le=10)

    _port = field_validator("port")(classmethod(lambda cls, value: _a_port(value)))
    _speed = field_validator("speed")(classmethod(lambda cls, value: _a_speed(value)))

    @field_validator("framing")
    @classmethod
    def _a_framing(cls, value: str) -> str:
        if not re.fullmatch(r"[78][NEO][12]", value):
            raise ValueError('must be data bits, parity and stop bits, e.g. "7E1" (Toledo 8217) or "8N1"')
        return value


class CustomerDisplaySettings(_Section):
    """A second screen facing the customer, and/or a pole display (two-line serial VFD)."""

    enabled: bool = Field(default=False, strict=True)  # the customer window on a second screen (true or false, no quotes)
    screen: int = Field(default=1, ge=0, le=9, strict=True)  # which screen: 0 is the first
    geometry: str = ""  # "X,Y,WxH" in pixels: where the window goes instead of a whole screen
    pole_port: str = ""  # a CD5220 pole display's serial port; "": none
    pole_speed: int = Field(default=9600, strict=True)

    _port = field_validator("pole_port")(classmethod(lambda cls, value: _a_port(value)))
    _speed = field_validator("pole_speed")(classmethod(lambda cls, value: _a_speed(value)))

    @field_validator("geometry")
    @classmethod
    def _a_geometry(cls, value: str) -> str:
        if value and not GEOMETRY.fullmatch(value.replace(" ", "")):
            raise ValueError('must be "X,Y,WIDTHxHEIGHT" in pixels, e.g. "1920,0,1024x768", or "" for a whole screen')
        return value.replace(" ", "")

    @model_validator(mode="after")
    def _sizes(self) -> CustomerDisplaySettings:
        match = GEOMETRY.fullmatch(self.geometry)
        if match and (int(match[3]) < 200 or int(match[4]) < 150):
            raise ValueError(f"geometry: the window must be at least 200x150 pixels (not {self.geometry!r})")
        return self

    def geometry_box(self) -> tuple[int, int, int, int] | None:
        """(x, y, width, height), or None for a whole screen."""
        match = GEOMETRY.fullmatch(self.geometry)
        return (int(match[1]), int(match[2]), int(match[3]), int(match[4])) if match else None


class CardTerminalSettings(_Section):
    """The card payment terminal: ``manual`` (a standalone terminal; the cashier types the approval
    code from its slip) or ``network:HOST:PORT`` (docs/card-terminal-protocol.md)."""

    connection: str = Field(default="manual", max_length=300)
    pay_timeout_seconds: int = Field(default=int(PAY_TIMEOUT), ge=10, le=600, strict=True)  # the customer's time

    @field_validator("connection")
    @classmethod
    def _a_terminal(cls, value: str) -> str:
        try:
            parse_card_terminal(value)
        except CardTerminalNotConfigured as error:
            raise ValueError(str(error.fields["reason"])) from None
        return value.strip()


def card_terminal_for(settings: Settings | CardTerminalSettings) -> PaymentTerminal | None:
    """The network terminal's adapter (it connects at the first payment), or None for ``manual``
    (the till asks the cashier for the approval code); ``settings`` or its ``[card_terminal]``."""
    from hardware.card_terminal_config import open_card_terminal

    section = settings if isinstance(settings, CardTerminalSettings) else settings.card_terminal
    return open_card_terminal(parse_card_terminal(section.connection, pay_timeout=section.pay_timeout_seconds))


def scale_for(settings: ScaleSettings) -> SerialScale | None:
    """The till's scale, or None when ``[scale] port`` is empty (opened at the first weighing)."""
    if not settings.port:
        return None
    from hardware.scale import SerialScale

    return SerialScale(settings.port, baudrate=settings.speed, timeout=settings.timeout,
                       protocol=settings.protocol, framing=settings.framing)


def customer_display_for(settings: CustomerDisplaySettings) -> CustomerDisplayOptions | None:
    """The customer window's placement and the pole display, or None when neither is set."""
    if not settings.enabled and not settings.pole_port:
        return None
    from hardware.pole_display import SerialPoleDisplay
    from ui.customer_display import CustomerDisplayOptions

    pole = SerialPoleDisplay(settings.pole_port, baudrate=settings.pole_speed) if settings.pole_port else None
    return CustomerDisplayOptions(enabled=settings.enabled, screen=settings.screen, geometry=settings.geometry_box(),
                                  pole=pole)
