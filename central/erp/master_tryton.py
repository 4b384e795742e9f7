"""Reading master data from Tryton 8.2 (product, account_product, sale_point, party).

What changed since a cursor is found per model by its ``write_date`` (or ``create_date``: a
record never written has no write date): variants (``product.product``), templates, product
identifiers (barcodes and the brand), parties and their contact mechanisms.  A price is set
through its template or variant, which writes that record (the price tables themselves are
not readable by a connector's user).  A changed tax or product category reprices or renames
many products at once: then every product is read again.  Then the products concerned are
read whole, inactive ones included (``active_test`` off), with the company in the context
(prices are per company):

* code: the variant's ``code``; name: the template's; category: the first category's full name;
  brand: an identifier of type ``brand``; active: the variant's and the template's, and salable;
* barcodes: identifiers of type ``ean`` (Tryton files EAN, UPC and GTIN under it), or untyped
  ones made of digits; the hub checks their check digits;
* gross price: ``gross_price_used`` (sale_point: the price Tryton's own POS charges), else the
  ``list_price_used`` and the account category's ``customer_taxes_used`` for the hub to apply;
* unit: the template's default unit's symbol ("u", "kg", anything else reported);
* customers: parties of the party category named ``customer_category`` ("Customers"), with
  their mobile (else phone) number.

``calls(model, method, *args, context=...)`` is any Tryton RPC in the user's context:
``central.erp.tryton.TrytonConnector.calls`` (JSON-RPC, the connector's one sign-in).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from central.erp.master_records import Cursor, ErpCustomer, ErpProduct, ErpTax, MasterBatch, OrphanPrice
from central.errors import AdminProblem

OVERLAP = timedelta(minutes=5)  # read again: a transaction that committed late kept its earlier write time
CHUNK = 500
FLOOR = "1970-01-01 00:00:00"
WIDE_MODELS = ("account.tax", "product.category")  # a change there: every product read again
PARTY_MODELS = ("party.party", "party.contact_mechanism")


class TrytonCalls(Protocol):
    def __call__(self, model: str, method: str, *args: Any, context: dict[str, Any] | None = None) -> Any: ...


def _stamp(record: dict[str, Any]) -> datetime | None:
    value = record.get("write_date") or record.get("create_date")
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


class TrytonMasterData:
    """The master-data reader over Tryton (central.erp.master_data.MasterDataReader)."""

    def __init__(self, calls: TrytonCalls, *, customer_category: str = "Customers",
                 overlap: timedelta = OVERLAP) -> None:
        self.calls = calls
        self.overlap = overlap
        self.customer_category = customer_category
        self.context: dict[str, Any] = {}

    # -- RPC helpers ------------------------------------------------------------------------------
    def _search_read(self, model: str, domain: list[Any], fields: list[str], *,
                     inactive: bool = True) -> list[dict[str, Any]]:
        context = {**self.context, "active_test": not inactive}
        return list(self.calls(model, "search_read", domain, 0, None, [("id", "ASC")], fields, context=context))

    def _read(self, model: str, ids: Iterable[int], fields: list[str]) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(ids):
            for record in self.calls(model, "read", chunk, fields, context={**self.context, "active_test": False}):
                found[int(record["id"])] = record
        return found

    def _changed(self, model: str, since: dict[str, Cursor], fields: list[str], cursors: list[Cursor],
                 domain: list[Any] | None = None) -> list[dict[str, Any]] | None:
        """Records of ``model`` written since its cursor (None: no cursor, i.e. read them all)."""
        cursor = since.get(model)
        where = list(domain or [])
        if cursor is not None:
            start = datetime.fromisoformat(cursor.written_at) - self.overlap
            where.append(["OR", ("write_date", ">=", start), ("create_date", ">=", start)])
        records = self._search_read(model, where, ["write_date", "create_date", *fields])
        if cursor is not None and not self.overlap:  # no overlap: exactly what came after the last seen
            seen = (cursor.written_at, cursor.last_id)
            records = [r for r in records if (s := _stamp(r)) is None or (s.isoformat(sep=" "), int(r["id"])) > seen]
        stamped = [(s, int(r["id"])) for r in records if (s := _stamp(r)) is not None]
        if stamped:
            stamp, last_id = max(stamped)
            if cursor is None or stamp.isoformat(sep=" ") >= cursor.written_at:
                cursors.append(Cursor(model, stamp.isoformat(sep=" "), last_id))
        elif cursor is None:  # none yet: the next pull reads what is made from now on
            cursors.append(Cursor(model, FLOOR, 0))
        return records if cursor is not None else None

    # -- the reader -------------------------------------------------------------------------------
    def read_master_data(self, since: dict[str, Cursor]) -> MasterBatch:
        preferences = self.calls("res.user", "get_preferences", True)
        company = preferences.get("company")
        self.context = {"company": company, "language": preferences.get("language") or "en"}
        batch = MasterBatch(currency=self._currency(company))
        changed = self._changed_product_ids(since, batch)
        products = self._read_products(changed, batch)
        batch.products = products
        batch.selling_codes = {str(r["code"]) for r in self._search_read(
            "product.product", [("template.salable", "=", True)], ["code"], inactive=False) if r.get("code")}
        batch.customers = self._customers(since, batch.cursors)
        return batch

    def _currency(self, company: int | None) -> str:
        if not company:
            raise AdminProblem("the Tryton user has no company: set one in the user's preferences")
        currency = self._read("company.company", [company], ["currency"])[company]["currency"]
        return str(self._read("currency.currency", [currency], ["code"])[currency]["code"])

    def _changed_product_ids(self, since: dict[str, Cursor], batch: MasterBatch) -> set[int] | None:
        """Ids of the variants to read (None: all of them)."""
        wide = [self._wide_change(m, since, batch.cursors) for m in WIDE_MODELS]
        variants = self._changed("product.product", since, [], batch.cursors)
        templates = self._changed("product.template", since, [], batch.cursors)
        identifiers = self._changed("product.identifier", since, ["product"], batch.cursors)
        if variants is None or any(wide):
            return None
        ids = {int(r["id"]) for r in variants} | {int(r["product"]) for r in identifiers or []}
        template_ids = {int(r["id"]) for r in templates or []}
        if template_ids:
            of_templates = [("template", "in", sorted(template_ids))]
            ids |= {int(r["id"]) for r in self._search_read("product.product", of_templates, [])}
            self._orphans(template_ids, batch)
        return ids

    def _wide_change(self, model: str, since: dict[str, Cursor], cursors: list[Cursor]) -> bool:
        """Whether a tax or category was written after the one last seen (these are not read again
        for the overlap: a change there reads every product)."""
        records = self._changed(model, since, [], cursors)
        if records is None:
            return True
        seen = (since[model].written_at, since[model].last_id)
        return any((stamp.isoformat(sep=" "), int(r["id"])) > seen for r in records if (stamp := _stamp(r)))

    def _orphans(self, template_ids: set[int] | None, batch: MasterBatch) -> None:
        """Templates with a price and no variant: a price with no product."""
        domain: list[Any] = [("products", "=", None), ("salable", "=", True)]
        if template_ids is not None:
            domain.append(("id", "in", sorted(template_ids)))
        for row in self._search_read("product.template", domain, ["name", "list_price", "gross_price"]):
            if row.get("list_price") is not None or row.get("gross_price") is not None:
                batch.orphan_prices.append(OrphanPrice(f"product.template {row['id']}", repr(row["name"])))

    def _read_products(self, ids: set[int] | None, batch: MasterBatch) -> list[ErpProduct]:
        if ids is None:
            ids = {int(r["id"]) for r in self._search_read("product.product", [], [])}
            self._orphans(None, batch)
        variants = self._read("product.product", ids, ["code", "active", "template", "identifiers",
                                                         "gross_price_used", "list_price_used"])
        templates = self._read("product.template", {int(v["template"]) for v in variants.values()},
                               ["name", "active", "salable", "categories", "account_category", "default_uom"])
        identifiers = self._read("product.identifier", {i for v in variants.values() for i in v["identifiers"]},
                                 ["type", "code"])
        categories = self._read("product.category", {c for t in templates.values() for c in t["categories"][:1]},
                                ["rec_name"])
        accounts = self._read("product.category", {t["account_category"] for t in templates.values()
                                                   if t.get("account_category")}, ["customer_taxes_used"])
        tax_records = self._read("account.tax", {i for a in accounts.values() for i in a["customer_taxes_used"]},
                                 ["name", "type", "rate", "childs"])
        units = self._read("product.uom", {int(t["default_uom"]) for t in templates.values()}, ["symbol"])
        found = []
        for variant in variants.values():
            template = templates[int(variant["template"])]
            own = [identifiers[i] for i in variant["identifiers"] if i in identifiers]
            account = accounts.get(template.get("account_category") or 0)
            found.append(ErpProduct(
                ref=f"product.product {variant['id']}", code=str(variant.get("code") or "").strip(),
                name=str(template["name"] or "").strip(),
                active=bool(variant["active"] and template["active"] and template.get("salable")),
                brand=next((str(i["code"]) for i in own if i["type"] == "brand"), ""),
                category=str(categories[template["categories"][0]]["rec_name"]) if template["categories"] else "",
                unit=str(units[int(template["default_uom"])]["symbol"]),
                list_price=_decimal(variant.get("list_price_used")),
                gross_price=_decimal(variant.get("gross_price_used")),
                taxes=tuple(_tax(tax_records[i]) for i in (account or {}).get("customer_taxes_used", [])),
                barcodes=tuple(str(i["code"]).strip() for i in own if _is_barcode(i)),
            ))
        return found

    def _customers(self, since: dict[str, Cursor], cursors: list[Cursor]) -> list[ErpCustomer]:
        category = self._search_read("party.category", [("name", "=", self.customer_category)], [], inactive=False)
        if not category:
            return []
        in_category = ("categories", "in", [int(c["id"]) for c in category])
        parties = self._changed("party.party", since, [], cursors, [in_category])
        mechanisms = self._changed("party.contact_mechanism", since, ["party"], cursors)
        if parties is None:
            ids = {int(r["id"]) for r in self._search_read("party.party", [in_category], [], inactive=False)}
        else:
            ids = {int(r["id"]) for r in parties}
            if mechanisms:
                ids |= {int(r["id"]) for r in self._search_read("party.party", [
                    in_category, ("id", "in", sorted({int(m["party"]) for m in mechanisms}))], [], inactive=False)}
        return [ErpCustomer(f"party.party {r['id']}", str(r["name"] or ""), str(r.get("mobile") or r.get("phone") or ""))
                for r in self._read("party.party", ids, ["name", "phone", "mobile", "active"]).values() if r["active"]]


def _decimal(value: Any) -> Decimal | None:
    if value is None or value is False:
        return None
    if isinstance(value, dict):  # Tryton's JSON-RPC form of a Decimal
        value = value.get("decimal")
    return Decimal(str(value))


def _tax(record: dict[str, Any]) -> ErpTax:
    name = str(record["name"])
    if record.get("childs"):
        return ErpTax(name, None, usable=False, why="a group of taxes")
    if record.get("type") != "percentage":
        return ErpTax(name, None, usable=False, why=f"a {record.get('type')} tax")
    return ErpTax(name, _decimal(record.get("rate")))


def _is_barcode(identifier: dict[str, Any]) -> bool:
    code = str(identifier.get("code") or "").strip()
    return identifier.get("type") == "ean" or (not identifier.get("type") and code.isascii() and code.isdigit())
