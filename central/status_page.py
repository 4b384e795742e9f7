"""The support desk's read-only page of the tills: ``GET /status`` (``?store=S`` for one store).

Server-rendered HTML, no JavaScript, every value escaped (store names come from IT), a
meta refresh every ``REFRESH_SECONDS``.  It shows what ``kassa-hub tills`` shows
(``central.tills_report``) and nothing secret: no credential, no code, no PIN hash.

Protection.  The page is off unless the hub is started with ``kassa-hub serve
--status-page`` and ``$KASSA_HUB_STATUS_PASSWORD`` (at least ``MIN_PASSWORD`` characters)
set; off, ``/status`` answers ``404 not_found`` like any unknown path.  On, it asks for
HTTP Basic authentication (user ``status``, that password; compared in constant time)
and answers ``401`` otherwise.  A till's credential opens nothing here and the password
opens nothing of the till API: the two never meet.  Answers are not cached and may not be
framed; the Content-Security-Policy allows no script at all.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from datetime import datetime, timezone
from html import escape
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPBasic

from central.database import HubDatabase
from central.errors import AdminProblem, NotFound
from central.tills_report import THRESHOLDS, TillState, ago, duration, store_names, summary, till_states

STATUS_PASSWORD_VARIABLE = "KASSA_HUB_STATUS_PASSWORD"
STATUS_USER = "status"
MIN_PASSWORD = 16
REFRESH_SECONDS = 30
STORE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_REALM = 'Basic realm="Kassa hub status", charset="UTF-8"'
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class _SignIn(HTTPBasic):
    """Documents HTTP Basic in the OpenAPI document; the header is checked by the page itself,
    after the query (so a bad ``store`` is a 400) and after the page is known to be on."""

    async def __call__(self, request: Request) -> str | None:  # type: ignore[override]
        return request.headers.get("authorization")


_sign_in = _SignIn(scheme_name="StatusPage", realm="Kassa hub status", auto_error=False,
                   description=f"user {STATUS_USER!r}, the password in ${STATUS_PASSWORD_VARIABLE}")
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}


def check_password(password: str | None) -> str:
    """The status page's password as given to ``create_app``: long enough, or AdminProblem."""
    if password is None or len(password.strip()) < MIN_PASSWORD:
        raise AdminProblem(f"--status-page needs ${STATUS_PASSWORD_VARIABLE} set to a password of at least "
                           f"{MIN_PASSWORD} characters (the support desk signs in as user {STATUS_USER!r})")
    return password.strip()


def _signed_in(header: str | None, password: str) -> bool:
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        return False
    try:
        user, _, given = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    same_user = hmac.compare_digest(user.encode(), STATUS_USER.encode())
    return hmac.compare_digest(given.encode(), password.encode()) and same_user


def add_status_page(app: FastAPI, password: str | None) -> None:
    """Register ``GET /status``: always in the app (and so in its OpenAPI document), answering
    404 unless ``password`` turns the page on."""
    app.state.status_password = password

    @app.get("/status", response_class=HTMLResponse, tags=["operations"], responses={
        200: {"description": "the tills' status page (HTML)", "content": {"text/html": {}}},
        400: {"content": _ERROR, "description": "a store that is not a store identifier"},
        401: {"content": _ERROR, "description": "the page is on: sign in with HTTP Basic (user status)"},
        404: {"content": _ERROR, "description": "the page is off (kassa-hub serve --status-page), or no such store"},
    })
    def get_status(request: Request, authorization: Annotated[str | None, Depends(_sign_in)],
                   store: Annotated[str | None, Query(pattern=STORE_PATTERN, max_length=64, description=(
                       "only this store's tills"))] = None) -> Response:
        """The support desk's read-only page of every till (off unless the hub runs with --status-page)."""
        secret = request.app.state.status_password
        if secret is None:
            raise NotFound("Not Found")
        if not _signed_in(authorization, secret):
            return JSONResponse({"error": "unauthorized", "detail": "sign in as user status with the status page's "
                                 "password"}, status_code=401, headers={"WWW-Authenticate": _REALM, **_HEADERS})
        db: HubDatabase = request.app.state.db
        now = datetime.now(timezone.utc)
        try:
            states = till_states(db, store, now=now)
        except AdminProblem as problem:
            raise NotFound(problem.detail) from None
        return HTMLResponse(render(states, now, store, store_names(db)), headers=_HEADERS)


