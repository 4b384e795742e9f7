"""The dependency rule of ARCHITECTURE.md, checked by import-linter's contracts in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_layer_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_no_module_outside_ui_qt_imports_pyside6_directly():
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("ui", "shell")
        for path in (ROOT / package).rglob("*.py")
        if path.name != "qt.py" and "PySide6" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_domain_type_checks_with_every_function_annotated():
    mypy = Path(sys.executable).with_name("mypy")
    result = subprocess.run([str(mypy)], cwd=ROOT, capture_output=True, text=True)  # [tool.mypy] in pyproject
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_till_builds_its_hub_client_in_one_place():
    builders = sorted(
        str(path.relative_to(ROOT))
        for package in ("shell", "ui", "sync", "hardware", "local_db")
        for path in (ROOT / package).rglob("*.py")
        if "HubClient(" in path.read_text(encoding="utf-8")
    )
    assert builders == ["shell/till.py"]  # make_hub_client: the window, the commands and the demo use it
