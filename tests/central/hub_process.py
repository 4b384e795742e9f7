"""A real hub: ``kassa-hub serve`` (``python -m central.cli serve``) in a subprocess on a
free loopback port, ready when /v1/health answers.  Used by the integration tests and by
benchmarks/hub_bench.py.

``hub_process`` hands out the process itself (for tests that SIGKILL it and start a new
one on the same port and database); ``certfile``/``keyfile`` serve HTTPS (uvicorn's
``ssl_certfile``/``ssl_keyfile``; ``kassa-hub serve`` has no TLS options, so the hub is
then started through uvicorn directly), ``ca_file`` is what the readiness probe trusts."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0

_SERVE_TLS = (
    "import sys, uvicorn\n"
    "from central.app import create_app\n"
    "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning',\n"
    "            access_log=False, ssl_certfile=sys.argv[3], ssl_keyfile=sys.argv[4])\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class HubProcess:
    url: str
    port: int
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, open transactions die with the process."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()


@contextmanager
def hub_process(database_url: str, *, port: int | None = None, certfile: Path | None = None,
                keyfile: Path | None = None, ca_file: Path | None = None) -> Iterator[HubProcess]:
    """A hub process serving ``database_url`` on ``port`` (a free one by default); stopped
    (or found killed) afterwards."""
    port = port or free_port()
    if certfile is not None:
        if keyfile is None:
            raise ValueError("a certificate needs its key")
        command = [sys.executable, "-c", _SERVE_TLS, database_url, str(port), str(certfile), str(keyfile)]
        base = f"https://127.0.0.1:{port}"
    else:
        command = [sys.executable, "-m", "central.cli", "serve", "--database", database_url, "--port", str(port),
                   "--log-level", "warning", "--no-access-log"]
        base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(ca_file)) if ca_file else True
            _wait_until_healthy(process, base, log, verify)
            yield HubProcess(base, port, process)
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@contextmanager
def running_hub(database_url: str) -> Iterator[str]:
    """The base URL of a hub process serving ``database_url``; stopped afterwards."""
    with hub_process(database_url) as hub:
        yield hub.url


def _wait_until_healthy(process: subprocess.Popen[bytes], base: str, log: IO[bytes],
                        verify: ssl.SSLContext | bool = True) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the hub exited with {process.returncode}: {log.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/v1/health", timeout=1, verify=verify).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)  # polling a port that is not open yet: there is nothing to wait on
    raise RuntimeError(f"the hub at {base} did not answer /v1/health within {START_TIMEOUT} s")
