"""``kassa sync``, ``kassa status`` and ``kassa enrol`` against a "hub" whose every answer
claims ``Content-Encoding: gzip`` but is not gzip (httpx.DecodingError used to reach the
terminal as a traceback): one clear line, no traceback, and the sale stays queued."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from local_db.database import open_database
from local_db.journal import SqlJournal
from local_db.outbox import SqlOutbox
from sync.credentials import FileStore, account_name
from tests.fakes import SHAMPOO, STORE
from tests.local_db.conftest import make_sql_till, sell
from tests.sync.scripted_hub import ScriptedHub, http_answer, scripted_hub
from tests.sync.test_commands_and_credentials import kassa, settings_file

NOT_GZIP = http_answer(200, [(b"Content-Type", b"application/json"), (b"Content-Encoding", b"gzip")],
                       b'{"hub_time": "this is not gzip"}')
CREDENTIAL = "kt1.AAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"


@pytest.fixture
def gzip_liar() -> Iterator[ScriptedHub]:
    with scripted_hub() as hub:
        hub.answer = NOT_GZIP
        yield hub


def enrolled_till(folder: Path, hub_url: str) -> Path:
    config = settings_file(folder, hub_url)
    FileStore(folder).save(account_name(STORE.store_id, STORE.till_id), CREDENTIAL)
    db = open_database(folder / "till.sqlite3")
    sell(make_sql_till(SqlJournal(db, STORE.till_id)), SHAMPOO.barcode)
    db.close()
    return config


def test_kassa_sync_against_a_hub_sending_gzip_that_is_not_says_so_in_one_line(gzip_liar: ScriptedHub,
                                                                               tmp_path: Path) -> None:
    config = enrolled_till(tmp_path, gzip_liar.url)

    synced = kassa("sync", "--config", str(config), data_dir=tmp_path)

    assert synced.returncode != 0
    assert "Traceback" not in synced.stdout + synced.stderr and synced.stderr == ""
    [line] = synced.stdout.splitlines()
    assert "sent an answer the till cannot use" in line and "cannot be decoded" in line and "DecodingError" in line
    assert gzip_liar.requests > 0
    db = open_database(tmp_path / "till.sqlite3")
    try:  # the hub never said it had the sale, and it was not the sale's fault: it waits
        assert (SqlOutbox(db).unsent_count(), SqlOutbox(db).quarantined_count()) == (1, 0)
    finally:
        db.close()


def test_kassa_status_and_kassa_enrol_against_that_hub_say_so_in_one_line(gzip_liar: ScriptedHub,
                                                                         tmp_path: Path) -> None:
    config = enrolled_till(tmp_path, gzip_liar.url)

    shown = kassa("status", "--config", str(config), data_dir=tmp_path)
    assert shown.returncode == 0 and shown.stderr == ""
    assert "cannot be decoded" in shown.stdout and "waiting to send: 1" in shown.stdout
    assert "Traceback" not in shown.stdout

    enrolled = kassa("enrol", "--hub", gzip_liar.url, "--code", "CODE", "--config", str(config), data_dir=tmp_path)
    assert enrolled.returncode == 2 and enrolled.stdout == ""
    [line] = enrolled.stderr.splitlines()
    assert line.startswith("kassa: ") and "cannot be decoded" in line


@pytest.mark.parametrize("hub_url", ["http://[::1", "ftp://hub.example", "hub.example:8080"])
def test_kassa_enrol_with_a_hub_address_that_cannot_work_says_so_in_one_line(tmp_path: Path, hub_url: str) -> None:
    config = settings_file(tmp_path, "https://hub.example")

    enrolled = kassa("enrol", "--hub", hub_url, "--code", "CODE", "--config", str(config), data_dir=tmp_path)

    assert enrolled.returncode == 2 and "Traceback" not in enrolled.stderr
    [line] = enrolled.stderr.splitlines()
    assert "its address cannot be used" in line and "hub_url" in line


def test_a_bug_in_a_sync_command_is_one_line_with_the_traceback_in_the_log(tmp_path: Path, monkeypatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    import shell.sync_commands
    from shell.cli import main

    def broken(settings: object) -> int:
        raise RuntimeError("a bug nobody foresaw")

    config = settings_file(tmp_path, "https://hub.example")
    monkeypatch.setenv("KASSA_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(shell.sync_commands, "sync_now", broken)

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        assert main(["sync", "--config", str(config)]) == 3
    finally:  # main set up the till's logging: give pytest its own back
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
        root.handlers[:], root.level = handlers, level

    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("kassa: sync failed unexpectedly (RuntimeError: a bug nobody foresaw)")
    assert "Traceback" in (tmp_path / "kassa.log").read_text(encoding="utf-8")


def test_kassa_status_lists_the_quarantined_sales_with_the_hubs_answers(gzip_liar: ScriptedHub, tmp_path: Path) -> None:
    config = enrolled_till(tmp_path, gzip_liar.url)
    db = open_database(tmp_path / "till.sqlite3")
    till = make_sql_till(SqlJournal(db, STORE.till_id))
    for _ in range(6):
        sell(till, SHAMPOO.barcode)
    outbox = SqlOutbox(db)
    outbox.quarantine(1, "internal: HTTP 500 the hub failed;\nthe request was not applied (failed alone 3 times)")
    for seq in range(2, 8):
        outbox.quarantine(seq, "unknown_product: product 1009 is not in the catalog " + "x" * 300)
    db.close()

    shown = kassa("status", "--config", str(config), data_dir=tmp_path)

    assert shown.returncode == 0 and shown.stderr == ""
    lines = shown.stdout.splitlines()
    start = lines.index("quarantined: 7")
    assert lines[start + 1] == ("  receipt 1: internal: HTTP 500 the hub failed; the request was not applied "
                                "(failed alone 3 times)")
    assert lines[start + 2].startswith("  receipt 2: unknown_product: product 1009") and lines[start + 2].endswith("...")
    assert lines[start + 6] == "  ... and 2 more (Ctrl+Q at the till lists them all)"
