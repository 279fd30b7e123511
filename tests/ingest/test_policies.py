"""Inactive customers and revenue outliers: flagged always, handled by the chosen policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from oneclick import load_tables
from store_exports import MARKET_FILE_HEADER, MARKET_FILE_ROWS, PERIODS_MONEY, PERIODS_TIME, store_files, write_store


@pytest.mark.parametrize(("policy", "kept"), [("exclude", False), ("keep", True)])
def test_inactive_customer_is_flagged_and_handled_by_policy(tmp_path: Path, policy: str, kept: bool) -> None:
    tables = load_tables(write_store(tmp_path / "s", store_files(inactive=True)), inactive_policy=policy)
    assert tables.quality.inactive == [1001]
    assert (1001 in tables.kept_customers) is kept
    assert tables.quality.policy["inactive"] == policy


def _store_with_revenues(folder: Path, current: list[float]) -> Path:
    """One customer per revenue of the current month (the other months: 4,000), all else plain."""
    files = store_files()
    first = MARKET_FILE_ROWS[0].split(",", 1)[1]
    ids = range(2001, 2001 + len(current))
    rows = {
        "market_file.csv": [MARKET_FILE_HEADER, *(f"{c},{first}" for c in ids)],
        "market_money.csv": ["id,Период,Выручка"]
        + [
            f"{c},{p},{v if p == 'текущий_месяц' else 4000.0}"
            for c, v in zip(ids, current, strict=True)
            for p in PERIODS_MONEY
        ],
        "market_time.csv": ["id,Период,минут"] + [f"{c},{p},12" for c in ids for p in PERIODS_TIME],
        "money.csv": ["id;Прибыль"] + [f"{c};4,5" for c in ids],
    }
    return write_store(folder, files | {name: "\n".join(lines) + "\n" for name, lines in rows.items()})


@pytest.mark.parametrize(("policy", "revenue_after"), [("cap", None), ("keep", 50_000.0), ("exclude", 50_000.0)])
def test_revenue_outlier_policy(tmp_path: Path, policy: str, revenue_after: float | None) -> None:
    folder = _store_with_revenues(tmp_path / "s", [4_000.0 + 10 * i for i in range(40)] + [50_000.0])
    tables = load_tables(folder, outlier_policy=policy)  # type: ignore[arg-type]
    found = tables.quality.outliers
    assert found["customer_id"].tolist() == [2041]
    money = tables.market_money
    after = money.loc[(money["customer_id"] == 2041) & (money["period"] == "current_month"), "revenue"].item()
    if revenue_after is None:
        assert after == pytest.approx(found["threshold"].iloc[0], abs=0.1)
        assert after < 50_000.0
        assert tables.customer_months.set_index("customer_id").loc[2041, "revenue_current_month"] == after
    else:
        assert after == revenue_after
    assert (2041 in tables.kept_customers) is (policy != "exclude")
    if policy == "exclude":
        reason = tables.quality.excluded.set_index("customer_id").loc[2041, "reason"]
        assert reason == "revenue outlier 50,000.0 in 'текущий_месяц' (above 4,900.0)"


def test_small_months_are_not_judged(tmp_path: Path) -> None:
    tables = load_tables(_store_with_revenues(tmp_path / "s", [100.0, 110.0, 120.0, 90_000.0]))
    assert tables.quality.outliers.empty
    assert tables.quality.revenue_fences == {}


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
