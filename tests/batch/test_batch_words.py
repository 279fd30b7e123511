"""The batch job's words: in English as the in-memory library writes them, and only for whom they are asked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from oneclick.batch import run_batch
from oneclick.features import build_customer_table
from oneclick.ingest import load_tables
from oneclick.model import load_model, score_customers
from oneclick.offers import build_offers


def read_parts(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder).sort_values("customer_id").set_index("customer_id")


def test_english_words_for_every_customer_or_for_those_offered(
    small_store: Path, model_dir: Path, tmp_path: Path
) -> None:
    options = {"batch_size": 1_000, "progress": False, "reasons": True, "lang": "en"}
    run_batch(small_store, model_dir, tmp_path / "all", **options)  # type: ignore[arg-type]
    run_batch(small_store, model_dir, tmp_path / "offered", drivers="offered", **options)  # type: ignore[arg-type]
    customers = build_customer_table(load_tables(small_store))
    loaded = load_model(model_dir)
    expected = score_customers(loaded, customers.drop(columns=["declined", "profit"]), lang="en")
    contributions = expected.filter(like="contribution_").rename(columns=lambda c: c.removeprefix("contribution_"))
    offers_expected = build_offers(
        customers,
        expected["decline_probability"],
        contributions,
        budget=None,
        lang="en",
        model_threshold=loaded.threshold,
        method="lagrangian",
        curve_points=2,
    ).offers.set_index("customer_id")
    scores, offers = read_parts(tmp_path / "all" / "scores"), read_parts(tmp_path / "all" / "offers")
    for k in (1, 2, 3):
        assert scores[f"driver_{k}"].tolist() == expected[f"driver_{k}"].tolist()
    for column in ("risk_drivers", "reason"):
        assert offers[column].tolist() == offers_expected[column].tolist()
    some_scores, some_offers = read_parts(tmp_path / "offered" / "scores"), read_parts(tmp_path / "offered" / "offers")
    offered = (some_offers["offer"] != "no_offer").to_numpy()
    assert 0 < offered.sum() < len(offered)
    for column in ("risk_drivers", "reason"):
        assert some_offers.loc[offered, column].tolist() == offers.loc[offered, column].tolist()
        assert some_offers.loc[~offered, column].isna().all()
    assert some_scores.loc[offered, "driver_1"].tolist() == scores.loc[offered, "driver_1"].tolist()
    assert some_scores.loc[~offered, "driver_1"].isna().all()
