"""The demo store's own hub: a ``kassa-hub`` process on loopback with a SQLite database in
the demo folder, loaded with the same demo catalog and cashiers as the till, and the demo's
promotions (``pos.demo_promotions``, through ``kassa-hub set-promotions``; their date windows
moved to the day at the first demo start of each day), its customers, promo codes and loyalty
rules (``pos.demo_customers``, ``pos.demo_loyalty``), so a newcomer sees sales arrive and
discounts at the till, stops the hub, keeps selling, starts it again and sees the queue drain.

The hub is run as a separate process (``python -m central.cli``): the till never imports
the hub's code, and a till installed without the ``hub`` extra still runs its demo offline.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import NamedTuple

import httpx

from pos.demo_catalog import generate_catalog
from pos.demo_customers import OPENING_POINTS, demo_customers
from pos.demo_loyalty import DEMO_PROMO_CODES, demo_loyalty_rules
from pos.demo_promotions import demo_promotions
from pos.i18n import N_
from shell.hub_batch import DemoHubProblem, HubJob, forget_written, job_unless_given, run_hub, run_jobs, settle
from shell.hub_watchdog import alive

log = logging.getLogger(__name__)

DEMO_HUB_PORT = 8765
STARTUP_SECONDS = 20.0
# as the demo till's (local_db.demo_store): a cashier, a senior cashier and the manager who approves
DEMO_CASHIERS = (("1", "Olena", "1234", "cashier"), ("2", "Rashad", "4321", "senior_cashier"),
                 ("9", "Iryna (manager)", "9999", "manager"))


class Prepared(NamedTuple):
    created: bool  # a new hub database (a till's old credential is unknown to it)
    enrolment_code: str | None  # when asked for a till


class HubPortTaken(DemoHubProblem):
    message = N_("Port {port} is in use by another program: stop it, or run kassa demo --no-hub "
                 "(offline) or kassa demo --hub-port N (another port).")


def port_answers(port: int) -> bool:
    """Does something accept connections on 127.0.0.1:``port``?"""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2.0):
            return True
    except OSError:
        return False


class DemoHub:
    def __init__(self, folder: Path, port: int = DEMO_HUB_PORT) -> None:
        self.folder = folder
        self.port = port
        self.database = folder / "hub.sqlite3"
        self.pid_file = folder / "hub.pid"
        self.log_file = folder / "hub.log"
        self.sms_file = folder / "sms.log"  # the text messages the hub "sends" (gift card codes): read them here
        self.promotions_file = folder / "promotions.json"  # the set last given to the hub
        self._process: subprocess.Popen | None = None

    @property
    def sms_log(self) -> str:
        """Where the hub writes the text messages it sends (``$KASSA_HUB_SMS_LOG`` if set)."""
        return os.environ.get("KASSA_HUB_SMS_LOG") or str(self.sms_file)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database}"

    # -- the hub command -------------------------------------------------------------------
    @property
    def _env(self) -> dict[str, str]:
        return {"KASSA_HUB_DATABASE": self.database_url, "KASSA_HUB_SMS_LOG": self.sms_log}

    def _hub(self, *args: str) -> str:
        return run_hub(self._env, "central.cli", list(args))

    def prepare(self, store_id: str, store_name: str, items: int, enrol_till: str | None = None) -> Prepared:
        """Create the hub's database with the demo catalog, cashiers and promotions, once
        (``created`` if it did).  An existing one gets the promotions of the day (``promotions``).
        With ``enrol_till``, also a one-time enrolment code for that till of the store.  All of it
        in one hub process (shell.hub_batch): one start-up of the hub's code, not fifteen."""
        created = not self.database.exists()
        jobs: list[HubJob] = []
        if created:
            self.folder.mkdir(parents=True, exist_ok=True)
            cashiers = [["add-cashier", "--store", store_id, "--code", code, "--name", name, "--pin", pin,
                         "--role", role] for code, name, pin, role in DEMO_CASHIERS]
            jobs.append(HubJob([["migrate"], ["add-store", "--store", store_id, "--name", store_name],
                                ["import-demo-catalog", "--items", str(items)], *cashiers], stop_on_failure=True))
            self.promotions_file.unlink(missing_ok=True)  # the set given to an earlier hub database
            for given in ("customers.json", "codes-and-loyalty.json"):  # likewise
                (self.folder / given).unlink(missing_ok=True)
        gifts = [self._promotions_job(date.today(), items), self._customers_job(date.today()),
                 self._codes_and_loyalty_job()]
        jobs.extend(gift for gift in gifts if gift is not None)
        enrolment = HubJob([["enrol-code", "--store", store_id, "--till", enrol_till]]) if enrol_till else None
        if enrolment is not None:
            jobs.append(enrolment)
        try:
            run_jobs(self._env, jobs)
        except DemoHubProblem as problem:  # the hub's code could not run at all
            if created or enrolment is not None:
                if created:
                    self.database.unlink(missing_ok=True)
                forget_written(jobs)
                raise
            for job in jobs:
                job.error = str(problem)  # an existing hub goes on without the day's gifts, logged
        if created and not jobs[0].taken:
            self.database.unlink(missing_ok=True)
            forget_written(jobs)
            raise DemoHubProblem(reason=jobs[0].error)
        settle(gift for gift in gifts if gift is not None)
        if enrolment is None:
            return Prepared(created, None)
        if not enrolment.taken:
            raise DemoHubProblem(reason=enrolment.error)
        return Prepared(created, enrolment.outputs[-1].splitlines()[-1].strip())

    def promotions(self, today: date, items: int) -> bool:
        """Give the hub the demo's promotions with their windows around ``today``, over the names
        of its catalog of ``items`` products, once a day (an unchanged definition keeps its
        version at the hub, so the till pulls only what moved).  A hub that cannot take them is
        only logged: the demo goes on without them.  True when the hub took them."""
        return self._give(self._promotions_job(today, items))

    def customers(self, today: date) -> bool:
        """Give the hub the demo's customers, their birthdays near ``today`` (pos.demo_customers), and their
        opening points, once a day; a hub that cannot take them is only logged.  True when the hub took them."""
        return self._give(self._customers_job(today))

    def codes_and_loyalty(self) -> bool:
        """Give the hub the demo's promo codes (after its promotions: a code needs its promotion
        there) and loyalty rules, once (kept in ``codes-and-loyalty.json``); a hub that cannot
        take them is only logged.  True when the hub took them."""
        return self._give(self._codes_and_loyalty_job())

    def _promotions_job(self, today: date, items: int) -> HubJob | None:
        definitions = demo_promotions(today, generate_catalog(items))
        text = json.dumps(definitions, ensure_ascii=False, indent=1)
        return job_unless_given(self.promotions_file, text, HubJob(
            [["set-promotions", str(self.promotions_file), "--full"]], what="the demo's promotions",
            written=(self.promotions_file,)))

    def _customers_job(self, today: date) -> HubJob | None:
        file = self.folder / "customers.json"
        grants = [["give-points", "--customer", phone, "--points", str(points), "--grant", "demo-opening"]
                  for phone, points in OPENING_POINTS.items()]  # once: a grant given again changes nothing
        return job_unless_given(file, json.dumps(demo_customers(today), ensure_ascii=False, indent=1), HubJob(
            [["import-customers", str(file)], *grants], what="the demo's customers", written=(file,)))

    def _codes_and_loyalty_job(self) -> HubJob | None:
        file = self.folder / "codes-and-loyalty.json"
        rules = demo_loyalty_rules()
        text = json.dumps({"codes": DEMO_PROMO_CODES, "loyalty": json.loads(rules)}, indent=1)
        try:
            if file.read_text(encoding="utf-8") == text:
                return None
        except OSError:
            pass
        rules_file = self.folder / "loyalty.json"
        codes = [["add-code", code, "--promotion", promotion_id, "--exists-ok"]
                 for code, promotion_id in DEMO_PROMO_CODES]
        job = HubJob([*codes, ["set-loyalty", str(rules_file)]], what="the demo's promo codes and loyalty rules",
                     remembered=(file, text))
        try:
            rules_file.write_text(rules, encoding="utf-8")
        except OSError as problem:
            log.warning("the demo hub did not take %s: %s", job.what, problem)
            return None
        return job

    def _give(self, job: HubJob | None) -> bool:
        if job is None:
            return False
        try:
            run_jobs(self._env, [job])
        except DemoHubProblem as problem:
            job.error = str(problem)
        return settle([job])

    def enrolment_code(self, store_id: str, till_id: str) -> str:
        return self._hub("enrol-code", "--store", store_id, "--till", till_id).splitlines()[-1].strip()

    def sales_report(self) -> str:
        return self._hub("sales")

    # -- the hub process -------------------------------------------------------------------
    def is_running(self, client: httpx.Client | None = None) -> bool:
        """Does the hub answer its health check?  ``client``: one kept for repeated looks (a new
        one costs its set-up each time)."""
        try:
            if client is not None:
                return client.get(f"{self.url}/v1/health").status_code == 200
            return httpx.get(f"{self.url}/v1/health", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def start(self, owner: int | None = None) -> int:
        """Start the hub in the background; returns its pid.  With ``owner`` (a pid), the hub
        stops by itself when that process ends (the demo); without, it outlives this command.
        HubPortTaken if another program (not this demo's hub) holds the port."""
        pid = self._pid()
        if pid is not None and alive(pid) and self.is_running():
            return pid
        if port_answers(self.port):
            raise HubPortTaken(port=self.port)
        self.folder.mkdir(parents=True, exist_ok=True)
        serve = ["serve", "--database", self.database_url, "--host", "127.0.0.1", "--port", str(self.port),
                 "--no-access-log"]
        command = ["-m", "shell.hub_watchdog", str(owner), *serve] if owner else ["-m", "central.cli", *serve]
        with self.log_file.open("ab") as log:
            process = subprocess.Popen([sys.executable, *command], stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True,
                                       env=dict(os.environ, KASSA_HUB_SMS_LOG=self.sms_log))
        self._process = process
        # reaps the hub whoever stops it (kassa demo-hub stop from another terminal): no defunct process
        threading.Thread(target=process.wait, daemon=True, name="demo-hub-reaper").start()
        self.pid_file.write_text(str(process.pid), encoding="ascii")
        deadline = time.monotonic() + STARTUP_SECONDS
        with httpx.Client(timeout=1.0) as client:
            while not self.is_running(client):
                if process.poll() is not None:
                    raise DemoHubProblem(reason=f"it stopped at start-up; see {self.log_file}")
                if time.monotonic() > deadline:
                    raise DemoHubProblem(reason=f"it did not answer within {STARTUP_SECONDS:g} s; see {self.log_file}")
                time.sleep(0.05)
        return process.pid

    def stop(self) -> bool:
        pid = self._pid()
        if pid is None:
            return False
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:  # a zombie counts as stopped: its parent reaps it
            time.sleep(0.02)
        if alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self._process is not None and self._process.pid == pid:
            self._process.wait()
        self.pid_file.unlink(missing_ok=True)
        return True

    def _pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return None
