"""``python -m central.batch``: several ``kassa-hub`` commands in one process.

The demo hub's preparation (``shell.demo_hub``) is some fifteen ``kassa-hub`` commands
(migrate, add-store, import-demo-catalog, the cashiers, the promotions, the customers and
their points, the promo codes, the loyalty rules, an enrolment code).  Each started alone pays
the hub's imports again (about a second and a half); here they pay them once.

Each command runs exactly as ``kassa-hub`` runs it (``central.cli.main``), with the same
database (``$KASSA_HUB_DATABASE``).  The input (stdin) is JSON, a list of jobs::

    [{"commands": [["migrate"], ["add-store", "--store", "S1", "--name", "Shop"]], "stop_on_failure": true},
     {"commands": [["set-promotions", "promotions.json", "--full"]]}]

A job's commands run in order until one fails (a non-zero exit); the rest of that job is not
run.  A failed job marked ``stop_on_failure`` stops the batch: the later jobs are not run.
The output (stdout) is JSON, one answer per job, in order::

    [{"ran": true, "outputs": ["...stdout of each command that succeeded..."], "error": null},
     {"ran": false, "outputs": [], "error": null}]

where ``error`` is the last line the failed command wrote on stderr, as ``kassa-hub`` would
have shown it.  The exit status is 0 when the answers were written, 2 on an input that is not
such a list.
"""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from central.cli import main as hub_main


def run_command(argv: list[str]) -> tuple[str, str | None]:
    """One ``kassa-hub`` command: its stdout, and the last line of its stderr if it failed."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = hub_main(argv)
        except SystemExit as leaving:  # argparse refusing the arguments: exit 2 with its usage line
            status = leaving.code if isinstance(leaving.code, int) else 1
        except Exception as error:  # noqa: BLE001 - as a lone command's traceback would end
            print(f"{type(error).__name__}: {error}", file=sys.stderr)
            status = 1
    if status == 0:
        return out.getvalue().strip(), None
    return out.getvalue().strip(), (err.getvalue().strip().splitlines() or ["(no message)"])[-1]


def run_jobs(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every job's answer, in order (see the module's docstring)."""
    answers: list[dict[str, Any]] = []
    stopped = False
    for job in jobs:
        answer: dict[str, Any] = {"ran": not stopped, "outputs": [], "error": None}
        answers.append(answer)
        if stopped:
            continue
        for argv in job["commands"]:
            output, error = run_command([str(word) for word in argv])
            if error is not None:
                answer["error"] = error
                stopped = bool(job.get("stop_on_failure"))
                break
            answer["outputs"].append(output)
    return answers


def _valid(jobs: Any) -> bool:
    return isinstance(jobs, list) and all(
        isinstance(job, dict) and isinstance(job.get("commands"), list)
        and all(isinstance(argv, list) for argv in job["commands"]) for job in jobs)


def main() -> int:
    try:
        jobs = json.loads(sys.stdin.read())
    except ValueError as error:
        print(f"central.batch: the input is not JSON: {error}", file=sys.stderr)
        return 2
    if not _valid(jobs):
        print("central.batch: the input must be a list of {\"commands\": [[...], ...]} jobs", file=sys.stderr)
        return 2
    answers = run_jobs(jobs)
    sys.stdout.write(json.dumps(answers, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
