"""A group's priced lines and gift offers for the combination the search kept, remembered
across reprices like the groups' answers (``pos.pricing.line_groups``): after a scan only the
groups holding the new line are priced again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.pricing.forgetting import make_room
from pos.pricing.priced import GiftOffer, PricedLine
from pos.pricing.stages import evaluation

if TYPE_CHECKING:
    from pos.pricing.line_groups import GroupedScorer

KEPT = 1_000  # groups' priced lines kept, the oldest forgotten first (about 100 a sale of 100 scans)
PRICED: dict[tuple, tuple] = {}  # forgotten with the answers' codes (``line_groups._code``)


def priced_group(scorer: GroupedScorer, positions: tuple[int, ...], line_ids: tuple[int, ...], chosen: int
                 ) -> tuple[tuple[PricedLine, ...], tuple[GiftOffer, ...]]:
    """The group's priced lines (in ``positions``' order; ``line_ids``: their lines' identities)
    and gift offers, remembered like the answers."""
    lines = scorer.prepared.lines
    codes = scorer.picked(chosen)[1]
    key = (line_ids, codes, scorer.caps_key, scorer.prepared.currency)
    found = PRICED.get(key)
    if found is None:
        group = tuple(lines[p] for p in positions)
        ready = scorer.lines_of(positions, line_ids)
        # scored in this search: the same evaluation, else made now
        work = scorer.works.get((key[0], codes)) or evaluation(ready, scorer.ordered(chosen), scorer.caps,
                                                                 ordered=True)
        priced = work.priced()  # type: ignore[attr-defined]
        found = (tuple(priced.lines[slot] for slot in ready.slots), priced.offers, (group, scorer.caps))
        make_room(PRICED, KEPT)
        PRICED[key] = found
    return found[0], found[1]
