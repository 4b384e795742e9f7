"""The code printed on every receipt (a QR code) that finds its sale again for a return:

    KR1.<store_id>.<till_id>.<sale id, 32 hex digits>.<check, 4 hex digits>

The check is the first 4 hex digits of SHA-256 over the text before it: a damaged or
hand-typed code is refused with a message instead of finding a wrong sale.  A code that
reads well but names no sale, or a sale of another store, is refused by the return (the
journal or the hub decides what exists); the check is no signature and needs no secret.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

from pos.errors import PosError
from pos.i18n import N_

PREFIX = "KR1"
_PART = r"[!-\-/-~]{1,40}"  # printable ASCII but the dot and the space
_CODE = re.compile(rf"{PREFIX}\.({_PART})\.({_PART})\.([0-9a-f]{{32}})\.([0-9a-f]{{4}})")
MAX_CODE = 140


class DamagedReceiptCode(PosError):
    message = N_("The receipt's code cannot be read (damaged or typed wrong): scan it again, or type the receipt number.")


@dataclass(frozen=True, slots=True)
class ReceiptCode:
    store_id: str
    till_id: str
    sale_id: uuid.UUID


def _check(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:4]


def receipt_code_text(store_id: str, till_id: str, sale_id: uuid.UUID) -> str:
    """What the receipt's QR code holds."""
    body = f"{PREFIX}.{store_id}.{till_id}.{sale_id.hex}"
    if not _CODE.fullmatch(f"{body}.0000"):
        raise ValueError(f"store {store_id!r} or till {till_id!r} cannot go in a receipt code")
    return f"{body}.{_check(body)}"


def looks_like_receipt_code(text: str) -> bool:
    """Whether a scan is meant as a receipt code (it then goes to the return, not the basket)."""
    return text.strip().upper().startswith(PREFIX + ".")


def read_receipt_code(text: str) -> ReceiptCode:
    """The store, till and sale a scanned receipt code names; ``DamagedReceiptCode`` otherwise."""
    text = text.strip()
    if len(text) > MAX_CODE:
        raise DamagedReceiptCode()
    found = _CODE.fullmatch(text)
    if found is None:
        raise DamagedReceiptCode()
    store_id, till_id, sale_hex, check = found.groups()
    if _check(text[: -len(check) - 1]) != check:
        raise DamagedReceiptCode()
    return ReceiptCode(store_id, till_id, uuid.UUID(hex=sale_hex))
