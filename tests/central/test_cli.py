"""kassa-hub, the admin command: one line for bad input, the sales and gaps reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.cli import main
from tests.central.shop import STORE_ID, Shop, make_sales


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_gaps_lists_missing_seqs(shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    till, other = shop.enrol("T01"), shop.enrol("T02")
    made = make_sales(10, till)
    shop.push(till, *[s for s in made if s.receipt_number not in (3, 6, 7)])
    shop.push(other, *make_sales(2, other))

    status, out, _ = run(capsys, "gaps", "--database", database_url)

    assert status == 0
    assert out.splitlines() == [f"{STORE_ID}/T01: highest seq 10, missing: 3, 6-7",
                                f"{STORE_ID}/T02: highest seq 2, missing: none"]


def test_gaps_counts_from_seq_one(shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    till = shop.enrol("T01")
    shop.push(till, *make_sales(2, till, first_seq=4))
    assert run(capsys, "gaps", "--database", database_url)[1].strip().endswith("missing: 1-3")


def test_sales_lists_a_tills_sales_in_seq_order(shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    till = shop.enrol("T01")
    made = make_sales(3, till)
    shop.push(till, made[2], made[0], made[1])

    status, out, _ = run(capsys, "sales", "--database", database_url, "--store", STORE_ID, "--till", "T01")

    lines = out.splitlines()
    assert status == 0 and lines[-1] == "3 sale(s)"
    assert [line.split()[3] for line in lines[1:-1]] == ["1", "2", "3"]
    assert str(made[0].sale_id) in lines[1] and "89.90 UAH" in lines[1]


def test_an_enrolment_code_from_the_command_line_enrols_a_till(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "enrol-code", "--database", database_url, "--store", STORE_ID, "--till", "T05")
    code = out.strip()
    assert status == 0 and len(code) == 14
    assert shop.http.post("/v1/enrolments", json={"code": code, "device": "pc"}).json()["till_id"] == "T05"


@pytest.mark.parametrize(("args", "message"), [
    (("enrol-code", "--store", "NOWHERE", "--till", "T01"), "unknown store 'NOWHERE'"),
    (("revoke", "--store", STORE_ID, "--till", "T99"), "unknown till 'T99'"),
    (("sales", "--store", "NOWHERE"), "unknown store 'NOWHERE'"),
    (("add-cashier", "--store", STORE_ID, "--code", "1", "--name", "Olena", "--pin", "12"), "a PIN is 4 to 12 digits"),
    (("import-catalog", "missing.csv"), "missing.csv: no such file"),
])
def test_the_admin_commands_explain_bad_input_in_one_line(
        shop: Shop, database_url: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str) -> None:
    status, out, err = run(capsys, args[0], "--database", database_url, *args[1:])
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and message in err


def test_a_bad_catalog_row_is_named_by_its_line(hub_db: object, database_url: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "catalog.csv"
    path.write_text("code,name,brand,category,price,currency,vat_code,vat_percent,sold_by_weight,barcodes\n"
                    "1001,Soap,,,9.99,UAH,A,20,no,\n1002,Soap 2,,,9.999,UAH,A,20,no,\n", encoding="utf-8")
    status, _, err = run(capsys, "import-catalog", "--database", database_url, str(path))
    assert status == 1 and "catalog.csv: line 3: price 9.999" in err


def test_an_unreachable_database_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "gaps", "--database", "postgresql+psycopg://kassa:secret@127.0.0.1:1/nowhere")
    assert status == 1 and err.count("\n") == 1
    assert "cannot use the database" in err and "secret" not in err


def test_the_database_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KASSA_HUB_DATABASE", f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    assert run(capsys, "add-store", "--store", "S1", "--name", "One") == (0, "added store S1\n", "")
    monkeypatch.delenv("KASSA_HUB_DATABASE")
    status, _, err = run(capsys, "gaps")
    assert status == 2 and "KASSA_HUB_DATABASE" in err
