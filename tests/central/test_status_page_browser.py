"""The hub's status page in a real headless browser (Chromium from Debian): a hub process on
loopback serving it (``kassa-hub serve --status-page``), two stores and tills in different
states (one heartbeating through the real till sync, one with a backlog, one never seen, one
late, one with a wrong clock); the page the browser built shows each with its verdict, and
a store name holding ``<script>`` as text.  Also: how the page is protected.

``KASSA_HUB_SCREENSHOT=docs/screenshots/hub-status.png`` writes the README's picture."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from central.app import create_app
from central.database import HubDatabase, open_hub_database
from central.status_page import render
from central.stores import TillIdentity, add_store
from central.tables import tills
from central.tills_report import TillState
from local_db.database import open_database
from local_db.journal import SqlJournal
from sync.hub_client import HubClient
from sync.service import SyncConfig, TillSync
from tests.central.hub_process import ROOT, _wait_until_healthy, free_port
from tests.central.shop import Shop
from tests.fakes import SHAMPOO, STORE
from tests.local_db.conftest import make_sql_till, sell
from tests.sync.conftest import FAST_RETRY

PASSWORD = "support-desk-password-42"
SCRIPT_STORE = "Lviv <script>document.title='owned'</script> & Co"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")


@dataclass
class StatusHub:
    url: str
    db: HubDatabase
    shop: Shop


@pytest.fixture
def status_hub(tmp_path: Path) -> Iterator[StatusHub]:
    """``kassa-hub serve --status-page`` on a free loopback port, its password in the environment."""
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    db = open_hub_database(url, migrate_schema=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "KASSA_HUB_STATUS_PASSWORD": PASSWORD}
    log = (tmp_path / "hub.log").open("w+b")
    process = subprocess.Popen([sys.executable, "-m", "central.cli", "serve", "--database", url, "--port", str(port),
                                "--status-page", "--log-level", "warning", "--no-access-log"],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(process, base, log)
        with httpx.Client(base_url=base, timeout=30) as http:
            yield StatusHub(base, db, Shop.set_up(db, http, store_id=STORE.store_id))
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
        db.close()


def set_up_tills(hub: StatusHub, tmp_path: Path) -> dict[str, str]:
    """The tills and the verdict each must get."""
    shop = hub.shop
    # S001/T01: a real till database, one sale, synced and heartbeating through TillSync
    healthy = shop.enrol(STORE.till_id, STORE.store_id)
    till_db = open_database(tmp_path / "till" / "till.sqlite3")
    sell(make_sql_till(SqlJournal(till_db, STORE.till_id)), SHAMPOO.barcode)
    config = SyncConfig(hub.url, retry=FAST_RETRY)
    with HubClient(hub.url, shop.tills[str(healthy)], retry=FAST_RETRY) as client:
        sync = TillSync(till_db, client, config)
        assert sync.sync_now().push.sent == 1
        assert sync.heartbeat() is None
    till_db.close()
    # S001/T02: 640 sales waiting, the oldest for an hour and a half
    backlog = shop.enrol("T02", STORE.store_id)
    with HubClient(hub.url, shop.tills[str(backlog)], retry=FAST_RETRY) as client:
        client.heartbeat(640, 5400)
    # S001/T03: last heard from 12 minutes ago
    late = shop.enrol("T03", STORE.store_id)
    with HubClient(hub.url, shop.tills[str(late)], retry=FAST_RETRY) as client:
        client.heartbeat(0, None)
    with hub.db.writing() as conn:  # that heartbeat, 12 minutes earlier
        key = (tills.c.store_id == late.store_id) & (tills.c.till_id == late.till_id)
        seen, sent = conn.execute(select(tills.c.last_seen_at, tills.c.last_till_time).where(key)).one()
        conn.execute(update(tills).where(key).values(last_seen_at=seen - timedelta(minutes=12),
                                                     last_till_time=sent - timedelta(minutes=12)))
    # L003/K1: its clock 7 minutes ahead; L003/K2: an enrolment code, never used
    skewed = shop.enrol("K1", "L003")
    ahead = (datetime.now(timezone.utc) + timedelta(minutes=7)).isoformat()
    answer = httpx.post(f"{hub.url}/v1/heartbeat", headers=shop.auth(skewed), timeout=10,
                        json={"till_time": ahead, "queue_length": 1, "oldest_unsent_seconds": 4,
                              "app_version": "0.1.0"})
    assert answer.status_code == 200, answer.text
    from central.enrolment import make_enrolment_code

    make_enrolment_code(hub.db, TillIdentity("L003", "K2"))
    add_store(hub.db, STORE.store_id, "Kyiv, Khreshchatyk 14")  # (Shop.enrol names a store by its id)
    add_store(hub.db, "L003", SCRIPT_STORE)
    return {"S001/T01": "OK", "S001/T02": "backlog", "S001/T03": "late", "L003/K1": "skewed", "L003/K2": "silent"}


def browse(url: str, *args: str) -> str:
    """What Chromium made of the page (its DOM, serialised), or what ``args`` ask for."""
    assert CHROMIUM is not None
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           *(args or ("--dump-dom",)), url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def signed_in(url: str) -> str:
    return url.replace("http://", f"http://status:{PASSWORD}@", 1)


@dataclass
class Page(HTMLParser):
    """The rows of the page the browser built: each till row's data attributes and cell texts."""

    rows: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    store_rows: list[str] = field(default_factory=list)
    scripts: int = 0
    title: str = ""
    _row: tuple[str, str, list[str]] | None = None
    _store: list[str] | None = None
    _in_title: bool = False

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "tr" and found.get("class") == "till":
            self._row = (found["data-till"] or "", found["data-verdict"] or "", [])
        elif tag == "tr" and found.get("class") == "store":
            self._store = []
        elif tag == "td" and self._row is not None:
            self._row[2].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            till, verdict, cells = self._row
            self.rows[till] = (verdict, [cell.strip() for cell in cells])
            self._row = None
        elif tag == "tr" and self._store is not None:
            self.store_rows.append("".join(self._store).strip())
            self._store = None
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._row is not None and self._row[2]:
            self._row[2][-1] += data
        if self._store is not None:
            self._store.append(data)


