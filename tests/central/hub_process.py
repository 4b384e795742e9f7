"""A real hub: ``kassa-hub serve`` (``python -m central.cli serve``) in a subprocess on a
free loopback port, ready when /v1/health answers.  Used by the integration tests and by
benchmarks/hub_bench.py."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_hub(database_url: str) -> Iterator[str]:
    """The base URL of a hub process serving ``database_url``; stopped afterwards."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "central.cli", "serve", "--database", database_url, "--port", str(port),
             "--log-level", "warning", "--no-access-log"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(process, base, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(process: subprocess.Popen[bytes], base: str, log: object) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)  # type: ignore[attr-defined]
            raise RuntimeError(f"the hub exited with {process.returncode}: {log.read().decode()[-2000:]}")  # type: ignore[attr-defined]
        try:
            if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)  # polling a port that is not open yet: there is nothing to wait on
    raise RuntimeError(f"the hub at {base} did not answer /v1/health within {START_TIMEOUT} s")
