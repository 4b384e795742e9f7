"""A component's totals carried over from the reprice before (docs/promotions.md, "The
best-deal search", how a scoring is made fast).

After a scan the basket is the one before plus a line, and the search scores mostly the
same combinations as the reprice before (9 in 10 at 60 lines and more).  A combination's
total is the sum of its groups' totals (``pos.pricing.line_groups``), and only the groups
holding a new line differ: every other group has the same lines and the same promotions
touching it, so the same total.  So the total of a combination scored before is that total,
less the groups the new lines joined (as they were without them), plus the groups holding
the new lines.  The answer is exactly the whole sum's; it only saves walking every group.

Carried only when nothing else changed: the same promotions in the same modes (their codes;
a promotion more is allowed when it touches only new lines: it is a candidate because of
them), the same caps, the same currency, and every line of the reprice before still there (a
line voided or whose quantity changed: everything is summed again).  The lines of
the reprice before are kept alive with its totals, so an identity is never another line's.

Which promotions gave something is carried as counts: each promotion has a field of
``FIELD`` bits in one integer, a group adds one to the fields of the promotions it gave, and
a promotion gave something when its field is not zero.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import compress

from pos.pricing.bitmasks import bits_of, chunk_tables, from_bits, joined, translated
from pos.pricing.forgetting import make_room

FIELD = 16  # bits per promotion's count of groups (at most one group per line; ``Fields.nonzero`` folds 16)
KEPT = 4  # reprices' totals kept (one per component the searches made last)
NEW_LINES = 4  # the most new lines a carried total is brought up to date for

_STATES: list[CarriedState] = []
_LOCK = threading.Lock()


class CarriedState:
    """One scorer's totals by combination, for the scorer of the next reprice."""

    __slots__ = ("codes", "caps_key", "currency", "lines", "id_list", "ids", "totals")

    def __init__(self, codes: Sequence[int], caps_key: tuple, currency: str, lines: Sequence[object]) -> None:
        self.codes = tuple(codes)
        self.caps_key = caps_key
        self.currency = currency
        self.lines = tuple(lines)  # kept alive: their identities stay theirs
        self.id_list = tuple(map(id, self.lines))
        self.ids = frozenset(self.id_list)
        self.totals: dict[int, tuple[int, int, int]] = {}  # combination -> (total, offers, given counts)


def publish(state: CarriedState) -> None:
    """``state`` is the newest; the oldest beyond ``KEPT`` are forgotten."""
    with _LOCK:
        _STATES.append(state)
        del _STATES[:-KEPT]


def previous(state: CarriedState, covers: Sequence[int]) -> Carried | None:
    """The newest state ``state`` can carry totals from, or None.  ``covers``: per promotion
    of ``state``, the positions it touches (as bits).  A promotion the state before did not
    have must touch only new lines (it is there because of them): it changes no other group."""
    with _LOCK:
        candidates = list(reversed(_STATES))
    for before in candidates:
        if before is state or before.caps_key != state.caps_key or before.currency != state.currency:
            continue
        added = len(state.ids) - len(before.ids)
        if not (0 <= added <= NEW_LINES and before.ids <= state.ids):
            continue
        new = 0
        for line_id in state.ids - before.ids:  # a few
            new |= 1 << state.id_list.index(line_id)
        if before.codes == state.codes:
            return Carried(before, new, ())
        extra = _extra(before.codes, state.codes)
        if extra is not None and all(not covers[e] & ~new for e in extra):
            return Carried(before, new, extra)
    return None


def _extra(before: Sequence[int], now: Sequence[int]) -> list[int] | None:
    """The positions in ``now`` of the codes ``before`` lacks, when ``before`` is ``now``
    without them (in the same order); else None."""
    extra, k = [], 0
    for i, code in enumerate(now):
        if k < len(before) and before[k] == code:
            k += 1
        else:
            extra.append(i)
    return extra if k == len(before) else None


class Carried:
    """The state before, the new lines (positions as bits), and the promotions it lacked."""

    __slots__ = ("before", "new", "extra", "_tables", "_back", "_lacked")

    def __init__(self, before: CarriedState, new: int, extra: Sequence[int]) -> None:
        self.before, self.new, self.extra = before, new, tuple(extra)
        self._tables: list[list[int]] = []
        self._back: list[list[int]] = []
        self._lacked = 0
        if self.extra:  # a combination's bits now -> its bits before
            old_bit, k = [], 0
            for i in range(len(before.codes) + len(self.extra)):
                if i in self.extra:
                    old_bit.append(0)
                else:
                    old_bit.append(1 << k)
                    k += 1
            self._tables = chunk_tables(old_bit)

    def nearest(self, chosen: int) -> tuple[int, int] | None:
        """Of the combinations the reprice before scored, the one differing from ``chosen``
        in the fewest promotions (as a combination now: without the promotions it lacked),
        and how many; None when it scored none."""
        if not self.before.totals:
            return None
        before = self._before_of(chosen)
        other = nearest(self.before.totals, before)[0]
        if not self.extra:
            return other, (other ^ before).bit_count()
        if not self._back:  # a combination's bits before -> its bits now
            self._back = chunk_tables([1 << i for i in range(len(self.before.codes) + len(self.extra))
                                       if i not in self.extra])
            self._lacked = sum(1 << e for e in self.extra)
        return translated(other, self._back), (other ^ before).bit_count() + (chosen & self._lacked).bit_count()

    def _before_of(self, chosen: int) -> int:
        """``chosen``'s bits before (the promotions it lacked left out)."""
        return translated(chosen, self._tables) if self.extra else chosen

    def total(self, chosen: int) -> tuple[int, int, int] | None:
        """The total, offers and counts the state before gave ``chosen`` (without the
        promotions it lacked), the counts laid out as now; None when it did not score it."""
        if not self.extra:
            return self.before.totals.get(chosen)
        found = self.before.totals.get(self._before_of(chosen))
        if found is None:
            return None
        total, offers, counts = found
        for e in self.extra:  # an empty field where each promotion it lacked now is
            low = counts & ((1 << (FIELD * e)) - 1)
            counts = low | (counts >> (FIELD * e)) << (FIELD * (e + 1))
        return total, offers, counts


