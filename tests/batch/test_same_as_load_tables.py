"""The batch engine's global pass keeps the same customers with the same features as load_tables +
build_customer_table, however many chunks it groups the customers in."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from oneclick.batch.plan import plan_batch
from oneclick.config import Settings
from oneclick.features import build_customer_table
from oneclick.features.build import customer_features_sql
from oneclick.ingest import Policy, create_customer_months, load_tables, status
from oneclick.offers import load_catalogue
from oneclick.segments import load_segment_scheme
from store_exports import MARKET_FILE_ROWS


def batch_customer_table(data_dir: Path, out: Path, settings: Settings) -> tuple[pd.DataFrame, object, object]:
    scheme = load_segment_scheme()
    with duckdb.connect() as connection:
        plan, quality = plan_batch(
            data_dir,
            out,
            policy=Policy.of(settings),
            scheme=scheme,
            catalogue=load_catalogue(),
            model_threshold=0.5,
            connection=connection,
        )
    with duckdb.connect() as connection:
        create_customer_months(connection, plan.months)
        table = customer_features_sql(connection).order("customer_id").to_arrow_table().to_pandas()
    return table.set_index("customer_id"), plan, quality


def assert_same_table(batch: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(batch.index) == list(expected.index)
    assert list(batch.columns) == list(expected.columns)
    for column in expected.columns:
        left, right = batch[column], expected[column]
        if isinstance(right.dtype, pd.CategoricalDtype):
            assert (left.astype(str) == right.astype(str)).all(), column
        else:
            np.testing.assert_array_equal(left.to_numpy(), right.to_numpy(), err_msg=column)


@pytest.mark.parametrize("outlier_policy", ["cap", "exclude", "keep"])
def test_synthetic_store_gives_the_same_customers_and_features(
    small_store: Path, tmp_path: Path, outlier_policy: str
) -> None:
    settings = Settings(outlier_policy=outlier_policy)  # type: ignore[arg-type]
    tables = load_tables(small_store, outlier_policy=outlier_policy)  # type: ignore[arg-type]
    batch, plan, quality = batch_customer_table(small_store, tmp_path, settings)
    assert_same_table(batch, build_customer_table(tables))
    assert plan.customers_kept == tables.quality.customers_kept
    excluded = quality.excluded.set_index("customer_id")["reason"]
    expected = tables.quality.excluded.set_index("customer_id")["reason"].sort_index()
    pd.testing.assert_series_equal(excluded, expected, check_names=False, check_dtype=False)


def test_real_store_gives_the_same_customers_and_features(real_data: Path, tmp_path: Path) -> None:
    tables = load_tables(real_data)
    batch, _, quality = batch_customer_table(real_data, tmp_path, Settings())
    assert_same_table(batch, build_customer_table(tables))
    assert quality.as_dict() == tables.quality.as_dict()
    assert len(quality.outliers) == 1


def test_bad_rows_are_quarantined_with_their_reason(store_dir: Path, tmp_path: Path) -> None:
    path = store_dir / "market_file.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",1,5", ",-3,5")  # customer 1002: a negative count of site errors
    lines[4] = lines[4].replace("Кухонная посуда", "Посуда???")  # customer 1004: an unknown category
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tables = load_tables(store_dir)
    batch, _, quality = batch_customer_table(store_dir, tmp_path, Settings())
    assert_same_table(batch, build_customer_table(tables))
    quarantine = quality.quarantine
    expected = tables.quality.quarantine
    assert sorted(zip(quarantine["line"], quarantine["column"], strict=True)) == sorted(
        zip(expected["line"], expected["column"], strict=True)
    )
    assert "column 'Ошибка_сервиса': expected a value >= 0, found '-3'" in set(quarantine["reason"])
    excluded = quality.excluded
    assert set(excluded["customer_id"]) == {1002, 1004}
    assert all("(a row of it was quarantined)" in reason for reason in excluded["reason"])


def test_customers_grouped_in_chunks_are_the_same(
    small_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables = load_tables(small_store)
    monkeypatch.setattr(status, "CUSTOMERS_PER_CHUNK", 700)  # 3,000 customers in five chunks, two at a time
    batch, plan, quality = batch_customer_table(small_store, tmp_path, Settings())
    assert len(list(Path(plan.months.customers_path).parent.glob("part-*.parquet"))) == 5
    assert_same_table(batch, build_customer_table(tables))
    assert plan.customers_read == tables.quality.customers_read
    excluded = quality.excluded.set_index("customer_id")["reason"]
    expected = tables.quality.excluded.set_index("customer_id")["reason"].sort_index()
    pd.testing.assert_series_equal(excluded, expected, check_names=False, check_dtype=False)


def test_repeated_keys_are_counted_once_or_leave_the_customer_out(store_dir: Path, tmp_path: Path) -> None:
    """Exact repeats count once (1003, 1006); rows of one key that disagree exclude the customer (1004, 1005)."""
    repeats = {
        "market_file.csv": f"{MARKET_FILE_ROWS[2]}\n",
        "market_time.csv": "1006,текущий_месяц,16\n",
        "market_money.csv": "1005,текущий_месяц,1.0\n",
        "money.csv": "1004;9,99\r\n",
    }
    for name, line in repeats.items():
        path = store_dir / name
        path.write_bytes(path.read_bytes() + line.encode("utf-8"))
    tables = load_tables(store_dir)
    batch, _, quality = batch_customer_table(store_dir, tmp_path, Settings())
    assert list(batch.index) == [1001, 1002, 1003, 1006]
    assert_same_table(batch, build_customer_table(tables))
    quarantine = quality.quarantine
    expected = tables.quality.quarantine
    assert sorted(zip(quarantine["file"], quarantine["line"], strict=True)) == sorted(
        zip(expected["file"], expected["line"], strict=True)
    )
    excluded = quality.excluded.set_index("customer_id")["reason"]
    assert list(excluded.index) == list(tables.quality.excluded["customer_id"].sort_values()) == [1004, 1005]
