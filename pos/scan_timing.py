"""Telling a keyboard-wedge scanner from a person typing, by the timing of the keys.

A wedge scanner types a whole code in one burst and ends it with a terminator (Enter by
default); a person types slower and unevenly.  ``KeyBurst`` is fed every key with the time
it was pressed (milliseconds, from whatever clock the caller uses: the window passes the key
event's own timestamp, tests pass a clock they move) and answers what the keys were:

* ``Scanned(code)``: at least ``min_length`` characters, each within ``max_gap_ms`` of the
  one before, then the terminator within ``max_gap_ms`` too (or, with no terminator, then a
  pause longer than ``max_gap_ms``);
* ``Typed(keys)``: anything else, to be given back to the widget that has the focus, in order
  (the terminator too, when a person pressed it: Enter still presses the focused button).

Defaults, from what scanners document and how people type:

* A USB keyboard-wedge scanner sends a key per HID report, one report each USB poll
  (1-8 ms for a keyboard); Zebra's and Honeywell's "keystroke delay" / "intercharacter delay"
  settings default to none and offer 20 ms ("medium") and 40 ms ("long") for slow hosts.
  So a scan's keys come at most ~40 ms apart even on a scanner set to be slow: ``max_gap_ms = 50``.
* A fast typist at 100 words a minute averages ~120 ms per key; two keys pressed together
  (rollover) can come closer, but not six in a row and an Enter all within 50 ms.
  Codes are 8 digits or more (EAN-8, UPC-E as 8), a typed PLU at most 6: ``min_length = 6``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TERMINATORS = {"enter": "\r", "tab": "\t", "none": ""}


@dataclass(frozen=True, slots=True)
class WedgeTiming:
    max_gap_ms: int = 50
    min_length: int = 6
    terminator: str = "\r"  # "" : a scan ends with a pause


@dataclass(frozen=True, slots=True)
class Scanned:
    code: str


@dataclass(frozen=True, slots=True)
class Typed:
    keys: str


Outcome = Scanned | Typed


@dataclass
class KeyBurst:
    """The keys held back while it is not yet known whether they are a scan."""

    timing: WedgeTiming = field(default_factory=WedgeTiming)
    held: list[str] = field(default_factory=list)
    last_at: float = 0.0

    def key(self, char: str, at_ms: float) -> list[Outcome]:
        """One key (a character, or the terminator) pressed at ``at_ms``."""
        outcomes: list[Outcome] = []
        if self.held and at_ms - self.last_at > self.timing.max_gap_ms:
            outcomes.extend(self._burst_over())
        terminator = self.timing.terminator
        if terminator and char == terminator:
            if len(self.held) >= self.timing.min_length:
                outcomes.append(Scanned("".join(self.held)))
            else:
                outcomes.append(Typed("".join(self.held) + char))
            self.held = []
            return outcomes
        self.held.append(char)
        self.last_at = at_ms
        return outcomes

    def idle(self, now_ms: float) -> list[Outcome]:
        """Nothing was pressed until ``now_ms``: a burst that paused long enough is over."""
        if self.held and now_ms - self.last_at > self.timing.max_gap_ms:
            return self._burst_over()
        return []

    def waiting(self) -> bool:
        return bool(self.held)

    def _burst_over(self) -> list[Outcome]:
        keys, self.held = "".join(self.held), []
        if not self.timing.terminator and len(keys) >= self.timing.min_length:
            return [Scanned(keys)]
        return [Typed(keys)]
