"""How the customer display is set up (from ``[customer_display]``, built by shell/wiring.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class PoleDisplay(Protocol):
    """A two-line pole display (hardware.pole_display.SerialPoleDisplay)."""

    description: str

    def show(self, upper: str, lower: str) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class CustomerDisplayOptions:
    enabled: bool = False  # the customer window
    screen: int = 1  # which screen it fills (0: the first); a missing screen: a window on the first
    geometry: tuple[int, int, int, int] | None = None  # x, y, width, height instead of a whole screen
    pole: PoleDisplay | None = None
