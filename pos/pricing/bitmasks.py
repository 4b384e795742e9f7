"""Sets of basket positions (or of promotions) as bit masks (bit p: position p), and groups
of them.  The loops over bits that a reprice makes thousands of times run in C here: a
mask is read as its binary digits (``bits_of``), never bit by bit in Python."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

_ONE = 1
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
    """Distinct positions as one mask."""
    return sum(map(_ONE.__lshift__, positions))


def bits_of(mask: int) -> bytes:
    """``mask``'s bits as bytes of 0 and 1, the lowest first (to select with
    ``itertools.compress``, or to lay out)."""
    return bin(mask)[:1:-1].encode().translate(_TO_BYTES)


def from_bits(bits: bytes) -> int:
    """The mask whose bits are ``bits`` (bytes of 0 and 1, the lowest first): ``bits_of``
    undone."""
    return int(bits[::-1].translate(_TO_DIGITS), 2) if bits else 0


def transposed(masks: Sequence[int], width: int) -> list[int]:
    """For each bit 0..``width``-1 of the masks, which masks have it (as bits by their index
    in ``masks``): per position, the promotions covering it."""
    if not masks:
        return [0] * width
    rows = [bits_of(mask)[:width].ljust(width, b"\0") for mask in masks]
    return [from_bits(bytes(column)) for column in zip(*rows)]
