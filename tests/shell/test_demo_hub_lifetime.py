"""The demo hub lives and dies with the demo: a taken port is named plainly, the hub
stops when the demo is stopped however it ends, and ``demo-hub stop`` leaves no defunct
process.  A real ``kassa demo`` (offscreen window) and real hub processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from shell.demo_hub import DemoHub
from shell.hub_watchdog import alive
from tests.test_cli import ROOT, kassa
from tests.test_demo import free_port

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="looks at processes through /proc")


def gone(pid: int) -> bool:
    """No process ``pid`` at all: not running, and not a zombie waiting to be reaped."""
    return not Path(f"/proc/{pid}").exists()


def wait_for(condition, what: str, limit: float = 120.0) -> None:  # noqa: ANN001
    """Waits on a condition (a generous bound against a hang, never a measure of speed)."""
    import time

    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


started: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_demo_left_running():  # noqa: ANN201
    yield
    while started:
        demo = started.pop()
        if demo.poll() is None:
            demo.kill()
            demo.wait()


def start_demo(tmp_path: Path, port: int) -> tuple[subprocess.Popen, int]:
    """A running ``kassa demo`` (no --quit-after) and its hub's pid, once it said so."""
    env = {"KASSA_DATA_DIR": str(tmp_path / "real"), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
           "PYTHONUNBUFFERED": "1"}
    demo = subprocess.Popen([sys.executable, "-m", "shell.cli", "demo", "--data-dir", str(tmp_path / "demo"),
                             "--items", "200", "--hub-port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert demo.stdout is not None
    seen = []
    started.append(demo)
    for line in demo.stdout:  # blocks until the demo prints: an event, not a delay
        seen.append(line)
        if line.startswith("Demo hub:"):
            break
    else:
        pytest.fail("the demo ended without its hub:\n" + "".join(seen))
    pid = int((tmp_path / "demo" / "hub" / "hub.pid").read_text(encoding="ascii"))
    assert alive(pid)
    return demo, pid


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
def test_the_demo_hub_stops_when_the_demo_is_stopped_from_outside(tmp_path, how):
    demo, hub_pid = start_demo(tmp_path, free_port())
    demo.send_signal(how)
    demo.wait()
    wait_for(lambda: gone(hub_pid), "the hub to stop with its demo")
    assert not DemoHub(tmp_path / "demo" / "hub").is_running()


def test_demo_hub_stop_beside_a_running_demo_leaves_no_defunct_process_and_a_restarted_hub_stops_with_it(tmp_path):
    port = free_port()
    demo, hub_pid = start_demo(tmp_path, port)
    try:
        stopped = kassa("demo-hub", "stop", "--data-dir", str(tmp_path / "demo"), "--hub-port", str(port),
                        data_dir=tmp_path / "real")
        assert stopped.returncode == 0 and "demo hub stopped" in stopped.stdout
        wait_for(lambda: gone(hub_pid), "the demo to reap its stopped hub")  # a zombie would stay in /proc
        restarted = kassa("demo-hub", "start", "--data-dir", str(tmp_path / "demo"), "--items", "200",
                          "--hub-port", str(port), data_dir=tmp_path / "real")
        assert restarted.returncode == 0, restarted.stderr
        new_pid = int((tmp_path / "demo" / "hub" / "hub.pid").read_text(encoding="ascii"))
    finally:
        os.kill(demo.pid, signal.SIGTERM)
        demo.wait()
    wait_for(lambda: not alive(new_pid), "the restarted hub to stop with the demo")


def test_a_port_taken_by_another_program_is_named_with_the_way_out(tmp_path):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = kassa("demo", "--data-dir", str(tmp_path / "demo"), "--items", "200", "--hub-port", str(port),
                       "--quit-after", "0", data_dir=tmp_path / "real")
        hub = kassa("demo-hub", "start", "--data-dir", str(tmp_path / "demo"), "--items", "200",
                    "--hub-port", str(port), data_dir=tmp_path / "real")
    assert result.returncode == 0, result.stderr  # the till still opens, offline
    assert f"Port {port} is in use by another program" in result.stdout and "--no-hub" in result.stdout
    assert "enrolment code" not in result.stdout
    assert hub.returncode == 2 and f"Port {port} is in use by another program" in hub.stderr
