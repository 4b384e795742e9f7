"""Head office's promotions at the hub: definitions checked all or nothing (every problem on its
own line, naming the promotion and the field), stored with a version per change, pulled by
every till as the promotions dataset; set by ``kassa-hub set-promotions`` or ``PUT
/v1/promotions`` under head office's admin token, never a till's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central.app import create_app
from central.cli import main
from central.errors import AdminProblem
from central.promotions import BadPromotions, set_promotions, store_promotions
from central.promotions_api import check_admin_token
from pos.pricing.definitions import definition_from_dict, definition_to_dict, promotion_set_from_items
from tests.central.shop import Shop
from tests.fakes import CREAM, SHAMPOO
from tests.pos.store_day.day import EXAMPLES

TOKEN = "head-office-" + "x" * 40


def promotion(promotion_id: str, **fields: Any) -> dict[str, Any]:
    return {"format": "kassa.promotion.v1", "id": promotion_id, "name": f"Offer {promotion_id}",
            "kind": "percent_off", "percent": "10", **fields}


SET = [promotion("P-SHAMPOO", scope={"products": [SHAMPOO.code]}),
       {"format": "kassa.promotion.v1", "id": "P-3FOR2", "name": "3 for 2", "kind": "buy_get", "buy": 2, "get": 1,
        "scope": {"brands": ["Brand"]}},
       {"format": "kassa.promotion.v1", "id": "C-LUX", "name": "Luxury cap", "kind": "cap", "max_percent": "10",
        "scope": {"categories": ["Category"]}}]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path: Path, items: Any) -> str:
    path = tmp_path / "promotions.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return str(path)


def test_promotions_set_from_a_file_reach_every_till_and_read_back_as_the_same_promotions(
        shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    here, elsewhere = shop.enrol("T01"), shop.enrol("T01", store_id="UA-LVIV-002")
    status, out, _ = run(capsys, "set-promotions", "--database", database_url, write(tmp_path, SET))
    assert status == 0 and "3 saved, 0 unchanged, 0 removed" in out

    items, cursor = shop.pull_all(here, "promotions")
    assert [(i["id"], i["deleted"]) for i in items] == [("P-SHAMPOO", False), ("P-3FOR2", False), ("C-LUX", False)]
    assert shop.pull_all(elsewhere, "promotions")[0] == items  # every store's tills: the engine checks stores
    found, skipped = promotion_set_from_items(items, "UAH")
    assert skipped == () and [p.promotion_id for p in found.promotions] == ["P-SHAMPOO", "P-3FOR2"]
    assert found.promotions[0] == definition_from_dict(SET[0], "UAH") and found.caps[0].cap_id == "C-LUX"
    assert items[0]["definition"] == definition_to_dict(found.promotions[0])  # the full form, every field

    # the same file again changes nothing; one changed definition is the only new item
    assert "0 saved, 3 unchanged" in run(capsys, "set-promotions", "--database", database_url,
                                         write(tmp_path, SET))[1]
    assert shop.pull_all(here, "promotions", cursor)[0] == []
    changed = [SET[0] | {"percent": "15"}, SET[1], SET[2]]
    assert set_promotions(shop.db, changed).unchanged == ["P-3FOR2", "C-LUX"]
    newer, cursor = shop.pull_all(here, "promotions", cursor)
    assert [(i["id"], i["definition"]["percent"]) for i in newer] == [("P-SHAMPOO", "15")]

    status, out, _ = run(capsys, "remove-promotion", "--database", database_url, "P-3FOR2")
    assert status == 0 and "removed P-3FOR2" in out
    assert shop.pull_all(here, "promotions", cursor)[0] == [{"id": "P-3FOR2", "definition": None, "deleted": True}]
    status, out, _ = run(capsys, "promotions", "--database", database_url)
    assert status == 0 and "2 promotion(s)" in out and "P-3FOR2" not in out and "Luxury cap" in out
    assert run(capsys, "remove-promotion", "--database", database_url, "P-NONE")[0] == 1


def test_a_bad_file_is_refused_with_every_problem_on_its_own_line_and_nothing_changes(
        shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    till = shop.enrol()
    bad = [promotion("P-NEG", percent="-10"),
           promotion("P-GHOST", scope={"products": ["NO-SUCH"], "brands": ["Nobody"]}),
           promotion("P-DATE", validity={"starts": "2026-02-30T00:00"}),
           promotion("P-A", combination="exclusive"), promotion("P-B", combination="exclusive"),
           "not a definition", SET[0]]
    status, out, err = run(capsys, "set-promotions", "--database", database_url, write(tmp_path, bad))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        "kassa-hub: Promotion P-NEG: percent must be more than 0 and at most 100 percent, not “-10”.",
        "kassa-hub: Promotion P-DATE: validity.starts must be a local date and time like 2026-12-01T00:00, "
        "not “2026-02-30T00:00”.",
        "kassa-hub: Promotion #6: a definition must be a JSON object, not “not a definition”.",
        "kassa-hub: Promotion P-GHOST: scope.products names product “NO-SUCH”, which the catalog does not have.",
        "kassa-hub: Promotion P-GHOST: scope.brands names brand “Nobody”, which no product of the catalog has.",
        "kassa-hub: Promotions P-A and P-B overlap: both are exclusive in priority group 0 and can cover the same "
        "line at the same time (overlapping exclusive groups).",
        f"kassa-hub: 6 problem(s) in {tmp_path / 'promotions.json'}: nothing changed"]
    assert shop.pull_all(till, "promotions")[0] == []
    for unreadable, says in ((b"[{", "is not JSON"), (b"\xff", "not UTF-8"), (b'{"id": 1}', "a JSON list")):
        (tmp_path / "promotions.json").write_bytes(unreadable)
        status, _, err = run(capsys, "set-promotions", "--database", database_url, str(tmp_path / "promotions.json"))
        assert status == 1 and says in err, err


def test_a_full_set_removes_the_stored_promotions_it_lacks_and_checks_overlaps_with_those_that_stay(
        shop: Shop) -> None:
    exclusive = promotion("P-EXCL", combination="exclusive")
    store_promotions(shop.db, [*SET, exclusive])
    with pytest.raises(BadPromotions, match="Promotions P-OTHER and P-EXCL overlap"):
        set_promotions(shop.db, [promotion("P-OTHER", combination="exclusive", scope={"products": [CREAM.code]})])
    saved = set_promotions(shop.db, [SET[0], promotion("P-OTHER", combination="exclusive")], full=True)
    assert [i for i, _ in saved.removed] == ["C-LUX", "P-3FOR2", "P-EXCL"] and saved.unchanged == ["P-SHAMPOO"]


# -- PUT /v1/promotions ----------------------------------------------------------------------------
@pytest.fixture
def head_office(database_url: str, shop: Shop) -> Iterator[TestClient]:
    app = create_app(database_url, admin_token=TOKEN)
    with TestClient(app) as client:
        yield client
    app.state.db.close()


def test_head_office_puts_promotions_with_its_token_and_gets_what_changed(head_office: TestClient,
                                                                        shop: Shop) -> None:
    till = shop.enrol()
    answer = head_office.put("/v1/promotions", json=SET, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [s["id"] for s in body["saved"]] == ["P-SHAMPOO", "P-3FOR2", "C-LUX"] and body["unchanged"] == []
    assert [i["id"] for i in shop.pull_all(till, "promotions")[0]] == ["P-SHAMPOO", "P-3FOR2", "C-LUX"]
    again = head_office.put("/v1/promotions?full=true", json=SET[:1], headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.json()["unchanged"] == ["P-SHAMPOO"] and [r["id"] for r in again.json()["removed"]] == [
        "C-LUX", "P-3FOR2"]


def test_bad_definitions_put_are_answered_400_naming_each_problem(head_office: TestClient, shop: Shop) -> None:
    answer = head_office.put("/v1/promotions", json=[promotion("P-1", percent="150"), promotion("P-1")],
                             headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 400 and answer.json()["error"] == "bad_definitions"
    assert answer.json()["problems"] == [
        "Promotion P-1: percent must be more than 0 and at most 100 percent, not “150”.",
        "Promotion P-1: more than one definition has this id."]
    assert "2 problem(s), nothing changed" in answer.json()["detail"]


def test_a_tills_credential_or_no_token_opens_nothing_and_without_a_token_set_the_api_is_off(
        head_office: TestClient, shop: Shop) -> None:
    till = shop.enrol()
    for headers in ({}, shop.auth(till), {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": f"Basic {TOKEN}"}):
        answer = head_office.put("/v1/promotions", json=SET, headers=headers)
        assert (answer.status_code, answer.json()["error"]) == (401, "unauthorized"), headers
    assert head_office.get("/v1/datasets/promotions", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 401
    answer = shop.http.put("/v1/promotions", json=SET, headers={"Authorization": f"Bearer {TOKEN}"})  # type: ignore[attr-defined]
    assert answer.status_code == 404 and "KASSA_HUB_ADMIN_TOKEN" in answer.json()["detail"]
    assert shop.pull_all(till, "promotions")[0] == []


def test_an_admin_token_too_short_or_shaped_like_a_tills_credential_is_refused_at_start() -> None:
    assert check_admin_token(None) is None and check_admin_token(TOKEN) == TOKEN
    for wrong in ("short", "kt1." + "a" * 40):
        with pytest.raises(AdminProblem, match="at least 32 characters"):
            check_admin_token(wrong)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12)
fields = st.sampled_from(["id", "kind", "percent", "scope", "validity", "combination", "priority", "product"])


@settings(max_examples=min(EXAMPLES, 30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.one_of(json_values, st.builds(lambda k, v: SET[0] | {k: v}, fields, json_values)),
                     max_size=4))
def test_whatever_list_head_office_puts_the_hub_answers_200_or_400_naming_problems(
        head_office: TestClient, body: list[Any]) -> None:
    answer = head_office.put("/v1/promotions", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code in (200, 400), answer.text
    if answer.status_code == 400:
        assert answer.json()["error"] == "bad_definitions" and answer.json()["problems"]


def test_a_hub_served_with_the_admin_token_in_its_environment_takes_promotions_over_http(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import httpx

    from central.catalog_files import rows_from_products
    from central.catalog_import import import_catalog
    from central.database import open_hub_database
    from tests.central.hub_process import running_hub
    from tests.fakes import DEMO_PRODUCTS

    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    with open_hub_database(url, migrate_schema=True) as db:
        import_catalog(db, rows_from_products(DEMO_PRODUCTS))
    monkeypatch.setenv("KASSA_HUB_ADMIN_TOKEN", "too-short")
    status, _, err = run(capsys, "serve", "--database", url)
    assert status == 1 and "KASSA_HUB_ADMIN_TOKEN must be at least 32 characters" in err
    monkeypatch.setenv("KASSA_HUB_ADMIN_TOKEN", TOKEN)
    with running_hub(url) as base:
        answer = httpx.put(f"{base}/v1/promotions", json=SET, headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 200 and len(answer.json()["saved"]) == 3, answer.text
        assert httpx.put(f"{base}/v1/promotions", json=SET).status_code == 401
