"""The customer table: one row per kept customer, every feature in a group."""

from __future__ import annotations

from pathlib import Path

import pytest

from oneclick import FEATURE_GROUPS, build_customer_table, build_features, load_tables
from oneclick.features.groups import FEATURES, GROUP_LABELS, feature_label, features_in_group
from oneclick.features.write import read_feature_groups, write_customer_table


def test_customer_row_holds_revenue_minutes_and_their_changes(store_dir: Path) -> None:
    table = build_customer_table(load_tables(store_dir))
    row = table.loc[1002]
    # conftest: customer n=1 has revenue 4100, 4110, 4120 and minutes 11, 12.
    assert row["revenue_month_before_previous"] == 4100.0
    assert row["revenue_current_month"] == 4120.0
    assert row["revenue_change"] == pytest.approx(10.0)
    assert (row["minutes_previous_month"], row["minutes_current_month"], row["minutes_change"]) == (11, 12, 1)
    assert row["service_type"] == "standard"  # the export's 'стандартт'
    assert row["profit"] == pytest.approx(4.11)


def test_features_and_label(store_dir: Path) -> None:
    X, y = build_features(load_tables(store_dir))
    assert list(X.index) == [1001, 1002, 1003, 1004, 1005, 1006]
    assert y.tolist() == [1, 1, 0, 0, 0, 1]
    assert "profit" not in X.columns and "declined" not in X.columns
    assert set(X.columns) == set(FEATURE_GROUPS)


def test_every_feature_has_one_of_the_four_groups() -> None:
    assert set(FEATURE_GROUPS.values()) == set(GROUP_LABELS) == {"communication", "product", "purchase", "site"}
    assert sum(len(features_in_group(g)) for g in GROUP_LABELS) == len(FEATURES)
    assert feature_label("favourite_category=kids_goods", "en") == "Favourite category: kids_goods"


def test_group_tags_travel_with_the_parquet(store_dir: Path, tmp_path: Path) -> None:
    table = build_customer_table(load_tables(store_dir))
    path = write_customer_table(table, tmp_path / "features.parquet")
    assert read_feature_groups(path) == FEATURE_GROUPS


def test_real_feature_table(real_data: Path) -> None:
    X, y = build_features(load_tables(real_data))
    assert X.shape == (1297, 18)
    assert y.sum() == 495
    assert X.loc[215380, "revenue_current_month"] < 10_000  # the outlier is capped by default
