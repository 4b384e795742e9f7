"""The PyInstaller bundle, copied away from the source tree and run with a clean
environment: it reports its version, passes its self-test against a real hub, opens the
window on Qt's offscreen platform, and a self-test that meets a broken install fails."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.installer.conftest import CHECKS, LoopbackHub, project_version, run, self_test, statuses

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
import build as installer_build  # noqa: E402 - installer/build.py, not a package

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the Linux bundle")


def test_the_bundle_reports_the_projects_version_without_the_source_tree_or_a_venv(bundle: Path, tmp_path: Path) -> None:
    done = run([str(bundle), "--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"kassa {project_version()}"


def test_the_bundle_passes_its_self_test_against_a_hub_on_loopback_and_the_sale_reaches_the_hub(
        bundle: Path, hub: LoopbackHub, tmp_path: Path) -> None:
    till, code = hub.code_for_a_new_till()
    done, report = self_test(bundle, tmp_path, "--hub", hub.url, "--enrolment-code", code)
    assert done.returncode == 0, report
    assert statuses(report) == {name: "ok" for name in CHECKS}
    assert report["version"] == project_version() and report["passed"] is True
    assert hub.sales_of(till) == 1
    assert not Path(report["folder"]).exists(), "the temporary folder is left behind"
    assert not (tmp_path / "data" / "till.sqlite3").exists(), "the self-test used the till's own data folder"


def test_without_a_hub_the_self_test_skips_the_hub_checks_and_says_why(bundle: Path, tmp_path: Path) -> None:
    done = run([str(bundle), "self-test"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for name in ("enrolment", "pull", "push"):
        assert f"{name}: skipped (no --hub given)" in lines
    for name in ("database", "translations", "fonts", "sale", "receipt"):
        assert any(line.startswith(f"{name}: OK") for line in lines), done.stdout


def test_a_used_enrolment_code_fails_the_self_test_with_the_hubs_reason(bundle: Path, hub: LoopbackHub,
                                                                        tmp_path: Path) -> None:
    _, code = hub.code_for_a_new_till()
    first, _ = self_test(bundle, tmp_path / "first", "--hub", hub.url, "--enrolment-code", code)
    assert first.returncode == 0
    again, report = self_test(bundle, tmp_path / "again", "--hub", hub.url, "--enrolment-code", code)
    assert again.returncode == 1
    assert statuses(report)["enrolment"] == "failed" and statuses(report)["push"] == "skipped"
    enrolment = next(check for check in report["checks"] if check["name"] == "enrolment")
    assert "refused" in enrolment["detail"], enrolment


def test_a_second_self_test_as_the_same_till_fails_its_push_and_asks_for_a_new_till_id(
        bundle: Path, hub: LoopbackHub, tmp_path: Path) -> None:
    till, code = hub.code_for_a_new_till()
    first, _ = self_test(bundle, tmp_path / "first", "--hub", hub.url, "--enrolment-code", code)
    assert first.returncode == 0
    again, report = self_test(bundle, tmp_path / "again", "--hub", hub.url, "--enrolment-code", hub.code_for(till))
    assert again.returncode == 1
    push = next(check for check in report["checks"] if check["name"] == "push")
    assert push["status"] == "failed" and "seq_conflict" in push["detail"] and "a new till id" in push["detail"]
    assert hub.sales_of(till) == 1


def test_a_bundle_without_a_catalog_or_a_font_fails_its_self_test_naming_the_file(bundle: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(bundle.parent, broken, symlinks=True)
    (broken / "_internal" / "pos" / "locale" / "ka" / "LC_MESSAGES" / "kassa.po").unlink()
    (broken / "_internal" / "hardware" / "fonts" / "NotoSansGeorgian-Regular.ttf").unlink()
    done = run([str(broken / "kassa"), "self-test"], tmp_path)
    assert done.returncode == 1
    assert "translations: FAILED: no ka catalog" in done.stdout
    assert "fonts: FAILED: the receipt font" in done.stdout and "NotoSansGeorgian-Regular.ttf is missing" in done.stdout
    assert sorted(installer_build.bundle_problems(broken)) == [
        "missing hardware/fonts/NotoSansGeorgian-Regular.ttf", "missing pos/locale/ka/LC_MESSAGES/kassa.po"]


def test_the_bundle_holds_the_package_data_and_qt_platforms_but_no_hub_nor_test_tools(built_bundle: Path) -> None:
    assert installer_build.bundle_problems(built_bundle) == []
    modules = installer_build.bundled_modules()
    assert {"shell", "pos", "local_db", "ui", "PySide6"} <= modules
    assert not {"central", "fastapi", "uvicorn", "psycopg", "pytest", "hypothesis"} & modules


def test_the_bundle_opens_the_till_window_on_the_offscreen_platform(bundle: Path, tmp_path: Path) -> None:
    done = run([str(bundle), "demo", "--no-hub", "--items", "50", "--quit-after", "0"], tmp_path,
               QT_QPA_PLATFORM="offscreen")
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "data" / "demo" / "till.sqlite3").is_file()
