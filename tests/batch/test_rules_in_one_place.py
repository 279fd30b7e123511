"""A rule is written once and both engines follow it: a check added to a pandera schema
(``ingest/schemas.py``) quarantines the same rows, in the same words, in memory and in the batch engine."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.typing import Series

from oneclick.batch import run_batch
from oneclick.ingest import load_tables
from oneclick.ingest.schemas import SCHEMAS, MarketFileSchema
from oneclick.layout import EXCLUDED_FILE, QUALITY_FILE, QUARANTINE_FILE


class _AtMostElevenPages(MarketFileSchema):
    """The store's schema with one more check: at most 11 pages per visit (customer 1003 has 12)."""

    pages_per_visit: Series[int] = pa.Field(ge=0, le=11)


def test_a_check_added_to_a_schema_is_a_check_of_both_engines(
    store_dir: Path, model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(SCHEMAS, "market_file", _AtMostElevenPages)
    tables = load_tables(store_dir)
    tables.quality.write(tmp_path / "memory")
    run_batch(
        store_dir, model_dir, tmp_path / "batch", with_offers=False, drivers="none", progress=False, n_partitions=1
    )
    for name in (QUARANTINE_FILE, EXCLUDED_FILE, QUALITY_FILE):
        assert (tmp_path / "memory" / name).read_bytes() == (tmp_path / "batch" / name).read_bytes(), name
    quarantine = pd.read_csv(tmp_path / "batch" / QUARANTINE_FILE)
    assert quarantine[["file", "line", "column", "reason"]].values.tolist() == [
        ["market_file.csv", 4, "Страниц_за_визит", "column 'Страниц_за_визит': expected a value <= 11, found '12'"]
    ]
    scored = pd.read_parquet(tmp_path / "batch" / "scores")["customer_id"]
    assert 1003 not in set(scored) and 1003 not in tables.kept_customers
