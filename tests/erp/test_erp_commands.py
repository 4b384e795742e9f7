"""``kassa-hub erp connect|deliver|status`` against a real Tryton; the password only from a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from central.cli import main
from tests.erp.hub_side import hub_with_shop, push_sales
from tests.erp.tryton_server import TrytonDatabase


def test_it_connects_with_the_password_from_a_file_delivers_and_reports(
        tmp_path: Path, tryton: TrytonDatabase, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    hub_url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    secret = tmp_path / "tryton-password"
    secret.write_text(tryton.password + "\n")
    for name in ("KASSA_ERP_URL", "KASSA_ERP_DATABASE", "KASSA_ERP_USER", "KASSA_ERP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with hub_with_shop(hub_url) as (_, shop):
        push_sales(shop, 2)
    assert main(["erp", "deliver", "--database", hub_url]) == 1
    assert "not connected to Tryton" in capsys.readouterr().err

    monkeypatch.setenv("KASSA_ERP_PASSWORD_FILE", str(secret))
    assert main(["erp", "connect", "--database", hub_url, "--url", tryton.url, "--erp-database", tryton.name,
                 "--user", tryton.login]) == 0
    connected = capsys.readouterr().out
    assert "points of sale: " in connected and "UA-KYIV-014" in connected and "Gift card" in connected
    assert main(["erp", "deliver", "--database", hub_url]) == 0
    assert "2 delivered" in capsys.readouterr().out
    assert main(["erp", "status", "--database", hub_url]) == 0
    status = capsys.readouterr().out
    assert f"database {tryton.name!r}" in status and "queued 0, delivered 2, failed 0" in status
    assert tryton.password not in connected + status

    secret.write_text("not-the-password")
    assert main(["erp", "connect", "--database", hub_url]) == 1
    assert "refused user 'kassa'" in capsys.readouterr().err
