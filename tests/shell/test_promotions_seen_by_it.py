"""IT sees the promotions a till holds and each one it skipped with the reason: ``kassa
status`` lists them, ``kassa doctor`` calls skipped ones 'attention' (exit 1) and its
``--json`` names every one.  A real till database and the real commands in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from local_db.database import open_database
from local_db.promotions import SqlPromotions, load_promotions
from tests.shell.test_doctor import doctor_json, verdicts, write_settings
from tests.sync.test_shell_commands import kassa

GOOD = {"format": "kassa.promotion.v1", "id": "P-HAIR-10", "name": "Hair care -10 %", "kind": "percent_off",
        "percent": "10", "scope": {"categories": ["Hair care"]}}
FROM_A_NEWER_HUB = {"format": "kassa.promotion.v2", "id": "P-NEW", "name": "Points x2", "kind": "points"}
BAD_PERCENT = {**GOOD, "id": "P-BAD", "percent": "ten"}


def till_holding(folder: Path, *definitions: dict) -> Path:
    """An offline till whose database holds ``definitions``, read once as a sale would; its settings."""
    config = write_settings(folder, None)
    with open_database(folder / "till.sqlite3") as db:
        load_promotions(db, definitions)
        SqlPromotions(db, "UAH").current()  # the till reads them: the unreadable ones get their reason
    return config


def test_kassa_status_says_how_many_promotions_are_held_and_each_skipped_one_with_its_reason(tmp_path: Path) -> None:
    config = till_holding(tmp_path, GOOD, FROM_A_NEWER_HUB, BAD_PERCENT)
    result = kassa("status", "--config", str(config), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "promotions: 3 held, 2 skipped" in lines
    skipped = [line for line in lines if line.startswith("  skipped ")]
    assert [line.split()[1] for line in skipped] == ["P-BAD:", "P-NEW:"]
    assert all(len(line.split(": ", 1)[1]) > 5 for line in skipped)  # a reason, not just the id
    assert "v2" in skipped[1] or "format" in skipped[1], skipped


def test_kassa_doctor_calls_skipped_promotions_attention_and_its_json_names_each_with_its_reason(
        tmp_path: Path) -> None:
    config = till_holding(tmp_path, GOOD, FROM_A_NEWER_HUB)
    document = doctor_json(config, tmp_path)
    assert verdicts(document)["promotions"] == "attention" and document["exit_code"] >= 1
    [check] = [c for c in document["checks"] if c["name"] == "promotions"]
    assert check["details"]["held"] == 2
    assert [s["id"] for s in check["details"]["skipped"]] == ["P-NEW"] and check["details"]["skipped"][0]["reason"]
    assert check["summary"].endswith(": P-NEW") and "upgrade" in check["advice"]
    json.dumps(document)  # all of it is plain JSON for monitoring


def test_kassa_doctor_is_content_with_promotions_all_read(tmp_path: Path) -> None:
    config = till_holding(tmp_path, GOOD)
    document = doctor_json(config, tmp_path)
    [check] = [c for c in document["checks"] if c["name"] == "promotions"]
    assert check["verdict"] == "ok" and check["summary"] == "1 promotions held, none skipped"
    assert check["details"] == {"held": 1, "skipped": []}
