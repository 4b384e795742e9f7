"""The items of the hub's ``promotions`` dataset as the till stages them.

An item is ``{"id": ..., "definition": {...}, "deleted": bool}`` (docs/sync-protocol.md).
Its shape is checked here, strictly, like every other dataset's (an item that is not one makes
the page unusable: ``ValueError``); the definition inside is NOT read here but kept as the hub
sent it, so one this till cannot read (a newer format, a mistake at head office) is skipped
alone when the till reads its promotions (``local_db.promotions``), and read after an upgrade.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import ConfigDict, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import TypedDict

MAX_DEFINITION_CHARS = 65_536  # as a policy's body


class PromotionItem(TypedDict):
    __pydantic_config__ = ConfigDict(strict=True, extra="ignore")  # type: ignore[misc]
    id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    definition: dict[str, Any] | None
    deleted: bool


_ITEM = TypeAdapter(PromotionItem)


def promotion_row(item: Any, version: str) -> tuple[str, str, str, int]:
    """(id, definition JSON, version, deleted) for the staging table.  Raises ValueError for an
    item that is not a promotion item."""
    try:
        checked = _ITEM.validate_python(item)
    except ValidationError as error:
        where = item.get("id") if isinstance(item, dict) else None
        problem = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'item'}: {e['msg']}" for e in error.errors()[:3])
        raise ValueError(f"promotion {str(where)[:100] if where else '?'}: {problem}") from None
    definition = checked["definition"]
    if not checked["deleted"] and definition is None:
        raise ValueError(f"promotion {checked['id']}: no definition and not deleted")
    text = json.dumps(definition or {}, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_DEFINITION_CHARS:
        raise ValueError(f"promotion {checked['id']}: its definition is over {MAX_DEFINITION_CHARS} characters")
    return checked["id"], text, version, int(checked["deleted"])
