"""A batch run's partitioned outputs as the report reads them: groups, a few rows, the sample's rows.

A batch run writes its scores and offers as Parquet folders (``scores/``, ``offers/``,
``campaign/``) of any size. The report never holds them whole: DuckDB sums them by group of
customers (:func:`offer_groups`), picks the few rows a table lists (:func:`top_offers`) and the
rows of the seeded sample (:func:`sample_offers`), with the columns offers.csv has.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import duckdb
import pandas as pd

from oneclick.layout import CAMPAIGN_DIR, FEATURES_FILE, OFFERS_DIR, SCORES_DIR

# The report reads while nothing else runs: a modest, fixed share of the machine.
_CONFIG = {"threads": 2, "memory_limit": "1GB", "preserve_insertion_order": True}


def _sql(name: str) -> str:
    return files("oneclick.report").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def _glob(folder: Path) -> str:
    return "'" + str(folder / "*.parquet").replace("'", "''") + "'"


def _campaign(run_dir: Path) -> str:
    folder = run_dir / CAMPAIGN_DIR
    if folder.is_dir() and any(folder.glob("*.parquet")):
        return f"read_parquet({_glob(folder)})"
    return _sql("no_campaign")


def _query(name: str, run_dir: Path, **values: object) -> pd.DataFrame:
    sources = {
        "offers": _glob(run_dir / OFFERS_DIR),
        "scores": _glob(run_dir / SCORES_DIR),
        "campaign": _campaign(run_dir),
        "sample": "'" + str(run_dir / FEATURES_FILE).replace("'", "''") + "'",
    }
    with duckdb.connect(config=_CONFIG) as connection:
        connection.execute("SET enable_progress_bar = false")
        return connection.execute(_sql(name).format(**sources, **values)).df()


def offer_groups(run_dir: Path) -> pd.DataFrame:
    """Customers by (primary segment, segments, cell, high risk, offer, campaign offer): counts and sums.

    Columns: the keys, ``n``, ``first_id`` (groups in its order), ``profit_at_risk``, ``offer_cost``,
    ``expected_saved_profit``, ``in_campaign`` (customers), ``campaign_expected_saved_profit``.
    """
    return _query("offer_groups", run_dir)


def top_offers(run_dir: Path, n: int) -> pd.DataFrame:
    """The ``n`` customers with the largest expected saved profit, with their campaign and top drivers."""
    return _query("top_offers", run_dir, n=int(n))


def sample_offers(run_dir: Path) -> pd.DataFrame:
    """The offers of the sample's customers (those of customer_features.parquet), in id order."""
    return _query("sample_offers", run_dir)
