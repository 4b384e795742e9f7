"""The SQL that turns staged rows into catalog rows, written once for both ways of applying
a pull: in place (``local_db.reference_data``, a delta) and into a new catalog being built
beside the live one (``local_db.catalog_swap``, a big pull).

Every statement names the catalog tables as ``{products}`` and ``{barcodes}`` and ends its
choice of staged rows with ``{part}``: the whole staging table (``TRUE``) in place, or one
key range (``AND key > ? AND key <= ?``) at a time when building.
"""

from __future__ import annotations

# a staged product can be applied when its VAT code is known and it has a price (staged or kept)
APPLICABLE = (
    "sp.deleted = 0 AND EXISTS (SELECT 1 FROM vat_rates v WHERE v.code = sp.vat_code) "
    "AND (EXISTS (SELECT 1 FROM staged_prices pr WHERE pr.product_code = sp.code AND pr.deleted = 0) "
    "OR EXISTS (SELECT 1 FROM {products} p WHERE p.code = sp.code))"
)

NEW_VAT_RATES = ("INSERT INTO vat_rates (code, percent) SELECT code, percent FROM staged_taxes WHERE deleted = 0 "
                 "ON CONFLICT (code) DO UPDATE SET percent = excluded.percent")
# deleted products go (their barcodes with them: ON DELETE CASCADE; the index by trigger)
DELETED_PRODUCTS = ("DELETE FROM {products} WHERE code IN "
                    "(SELECT code FROM staged_products WHERE deleted = 1 {part:code})")
# new prices of products that are already in the catalog
NEW_PRICES = (
    "UPDATE {products} AS products SET price_minor = pr.price_minor, currency = pr.currency FROM staged_prices pr "
    "WHERE pr.product_code = products.code AND pr.deleted = 0 {part:pr.product_code} "
    "AND (products.price_minor != pr.price_minor OR products.currency != pr.currency)"
)
# new and changed products, with their staged price or the one they had; a new one's main
# barcode is its smallest staged one (MAIN_BARCODES checks it once the barcodes are in)
NEW_PRODUCTS = (
    "INSERT INTO {products} (code, name, brand, category, price_minor, currency, vat_code, barcode, "
    "sold_by_weight, plain_spelling) SELECT sp.code, sp.name, sp.brand, sp.category, "
    "COALESCE(pr.price_minor, p.price_minor), COALESCE(pr.currency, p.currency), sp.vat_code, "
    "COALESCE(p.barcode, (SELECT min(sb.gtin) FROM staged_barcodes sb WHERE sb.product_code = sp.code "
    "AND sb.deleted = 0), ''), sp.sold_by_weight, sp.plain_spelling "
    "FROM staged_products sp LEFT JOIN staged_prices pr ON pr.product_code = sp.code AND pr.deleted = 0 "
    "LEFT JOIN {products} p ON p.code = sp.code WHERE " + APPLICABLE + " {part:sp.code} "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, brand = excluded.brand, category = excluded.category, "
    "price_minor = excluded.price_minor, currency = excluded.currency, vat_code = excluded.vat_code, "
    "sold_by_weight = excluded.sold_by_weight, plain_spelling = excluded.plain_spelling"
)
# A product's main barcode (``products.barcode``) is the one it had if it still has it, else
# the smallest of its barcodes, else '' (it has none): whatever order its barcodes came in.
#
# A staged barcode leaves the product that has it when it is deleted, or when it goes to
# another product that is in the catalog (NEW_BARCODES moves it only then); ``{owner}`` is
# the product it leaves.
LEAVES = ("({staged}.deleted = 1 OR ({staged}.product_code != {owner} AND EXISTS "
          "(SELECT 1 FROM {products} np WHERE np.code = {staged}.product_code)))")