_LAYOUTS: dict[tuple, tuple[dict[int, tuple[str, ...]], dict[tuple[str, ...], int]]] = {}
LAYOUTS_KEPT = 64


def layout_memory(layout: tuple) -> tuple[dict[int, tuple[str, ...]], dict[tuple[str, ...], int]]:
    """For scorers of one layout (the same promotions in the same modes and order: the
    generation and their codes), the ids of the promotions that gave something by mask, and
    those ids as counts of one (``spread_bits``): the same for every scorer of the layout."""
    found = _LAYOUTS.get(layout)
    if found is None:
        make_room(_LAYOUTS, LAYOUTS_KEPT)
        found = _LAYOUTS[layout] = ({}, {})
    return found


def spread_bits(mask: int) -> int:
    """``mask``'s bits each made a count of one in its promotion's field."""
    bits = bits_of(mask)
    spread = bytearray(len(bits) * (FIELD // 8))
    spread[::FIELD // 8] = bits  # each bit the low byte of its field
    return int.from_bytes(spread, "little")


_NONZERO: dict[int, int] = {}  # the folded counts -> the promotions, the same for every layout
NONZERO_KEPT = 8192  # (checked as a scorer starts: a search adds a few hundred at most)
_LOWS: dict[int, int] = {}


class Fields:
    """Which promotions' counts are not zero, remembered by the counts (they repeat)."""

    def __init__(self, promotions: int) -> None:
        low = _LOWS.get(promotions)
        if low is None:
            low = _LOWS[promotions] = sum(1 << (FIELD * i) for i in range(promotions))
        self.low = low  # the lowest bit of each field
        self.size = promotions * FIELD // 8  # bytes
        make_room(_NONZERO, NONZERO_KEPT)
        self.seen = _NONZERO

    def nonzero(self, counts: int) -> int:
        folded = counts  # each field's bits folded onto its lowest (FIELD is 16)
        folded |= folded >> 8
        folded |= folded >> 4
        folded |= folded >> 2
        folded |= folded >> 1
        folded &= self.low
        mask = self.seen.get(folded)
        if mask is None:  # each field's low byte is 0 or 1
            mask = self.seen[folded] = from_bits(folded.to_bytes(self.size, "little")[::FIELD // 8])
        return mask


def nearest(totals: dict[int, tuple[int, int, int]], chosen: int) -> tuple[int, tuple[int, int, int]]:
    """Of the combinations in ``totals`` (not empty), the one differing from ``chosen`` in the
    fewest promotions, and its total, offers and counts."""
    closest, fewest = 0, -1
    for other in totals:
        differ = (other ^ chosen).bit_count()
        if differ < fewest or fewest < 0:
            closest, fewest = other, differ
    return closest, totals[closest]


def new_lines_region(new: int, ties: Sequence[int], tying: int) -> tuple[list[int], list[int]]:
    """The groups (as position masks) holding a new line (``new``: positions as bits), and
    the groups their other lines made in the reprice before: the same ties without the new
    lines (``ties``: per promotion, the positions it ties; ``tying``: the tying promotions
    chosen)."""
    chosen_ties = _chosen(ties, tying)
    reached = _closed(new, chosen_ties)  # every line tied to a new line, however far
    inside = [tie for tie in chosen_ties if tie & reached]
    return _grouping(inside, reached), _grouping([tie & ~new for tie in inside], reached & ~new)


def region_between(seed: int, ties: Sequence[int], now: int, then: int) -> tuple[list[int], list[int]]:
    """Two combinations of one basket whose promotions differ on the lines ``seed`` (every
    line of a promotion in one and not the other): the lines tied to them, however far, split
    into the groups of each (``now`` and ``then``: their tying promotions).  Everywhere else
    their groups, and the promotions touching them, are the same.

    Closing ``seed`` under ``now``'s ties closes it under ``then``'s too: a tie of ``then``
    alone is a promotion in one and not the other, inside ``seed`` already."""
    now_ties = _chosen(ties, now)
    reached = _closed(seed, now_ties)
    return _grouping(now_ties, reached), _grouping(_chosen(ties, then), reached)


def _chosen(ties: Sequence[int], tying: int) -> list[int]:
    """The ties (position masks) of the promotions in ``tying``, those that tie something."""
    return [tie for tie in compress(ties, bits_of(tying)) if tie]


def _closed(lines: int, ties: Sequence[int]) -> int:
    """``lines`` and every line tied to them, however far."""
    grown = True
    while grown:
        grown = False
        for tie in ties:
            if tie & lines and tie & ~lines:
                lines |= tie
                grown = True
    return lines


def _grouping(ties: list[int], lines: int) -> list[int]:
    """``lines`` split into the groups ``ties`` join (a line no tie reaches: alone)."""
    merged: list[int] = []
    for tie in ties:
        if tie & lines:
            merged = joined(merged, tie & lines)
    together = 0
    for mask in merged:
        together |= mask
    rest = lines & ~together
    while rest:
        low = rest & -rest
        merged.append(low)
        rest ^= low
    return merged
