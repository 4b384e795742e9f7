"""Sets of basket positions (or of promotions) as bit masks (bit p: position p), and groups
of them.  A mask with many bits set is read as its binary digits (``bits_of``): past about
ten bits that is faster than taking its bits one by one in Python (below it, slower)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pos.pricing.forgetting import make_room

_TO_BYTES = bytes.maketrans(b"01", b"\x00\x01")
_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


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


def mask_of(positions: Iterable[int]) -> int:
    """Positions as one mask."""
    mask = 0
    for p in positions:
        mask |= 1 << p
    return mask


def mask_of_masks(masks: Iterable[int]) -> int:
    """The masks together."""
    together = 0
    for mask in masks:
        together |= mask
    return together


def positions_of(mask: int) -> list[int]:
    """The set bits of ``mask``, ascending."""
    positions = []
    while mask:
        low = mask & -mask
        positions.append(low.bit_length() - 1)
        mask ^= low
    return positions


def bits_of(mask: int) -> bytes:
    """``mask``'s bits as bytes of 0 and 1, the lowest first (to select with
    ``itertools.compress``, or to lay out)."""
    return bin(mask)[:1:-1].encode().translate(_TO_BYTES)


def from_bits(bits: bytes) -> int:
    """The mask whose bits are ``bits`` (bytes of 0 and 1, the lowest first): ``bits_of``
    undone."""
    return int(bits[::-1].translate(_TO_DIGITS), 2) if bits else 0


def chunk_tables(bits: Sequence[int]) -> list[list[int]]:
    """``chunk_table`` of each six of ``bits`` in turn (bit i of a mask standing for
    ``bits[i]``): what ``translated`` reads."""
    return [chunk_table(tuple(bits[start:start + 6])) for start in range(0, len(bits), 6)]


def translated(mask: int, tables: Sequence[list[int]]) -> int:
    """``mask`` translated six bits at a time through ``chunk_tables``' tables."""
    found = 0
    for table in tables:
        found |= table[mask & 63]
        mask >>= 6
    return found


_TABLES: dict[tuple[int, ...], list[int]] = {}  # by the chunk: the next reprice asks for the same ones
TABLES_KEPT = 1024


def chunk_table(chunk: tuple[int, ...]) -> list[int]:
    """For each value of a few bits (bit i standing for ``chunk[i]``), the OR of the masks
    they stand for: a mask is translated a chunk of bits at a time (remembered by the chunk)."""
    table = _TABLES.get(chunk)
    if table is None:
        table = [0] * (1 << len(chunk))
        for value in range(1, len(table)):
            low = value & -value
            table[value] = table[value ^ low] | chunk[low.bit_length() - 1]
        make_room(_TABLES, TABLES_KEPT)
        _TABLES[chunk] = table
    return table