def parsed(dom: str) -> Page:
    page = Page()
    page.feed(dom)
    page.close()
    return page


@needs_chromium
def test_the_browser_shows_every_till_with_its_verdict_and_a_script_in_a_store_name_as_text(
        status_hub: StatusHub, tmp_path: Path) -> None:
    expected = set_up_tills(status_hub, tmp_path)

    page = parsed(browse(signed_in(f"{status_hub.url}/status")))

    assert {till: verdict for till, (verdict, _cells) in page.rows.items()} == expected
    for till, (verdict, cells) in page.rows.items():
        assert cells[1] == verdict, till  # the verdict the support desk reads
    healthy = page.rows["S001/T01"][1]
    assert healthy[2].endswith(" ago") and page.rows["S001/T03"][1][2].endswith(" min ago")
    assert healthy[3] == "0.1.0" and healthy[7].startswith("#1,") and healthy[8] == "live"
    assert page.rows["S001/T02"][1][4] == "640" and "1 h 30 min" in page.rows["S001/T02"][1][9]
    assert "ahead of the hub" in page.rows["L003/K1"][1][9]
    assert page.rows["L003/K2"][1][2:4] == ["never", "-"] and page.rows["L003/K2"][1][8] == "none"
    assert f"L003 \u2014 {SCRIPT_STORE}" in page.store_rows  # shown as the text IT typed
    assert page.scripts == 0 and page.title == "Kassa hub: tills"  # and never run

    one_store = parsed(browse(signed_in(f"{status_hub.url}/status?store=L003")))
    assert set(one_store.rows) == {"L003/K1", "L003/K2"}

    shot = Path(os.environ.get("KASSA_HUB_SCREENSHOT") or tmp_path / "hub-status.png").resolve()
    browse(signed_in(f"{status_hub.url}/status"), f"--screenshot={shot}", "--window-size=1360,520")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_chromium
