from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.sale_control.shop import DrivenClock, make_shop


@pytest.fixture
def clock() -> DrivenClock:
    return DrivenClock()


@pytest.fixture
def shop(tmp_path: Path, clock: DrivenClock) -> Path:
    return make_shop(tmp_path / "till.sqlite3", clock)
