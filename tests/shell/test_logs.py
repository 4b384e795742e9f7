"""The till's log: JSON lines that parse, 0600 files through every rotation, the folder IT
chose, one clear line on the terminal, and no secret, PIN or card number in any of it."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

import shell.logs
from stdnum import ean
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shell.logs import BACKUP_COUNT, LOG_FILE, log_files, luhn_valid, never_log, redact, setup_logging
from tests.sync.test_commands_and_credentials import kassa

POSIX = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
EXAMPLES = 400 if os.environ.get("KASSA_SOAK") else 60


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[Path]:
    """The till's logging set up in ``tmp_path/logs``; pytest's own handlers given back after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    folder = tmp_path / "logs"
    setup_logging(folder)
    yield folder
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def lines(folder: Path) -> list[dict]:
    found = []
    for path in log_files(folder):
        found += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return found


def with_luhn_digit(body: str) -> str:
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def test_every_line_is_json_with_utc_time_level_logger_thread_message_exception_and_extras(logged: Path) -> None:
    log = logging.getLogger("kassa.test")
    log.info("receipt %d printed", 12, extra={"receipt": 12, "printer": "network:10.0.0.5:9100", "held": [1, 2]})
    try:
        raise ValueError("the paper ran out")
    except ValueError:
        log.error("printing failed", exc_info=True)
    first, second = lines(logged)
    assert first["message"] == "receipt 12 printed" and first["level"] == "INFO" and first["logger"] == "kassa.test"
    assert first["thread"] == "MainThread" and (first["receipt"], first["held"]) == (12, [1, 2])
    assert datetime.fromisoformat(first["time"]).utcoffset().total_seconds() == 0
    assert second["level"] == "ERROR" and "ValueError: the paper ran out" in second["exception"]
    assert "Traceback" in second["exception"] and "exception" not in first


def test_secrets_pins_credentials_codes_and_card_numbers_never_reach_the_file(logged: Path) -> None:
    credential = "kt1.AbCdEfGhIjKlMnOpQr.s3cretS3cretS3cretS3cretS3cretS3cret"
    never_log("a-registered-secret-value")
    log = logging.getLogger("sync.test")
    card = with_luhn_digit("411111111111111")
    log.info("sending with Authorization: Bearer %s", credential)
    log.info("%s", {"Authorization": f"Bearer {credential}"})
    log.info("cashier 7 typed pin=4931, then PIN: 5820")
    log.warning("enrolment code KQ7M-4XPD-93HF refused; enrolment_code = \"ZZ22-YY33-XX44\"")
    log.info("card %s paid, also %s", card, " ".join(card[i:i + 4] for i in range(0, 16, 4)),
             extra={"card": int(card), "note": f"token={credential}"})
    log.info("the value a-registered-secret-value was used")
    try:
        raise RuntimeError(f"header refused: Bearer {credential}")
    except RuntimeError:
        log.exception("request could not be sent")
    text = "".join(p.read_text(encoding="utf-8") for p in log_files(logged))
    for secret in (credential, "s3cretS3cret", "4931", "5820", "KQ7M-4XPD-93HF", "ZZ22-YY33-XX44", card,
                   card[:4] + " " + card[4:8], "a-registered-secret-value"):
        assert secret not in text, secret
    assert text.count("<removed>") >= 8 and "<card number removed>" in text
    assert len(lines(logged)) == 7  # every record is still there, only masked


def test_product_barcodes_receipt_numbers_sale_ids_and_plain_sentences_are_kept(logged: Path) -> None:
    assert ean.is_valid("4820024700061") and luhn_valid("4820024700061")  # a barcode that also passes Luhn
    logging.getLogger("pos.test").info("scanned 4820024700061 and 40084015; receipt 123456 of sale "
                                       "3f2a1c3e-1234-5678-9abc-def012345678 at 2026-12-02T09:30:00+00:00")
    prose = "This till has no hub credential: nothing is stored; the hub refused the enrolment code: unknown"
    logging.getLogger("sync.test").warning(prose)
    first, second = lines(logged)
    assert first["message"] == ("scanned 4820024700061 and 40084015; receipt 123456 of sale "
                                "3f2a1c3e-1234-5678-9abc-def012345678 at 2026-12-02T09:30:00+00:00")
    assert second["message"] == prose


@settings(max_examples=EXAMPLES, deadline=None)
@given(prefix=st.text(max_size=30), suffix=st.text(max_size=30),
       body=st.text(alphabet="0123456789", min_size=12, max_size=18), separator=st.sampled_from(["", " ", "-"]))
def test_a_luhn_valid_card_number_anywhere_in_a_message_is_removed(prefix: str, suffix: str, body: str,
                                                                    separator: str) -> None:
    card = with_luhn_digit(body)
    assume(separator or len(card) > 14 or not ean.is_valid(card))  # a lone 13/14-digit GTIN is a barcode
    written = separator.join(card[i:i + 4] for i in range(0, len(card), 4))
    text = redact(f"{prefix} {written} {suffix}")
    assert written not in text and "removed>" in text


