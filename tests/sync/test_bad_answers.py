"""Whatever a hub (or something pretending to be one) answers, the till's real HubClient
either returns a valid parsed answer or raises a SyncError with one clear line - never
another exception.  The answers come from a loopback server that sends the exact bytes
generated: random status lines and codes, Content-Encoding the body does not follow,
broken chunked framing, NULs in headers, wrong lengths, random bytes, near-valid JSON with
edge values, JSON nested far too deep, bodies over the bound.

Bounded for CI (``FUZZ_EXAMPLES``); ``KASSA_SOAK=1`` tries many more."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sync import answers
from sync.errors import (
    BadAnswer,
    HubAddressInvalid,
    HubNotTrusted,
    HubUnreachable,
    NetworkSettingsUnusable,
    RequestNotSent,
    SyncError,
)
from sync.hub_client import HubClient, RetryPolicy
from tests.sync.scripted_hub import ScriptedHub, http_answer, scripted_hub

FUZZ_EXAMPLES = 5000 if os.environ.get("KASSA_SOAK") else 300
BOUND = 64 * 1024  # the client's max_answer_bytes here: a "huge" body is cheap to make
# As the till does, a broken link is tried again (here at once): the server closes each
# connection after its answer, and a request may race that close on a reused connection.
ONCE = RetryPolicy(attempts=2, first_wait=0.001, max_wait=0.001)
CREDENTIAL = "kt1.AAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
SALES = [(1, '{"sale_id": "a"}'), (2, '{"sale_id": "b"}')]
CALLS = ("push", "heartbeat", "pull", "enrol")
tried: dict[str, int] = {"inputs": 0, "parsed": 0, "refused": 0}


@pytest.fixture(scope="module")
def server() -> Iterator[ScriptedHub]:
    with scripted_hub() as hub:
        yield hub


@pytest.fixture(scope="module")
def client(server: ScriptedHub) -> Iterator[HubClient]:
    """One client for all examples, as the till has: a connection the last answer left
    unusable must not spoil the next exchange either."""
    with HubClient(server.url, CREDENTIAL, timeout=10, retry=ONCE, max_answer_bytes=BOUND) as shared:
        yield shared


def call(client: HubClient, what: str) -> object:
    if what == "push":
        return client.push_sales(SALES)
    if what == "heartbeat":
        return client.heartbeat(3, 60)
    if what == "pull":
        return client.pull_page("products", "0", 100)
    return client.enrol("CODE-1234", "till")


def check(result: object, what: str) -> None:
    """A returned answer is the valid, typed thing the protocol promises."""
    if what == "push":
        assert isinstance(result, list) and len(result) == len(SALES)
        assert all(isinstance(r, answers.SaleResult) for r in result)
    elif what == "heartbeat":
        assert isinstance(result, datetime) and result.tzinfo is not None
    elif what == "pull":
        assert isinstance(result, answers.DatasetPage) and result.dataset == "products"
    else:
        assert result.credential.startswith("kt1.")  # type: ignore[attr-defined]


# -- what the strategies build ---------------------------------------------------------
def valid_body(what: str) -> dict:
    hub_time = "2026-12-02T03:00:00+00:00"
    if what == "push":
        return {"results": [{"sale_id": "a", "status": "accepted"}, {"sale_id": "b", "status": "duplicate"}],
                "hub_time": hub_time}
    if what == "heartbeat":
        return {"hub_time": hub_time}
    if what == "pull":
        return {"dataset": "products", "items": [{"code": "1", "name": "n", "brand": "", "category": "",
                                                  "vat_code": "A", "sold_by_weight": False, "deleted": False}],
                "cursor": "5", "more": False, "snapshot": "5"}
    return {"store_id": "S001", "till_id": "T01", "credential": CREDENTIAL, "hub_time": hub_time}


EDGE_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "1e400", "NaN", "\x00", "٣", "🙂" * 50, "a" * 400]),
    st.just([]), st.just({}),
)


@st.composite
def near_valid(draw: st.DrawFn, what: str) -> bytes:
    """The right answer with one or a few fields removed, replaced by edge values, or added."""
    body = valid_body(what)
    for _ in range(draw(st.integers(0, 3))):
        target = body
        if what in ("push", "pull") and draw(st.booleans()):
            items = body.get("results" if what == "push" else "items")
            if isinstance(items, list) and items and isinstance(items[0], dict):
                target = items[draw(st.integers(0, len(items) - 1))]
        key = draw(st.sampled_from(sorted(target) + ["extra"]))
        if draw(st.integers(0, 4)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(EDGE_VALUES)
    text = json.dumps(body, allow_nan=True)
    return text.encode("utf-8")


def deep(depth: int) -> bytes:
    return b'{"results":' + b"[" * depth + b"]" * depth + b',"hub_time":"x"}'


@st.composite
def bodies(draw: st.DrawFn, what: str) -> bytes:
    kind = draw(st.sampled_from(["valid", "near", "bytes", "json", "deep", "huge", "utf8-broken", "bom"]))
    if kind == "valid":
        return json.dumps(valid_body(what)).encode()
    if kind == "near":
        return draw(near_valid(what))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "json":
        value = draw(st.recursive(EDGE_VALUES, lambda inner: st.lists(inner, max_size=4)
                                  | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12))
        return json.dumps(value, allow_nan=True).encode()
    if kind == "deep":
        return deep(draw(st.sampled_from([100, 1000, 10_000, 50_000])))
    if kind == "huge":
        return b'{"hub_time": "' + b"x" * (BOUND + draw(st.integers(1, 3 * BOUND))) + b'"}'
    if kind == "utf8-broken":
        return json.dumps(valid_body(what)).encode()[:-3] + b"\xff\xfe\"}"
    return b"\xef\xbb\xbf" + json.dumps(valid_body(what)).encode()


STATUSES = st.one_of(
    st.sampled_from([200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503]),
    st.integers(min_value=100, max_value=999),
    st.sampled_from([b"HTTP/1.1 abc Odd", b"HTTP/1.1 20 Short", b"HTTP/2 200 OK", b"garbage", b"HTTP/1.1 200",
                     b"HTTP/1.1 1000 Long", b"HTTP/1.0 200 OK", b"ICY 200 OK"]),
)
ENCODINGS = st.sampled_from([b"gzip", b"deflate", b"br", b"zstd", b"identity", b"gzip, gzip", b"x-unknown",
                             b"", b"GZIP", b"gzip, deflate"])
ODD_HEADERS = st.sampled_from([
    (b"X-Nul", b"a\x00b"), (b"X-Latin", "é".encode("latin-1")), (b"X-Utf8", "ї".encode()),
    (b"Content-Type", b"text/html"), (b"Content-Type", b"application/json; charset=koi8-r"),
    (b"Location", b"/v1/heartbeat"), (b"Set-Cookie", b"a=b; Path=/"), (b"Bad Header", b"x"),
    (b"X-Long", b"y" * 10_000), (b"X-Empty", b""), (b"Retry-After", b"-5"),
])


def clean_answer(what: str, body: bytes) -> bytes:
    """The status the protocol says and plain framing."""
    return http_answer(201 if what == "enrol" else 200, [(b"Content-Type", b"application/json")], body)


@st.composite
def raw_answers(draw: st.DrawFn, what: str) -> bytes:
    choice = draw(st.integers(0, 7))
    if choice == 0:  # the right answer: it must be taken, whatever came before on the connection
        return clean_answer(what, json.dumps(valid_body(what)).encode())
    if choice == 1:
        return clean_answer(what, draw(near_valid(what)))
    status = draw(STATUSES)
    body = draw(bodies(what))
    headers: list[tuple[bytes, bytes]] = [(b"Content-Type", b"application/json")]
    headers += draw(st.lists(ODD_HEADERS, max_size=2))
    encoding = draw(st.none() | ENCODINGS)
    if encoding is not None:
        if encoding in (b"gzip", b"GZIP") and draw(st.booleans()):
            body = gzip.compress(body)  # really gzip (and maybe still not what the protocol says)
        elif encoding == b"deflate" and draw(st.booleans()):
            body = zlib.compress(body)
        headers.append((b"Content-Encoding", encoding))
    framing = draw(st.sampled_from(["length", "none", "short", "long", "bad-length", "chunked", "bad-chunks"]))
    if framing == "length":
        return http_answer(status, headers, body)
    if framing == "none":  # read until the server closes
        return http_answer(status, headers, body, content_length=False)
    if framing in ("short", "long", "bad-length"):
        declared = {"short": str(max(0, len(body) - 5)), "long": str(len(body) + 50),
                    "bad-length": draw(st.sampled_from(["-1", "abc", "1e3", "", "99999999999999999999"]))}[framing]
        return http_answer(status, [*headers, (b"Content-Length", declared.encode())], body, content_length=False)
    if framing == "chunked":
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 97]), body[i:i + 97]) for i in range(0, len(body), 97))
        return http_answer(status, [*headers, (b"Transfer-Encoding", b"chunked")], chunks + b"0\r\n\r\n",
                           content_length=False)
    broken = draw(st.sampled_from([b"zz\r\n", b"5\r\nab\r\n", b"-1\r\n", b"ffffffffffffffffff\r\n", b""]))
    return http_answer(status, [*headers, (b"Transfer-Encoding", b"chunked")], broken + body, content_length=False)


@st.composite
def exchanges(draw: st.DrawFn) -> tuple[str, bytes]:
    what = draw(st.sampled_from(CALLS))
    return what, draw(raw_answers(what))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(exchanges())
@example(("push", http_answer(200, [(b"Content-Encoding", b"gzip")], b"this is not gzip")))
@example(("heartbeat", http_answer(200, [], deep(10_000))))
@example(("pull", http_answer(200, [(b"Transfer-Encoding", b"chunked")], b"zz\r\nabc", content_length=False)))
@example(("enrol", http_answer(201, [(b"X-Nul", b"a\x00b")], b"{}")))
@pytest.mark.timeout(3600 if os.environ.get("KASSA_SOAK") else 300)
def test_any_answer_is_either_a_valid_answer_or_a_sync_error(server: ScriptedHub, client: HubClient,
                                                             exchange: tuple[str, bytes]) -> None:
    what, raw = exchange
    server.answer = raw
    tried["inputs"] += 1
    try:
        result = call(client, what)
    except SyncError as error:
        assert raw != clean_answer(what, json.dumps(valid_body(what)).encode()), f"a right answer refused: {error}"
        tried["refused"] += 1
        text = error.user_message()
        assert text and "\n" not in text and "Traceback" not in text
        return
    tried["parsed"] += 1
    check(result, what)


def test_the_fuzzing_tried_what_it_says() -> None:
    """Runs after the fuzz target (same module, file order): the figures for the report."""
    if tried["inputs"] == 0:
        pytest.skip("the fuzz target did not run in this session")
    print(f"\nhub answers tried: {tried['inputs']} ({tried['parsed']} parsed, {tried['refused']} refused)")
    assert tried["parsed"] > 0 and tried["refused"] > 0


# -- the named cases, one by one --------------------------------------------------------
NAMED = {
    "gzip that is not": (http_answer(200, [(b"Content-Encoding", b"gzip")], b"not gzip"), BadAnswer,
                         "cannot be decoded"),
    "deflate that is not": (http_answer(200, [(b"Content-Encoding", b"deflate")], b"nope"), BadAnswer, "decoded"),
    "broken chunks": (http_answer(200, [(b"Transfer-Encoding", b"chunked")], b"zz\r\nabc\r\n", content_length=False),
                      HubUnreachable, "RemoteProtocolError"),
    "not JSON": (http_answer(200, [], b"<html>hello</html>"), BadAnswer, "does not follow the protocol"),
    "JSON 10,000 deep": (http_answer(200, [], deep(10_000)), BadAnswer, "does not follow the protocol"),
    "over the bound, declared": (http_answer(200, [], b"x" * (BOUND + 1)), BadAnswer, "declares"),
    "over the bound, undeclared": (http_answer(200, [], b"x" * (3 * BOUND), content_length=False), BadAnswer,
                                   f"over {BOUND} bytes"),
    "NUL in a header": (http_answer(200, [(b"X-Nul", b"a\x00b")], b"{}"), HubUnreachable, "RemoteProtocolError"),
    "a redirect": (http_answer(302, [(b"Location", b"/elsewhere")], b""), BadAnswer, "unexpected HTTP status 302"),
    "cut short": (http_answer(200, [(b"Content-Length", b"500")], b"{}", content_length=False), HubUnreachable,
                  "RemoteProtocolError"),
}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_each_transport_surprise_is_a_clear_sync_error(server: ScriptedHub, client: HubClient, name: str) -> None:
    raw, kind, words = NAMED[name]
    server.answer = raw
    with pytest.raises(kind) as raised:
        call(client, "heartbeat")
    assert words in raised.value.user_message(), raised.value.user_message()


@pytest.mark.parametrize("url", ["http://[::1", "http://hub\x00.example", "ftp://hub.example", "hub.example:8080", ""])
def test_a_hub_address_that_cannot_work_is_a_clear_error_on_every_exchange(url: str) -> None:
    client = HubClient(url, CREDENTIAL, retry=ONCE)  # the till starts all the same
    for _ in range(2):
        with pytest.raises(HubAddressInvalid) as raised:
            client.heartbeat(0, None)
        assert "hub_url" in raised.value.user_message()
    client.close()


@pytest.mark.parametrize("credential", ["kt1.é.x", "kt1.a\nb.c", "kt1.a\x00b.c"])
def test_a_credential_a_header_cannot_carry_is_a_clear_error(server: ScriptedHub, credential: str) -> None:
    server.answer = http_answer(200, [], json.dumps(valid_body("heartbeat")).encode())
    with HubClient(server.url, credential, retry=ONCE) as client, pytest.raises(RequestNotSent) as raised:
        client.heartbeat(0, None)
    assert "could not be sent" in raised.value.user_message()


@pytest.mark.parametrize(("variable", "value"), [
    ("SSL_CERT_FILE", "/nonexistent/ca.pem"), ("ALL_PROXY", "socks5://127.0.0.1:9"),
    ("HTTPS_PROXY", "ht!tp://proxy"), ("HTTP_PROXY", "http://[::1"),
])
def test_proxy_or_ca_variables_the_client_cannot_use_are_a_clear_error_not_a_crash(
        server: ScriptedHub, monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    client = HubClient(server.url, CREDENTIAL, retry=ONCE)  # the till starts all the same
    with pytest.raises(NetworkSettingsUnusable) as raised:
        client.heartbeat(0, None)
    assert variable in raised.value.user_message() and "\n" not in raised.value.user_message()
    client.close()


@pytest.mark.parametrize("bundle", ["nul\x00in-the-path.pem", "folder", "not-a-certificate.pem"])
def test_a_ca_bundle_that_cannot_be_used_is_a_clear_error_not_a_crash(server: ScriptedHub, tmp_path: Path,
                                                                      bundle: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "not-a-certificate.pem").write_text("hello", encoding="utf-8")
    client = HubClient(server.url, CREDENTIAL, ca_bundle=tmp_path / bundle, retry=ONCE)  # the till starts
    with pytest.raises(HubNotTrusted) as raised:
        client.heartbeat(0, None)
    assert "ca_bundle" in raised.value.user_message()
    client.close()
