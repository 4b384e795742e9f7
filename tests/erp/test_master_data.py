"""Master data from a real Tryton (trytond on loopback: the ERP tests' shared database) into a real
hub process, and on to a till through its ordinary pull: a product made in Tryton sells at the till
(and the sale goes back to Tryton through the hub's delivery), stops selling once deactivated there,
and bad records are skipped and named."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from central.catalog_files import rows_from_products
from central.catalog_import import import_catalog
from central.customer_tables import customers
from central.database import HubDatabase, open_hub_database
from central.erp import delivery
from central.erp.master_data import PullReport
from central.erp.master_tryton import OVERLAP
from central.erp.pull_cli import run_pull
from central.errors import AdminProblem
from central.tables import barcodes, prices, products
from local_db.catalog import SqlCatalog
from pos.barcode import with_check_digit
from pos.errors import PosError
from pos.money import Money
from pos.tender import CashPolicy
from pos.till import Till, TillSettings
from tests.erp import tryton_template as setup
from tests.erp.hub_side import TrytonReader, connector
from tests.erp.tryton_server import TrytonDatabase
from tests.fakes import DEMO_PRODUCTS, STORE, MemoryCashiers, StepClock
from tests.local_db.conftest import sell
from tests.sync.conftest import Hub, connect, hub, journal, till_db  # noqa: F401  (fixtures)

proteus = pytest.importorskip("proteus")


class Books:
    """Tryton as its administrator, through proteus: what head office does in the ERP."""

    def __init__(self, server: TrytonDatabase) -> None:
        from proteus import Model, config

        self.context = config.set_xmlrpc_session(server.rpc_url, "admin", setup.ADMIN_PASSWORD)
        self.context.__enter__()
        self.Model = Model
        unit, = Model.get("product.uom").find([("name", "=", "Unit")])
        self.unit = unit
        self.vat = {c.name: c for c in Model.get("product.category").find([("accounting", "=", True)])}

    def close(self) -> None:
        self.context.__exit__(None, None, None)

    def product(self, code: str, name: str, gross: str, *, vat: str = "VAT A", barcodes: tuple[tuple[Any, str], ...] = (),
                category: str = "", brand: str = "") -> Any:
        Template, Category = self.Model.get("product.template"), self.Model.get("product.category")
        template = Template(name=name, type="goods", salable=True, default_uom=self.unit)
        template.account_category = self.vat[vat]
        template.gross_price = Decimal(gross)
        if category:
            found = Category.find([("name", "=", category)]) or [Category(name=category)]
            found[0].save()
            template.categories.append(Category(found[0].id))
        template.save()
        variant, = template.products
        variant.suffix_code = code
        for kind, text in barcodes + ((("brand", brand),) if brand else ()):
            identifier = variant.identifiers.new()
            identifier.type = kind
            identifier.code = text
        variant.save()
        return variant

    def tax_category(self, name: str, rate: str) -> None:
        from trytond.modules.account.tests.tools import create_tax, get_accounts
        from trytond.modules.company.tests.tools import get_company

        company = get_company()
        tax = create_tax(Decimal(rate), company)
        tax.name = name
        tax.save()
        category = self.Model.get("product.category")(name=name, accounting=True)
        category.account_revenue = get_accounts(company)["revenue"]
        category.customer_taxes.append(tax)
        category.save()
        self.vat[name] = category


@pytest.fixture(scope="module")
def books(tryton: TrytonDatabase) -> Iterator[Books]:
    books = Books(tryton)
    yield books
    books.close()


@dataclass
class HubDatabaseOnly:
    """The hub's database with the test shop's catalog (VAT A 20 %, B 7 %, E 0 %), no process: for
    the tests that do not need a till."""

    db: HubDatabase


@pytest.fixture
def hub_only(tmp_path: Path) -> Iterator[HubDatabaseOnly]:
    db = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite3'}", migrate_schema=True)
    import_catalog(db, rows_from_products(DEMO_PRODUCTS))
    yield HubDatabaseOnly(db)
    db.close()


def _environment(server: TrytonDatabase, password: str = setup.CONNECTOR_PASSWORD) -> dict[str, str]:
    return {"KASSA_ERP_URL": server.url, "KASSA_ERP_DATABASE": server.name,
            "KASSA_ERP_USER": server.login, "KASSA_ERP_PASSWORD": password}


ARGS = SimpleNamespace(full=False, vat=[], region="UA", customer_category="Customers")


def _pull(hub: Hub | HubDatabaseOnly, server: TrytonDatabase, *, overlap: timedelta = OVERLAP) -> PullReport:  # noqa: F811
    return run_pull(hub.db, ARGS, _environment(server), overlap=overlap)  # type: ignore[arg-type]


def _row(hub: Hub | HubDatabaseOnly, table: Any, key: Any, value: str) -> Any:  # noqa: F811
    with hub.db.reading() as conn:
        return conn.execute(select(table).where(key == value)).one_or_none()


def test_a_product_made_in_tryton_sells_at_a_till_goes_back_as_a_posted_sale_and_one_deactivated_stops_selling(
        hub: Hub, till_db: Any, journal: Any, tryton: TrytonDatabase, books: Books) -> None:  # noqa: F811
    gtin, other = with_check_digit("482099900001"), with_check_digit("482099900011")
    books.product("ERP-COFFEE-1", "Кава Lavazza 1 кг", "499.90", barcodes=(("ean", gtin),), category="Кава",
                  brand="Lavazza")
    variant = books.product("ERP-COCOA-1", "Какао 250 г", "119.00", barcodes=(("ean", other),))

    report = _pull(hub, tryton)

    stored = _row(hub, products, products.c.code, "ERP-COFFEE-1")
    assert (stored.name, stored.brand, stored.category, stored.vat_code, stored.deleted) == (
        "Кава Lavazza 1 кг", "Lavazza", "Кава", "A", False)
    assert _row(hub, prices, prices.c.product_code, "ERP-COFFEE-1").price_minor == 49990
    assert report.products >= 1 and not [s for s in report.skipped if "ERP-COFFEE-1" in s]
    sync = connect(hub.url, till_db, hub)
    sync.pull()
    catalog = SqlCatalog(till_db)
    till = Till(TillSettings(STORE, CashPolicy()), catalog=catalog, journal=journal, baskets=journal,
                cashiers=MemoryCashiers(), clock=StepClock())
    till.start()
    sale = sell(till, gtin)
    assert [(line.product_code, line.unit_price) for line in sale.lines] == [
        ("ERP-COFFEE-1", Money.of("499.90", "UAH"))]
    sync.push()  # and the sale goes back to Tryton through the hub's delivery
    erp = connector(tryton)
    try:
        assert delivery.deliver_due(hub.db, erp).delivered == 1
    finally:
        erp.close()
    reader = TrytonReader(tryton)
    try:
        (found,) = reader.sales(str(sale.sale_id))
        assert found["state"] == "posted"
        assert [(line["product."]["code"], line["unit_gross_price"]) for line in reader.lines(found["id"])] == [
            ("ERP-COFFEE-1", Decimal("499.90"))]
    finally:
        reader.close()

    assert catalog.by_barcode(other) is not None  # sells too, until it is deactivated (one never sold:
    variant.template.active = False  # Tryton asks to clear a sold product's stock first)
    variant.template.save()
    report = _pull(hub, tryton)
    sync.pull()

    assert report.stopped >= 1 and _row(hub, products, products.c.code, "ERP-COCOA-1").deleted
    assert _row(hub, barcodes, barcodes.c.gtin, other).deleted
    assert catalog.by_barcode(other) is None and catalog.by_code("ERP-COCOA-1") is None
    with pytest.raises(PosError):
        till.scan(other)
    assert catalog.by_barcode(gtin) is not None


def test_bad_records_in_tryton_are_skipped_and_named_and_the_rest_is_pulled(
        hub_only: HubDatabaseOnly, tryton: TrytonDatabase, books: Books, caplog: pytest.LogCaptureFixture) -> None:  # noqa: F811
    good = with_check_digit("482099900002")
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
    books.tax_category("VAT 13%", "0.13")
    books.product("ERP-TEA-2", "Чай зелений", "65.00", barcodes=((None, wrong),))
    books.product("ERP-WINE-3", "Вино біле", "310.00", vat="VAT 13%")
    books.product("ERP-SALT-4", "Сіль", "12.40", barcodes=(("ean", good),))
    orphan = books.product("ERP-GONE-5", "Цукор без варіанту", "41.00")
    template = orphan.template
    books.Model.get("product.product").delete([orphan])

    report = _pull(hub_only, tryton)

    text = str(report)
    assert f"barcode {wrong!r} skipped" in text and "ERP-TEA-2" in text
    assert "ERP-WINE-3" in text and "VAT 13%" in text and "not known to the hub" in text
    assert f"product.template {template.id}" in text and "Цукор без варіанту" in text
    assert _row(hub_only, products, products.c.code, "ERP-WINE-3") is None
    assert _row(hub_only, prices, prices.c.product_code, "ERP-TEA-2").price_minor == 6500  # sells, by its code
    assert _row(hub_only, barcodes, barcodes.c.gtin, wrong) is None
    assert _row(hub_only, barcodes, barcodes.c.gtin, good).product_code == "ERP-SALT-4"
    assert "ERP-WINE-3" in caplog.text  # logged too


def test_the_next_pull_reads_only_what_changed_in_tryton_since_the_last(
        hub_only: HubDatabaseOnly, tryton: TrytonDatabase, books: Books) -> None:  # noqa: F811
    variant = books.product("ERP-OIL-6", "Олія 1 л", "89.00")
    first = _pull(hub_only, tryton, overlap=timedelta(0))  # exactly what came after the last record seen
    variant.template.gross_price = Decimal("92.50")
    variant.template.save()

    second = _pull(hub_only, tryton, overlap=timedelta(0))

    assert first.products_read > 1
    assert second.products_read == 1 and second.prices == 1 and second.products == 0
    assert _row(hub_only, prices, prices.c.product_code, "ERP-OIL-6").price_minor == 9250


def test_customers_come_from_the_tryton_party_category_and_one_without_a_phone_is_named(
        hub_only: HubDatabaseOnly, tryton: TrytonDatabase, books: Books) -> None:  # noqa: F811
    Party, PartyCategory = books.Model.get("party.party"), books.Model.get("party.category")
    category = PartyCategory(name="Customers")
    category.save()
    with_phone = Party(name="Олена Коваль")
    with_phone.categories.append(PartyCategory(category.id))
    mechanism = with_phone.contact_mechanisms.new()
    mechanism.type, mechanism.value = "mobile", "+380 67 123 45 67"
    with_phone.save()
    without = Party(name="Петро Без Телефону")
    without.categories.append(PartyCategory(category.id))
    without.save()
    Party(name="A supplier, not a customer").save()

    report = _pull(hub_only, tryton)

    with hub_only.db.reading() as conn:
        found = conn.execute(select(customers.c.phone, customers.c.name)).all()
    assert [tuple(row) for row in found] == [("+380671234567", "Олена Коваль")]
    assert report.customers_added == 1
    says = f"customer 'Петро Без Телефону' (party.party {without.id}) skipped: has no phone number"
    assert says in report.skipped


def test_a_wrong_password_or_a_tryton_that_is_down_is_said_without_the_password(
        hub_only: HubDatabaseOnly, tryton: TrytonDatabase) -> None:  # noqa: F811
    with pytest.raises(AdminProblem) as wrong:
        run_pull(hub_only.db, ARGS, _environment(tryton, "not-the-Password-9"))  # type: ignore[arg-type]
    down = dict(_environment(tryton), KASSA_ERP_URL="http://127.0.0.1:9/")
    with pytest.raises(AdminProblem) as unreachable:
        run_pull(hub_only.db, ARGS, down)  # type: ignore[arg-type]

    assert "wrong password" in wrong.value.detail and "not-the-Password-9" not in wrong.value.detail
    assert "cannot be reached" in unreachable.value.detail
    assert setup.CONNECTOR_PASSWORD not in unreachable.value.detail


def test_kassa_hub_erp_pull_prints_what_changed_and_the_records_skipped(
        hub_only: HubDatabaseOnly, tryton: TrytonDatabase, books: Books, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
        capsys: pytest.CaptureFixture[str]) -> None:
    from central.cli import main

    books.product("ERP-CLI-7", "Хліб житній", "31.20", barcodes=((None, "4820999000099"),))
    for name, value in _environment(tryton).items():
        monkeypatch.setenv(name, value)

    code = main(["erp", "pull", "--database", hub_only.db.engine.url.render_as_string(hide_password=False)])

    out = capsys.readouterr().out
    assert code == 0 and "products read; changed:" in out
    assert "product ERP-CLI-7 'Хліб житній'" in out and "barcode '4820999000099' skipped" in out
    assert setup.CONNECTOR_PASSWORD not in out


def test_a_product_no_longer_salable_or_deleted_in_tryton_stops_selling_at_the_hub(
        hub_only: HubDatabaseOnly, tryton: TrytonDatabase, books: Books) -> None:  # noqa: F811
    variant = books.product("ERP-JAM-8", "Джем вишневий", "74.00")
    deleted = books.product("ERP-HONEY-9", "Мед липовий", "210.00")
    _pull(hub_only, tryton)
    assert not _row(hub_only, products, products.c.code, "ERP-JAM-8").deleted
    assert not _row(hub_only, products, products.c.code, "ERP-HONEY-9").deleted
    variant.template.salable = False
    variant.template.save()
    books.Model.get("product.template").delete([deleted.template])

    report = _pull(hub_only, tryton)

    assert report.stopped == 2
    for code in ("ERP-JAM-8", "ERP-HONEY-9"):
        assert _row(hub_only, products, products.c.code, code).deleted
        assert _row(hub_only, prices, prices.c.product_code, code).deleted