def test_without_the_password_the_browser_gets_no_till(status_hub: StatusHub) -> None:
    status_hub.shop.enrol("T09", STORE.store_id)
    dom = browse(f"{status_hub.url}/status")
    assert "T09" not in dom and parsed(dom).rows == {}


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_the_page_is_off_unless_the_hub_is_started_with_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    open_hub_database(url, migrate_schema=True).close()
    app = create_app(url)
    with TestClient(app) as client:
        answer = client.get("/status", headers=basic("status", PASSWORD))
    app.state.db.close()
    assert answer.status_code == 404 and answer.json() == {"error": "not_found", "detail": "Not Found"}


def test_only_the_status_password_opens_the_page_and_it_opens_nothing_else(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    db = open_hub_database(url, migrate_schema=True)
    app = create_app(url, status_password=PASSWORD)
    with TestClient(app) as client:
        shop = Shop.set_up(db, client, store_id=STORE.store_id)
        till = shop.enrol(STORE.till_id, STORE.store_id)
        refused = [client.get("/status", headers=headers).status_code for headers in (
            {}, shop.auth(till), basic("status", PASSWORD + "x"), basic("admin", PASSWORD), basic("status", ""),
            {"Authorization": "Basic !!!"}, {"Authorization": "Basic " + base64.b64encode(b"\xff:\xfe").decode()})]
        first = client.get("/status")
        page = client.get("/status", headers=basic("status", PASSWORD))
        api = client.get("/v1/datasets/products", headers=basic("status", PASSWORD))
        unknown = client.get("/status?store=NOWHERE", headers=basic("status", PASSWORD))
    app.state.db.close()
    db.close()
    assert refused == [401] * 7
    assert first.headers["www-authenticate"].startswith('Basic realm="Kassa hub status"')
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store" and "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert shop.tills[str(till)] not in page.text and "kt1." not in page.text and "argon2" not in page.text
    assert api.status_code == 401  # the page's password is not a till's credential
    assert unknown.status_code == 404 and "NOWHERE" in unknown.json()["detail"]


def test_serve_refuses_to_start_the_page_without_a_long_password(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KASSA_HUB_STATUS_PASSWORD"}
    for password in (None, "short"):
        if password is not None:
            env["KASSA_HUB_STATUS_PASSWORD"] = password
        done = subprocess.run([sys.executable, "-m", "central.cli", "serve", "--database",
                               f"sqlite:///{tmp_path / 'hub.sqlite3'}", "--port", str(free_port()), "--status-page"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1
        assert "KASSA_HUB_STATUS_PASSWORD" in done.stderr and "16 characters" in done.stderr


@settings(max_examples=1000 if os.environ.get("KASSA_SOAK") else 150, deadline=None)
@given(name=st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r"), max_size=60),
       till=st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r"), min_size=1,
                    max_size=20),
       reason=st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r"), max_size=40))
def test_whatever_a_name_holds_the_page_shows_it_as_text_and_nothing_else(name: str, till: str, reason: str) -> None:
    now = datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc)
    state = TillState("S-1", name, till, "live", now, "0.1.0", 0, None, 0.0, None, None, "late", (reason,))
    page = parsed(render([state], now, None, [("S-1", name)]))
    assert page.scripts == 0
    assert page.store_rows == [f"S-1 \u2014 {name}".strip()]
    (shown_till, (verdict, cells)), = page.rows.items()
    assert shown_till == f"S-1/{till}" and verdict == "late"
    assert cells[0] == till.strip() and cells[-1] == (reason.strip() if reason else "-")