MARKERS = "<removed> <card number removed> kt1.<removed>"


@settings(max_examples=EXAMPLES, deadline=None)
@given(secret=st.text(min_size=4, max_size=60).filter(lambda s: s.strip() == s and s not in MARKERS and "<" not in s),
       around=st.lists(st.text(max_size=20), min_size=2, max_size=4))
def test_a_registered_secret_never_survives_redaction(secret: str, around: list[str]) -> None:
    registered = set(shell.logs._never)
    try:
        never_log(secret)
        assert secret not in redact(secret.join(around))
    finally:  # the registry is the process's: leave no random word in it for the next tests
        shell.logs._never.clear()
        shell.logs._never.update(registered)


@POSIX
def test_rotation_keeps_every_file_0600_and_at_most_five_old_files(logged: Path) -> None:
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    assert (handler.maxBytes, handler.backupCount) == (5_000_000, BACKUP_COUNT)
    handler.maxBytes = 2_000  # the same rotation, sooner
    log = logging.getLogger("kassa.test")
    for number in range(200):
        log.info("line %d of the day with cashier Олена", number)
    files = log_files(logged)
    assert [p.name for p in files] == [LOG_FILE] + [f"{LOG_FILE}.{n}" for n in range(1, BACKUP_COUNT + 1)]
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    assert stat.S_IMODE(logged.stat().st_mode) == 0o700
    newest = json.loads(files[0].read_text(encoding="utf-8").splitlines()[-1])  # kassa.log, its last line
    assert newest["message"] == "line 199 of the day with cashier Олена"


def test_the_terminal_gets_one_clear_line_without_the_traceback_or_a_secret(logged: Path) -> None:
    terminal = io.StringIO()
    console = logging.getLogger().handlers[1]
    assert isinstance(console, logging.StreamHandler)
    console.setStream(terminal)
    logging.getLogger("kassa").error("an error the file keeps, the terminal does not")
    try:
        raise OSError("the disk is full")
    except OSError:
        logging.getLogger("kassa").critical("cannot go on: pin=1357", exc_info=True)
    assert terminal.getvalue() == "kassa: cannot go on: pin=<removed>\n"
    assert "the disk is full" in lines(logged)[1]["exception"]


def test_kassa_logs_into_KASSA_LOG_DIR_when_it_is_set_and_beside_the_data_otherwise(tmp_path: Path) -> None:
    chosen = tmp_path / "var-log-kassa"
    missing = tmp_path / "missing.toml"
    kassa("check-config", "--config", str(missing), data_dir=tmp_path / "data", KASSA_LOG_DIR=str(chosen))
    assert (chosen / LOG_FILE).is_file() and not (tmp_path / "data" / LOG_FILE).exists()
    kassa("check-config", "--config", str(missing), data_dir=tmp_path / "data")
    assert (tmp_path / "data" / LOG_FILE).is_file()
    for line in (chosen / LOG_FILE).read_text(encoding="utf-8").splitlines():
        json.loads(line)


@settings(max_examples=EXAMPLES * 3, deadline=None)
@given(text=st.text(max_size=300) | st.lists(st.sampled_from(
    ["pin", "=", ":", " ", "-", "4111", "1111", "Bearer", "kt1.", "a", "\"", "'", "Authorization", "KQ7M", "7", "\n"]),
    max_size=40).map("".join))
def test_redaction_takes_any_text_and_a_second_pass_changes_nothing(text: str) -> None:
    once = redact(text)
    assert isinstance(once, str) and redact(once) == once


def test_a_log_folder_that_cannot_be_made_is_one_clear_line_naming_KASSA_LOG_DIR(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = kassa("check-config", "--config", str(tmp_path / "k.toml"), data_dir=tmp_path,
                   KASSA_LOG_DIR=str(blocker / "logs"))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"kassa: cannot write the log {blocker / 'logs' / LOG_FILE}:") and "KASSA_LOG_DIR" in line


def test_a_database_error_quoting_a_pin_hash_leaves_no_hash_in_the_log(logged: Path, tmp_path: Path) -> None:
    from sqlalchemy import exc as sa_exc

    from local_db.cashiers import PIN_HASHER
    from local_db.database import open_database
    from local_db.problems import explain

    pin_hash = PIN_HASHER.hash("4931")
    with open_database(tmp_path / "till.sqlite3") as db:
        with pytest.raises(sa_exc.SQLAlchemyError) as raised, db.writing() as conn:
            conn.exec_driver_sql("UPDATE cashiers SET pin_hash = ? WHERE codee = ?", (pin_hash, "7"))
    assert pin_hash in str(raised.value)  # SQLAlchemy quotes the parameters...
    explain(raised.value, path=tmp_path / "till.sqlite3", doing="updating a PIN")  # ...and logs them
    text = "".join(p.read_text(encoding="utf-8") for p in log_files(logged))
    assert "storage problem while updating a PIN" in text and "codee" in text
    assert pin_hash not in text and pin_hash.rpartition("$")[2] not in text
