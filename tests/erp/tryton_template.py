"""Build the tests' Tryton database once: ``python -m tests.erp.tryton_template FOLDER``.

The database ``template`` (``FOLDER/template.sqlite``) is made the documented way, with
``trytond-admin -d template --all --activate-dependencies -u sale_point kassa_pos``, then set up
by a proteus script as a small chain's books: the company (UAH), the chart of accounts, the fiscal
year with its periods, the VAT rates of the test shop (A 20 %, B 7 %, E 0 %), the test shop's
products with their barcodes and gross prices (tests.fakes.DEMO_PRODUCTS), one point of sale per
test store, the payment methods (Cash, Card, Points, Gift card) and two users: ``kassa`` (the
connector's: POS and POS Posting rights) and ``clerk`` (no rights on point-of-sale sales).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ADMIN_PASSWORD = "admin-Pa55word!"
CONNECTOR_LOGIN = "kassa"
CONNECTOR_PASSWORD = "kassa-Connector-7!"
CLERK_LOGIN = "clerk"
CLERK_PASSWORD = "clerk-NoRights-7!"
STORES = ("UA-KYIV-014", "UA-LVIV-002", "S001")
PAYMENT_METHODS = {"Cash": True, "Card": False, "Points": False, "Gift card": False}
TEMPLATE = "template"


def write_config(folder: Path, port: int = 0) -> Path:
    """trytond's configuration: SQLite databases in ``folder``, the web server on loopback."""
    config = folder / "trytond.conf"
    config.write_text(
        "[database]\nuri = sqlite://\npath = {}\n\n[web]\nlisten = 127.0.0.1:{}\n\n"
        "[session]\nmax_attempt = 100\n".format(folder, port)
    )
    return config


def build(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    config = write_config(folder)
    passfile = folder / "admin-password"
    passfile.write_text(ADMIN_PASSWORD)
    admin = Path(sys.executable).with_name("trytond-admin")
    env = dict(os.environ, TRYTONPASSFILE=str(passfile))
    (folder / f"{TEMPLATE}.sqlite").touch()  # trytond's SQLite backend opens, never creates, the file
    subprocess.run(
        [str(admin), "-c", str(config), "-d", TEMPLATE, "--all", "--activate-dependencies",
         "-u", "sale_point", "kassa_pos", "--email", "admin@kassa.test"],
        check=True, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
    )
    if os.environ.get("KASSA_TRYTON_KEEP_BARE"):  # debugging the set-up: keep the bare database
        shutil.copy(folder / f"{TEMPLATE}.sqlite", folder / "bare.sqlite")
    set_up_books(config)


def set_up_books(config_file: Path) -> None:
    from proteus import Model, config
    from trytond.modules.account.tests.tools import create_chart, create_fiscalyear, create_tax, get_accounts
    from trytond.modules.account_invoice.tests.tools import set_fiscalyear_invoice_sequences
    from trytond.modules.company.tests.tools import create_company, get_company

    from tests.fakes import DEMO_PRODUCTS

    config.set_trytond(database=TEMPLATE, config_file=str(config_file))
    create_company(currency="UAH")
    company = get_company()
    create_chart(company)
    fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear(company))
    fiscalyear.click("create_period")
    accounts = get_accounts(company)

    Category = Model.get("product.category")
    categories = {}
    for code, rate in (("A", "0.20"), ("B", "0.07"), ("E", "0")):
        tax = create_tax(Decimal(rate), company)
        tax.name = tax.description = f"VAT {code} {Decimal(rate) * 100:.0f}%"
        tax.save()
        category = Category(name=f"VAT {code}", accounting=True)
        category.account_revenue = accounts["revenue"]
        category.customer_taxes.append(tax)
        category.save()
        categories[code] = category

    Uom = Model.get("product.uom")
    unit, = Uom.find([("name", "=", "Unit")])
    kilogram, = Uom.find([("name", "=", "Kilogram")])
    kilogram.rounding, kilogram.digits = Decimal("0.001"), 3  # scales weigh to the gram (Tryton: 0.01 kg)
    kilogram.save()
    Template = Model.get("product.template")
    for product in DEMO_PRODUCTS:
        template = Template(name=product.name, type="goods", salable=True, code=product.code)
        template.default_uom = kilogram if product.sold_by_weight else unit
        template.account_category = categories[product.vat.code]
        template.gross_price = product.price.amount
        template.save()
        variant, = template.products  # its code: the template's (a prefix) and no suffix
        if product.barcode:
            identifier = variant.identifiers.new()
            identifier.type = "ean"
            identifier.code = product.barcode
        variant.save()

    Journal = Model.get("account.journal")
    Location = Model.get("stock.location")
    POS = Model.get("sale.point")
    SequenceStrict = Model.get("ir.sequence.strict")
    SequenceType = Model.get("ir.sequence.type")
    revenue, = Journal.find([("type", "=", "revenue")], limit=1)
    storage, = Location.find([("code", "=", "STO")])
    customer, = Location.find([("code", "=", "CUS")])
    sequence_type, = SequenceType.find([("name", "=", "POS")], limit=1)
    for store in STORES:
        point = POS(name=store, journal=revenue, storage_location=storage, customer_location=customer,
                    return_location=storage, tax_included=True)
        point.sequence = SequenceStrict(name=store, sequence_type=sequence_type, company=company)
        point.sequence.save()
        point.save()

    Method = Model.get("sale.point.payment.method")
    Account = Model.get("account.account")
    for name, cash in PAYMENT_METHODS.items():
        account = accounts["cash"] if cash else Account(accounts["cash"].duplicate(default={"name": name})[0].id)
        Method(name=name, account=account, cash=cash).save()

    User = Model.get("res.user")
    Group = Model.get("res.group")
    pos_groups = Group.find([("name", "in", ["POS", "POS Posting"])])
    connector = User(login=CONNECTOR_LOGIN, name="Kassa hub", password=CONNECTOR_PASSWORD)
    connector.groups.extend(pos_groups)
    Company = Model.get("company.company")
    connector.companies.append(Company(company.id))
    connector.company = Company(company.id)
    connector.save()
    clerk = User(login=CLERK_LOGIN, name="Clerk", password=CLERK_PASSWORD)
    clerk.companies.append(Company(company.id))
    clerk.company = Company(company.id)
    clerk.save()


if __name__ == "__main__":
    build(Path(sys.argv[1]))
