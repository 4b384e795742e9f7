"""The items of the hub's ``promo_codes`` dataset as the till stages them.

An item (``central.promo_codes``; docs/sync-protocol.md): ``code``, ``promotion_ids``,
``starts``/``ends`` (the store's local time, ISO, or null), ``minimum`` (a decimal string or
null), ``uses_allowed``, ``uses_known``, ``per_customer``, ``customer_uses`` ({customer id:
uses}), ``phone_hash``/``pin_hash`` (argon2id, "" for a code that is not personal), ``deleted``.
Checked strictly, like every other dataset's item: one that is not one makes the page
unusable (``ValueError``), and nothing of the pull is applied.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from pos.pricing.codes import NotACode, normalise_code

_Id = Annotated[str, StringConstraints(min_length=1, max_length=100)]
_Count = Annotated[int, Field(ge=0, le=10**12)]
_Limit = Annotated[int, Field(ge=1, le=10**12)]
_Hash = Annotated[str, StringConstraints(max_length=200)]


class PromoCodeItem(TypedDict):
    __pydantic_config__ = ConfigDict(strict=True, extra="ignore")  # type: ignore[misc]
    code: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    promotion_ids: Annotated[list[_Id], Field(max_length=100)]
    starts: Annotated[str, StringConstraints(max_length=32)] | None
    ends: Annotated[str, StringConstraints(max_length=32)] | None
    minimum: Annotated[str, StringConstraints(max_length=24)] | None
    uses_allowed: _Limit | None
    uses_known: _Count
    per_customer: _Limit | None
    customer_uses: Annotated[dict[Annotated[str, StringConstraints(max_length=64)], _Count], Field(max_length=100_000)]
    phone_hash: _Hash
    pin_hash: _Hash
    deleted: bool


_ITEM = TypeAdapter(PromoCodeItem)


def _time(text: str | None, name: str, code: str) -> str | None:
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"promo code {code}: {name} {text[:32]!r} is not a date-time") from None
    if when.tzinfo is not None:
        raise ValueError(f"promo code {code}: {name} must be the store's local time, without an offset")
    return when.isoformat()


def promo_code_row(item: Any) -> tuple[Any, ...]:
    """The staging row (the book's columns, then ``deleted``).  Raises ValueError for an item
    that is not a promo code item."""
    import json

    try:
        checked = _ITEM.validate_python(item)
    except ValidationError as error:
        where = item.get("code") if isinstance(item, dict) else None
        problem = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'item'}: {e['msg']}" for e in error.errors()[:3])
        raise ValueError(f"promo code {str(where)[:32] if where else '?'}: {problem}") from None
    code = checked["code"]
    try:
        if normalise_code(code) != code:
            raise ValueError(f"promo code {code!r} is not written as the till keeps codes")
    except NotACode:
        raise ValueError(f"promo code {code[:32]!r} is not a promo code") from None
    minimum = checked["minimum"]
    if minimum is not None:
        try:
            amount = Decimal(minimum)
        except InvalidOperation:
            raise ValueError(f"promo code {code}: minimum {minimum!r} is not an amount") from None
        if not amount.is_finite() or amount < 0:
            raise ValueError(f"promo code {code}: minimum {minimum!r} is not an amount")
    return (code, json.dumps(checked["promotion_ids"]), _time(checked["starts"], "starts", code),
            _time(checked["ends"], "ends", code), minimum, checked["uses_allowed"], checked["uses_known"],
            checked["per_customer"], json.dumps(checked["customer_uses"], sort_keys=True), checked["phone_hash"],
            checked["pin_hash"], int(checked["deleted"]))
