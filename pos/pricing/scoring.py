"""Scoring a combination of promotions for the best-deal search, in integers.

``key_of`` is what the search minimises: the basket's total in minor units, then more gift
offers, then fewer promotions that gave something, then the lowest promotion ids.  ``score``
gives the same key as ``key_of(evaluate(...))`` without building the priced basket (the
search scores many combinations and builds the basket of the one it keeps).
"""

from __future__ import annotations

import operator
import threading
import weakref
from collections.abc import Sequence

from pos.pricing.bitmasks import joined, mask_of, mask_of_masks, positions_of
from pos.pricing.forgetting import make_room
from pos.pricing.lines import PricingLines
from pos.pricing.priced import PricedBasket
from pos.pricing.promotion import Cap, Promotion
from pos.pricing.stages import Evaluation, in_order, stage_of


Key = tuple[int, int, int, tuple[str, ...]]  # total in minor units, -offers, promotions, their ids


def key_of(priced: PricedBasket) -> Key:
    """What the search minimises: the total, then more gift offers, fewer promotions that gave
    something, the lowest ids."""
    given = {d.promotion_id for l in priced.lines for d in l.discounts if d.amount.amount > 0}
    given |= {o.promotion_id for o in priced.offers}
    return (priced.total.minor_units(), -len(priced.offers), len(given), tuple(sorted(given)))


def score(prepared: PricingLines, promotions: Sequence[Promotion], caps: Sequence[Cap]) -> Key:
    """``key_of(evaluate(...))`` without building the priced basket (integers only)."""
    work = Evaluation(prepared)
    offers = 0
    given: set[str] = set()
    for promotion in in_order(promotions):
        if work.apply(promotion):
            offers += 1
            given.add(promotion.promotion_id)
    work.cap(caps)
    given |= {entry[0].promotion_id for entries in work.given for entry in entries if entry[1] > 0}
    return (sum(work.net), -offers, len(given), tuple(sorted(given)))


# a basket's early promotions, and per position the bits of those reaching it, its nets and first
# stages with all of them on: the scan after it starts from them (held while the basket lives)
_KEPT_NETS: weakref.WeakKeyDictionary[PricingLines, tuple] = weakref.WeakKeyDictionary()
LOWEST_KEPT = 2048  # groups' nets after stages 1-4 remembered across reprices, the oldest forgotten first
# (about 100 a sale of 100 scans; keyed by the lines' identities, a past sale's are never met again)
BITS = 2048  # promotions given a bit in those keys before all is forgotten
_LOWEST: dict[tuple, tuple] = {}
_BIT: dict[int, int] = {}  # a promotion's identity -> its bit in the keys (the promotion kept alive in _BIT_KEPT)
_BIT_KEPT: list[Promotion] = []
_BIT_GENERATION = [0]  # how many times the bits were forgotten: keys of another generation never meet
_BITS_LOCK = threading.Lock()


def _bits(promotions: list[Promotion]) -> tuple[list[int], int]:
    """A bit standing for each promotion (its identity, whatever list it is in: a new
    candidate elsewhere in the basket changes no other group's key), and the generation."""
    with _BITS_LOCK:
        found = [_BIT.get(id(p), 0) for p in promotions]
        if 0 in found:
            if len(_BIT) + len(promotions) > BITS:
                _BIT.clear()
                _BIT_KEPT.clear()
                _LOWEST.clear()
                _BIT_GENERATION[0] += 1
            for i, promotion in enumerate(promotions):
                bit = _BIT.get(id(promotion))
                if bit is None:
                    bit = _BIT[id(promotion)] = 1 << len(_BIT_KEPT)
                    _BIT_KEPT.append(promotion)
                found[i] = bit
        return found, _BIT_GENERATION[0]


def lowest_nets(prepared: PricingLines, promotions: list[Promotion]) -> tuple[dict[int, int], dict[int, int]]:
    """Each line's net (by basket index) with every promotion of stages 1-5 on, before the
    thresholds and after them; no caps (spends are counted before the caps).

    Stages 1-4 only tie lines through unit deals, so they are evaluated group by group (the
    lines the unit deals join; any other line alone), each group's nets remembered across
    reprices by its lines and the promotions touching it (identities, kept alive with the
    answer).  After a scan (``PricingLines(..., follow=True)``) the scan before's nets are taken
    over with the new line placed, and only the new line's group is evaluated: the others' lines
    and the promotions reaching them are as they were.  The thresholds (stage 5) then apply to
    the whole basket from those nets."""
    ordered = in_order(promotions)
    early = [p for p in ordered if stage_of(p) <= 4]
    late = [p for p in ordered if stage_of(p) == 5]
    n = len(prepared.lines)
    bits, generation = _bits(early)
    link = prepared.after_scan()
    kept = None if link is None else _KEPT_NETS.get(link[0])
    if kept is not None and (kept[0] != generation or len(kept[1]) != len(early)
                             or not all(map(operator.is_, kept[1], early))):
        kept = None  # other promotions: nothing carried
    in_scope = [prepared.in_scope(promotion.scope) for promotion in early]
    tied: list[int] = []  # the lines the unit deals tie, as masks, merged where they meet
    for i, promotion in enumerate(early):
        if stage_of(promotion) == 2 and len(in_scope[i]) > 1:  # a unit deal ties its lines
            tied = joined(tied, mask_of(in_scope[i]))
    together = mask_of_masks(tied)
    if kept is None:
        touching = [0] * n  # per position: the early promotions that reach it, as their bits (``_bits``)
        for positions, bit in zip(in_scope, bits):
            for p in positions:
                touching[p] |= bit
        net, first_stage = list(prepared.gross), [0] * n
        groups = [positions_of(mask) for mask in tied] + [[p] for p in range(n) if not together >> p & 1]
    else:  # the scan before's, the new line placed: only the new line's group evaluated
        new = link[1]  # type: ignore[index]
        touching, net, first_stage = list(kept[2]), list(kept[3]), list(kept[4])
        touching.insert(new, mask_of_masks(bit for positions, bit in zip(in_scope, bits) if new in positions))
        net.insert(new, prepared.gross[new])
        first_stage.insert(new, 0)
        groups = [next((positions_of(mask) for mask in tied if mask >> new & 1), [new])]
    lines = prepared.lines
    for members in groups:
        if len(members) == 1:  # most lines
            group, reach = (lines[members[0]],), touching[members[0]]
        else:
            group, reach = tuple(lines[p] for p in members), 0
            for p in members:
                reach |= touching[p]
        key = (tuple(map(id, group)), reach, generation, prepared.currency)
        found = _LOWEST.get(key)
        if found is None:
            work = Evaluation(PricingLines.part(prepared, tuple(members)))  # its scopes found among the basket's
            reaching = [promotion for i, promotion in enumerate(early) if reach & bits[i]]  # in the order they apply
            for promotion in reaching:
                work.apply(promotion)
            found = (tuple(work.net), tuple(work.first_stage), group, tuple(reaching))
            make_room(_LOWEST, LOWEST_KEPT)
            _LOWEST[key] = found
        for j, p in enumerate(members):
            net[p] = found[0][j]
            first_stage[p] = found[1][j]
    before_nets = tuple(net)
    _KEPT_NETS[prepared] = (generation, tuple(early), tuple(touching), before_nets, tuple(first_stage))
    work = Evaluation(prepared)
    work.net, work.first_stage = net, first_stage
    for promotion in late:
        work.apply(promotion)
    after_nets = tuple(work.net)
    return dict(zip(prepared.slots, before_nets)), dict(zip(prepared.slots, after_nets))
