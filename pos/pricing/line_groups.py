"""Scoring a component's combinations group of lines by group, remembering each group's answer
(docs/promotions.md, "The best-deal search", how a scoring is made fast).

A per-line promotion (percent, amount, fixed price) gives a line a discount that depends on
that line alone, and a cap cuts each line on its own.  Only some promotions tie lines
together: unit deals and a threshold's amount (they spread a discount by net), a gift (its
free units and its condition), a spend threshold whose condition is not settled (its spend
adds the lines up).  So for a combination the lines fall into **groups**, the lines those
tying promotions join, and the basket's total is the sum of the groups' totals, each
evaluated with its own lines and only the promotions that reach them.  A group's answer
depends only on its lines and the promotions of the combination that touch it, so it is
remembered: within a reprice (combinations that differ elsewhere reuse it) and across
reprices in a module cache keyed by the lines and promotions themselves (after a scan only
the groups holding the new line are evaluated again).  The keys use the objects' identities
(each kept alive by its answer, so an id is never another object's) and a bit per promotion;
past ``CODES`` promotions everything is forgotten and a new generation of keys begins.

A spend threshold proved harmless is evaluated as ``pos.pricing.settled`` says, and the totals
of the reprice before are carried over (``pos.pricing.carried_totals``).  The answer is
exactly ``scoring.score``'s: the same evaluation, split where nothing crosses.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from itertools import compress

from pos.pricing import carried_totals, priced_groups
from pos.pricing.bitmasks import bits_of, joined, mask_of_masks
from pos.pricing.carried_totals import (CarriedState, Fields, nearest, new_lines_region, region_between,
                                       spread_bits)
from pos.pricing.forgetting import make_room
from pos.pricing.lines import PricingLines
from pos.pricing.priced import GiftOffer, PricedLine
from pos.pricing.promotion import Cap, Gift, Promotion
from pos.pricing.scoring import Key
from pos.pricing.settled import mode as _mode, settled as _settled
from pos.pricing.stages import evaluation, in_order

_Group = tuple[int, int, tuple[int, ...], tuple[int, ...], dict]  # mask, touching, positions, ids, answers
REMEMBERED = 8_000  # groups' answers kept across reprices, the oldest forgotten first (a sale of 100 scans
# makes about 800; keyed by the lines' identities, a past sale's are never met again)
READY_KEPT = 500  # groups' lines made ready (about 200 a sale of 100 scans)
CODES = 2048  # promotions (and modes) given a bit in those keys before all is forgotten
_ANSWERS: dict[tuple, tuple[int, int, tuple[str, ...], object]] = {}
_READY: dict[tuple, PricingLines] = {}  # groups' lines made ready (their scopes resolved once)
_CODES: dict[tuple[int, int], int] = {}
_KEPT: list[Promotion] = []
_GENERATION = [0]  # how many times the codes were forgotten
_CODING = threading.Lock()
_NOTHING = (0, 0, 0)  # a sum of no groups
_BRING = 2  # a total of the reprice before brought up to date costs about the groups of two promotions more


class GroupedScorer:
    """Scores combinations (bit masks over ``promotions``, sorted by id) of one component."""

    def __init__(self, prepared: PricingLines, promotions: Sequence[Promotion], caps: Sequence[Cap],
                 harmless: Collection[str]) -> None:
        self.prepared = prepared
        self.promotions = sorted(promotions, key=lambda p: p.promotion_id)
        self.bit = {p.promotion_id: 1 << i for i, p in enumerate(self.promotions)}
        self._id_list = [p.promotion_id for p in self.promotions]
        self.caps = tuple(caps)
        self.caps_key = tuple(id(c) for c in self.caps)
        n = len(prepared.lines)
        self.touch = touch = [0] * n  # per position: the promotions that may discount it
        self.ties: list[int] = []  # per promotion: the positions it ties (0 when per-line)
        self.effective: list[Promotion | None] = []  # what is evaluated (None: gives nothing)
        self.tying = 0  # the promotions that tie lines
        self.covers: list[int] = []  # per promotion: the positions it touches
        covers = self.covers
        self.offering = 0  # settled gifts whose product is not in the lines: an offer whatever is chosen
        for i, promotion in enumerate(self.promotions):
            effective, per_line = _settled(promotion, prepared, harmless)
            self.effective.append(effective)
            positions = () if effective is None else prepared.covered(promotion)
            if effective is not None and effective is not promotion and isinstance(promotion.benefit, Gift):
                positions = prepared.of_product(promotion.benefit.product_code)  # its spend always met
                if not positions and promotion.benefit.quantity > 0:
                    self.offering |= 1 << i
            mask = 0
            for p in positions:
                touch[p] |= 1 << i
                mask |= 1 << p
            self.ties.append(0 if per_line else mask)
            covers.append(mask)
            if not per_line and mask:
                self.tying |= 1 << i
        with _CODING:  # the codes and their generation taken together (another till thread may forget)
            self._codes = [_code(p, _mode(p, e)) for p, e in zip(self.promotions, self.effective)]
            if len(_CODES) < len(self._codes):  # forgotten on the way: give them all again, after the forgetting
                self._codes = [_code(p, _mode(p, e)) for p, e in zip(self.promotions, self.effective)]
            self.caps_key = (_GENERATION[0],) + self.caps_key  # keys of a forgotten generation never meet
        self._groups: dict[int, list[_Group]] = {}
        self._made: dict[int, _Group] = {}  # groups by their mask
        self._singles: list[_Group] | None = None  # each line alone
        self.works: dict[tuple, object] = {}  # this search's fresh evaluations (the kept one is priced from them)
        # totals carried from the reprice before (``carried_totals``): only the new lines' groups summed again
        self._state = CarriedState(self._codes, self.caps_key, prepared.currency, prepared.lines)
        self._carried = carried_totals.previous(self._state, covers)
        self._new = 0 if self._carried is None else self._carried.new
        carried_totals.publish(self._state)
        self._fields = Fields(len(self.promotions))
        # promotions that gave something: their ids by mask, and their counts of one by ids
        self._ids, self._spreads = carried_totals.layout_memory((self.caps_key[0], tuple(self._codes)))
        self._regions: dict[int, tuple[list[_Group], list[_Group]]] = {}
        self._picked: dict[int, tuple[list[int], int]] = {}
        place = {id(p): k for k, p in enumerate(in_order(self.promotions))}  # in the order they apply
        self._rank = [place[id(p)] for p in self.promotions]

    def mask_of(self, promotions: Sequence[Promotion]) -> int:
        return mask_of_masks(self.bit[p.promotion_id] for p in promotions)

    def score(self, chosen: int) -> Key:
        """``scoring.score`` of the combination ``chosen``."""
        total, offers, counts = self._total(chosen)
        given = self._fields.nonzero(counts) | chosen & self.offering
        ids = self._ids.get(given)
        if ids is None:
            ids = self._ids[given] = self._ids_of(given)
        return (total, -offers - (chosen & self.offering).bit_count(), len(ids), ids)

    def _total(self, chosen: int) -> tuple[int, int, int]:
        """The total, gift offers and counts of what gave something, of ``chosen``: a known sum
        less some groups' as they were, plus theirs now (remembered in this search's totals)."""
        found = self._state.totals.get(chosen)
        if found is not None:
            return found
        tying = chosen & self.tying
        carried = None if self._carried is None else self._carried.total(chosen)
        if carried is not None:  # the reprice before's total: only the new lines' groups again
            region = self._regions.get(tying)
            if region is None:
                region = self._regions[tying] = self._region(tying)
            known, old, new = carried, self._sum(region[1], chosen), self._sum(region[0], chosen)
        elif self._state.totals or self._carried is not None and self._carried.before.totals:
            # the nearest combination scored, in this search or (brought up to date) the reprice
            # before: only the groups they differ on
            other = self._nearest(chosen)
            known = self._total(other)
            now, then = self._between(chosen, other)
            old, new = self._sum(then, other), self._sum(now, chosen)
        else:
            groups = self._groups.get(tying)
            if groups is None:
                groups = self._groups[tying] = self._grouped(tying)
            known, old, new = _NOTHING, _NOTHING, self._sum(groups, chosen)
        found = self._state.totals[chosen] = (known[0] - old[0] + new[0], known[1] - old[1] + new[1],
                                              known[2] - old[2] + new[2])
        return found

    def _nearest(self, chosen: int) -> int:
        """The nearest combination scored in this search (the fewest promotions in one and not
        the other), or the reprice before's nearest when that is nearer by more than
        ``_BRING`` (its total must first be brought up to date: the new lines' groups summed
        again).  After a scan that changed one of the fallback's first choices, each of its
        trials differs from one the reprice before made in that promotion only, and from
        this search's in several."""
        here = nearest(self._state.totals, chosen)[0] if self._state.totals else None
        if self._carried is None or here is not None and (here ^ chosen).bit_count() <= _BRING + 1:
            return here  # type: ignore[return-value]  # as near as one from before can be
        before = self._carried.nearest(chosen)  # never ``chosen`` itself: that total is carried
        if before is not None and (here is None or before[1] + _BRING < (here ^ chosen).bit_count()):
            return before[0]
        return here  # type: ignore[return-value]  # one of the two has scored some

    def _ids_of(self, given: int) -> tuple[str, ...]:
        """The ids of the promotions in ``given`` (ascending bits: the ids sorted)."""
        return tuple(compress(self._id_list, bits_of(given)))

    def _sum(self, groups: list[_Group], chosen: int) -> tuple[int, int, int]:
        """The groups' total, gift offers and counts of what gave something, for ``chosen``."""
        total = offers = counts = 0
        for _, touch, positions, line_ids, answers in groups:  # each group's answers by its promotions
            found = answers.get(chosen & touch)
            if found is None:
                found = answers[chosen & touch] = self._answer(positions, line_ids, chosen & touch)
            total += found[0]
            offers += found[1]
            counts += found[2]
        return total, offers, counts

    def _between(self, chosen: int, other: int) -> tuple[list[_Group], list[_Group]]:
        """The groups of ``chosen`` and of ``other`` over the lines where their answers may
        differ: the lines of the promotions in one and not the other, closed under both ties."""
        seed, rest, covers = 0, chosen ^ other, self.covers
        while rest:
            low = rest & -rest
            seed |= covers[low.bit_length() - 1]
            rest ^= low
        now, then = region_between(seed, self.ties, chosen & self.tying, other & self.tying)
        return [self._made_group(mask) for mask in now], [self._made_group(mask) for mask in then]

    def _region(self, tying: int) -> tuple[list[_Group], list[_Group]]:
        """The groups holding a new line, and the groups their other lines made before."""
        holding, before = new_lines_region(self._new, self.ties, tying)
        return [self._made_group(mask) for mask in holding], [self._made_group(mask) for mask in before]

    def _made_group(self, mask: int) -> _Group:
        found = self._made.get(mask)
        if found is None:
            found = self._made[mask] = self._group(mask)
        return found

    def priced(self, chosen: int) -> tuple[list[PricedLine], list[GiftOffer]]:
        """The lines (by position) and gift offers ``stages.evaluate`` gives the combination
        ``chosen``, group by group, each group's remembered."""
        groups = self._groups.get(chosen & self.tying)
        if groups is None:
            groups = self._groups[chosen & self.tying] = self._grouped(chosen & self.tying)
        priced: list[PricedLine] = [None] * len(self.prepared.lines)  # type: ignore[list-item]  # each in a group
        offers = []
        for i, promotion in enumerate(self.promotions if chosen & self.offering else ()):
            if (chosen & self.offering) >> i & 1:
                benefit = promotion.benefit
                offers.append(GiftOffer(promotion.promotion_id, promotion.name, benefit.product_code,  # type: ignore[union-attr]
                                        benefit.quantity))  # type: ignore[union-attr]
        for _, touch, positions, line_ids, _ in groups:
            lines, group_offers = priced_groups.priced_group(self, positions, line_ids, chosen & touch)
            for p, line in zip(positions, lines):
                priced[p] = line
            offers.extend(group_offers)
        return priced, offers

    def lines_of(self, positions: tuple[int, ...], line_ids: tuple[int, ...]) -> PricingLines:
        """The group's lines made ready (the component's own when the group is all of them),
        remembered: a group is evaluated for many combinations."""
        if len(positions) == len(self.prepared.lines):
            return self.prepared
        key = (line_ids, self.prepared.currency)
        ready = _READY.get(key)
        if ready is None:
            make_room(_READY, READY_KEPT)
            ready = _READY[key] = PricingLines.part(self.prepared, positions)  # it holds the lines: ids stay theirs
        return ready

    def _grouped(self, tying: int) -> list[_Group]:
        """The groups of positions the tying promotions in ``tying`` join: (positions as a
        mask, the promotions touching them, the positions, their lines' identities, the group's
        answers in this search by the promotions of a combination that touch it).  A line
        no tying promotion covers is a group of its own."""
        merged: list[int] = []
        i = 0
        while tying:
            if tying & 1:
                merged = joined(merged, self.ties[i])
            tying >>= 1
            i += 1
        together, groups = 0, []
        for mask in merged:
            together |= mask
            groups.append(self._made_group(mask))
        if self._singles is None:
            lines, touch = self.prepared.lines, self.touch
            self._singles = [(1 << p, touch[p], (p,), (id(lines[p]),), {}) for p in range(len(touch))]
        groups += [single for single in self._singles if not together & single[0]]
        return groups

    def _group(self, mask: int) -> _Group:
        """The group of the positions in ``mask``."""
        positions, touching, rest = [], 0, mask
        while rest:  # the set bits only, ascending
            low = rest & -rest
            positions.append(low.bit_length() - 1)
            touching |= self.touch[positions[-1]]
            rest ^= low
        return mask, touching, tuple(positions), tuple(id(self.prepared.lines[p]) for p in positions), {}

    def _answer(self, positions: tuple[int, ...], line_ids: tuple[int, ...], chosen: int) -> tuple[int, int, int]:
        """(total, gift offers, promotions that gave something as counts of one: ``carried_totals``)
        of one group."""
        promotions = self.picked(chosen)[1]
        key = (line_ids, promotions, self.caps_key)
        found = _ANSWERS.get(key)
        if found is None:
            lines = self.prepared.lines
            group = tuple(lines[p] for p in positions)
            work = evaluation(self.lines_of(positions, line_ids), self.ordered(chosen), self.caps, ordered=True)
            found = (work.total(), len(work.offers), tuple(sorted(work.given_ids())), (group, self.caps))
            self.works[(line_ids, promotions)] = work
            make_room(_ANSWERS, REMEMBERED)
            _ANSWERS[key] = found
        spread = self._spreads.get(found[2])
        if spread is None:
            spread = self._spreads[found[2]] = spread_bits(sum(map(self.bit.__getitem__, found[2])))
        return found[0], found[1], spread

    def picked(self, chosen: int) -> tuple[list[int], int]:
        """The indices of the promotions in ``chosen``, and their codes together (remembered:
        lines covered by the same promotions ask for the same)."""
        found = self._picked.get(chosen)
        if found is None:
            picked, codes, rest, all_codes = [], 0, chosen, self._codes
            while rest:  # the set bits only (a few: looping is faster than ``bits_of`` here)
                low = rest & -rest
                picked.append(low.bit_length() - 1)
                codes |= all_codes[picked[-1]]
                rest ^= low
            found = self._picked[chosen] = (picked, codes)
        return found

    def ordered(self, chosen: int) -> list[Promotion]:
        """What is evaluated for the promotions in ``chosen``, in the order they apply."""
        effective = self.effective
        ordered = (effective[i] for i in sorted(self.picked(chosen)[0], key=self._rank.__getitem__))
        return [promotion for promotion in ordered if promotion is not None]


def _code(promotion: Promotion, mode: int) -> int:
    """A bit standing for ``promotion`` evaluated in ``mode`` in the remembered answers' keys
    (the promotion is kept alive, so its id stays its own; past ``CODES`` all is forgotten)."""
    key = (id(promotion), mode)
    found = _CODES.get(key)
    if found is None:
        if len(_CODES) >= CODES:
            _CODES.clear()
            _KEPT.clear()
            _ANSWERS.clear()
            priced_groups.PRICED.clear()
            _GENERATION[0] += 1
        found = _CODES[key] = 1 << len(_CODES)
        _KEPT.append(promotion)
    return found