_STYLE = """
body{font:14px/1.4 "DejaVu Sans",Arial,sans-serif;margin:0;background:#f4f5f7;color:#1d2433}
header{background:#1d2433;color:#fff;padding:14px 24px;display:flex;align-items:baseline;gap:24px}
header h1{font-size:20px;margin:0}header .when{color:#b8c0d0}
main{padding:16px 24px}
.counts{display:flex;gap:10px;margin:0 0 14px;flex-wrap:wrap}
.count{background:#fff;border-radius:6px;padding:8px 14px;box-shadow:0 1px 2px #0002}
.count b{font-size:20px;margin-right:6px}
nav{margin:0 0 14px}nav a{margin-right:12px;color:#2456a6}nav a.here{font-weight:bold;color:#1d2433}
table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002;border-radius:6px}
th,td{padding:7px 10px;text-align:left;border-bottom:1px solid #e3e6eb;vertical-align:top}
th{background:#e9ecf1;font-weight:600;font-size:13px}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.store td{background:#f8f9fb;font-weight:600;border-top:2px solid #d5d9e0}
.v{display:inline-block;min-width:58px;text-align:center;border-radius:10px;padding:1px 8px;font-weight:600;color:#fff}
.v-OK{background:#2e8540}.v-late{background:#c77c02}.v-skewed{background:#7d4ab5}
.v-backlog{background:#d0531e}.v-silent{background:#b3261e}
.muted{color:#6b7384}.why{color:#3d4455;font-size:13px}
footer{padding:4px 24px 20px;color:#6b7384;font-size:12px}
"""


def render(states: list[TillState], now: datetime, store: str | None, stores: list[tuple[str, str]]) -> str:
    """The whole page; every value from the database goes through ``escape``."""
    e = escape
    counts = "".join(f'<div class="count"><b>{sum(1 for s in states if s.verdict == v)}</b>'
                     f'<span class="v v-{v}">{v}</span></div>' for v in ("silent", "backlog", "skewed", "late", "OK"))
    links = [f'<a href="status"{" class=here" if store is None else ""}>all stores</a>']
    for store_id, name in stores:
        here = ' class="here"' if store_id == store else ""
        links.append(f'<a href="status?{e(urlencode({"store": store_id}))}"{here} title="{e(name)}">{e(store_id)}</a>')
    rows: list[str] = []
    shown_store = None
    for s in states:
        if s.store_id != shown_store:
            shown_store = s.store_id
            rows.append(f'<tr class="store"><td colspan="10">{e(s.store_id)} &mdash; {e(s.store_name)}</td></tr>')
        seen = "" if s.last_seen_at is None else s.last_seen_at.isoformat(timespec="seconds")
        sale = ("none" if s.last_sale_seq is None
                else f"#{s.last_sale_seq}, {ago(s.last_sale_at, now)}")
        rows.append(
            f'<tr class="till" data-till="{e(s.store_id)}/{e(s.till_id)}" data-verdict="{e(s.verdict)}">'
            f'<td>{e(s.till_id)}</td><td><span class="v v-{e(s.verdict)}">{e(s.verdict)}</span></td>'
            f'<td title="{e(seen)}">{e(ago(s.last_seen_at, now))}</td>'
            f'<td>{e(s.app_version or "-")}</td>'
            f'<td class="n">{"-" if s.queue_length is None else s.queue_length}</td>'
            f'<td class="n">{e(duration(s.oldest_unsent_seconds))}</td>'
            f'<td class="n">{e(duration(s.clock_skew_seconds))}</td>'
            f'<td>{e(sale)}</td><td>{e(s.credential)}</td>'
            f'<td class="why">{e("; ".join(s.reasons)) or "<span class=muted>-</span>"}</td></tr>')
    if not states:
        rows.append('<tr><td colspan="10" class="muted">No tills yet: a till appears here with its first '
                    'enrolment code (kassa-hub enrol-code).</td></tr>')
    limits = THRESHOLDS
    title = "Kassa hub: tills" + (f" of {store}" if store else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{REFRESH_SECONDS}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title><style>{_STYLE}</style></head>
<body><header><h1>{e(title)}</h1><span class="when">hub time {e(now.isoformat(timespec="seconds"))}
&middot; {e(summary(states))} &middot; refreshes every {REFRESH_SECONDS} s</span></header>
<main><div class="counts">{counts}</div><nav>{"".join(links)}</nav>
<table><thead><tr><th>Till</th><th>Verdict</th><th>Last heartbeat</th><th>Version</th><th>Queue</th>
<th>Oldest unsent</th><th>Clock skew</th><th>Last sale received</th><th>Credential</th><th>Why</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></main>
<footer>Verdicts: <b>silent</b> no contact for {duration(limits.silent_after.total_seconds())} or never;
<b>backlog</b> oldest unsent sale {duration(limits.backlog_after.total_seconds())} old or
{limits.backlog_sales} sales waiting; <b>skewed</b> clock {duration(limits.skew_limit.total_seconds())} or more off;
<b>late</b> no contact for {duration(limits.late_after.total_seconds())}. Queue, oldest unsent and clock skew are as
the till's last heartbeat said. Read-only; the same as <code>kassa-hub tills</code>.</footer>
</body></html>
"""
