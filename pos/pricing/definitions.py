"""The versioned JSON form of promotions and caps, ``kassa.promotion.v1``: what the hub takes
(``kassa-hub set-promotions``, ``PUT /v1/promotions``) and what the tills pull (the
``promotions`` dataset).  docs/promotions.md, "The definition format", has every field.

- ``definition_from_dict(d, currency)``: a ``Promotion`` or a ``Cap``, or ``BadDefinition``
  naming the promotion, the field and what is wrong (the first problem found).
- ``definition_to_dict(p)``: the full form, every field written; it reads back equal.
- ``promotion_set_from_items(items, currency)``: what a till does with the pulled
  definitions: one it cannot read (a newer format or kind, a bad field) is skipped and
  reported in one sentence, never a crash, and never stops the others.
- ``check_definitions``: the hub's checks across definitions and against the catalog
  (``pos.pricing.definition_checks``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pos.i18n import N_
from pos.pricing.definition_checks import check_definitions
from pos.pricing.definition_fields import (
    MAX_NAME,
    MAX_PRIORITY,
    MAX_UNITS,
    MISSING,
    BadDefinition,
    Where,
    read_amount,
    read_bool,
    read_choice,
    read_datetime,
    read_hours,
    read_id,
    read_object,
    read_percent,
    read_text,
    read_texts,
    read_weekdays,
    read_whole,
    show,
    write_datetime,
)
from pos.pricing.promotion import (
    AmountOff,
    Benefit,
    BundlePrice,
    BuyGet,
    Cap,
    Combination,
    FixedPrice,
    Gift,
    PercentOff,
    Promotion,
    PromotionSet,
    Scope,
    SpendThreshold,
    Validity,
)

__all__ = ["FORMAT", "KINDS", "BadDefinition", "check_definitions", "definition_from_dict", "definition_to_dict",
           "promotion_set_from_items"]

FORMAT = "kassa.promotion.v1"
CAP = "cap"
# each kind's own fields: (required, optional)
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "percent_off": (("percent",), ()),
    "amount_off": (("amount",), ()),
    "fixed_price": (("price",), ()),
    "buy_get": (("buy", "get"), ("percent",)),
    "bundle": (("size", "price"), ()),
    "spend_threshold": (("spend",), ("amount_off", "percent")),
    "gift": (("product",), ("quantity", "spend")),
    CAP: (("max_percent",), ()),
}
_COMMON = ("format", "id", "name", "kind")
_CONDITIONS = ("scope", "validity")
_COMBINING = ("combination", "priority")
_SCOPE = ("products", "brands", "categories", "exclude", "exclude_reduced")
_EXCLUDE = ("products", "brands", "categories")
_VALIDITY = ("starts", "ends", "weekdays", "hours", "stores", "channels", "tiers", "segments", "customer_groups",
             "birthday", "needs_code")
_SETS = ("stores", "channels", "tiers", "segments", "customer_groups")

NOT_DEFINITION = N_("Promotion {promotion}: a definition must be a JSON object, not {value}.")
UNKNOWN_FORMAT = N_("Promotion {promotion}: format {value} is not one this version of Kassa reads ({known}).")
UNKNOWN_KIND = N_("Promotion {promotion}: kind {value} is not one this version of Kassa knows ({known}).")
ENDS_FIRST = N_("Promotion {promotion}: validity.ends ({ends}) must be after validity.starts ({starts}).")
ONE_OF = N_("Promotion {promotion}: a spend threshold needs exactly one of amount_off and percent.")
TWICE = N_("Promotion {promotion}: a second definition with this id is skipped.")


def _name(d: Any, position: int | None) -> str:
    promotion = d.get("id") if isinstance(d, dict) else None
    try:
        return read_id(promotion)
    except BadDefinition:
        return "?" if position is None else f"#{position}"


def definition_from_dict(d: Any, currency: str, *, position: int | None = None) -> Promotion | Cap:
    """The promotion or cap ``d`` defines; BadDefinition for the first thing wrong.  ``position``
    (from 1) names a definition whose id cannot be read ("#3")."""
    where = Where(_name(d, position))
    if not isinstance(d, dict):
        raise BadDefinition(NOT_DEFINITION, promotion=where.promotion, field="", value=show(d))
    if "id" not in d:
        where.at("id").fail(MISSING)
    promotion_id = read_id(d["id"], where.promotion)
    for key in ("format", "kind"):
        if key not in d:
            where.at(key).fail(MISSING)
    if d["format"] != FORMAT:
        where.at("format").fail(UNKNOWN_FORMAT, d["format"], known=FORMAT)
    kind = d["kind"]
    if not isinstance(kind, str) or kind not in KINDS:
        where.at("kind").fail(UNKNOWN_KIND, kind, known=", ".join(KINDS))
    required, optional = KINDS[kind]
    read_object(d, where, (*_COMMON, *required), (*optional, *_CONDITIONS, *(() if kind == CAP else _COMBINING)))
    name = read_text(d["name"], where.at("name"), MAX_NAME)
    scope = _scope(d.get("scope", {}), where.at("scope"))
    validity = _validity(d.get("validity", {}), where.at("validity"))
    if kind == CAP:
        return Cap(promotion_id, name, scope, read_percent(d["max_percent"], where.at("max_percent"), cap=True),
                   validity)
    combination = Combination(read_choice(d.get("combination", Combination.STACKABLE.value), where.at("combination"),
                                          tuple(c.value for c in Combination)))
    priority = read_whole(d.get("priority", 0), where.at("priority"), -MAX_PRIORITY, MAX_PRIORITY)
    return Promotion(promotion_id, name, _benefit(kind, d, where, currency), scope, validity, combination, priority)


def _benefit(kind: str, d: dict[str, Any], where: Where, currency: str) -> Benefit:
    def amount(key: str, zero: bool = False) -> Any:
        return read_amount(d[key], where.at(key), currency, zero=zero)

    def units(key: str) -> int:
        return read_whole(d[key], where.at(key), 1, MAX_UNITS)

    if kind == "percent_off":
        return PercentOff(read_percent(d["percent"], where.at("percent")))
    if kind == "amount_off":
        return AmountOff(amount("amount"))
    if kind == "fixed_price":
        return FixedPrice(amount("price", zero=True))
    if kind == "buy_get":
        percent = read_percent(d["percent"], where.at("percent")) if "percent" in d else BuyGet(1, 1).percent
        return BuyGet(units("buy"), units("get"), percent)
    if kind == "bundle":
        return BundlePrice(units("size"), amount("price", zero=True))
    if kind == "spend_threshold":
        if ("amount_off" in d) == ("percent" in d):
            where.at("amount_off").fail(ONE_OF)
        return SpendThreshold(amount("spend"), amount("amount_off") if "amount_off" in d else None,
                              read_percent(d["percent"], where.at("percent")) if "percent" in d else None)
    return Gift(read_text(d["product"], where.at("product")), units("quantity") if "quantity" in d else 1,
                amount("spend") if d.get("spend") is not None else None)


def _scope(value: Any, where: Where) -> Scope:
    d = read_object(value, where, (), _SCOPE)
    exclude = read_object(d.get("exclude", {}), where.at("exclude"), (), _EXCLUDE)

    def texts(source: dict[str, Any], at: Where, key: str) -> frozenset[str]:
        return read_texts(source.get(key, []), at.at(key))

    return Scope(texts(d, where, "products"), texts(d, where, "brands"), texts(d, where, "categories"),
                 texts(exclude, where.at("exclude"), "products"), texts(exclude, where.at("exclude"), "brands"),
                 texts(exclude, where.at("exclude"), "categories"),
                 read_bool(d.get("exclude_reduced", False), where.at("exclude_reduced")))


def _validity(value: Any, where: Where) -> Validity:
    d = read_object(value, where, (), _VALIDITY)
    starts = None if d.get("starts") is None else read_datetime(d["starts"], where.at("starts"))
    ends = None if d.get("ends") is None else read_datetime(d["ends"], where.at("ends"))
    if starts is not None and ends is not None and ends <= starts:
        raise BadDefinition(ENDS_FIRST, promotion=where.promotion, field="validity.ends",
                            ends=write_datetime(ends), starts=write_datetime(starts))
    sets = {key: read_texts(d.get(key, []), where.at(key)) for key in _SETS}
    return Validity(starts=starts, ends=ends, weekdays=read_weekdays(d.get("weekdays", []), where.at("weekdays")),
                    hours=None if d.get("hours") is None else read_hours(d["hours"], where.at("hours")),
                    birthday=read_bool(d.get("birthday", False), where.at("birthday")),
                    needs_code=read_bool(d.get("needs_code", False), where.at("needs_code")), **sets)


def definition_to_dict(p: Promotion | Cap) -> dict[str, Any]:
    """The full ``kassa.promotion.v1`` form of ``p``: every field, lists sorted."""
    if isinstance(p, Cap):
        return {"format": FORMAT, "id": p.cap_id, "name": p.name, "kind": CAP, "max_percent": str(p.max_percent),
                "scope": _scope_dict(p.scope), "validity": _validity_dict(p.validity)}
    kind, fields = _benefit_dict(p.benefit)
    return {"format": FORMAT, "id": p.promotion_id, "name": p.name, "kind": kind, **fields,
            "scope": _scope_dict(p.scope), "validity": _validity_dict(p.validity),
            "combination": p.combination.value, "priority": p.priority}


def _benefit_dict(b: Benefit) -> tuple[str, dict[str, Any]]:
    if isinstance(b, PercentOff):
        return "percent_off", {"percent": str(b.percent)}
    if isinstance(b, AmountOff):
        return "amount_off", {"amount": str(b.amount.amount)}
    if isinstance(b, FixedPrice):
        return "fixed_price", {"price": str(b.price.amount)}
    if isinstance(b, BuyGet):
        return "buy_get", {"buy": b.buy, "get": b.get, "percent": str(b.percent)}
    if isinstance(b, BundlePrice):
        return "bundle", {"size": b.size, "price": str(b.price.amount)}
    if isinstance(b, SpendThreshold):
        benefit = {"amount_off": str(b.amount_off.amount)} if b.amount_off is not None else {"percent": str(b.percent)}
        return "spend_threshold", {"spend": str(b.spend.amount), **benefit}
    spend = {} if b.spend is None else {"spend": str(b.spend.amount)}
    return "gift", {"product": b.product_code, "quantity": b.quantity, **spend}


def _scope_dict(s: Scope) -> dict[str, Any]:
    return {"products": sorted(s.products), "brands": sorted(s.brands), "categories": sorted(s.categories),
            "exclude": {"products": sorted(s.exclude_products), "brands": sorted(s.exclude_brands),
                        "categories": sorted(s.exclude_categories)},
            "exclude_reduced": s.exclude_reduced}


def _validity_dict(v: Validity) -> dict[str, Any]:
    return {"starts": None if v.starts is None else write_datetime(v.starts),
            "ends": None if v.ends is None else write_datetime(v.ends),
            "weekdays": sorted(v.weekdays),
            "hours": None if v.hours is None else [t.strftime("%H:%M") for t in v.hours],
            **{key: sorted(getattr(v, key)) for key in _SETS},
            "birthday": v.birthday, "needs_code": v.needs_code}


def promotion_set_from_items(items: Iterable[Any], currency: str, version: str = "",
                             report: Callable[[BadDefinition], str] | None = None
                             ) -> tuple[PromotionSet, tuple[str, ...]]:
    """The promotions and caps of ``items`` and one sentence per definition skipped.

    An item is a definition, or the dataset's item ``{"id", "definition", "deleted"}`` (a
    deleted one is left out without a word).  A definition this version cannot read is
    skipped; so is a second one with an id already taken.  ``report`` writes the sentence
    (default: the message in the active language, ``PosError.user_message``)."""
    write = report or (lambda error: error.user_message())
    promotions: list[Promotion] = []
    caps: list[Cap] = []
    seen: set[str] = set()
    skipped: list[str] = []
    for position, item in enumerate(items, 1):
        if isinstance(item, dict) and "definition" in item and "format" not in item:
            if item.get("deleted") is True:
                continue
            item = item["definition"]
        try:
            found = definition_from_dict(item, currency, position=position)
            found_id = found.cap_id if isinstance(found, Cap) else found.promotion_id
            if found_id in seen:
                raise BadDefinition(TWICE, promotion=found_id, field="id")
        except BadDefinition as error:
            skipped.append(write(error))
            continue
        seen.add(found_id)
        (caps if isinstance(found, Cap) else promotions).append(found)  # type: ignore[arg-type]
    return PromotionSet(tuple(promotions), tuple(caps), version), tuple(skipped)
