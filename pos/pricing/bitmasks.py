"""Sets of basket positions as bit masks (bit p: position p), and groups of them."""

from __future__ import annotations


def joined(groups: list[int], mask: int) -> list[int]:
    """``groups`` (disjoint masks) with ``mask`` added: every group it meets merged with it."""
    apart = []
    for group in groups:
        if group & mask:
            mask |= group
        else:
            apart.append(group)
    apart.append(mask)
    return apart
