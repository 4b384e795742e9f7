"""kassa self-test itself (from the source tree, in this process): what it refuses, that
whatever the enrolment code, a failed check is one line and never an exception, and that
--keep leaves the folder it ran in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shell.cli import main
from shell.self_test import run_self_test
from tests.installer.conftest import LoopbackHub


def test_a_hub_without_a_code_or_a_bad_hub_address_is_refused_before_any_check(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["self-test", "--hub", "http://127.0.0.1:9"]) == 2
    assert "--hub and --enrolment-code together" in capsys.readouterr().err
    assert main(["self-test", "--hub", "hub.example.com", "--enrolment-code", "X"]) == 2
    assert 'a web address, e.g. "https://hub.example.com"' in capsys.readouterr().err


def test_keep_runs_in_the_folder_given_leaves_it_and_refuses_one_with_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = tmp_path / "kept"
    assert main(["self-test", "--json", "--keep", str(kept)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["folder"] == str(kept) and report["passed"] is True
    assert (kept / "till.sqlite3").is_file() and (kept / "receipt.bin").read_bytes().startswith(b"\x1b@")
    assert main(["self-test", "--keep", str(kept)]) == 2
    assert "is not empty" in capsys.readouterr().err


def test_a_hub_that_cannot_be_reached_fails_the_enrolment_and_skips_what_needs_it() -> None:
    report = run_self_test("http://127.0.0.1:9", "ABCD-EFGH")
    shown = {check.name: check for check in report.checks}
    assert not report.passed
    assert shown["enrolment"].status == "failed" and "cannot be reached" in shown["enrolment"].detail
    assert shown["pull"].status == shown["push"].status == "skipped"
    assert shown["sale"].status == shown["receipt"].status == "ok"  # the till works offline


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(max_size=40))
def test_any_enrolment_code_the_hub_refuses_is_one_failed_line_never_an_exception(hub: LoopbackHub, code: str) -> None:
    report = run_self_test(hub.url, code)
    enrolment = next(check for check in report.checks if check.name == "enrolment")
    assert not report.passed and enrolment.status == "failed"
    assert "\n" not in enrolment.line() and enrolment.detail
