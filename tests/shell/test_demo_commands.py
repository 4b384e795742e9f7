"""The demo as a new user finds it: it keeps everything in its own folder, and the sync
commands can be pointed at it with --demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import kassa
from tests.test_demo import free_port

ITEMS = "200"


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.exists() else set()


@pytest.fixture(scope="module")
def started_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo started once (its folder, and the real till's folder it must leave alone): the
    tests below look at it and run the commands beside it, so it is made once for them."""
    real, folder = tmp_path_factory.mktemp("real"), tmp_path_factory.mktemp("first-demo") / "demo"
    result = kassa("demo", "--data-dir", str(folder), "--items", ITEMS, "--hub-port", str(free_port()),
                   "--quit-after", "0", data_dir=real)
    assert result.returncode == 0, result.stderr
    assert "Demo hub" in result.stdout
    return real, folder


def test_two_demos_keep_their_own_log_and_credential_and_never_touch_the_real_till(started_demo, tmp_path):
    real, first = started_demo
    second = tmp_path / "second"
    result = kassa("demo", "--data-dir", str(second), "--items", ITEMS, "--hub-port", str(free_port()),
                   "--quit-after", "0", data_dir=real)
    assert result.returncode == 0, result.stderr
    assert "Demo hub" in result.stdout
    assert files_under(real) == set()  # no log, no credential, no database in the real till's folder
    for folder in (first, second):
        names = files_under(folder)
        assert "kassa.log" in names and "till.sqlite3" in names
        assert any(name.startswith("credential") or "credential" in name for name in names), names
    credentials = {p.read_text(encoding="utf-8").strip() for folder in (first, second) for p in folder.iterdir()
                   if "credential" in p.name}
    assert len(credentials) == 2 and "" not in credentials  # each demo its own, from its own hub


def test_status_and_sync_with_demo_talk_to_the_demo_hub_with_the_demos_credential(started_demo):
    real, folder = started_demo
    port = str(free_port())
    offline = kassa("status", "--demo", "--data-dir", str(folder), "--hub-port", port, data_dir=real)
    assert offline.returncode == 0, offline.stderr
    assert "offline only" not in offline.stdout and f"hub: http://127.0.0.1:{port}" in offline.stdout
    hub = kassa("demo-hub", "start", "--data-dir", str(folder), "--items", ITEMS, "--hub-port", port, data_dir=real)
    assert hub.returncode == 0, hub.stderr
    try:
        status = kassa("status", "--demo", "--data-dir", str(folder), "--hub-port", port, data_dir=real)
        assert status.returncode == 0, status.stderr
        assert "link: online" in status.stdout, status.stdout
        synced = kassa("sync", "--demo", "--data-dir", str(folder), "--hub-port", port, data_dir=real)
        assert synced.returncode == 0, synced.stdout + synced.stderr
    finally:
        kassa("demo-hub", "stop", "--data-dir", str(folder), "--hub-port", port, data_dir=real)
    assert files_under(real) == set()
