"""kassa-hub export: the pages a new till pulls, in one file (format 1), on SQLite and
PostgreSQL.  The file's pages are the API's own pages from the start, its last line the
SHA-256 of the rest; cashiers only for the store asked for; refusals in one line."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from central import catalog_export
from central.cli import main
from central.stores import add_cashier, add_store
from tests.central.shop import STORE_ID, Shop

HUB = "https://hub.example.com"


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def export(capsys: pytest.CaptureFixture[str], database_url: str, path: Path, *extra: str) -> tuple[int, str, str]:
    status = main(["export", str(path), "--database", database_url, *extra])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_file_holds_the_apis_own_pages_from_the_start_and_ends_with_its_checksum(
        shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    add_cashier(shop.db, STORE_ID, "7", "Olha", "4321")
    add_store(shop.db, "OTHER", "Other store")
    add_cashier(shop.db, "OTHER", "8", "Not ours", "5555")
    till = shop.enrol("T01")
    monkeypatch.setattr(catalog_export, "PAGE_ITEMS", 2)  # several pages of each dataset
    path = tmp_path / "usb" / "catalog.kassa"
    path.parent.mkdir()

    status, out, _ = export(capsys, database_url, path, "--store", STORE_ID, "--hub-url", HUB + "/")

    assert status == 0 and f"wrote {path}: 3 taxes, 4 products, 4 prices, 3 barcodes, 1 cashiers" in out
    assert "PIN hashes" in out  # the file is to be kept like a key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_bytes()
    body, last = raw[:raw.rstrip(b"\n").rfind(b"\n") + 1], raw[raw.rstrip(b"\n").rfind(b"\n") + 1:]
    assert last == b'{"sha256":"' + hashlib.sha256(body).hexdigest().encode() + b'"}\n'
    header, *pages, _ = lines_of(path)
    assert (header["format"], header["format_version"], header["hub_url"], header["store_id"]) == (
        "kassa.catalog-export", 2, HUB, STORE_ID)
    assert header["store_name"] == "Kyiv, Khreshchatyk 14"
    assert list(header["datasets"]) == ["taxes", "products", "prices", "barcodes", "cashiers", "policies"]
    for dataset, summary in header["datasets"].items():
        mine = [page for page in pages if page["dataset"] == dataset]
        assert mine == [shop.pull(till, dataset, after, 2) for after in ["0", *(p["cursor"] for p in mine[:-1])]]
        assert mine[-1]["more"] is False and all(p["more"] for p in mine[:-1])
        assert (summary["items"], summary["pages"], summary["cursor"]) == (
            sum(len(p["items"]) for p in mine), len(mine), mine[-1]["cursor"])
        assert {p["snapshot"] for p in mine} == {header["snapshot"]}
    assert [c["code"] for p in pages if p["dataset"] == "cashiers" for c in p["items"]] == ["7"]
    assert not path.with_name(".catalog.kassa.partial").exists()


def test_without_a_store_the_file_has_the_chains_catalog_and_no_cashiers(
        shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    add_cashier(shop.db, STORE_ID, "7", "Olha", "4321")
    monkeypatch.setenv("KASSA_HUB_URL", HUB)
    status, out, _ = export(capsys, database_url, tmp_path / "chain.kassa")
    header = lines_of(tmp_path / "chain.kassa")[0]
    assert status == 0 and "PIN hashes" not in out
    assert header["store_id"] is None and list(header["datasets"]) == ["taxes", "products", "prices", "barcodes"]


@pytest.mark.parametrize(("args", "message"), [
    ((), "pass --hub-url (or set $KASSA_HUB_URL)"),
    (("--hub-url", "hub.example.com"), "must be the address the tills use"),
    (("--hub-url", HUB, "--store", "NOWHERE"), "unknown store 'NOWHERE'"),
    (("--hub-url", HUB, "--store", "no/such"), "must be 1-64 letters"),
])
def test_a_bad_export_is_one_line_and_writes_nothing(shop: Shop, database_url: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      args: tuple[str, ...], message: str) -> None:
    monkeypatch.delenv("KASSA_HUB_URL", raising=False)
    status, out, err = export(capsys, database_url, tmp_path / "x.kassa", *args)
    assert status == 1 and out == "" and message in err and len(err.splitlines()) == 1
    assert list(tmp_path.glob("*.kassa*")) == [] and list(tmp_path.glob(".x.kassa*")) == []


def test_an_export_into_a_missing_folder_says_so(shop: Shop, database_url: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = export(capsys, database_url, tmp_path / "no-stick" / "x.kassa", "--hub-url", HUB)
    assert status == 1 and "the folder" in err and "does not exist" in err
