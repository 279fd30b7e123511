"""Shared fixtures: tiny hand-made store exports, and the real data when it is there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from customer_tables import customers_from, zero_contributions
from store_exports import store_files, write_store

REAL_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "one_click"


@pytest.fixture(autouse=True)
def _store_of_the_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every command a test runs registers in a store of its own, never in the checkout's out/."""
    store = tmp_path / "oneclick.duckdb"
    monkeypatch.setenv("ONECLICK_STORE", str(store))
    return store


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A folder with six customers' valid exports."""
    return write_store(tmp_path / "store", store_files())


@pytest.fixture
def real_data() -> Path:
    if not (REAL_DATA / "market_file.csv").is_file():
        pytest.skip("the store's data is not beside the project (../shared/data/one_click)")
    return REAL_DATA


@pytest.fixture
def make_customers() -> Callable[..., pd.DataFrame]:
    """Build a customer table from the columns each row changes (see customer_tables.py)."""
    return customers_from


@pytest.fixture
def make_contributions() -> Callable[..., pd.DataFrame]:
    return zero_contributions


@pytest.fixture(scope="session")
def period_comparisons(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Two real comparisons of small synthetic periods, realised and estimated (see period_comparisons.py)."""
    from period_comparisons import write_comparisons

    return write_comparisons(tmp_path_factory.mktemp("comparisons"))
