"""The bit mask helpers (pos.pricing.bitmasks) against the plain bit-by-bit definitions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pos.pricing.bitmasks import bits_of, chunk_table, from_bits, mask_of, positions_of

masks = st.integers(0, (1 << 130) - 1)


@given(masks)
def test_a_mask_read_as_bytes_of_bits_reads_back_as_the_same_mask(mask):
    bits = bits_of(mask)
    assert [b for b in bits] == [mask >> i & 1 for i in range(max(1, mask.bit_length()))]
    assert from_bits(bits) == mask


@given(st.sets(st.integers(0, 200)))
def test_positions_make_the_mask_with_exactly_their_bits(positions):
    assert mask_of(positions) == sum(1 << p for p in positions)
    assert positions_of(mask_of(positions)) == sorted(positions)



@given(st.lists(masks, max_size=6))
def test_a_chunk_table_gives_for_each_value_the_masks_its_bits_stand_for(chunk):
    table = chunk_table(tuple(chunk))
    assert len(table) == 1 << len(chunk)
    for value, combined in enumerate(table):
        expected = 0
        for i, mask in enumerate(chunk):
            if value >> i & 1:
                expected |= mask
        assert combined == expected
