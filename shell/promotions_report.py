"""What IT is told about the promotions a till holds (``kassa status``, ``kassa doctor``).

A definition the till cannot read (a newer format or kind, a bad field, an id given twice) is
skipped alone at the till and its reason kept (``local_db.promotions``): the customer does not
get that discount, so IT sees each one with its reason, and doctor calls it 'attention'.
Only reads: both commands run beside a running till.
"""

from __future__ import annotations

from typing import Any

SHOWN_SKIPPED = 20  # kassa status lists at most this many; doctor's --json has them all


def promotion_lines(db: Any, *, unless_none: bool = False) -> list[str]:
    """``kassa status``'s lines: the count held, then each skipped definition and why (none at
    all with ``unless_none`` when the till holds no promotion: an offline-only till's usual case)."""
    from local_db.promotions import promotion_count, skipped_promotions

    held, skipped = promotion_count(db), skipped_promotions(db)
    if unless_none and held == 0:
        return []
    lines = [f"promotions: {held} held, {len(skipped)} skipped"]
    lines += [f"  skipped {promotion_id}: {_one_line(reason)}" for promotion_id, reason in skipped[:SHOWN_SKIPPED]]
    if len(skipped) > SHOWN_SKIPPED:
        lines.append(f"  ... and {len(skipped) - SHOWN_SKIPPED} more (kassa doctor --json lists them all)")
    return lines


def check_promotions(db: Any, settings: Any) -> Any:
    """Doctor's check: ok with the count held; attention when some are skipped, each named."""
    from local_db.promotions import promotion_count, skipped_promotions
    from shell.doctor import ATTENTION, OK, Check

    held, skipped = promotion_count(db), skipped_promotions(db)
    details = {"held": held, "skipped": [{"id": i, "reason": r} for i, r in skipped]}
    if skipped:
        named = ", ".join(i for i, _ in skipped[:5]) + (", ..." if len(skipped) > 5 else "")
        return Check("promotions", ATTENTION, f"{len(skipped)} of {held} promotions skipped by this till: {named}",
                     "kassa status or kassa doctor --json says why for each; upgrade the till, "
                     "or correct them at the hub (kassa-hub set-promotions)", details)
    return Check("promotions", OK, f"{held} promotions held, none skipped", details=details)


def _one_line(text: str) -> str:
    said = " ".join(text.split())
    return said if len(said) <= 150 else said[:150] + "..."