# before DELETED_BARCODES and NEW_BARCODES: each product whose main barcode leaves it takes
# the smallest of the barcodes it will have (those it keeps and those staged for it), else ''.
# The products are found from the staged barcodes by the barcodes' key (gtin), not by
# scanning the products (CROSS JOIN keeps SQLite to that order).  ``barcodes`` here is the catalog's barcodes before the pull: in
# place nothing has changed them yet; when building, the live ones (not ``next_barcodes``,
# whose index by product is built only after NEW_BARCODES).
LOST_MAIN_BARCODES = (
    "UPDATE {products} AS products SET barcode = COALESCE((SELECT min(gtin) FROM ("
    "SELECT kept.gtin FROM barcodes kept WHERE kept.product_code = products.code AND NOT EXISTS "
    "(SELECT 1 FROM staged_barcodes s WHERE s.gtin = kept.gtin AND "
    + LEAVES.replace("{staged}", "s").replace("{owner}", "kept.product_code") + ") "
    "UNION ALL SELECT s.gtin FROM staged_barcodes s WHERE s.product_code = products.code AND s.deleted = 0)), '') "
    "WHERE code IN (SELECT b.product_code FROM staged_barcodes sb CROSS JOIN barcodes b CROSS JOIN {products} owner "
    "WHERE b.gtin = sb.gtin AND owner.code = b.product_code AND owner.barcode = sb.gtin AND "
    + LEAVES.replace("{staged}", "sb").replace("{owner}", "b.product_code") + " {part:sb.gtin})"
)
DELETED_BARCODES = ("DELETE FROM {barcodes} WHERE gtin IN "
                    "(SELECT gtin FROM staged_barcodes WHERE deleted = 1 {part:gtin})")
# new barcodes of known products
NEW_BARCODES = (
    "INSERT INTO {barcodes} (gtin, product_code) SELECT sb.gtin, sb.product_code FROM staged_barcodes sb "
    "WHERE sb.deleted = 0 AND EXISTS (SELECT 1 FROM {products} p WHERE p.code = sb.product_code) {part:sb.gtin} "
    "ON CONFLICT (gtin) DO UPDATE SET product_code = excluded.product_code"
)
# each product given barcodes keeps its main barcode if it still has it, else takes the
# smallest of its barcodes (one that lost its main barcode got it from LOST_MAIN_BARCODES)
MAIN_BARCODES = (
    "UPDATE {products} AS products SET barcode = COALESCE((SELECT min(b.gtin) FROM {barcodes} b "
    "WHERE b.product_code = products.code), '') "
    "WHERE code IN (SELECT product_code FROM staged_barcodes WHERE TRUE {part:product_code}) "
    "AND (barcode = '' OR NOT EXISTS "
    "(SELECT 1 FROM {barcodes} b WHERE b.gtin = products.barcode AND b.product_code = products.code))"
)
# VAT rates the hub removed, unless a product still uses them
REMOVED_VAT_RATES = ("DELETE FROM vat_rates WHERE code IN (SELECT code FROM staged_taxes WHERE deleted = 1) "
                     "AND NOT EXISTS (SELECT 1 FROM products p WHERE p.vat_code = vat_rates.code)")
# cashiers: a deleted one is kept, inactive (past sales name them)
CASHIERS = (
    "INSERT INTO cashiers (code, name, pin_hash, active, role) SELECT code, name, pin_hash, "
    "CASE WHEN active = 1 AND deleted = 0 THEN 1 ELSE 0 END, role FROM staged_cashiers WHERE true "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash, active = excluded.active, "
    "role = excluded.role"
)

# staged rows that were applied (or were deletions): what stays waits for data it needs
APPLIED_PRODUCTS = "sp.deleted = 1 OR (" + APPLICABLE + ")"
APPLIED_PRICES = "deleted = 1 OR product_code IN (SELECT code FROM {products})"
APPLIED_BARCODES = "deleted = 1 OR product_code IN (SELECT code FROM {products})"


def sql(template: str, *, products: str = "products", barcodes: str = "barcodes", ranged: bool = False) -> str:
    """``template`` for the given tables, over all staged rows or (``ranged``) one key range,
    whose two parameters are the range's ends (lower excluded, upper included)."""
    text = template.replace("{products}", products).replace("{barcodes}", barcodes)
    while "{part:" in text:
        start = text.index("{part:")
        end = text.index("}", start)
        key = text[start + len("{part:"):end]
        text = text[:start] + (f"AND {key} > ? AND {key} <= ?" if ranged else "") + text[end + 1:]
    return text
