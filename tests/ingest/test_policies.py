"""Inactive customers and revenue outliers: flagged always, handled by the chosen policy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from oneclick import load_tables
from oneclick.ingest.outliers import flag_revenue_outliers
from store_exports import store_files, write_store


@pytest.mark.parametrize(("policy", "kept"), [("exclude", False), ("keep", True)])
def test_inactive_customer_is_flagged_and_handled_by_policy(tmp_path: Path, policy: str, kept: bool) -> None:
    tables = load_tables(write_store(tmp_path / "s", store_files(inactive=True)), inactive_policy=policy)
    assert tables.quality.inactive == [1001]
    assert (1001 in tables.kept_customers) is kept
    assert tables.quality.policy["inactive"] == policy


def _month(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": range(len(values)), "period": "current_month", "revenue": values})


@pytest.mark.parametrize(("policy", "revenue_after"), [("cap", None), ("keep", 50_000.0), ("exclude", 50_000.0)])
def test_revenue_outlier_policy(policy: str, revenue_after: float | None) -> None:
    money = _month([4_000.0 + 10 * i for i in range(40)] + [50_000.0])
    cleaned, found = flag_revenue_outliers(money, 3.0, policy)
    assert found["customer_id"].tolist() == [40]
    after = cleaned["revenue"].iloc[-1]
    if revenue_after is None:
        assert after == pytest.approx(found["threshold"].iloc[0], abs=0.1)
        assert after < 50_000.0
    else:
        assert after == revenue_after


def test_small_months_are_not_judged() -> None:
    _, found = flag_revenue_outliers(_month([100.0, 110.0, 120.0, 90_000.0]), 3.0, "cap")
    assert found.empty


def test_real_data_done_when(real_data: Path) -> None:
    tables = load_tables(real_data)
    quality = tables.quality
    assert quality.customers_read == 1300
    fixes = {(f.table, f.before): f.count for f in quality.fixes}
    assert fixes[("market_file", "стандартт")] == 10
    assert fixes[("market_time", "предыдцщий_месяц")] == 1300
    assert fixes[("market_file", "Косметика и аксесуары")] == 223
    assert quality.inactive == [215348, 215357, 215359]
    assert quality.outliers["revenue"].tolist() == [106862.2]
    assert quality.outliers["action"].tolist() == ["capped"]
    assert tables.money["profit"].mean() == pytest.approx(4.0, abs=0.01)
    assert len(tables.kept_customers) == 1297
    assert quality.quarantine.empty


def test_real_data_outlier_excluded_when_asked(real_data: Path) -> None:
    tables = load_tables(real_data, outlier_policy="exclude")
    assert len(tables.kept_customers) == 1296
    assert "revenue outlier 106,862.2" in tables.quality.excluded.set_index("customer_id").loc[215380, "reason"]
