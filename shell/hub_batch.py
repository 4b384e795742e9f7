"""Several ``kassa-hub`` commands in one hub process (``python -m central.batch``): the demo
hub's preparation pays the hub's start-up once instead of once a command.

A ``HubJob`` is commands run in order until one fails; a job that ``stop_on_failure`` stops
the rest of the batch.  Its ``written`` files (given to the hub) are removed when the hub did
not take them, so the next start tries again; its ``remembered`` file is written once it did.
The hub's code is run, not imported: the till never imports ``central``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from pos.errors import PosError
from pos.i18n import N_

log = logging.getLogger("shell.demo_hub")  # the demo hub's log, as before

HUB_COMMANDS_SECONDS = 300  # a bound against a hang, not a measure


class DemoHubProblem(PosError):
    message = N_("The demo hub could not be used: {reason}")


@dataclass
class HubJob:
    commands: list[list[str]]
    what: str = ""  # named in the log when the hub does not take it
    stop_on_failure: bool = False
    written: tuple[Path, ...] = ()  # removed if the hub did not take it: tried again at the next start
    remembered: tuple[Path, str] | None = None  # (file, text) written once the hub took it
    outputs: list[str] = field(default_factory=list)
    error: str | None = None  # the last line the failed command wrote, or why the job did not run
    ran: bool = False

    @property
    def taken(self) -> bool:
        return self.ran and self.error is None


def run_hub(env: dict[str, str], module: str, args: list[str], stdin: str | None = None) -> str:
    """``python -m module args`` with the hub's ``env``: its stdout; DemoHubProblem (the last
    line of its stderr) if it fails."""
    try:
        done = subprocess.run([sys.executable, "-m", module, *args], env=dict(os.environ, **env), input=stdin,
                              capture_output=True, text=True, timeout=HUB_COMMANDS_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DemoHubProblem(reason=str(error)) from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        if "No module named" in done.stderr:
            last = "the hub is not installed here (pip install 'kassa[hub]')"
        raise DemoHubProblem(reason=last)
    return done.stdout.strip()


def run_jobs(env: dict[str, str], jobs: list[HubJob]) -> list[HubJob]:
    """Runs ``jobs`` in one hub process and fills in each one's ``ran``, ``outputs`` and
    ``error``.  DemoHubProblem if the hub could not run at all (then no job ran)."""
    if not jobs:
        return jobs
    payload = [{"commands": job.commands, "stop_on_failure": job.stop_on_failure} for job in jobs]
    answers: list[dict[str, Any]] = json.loads(run_hub(env, "central.batch", [], json.dumps(payload)))
    for job, answer in zip(jobs, answers, strict=True):
        job.ran, job.outputs, job.error = bool(answer["ran"]), list(answer["outputs"]), answer["error"]
        if not job.ran:
            job.error = "not run: an earlier step failed"
    return jobs


def job_unless_given(file: Path, text: str, job: HubJob) -> HubJob | None:
    """``job``, its ``file`` written with ``text``; None if that file already holds it (given)."""
    try:
        if file.read_text(encoding="utf-8") == text:
            return None
    except OSError:
        pass
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as problem:
        file.unlink(missing_ok=True)  # tried again at the next start
        log.warning("the demo hub did not take %s: %s", job.what, problem)
        return None
    return job


def settle(jobs: Iterable[HubJob]) -> bool:
    """After a batch: forgets what the hub did not take (logged) and remembers what it took;
    True when every job was taken."""
    every = True
    for job in jobs:
        if job.taken:
            try:
                if job.remembered is not None:
                    job.remembered[0].write_text(job.remembered[1], encoding="utf-8")
                continue
            except OSError as problem:
                job.error = str(problem)
        every = False
        forget_written([job])  # tried again at the next start
        log.warning("the demo hub did not take %s: %s", job.what, job.error)
    return every


def forget_written(jobs: Iterable[HubJob]) -> None:
    for job in jobs:
        for file in job.written:
            file.unlink(missing_ok=True)
