"""A batch run writes what `oneclick report` reads, with the in-memory path's figures, and its report opens."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from oneclick.batch import run_batch
from oneclick.config import Settings
from oneclick.features import build_customer_table
from oneclick.features.groups import FEATURE_NAMES
from oneclick.ingest import load_tables
from oneclick.model import load_model, score_customers
from oneclick.offers import OffersResult, build_offers
from oneclick.report import build_summary, render_report
from oneclick.report.i18n import integer, sample_note

BUDGET = 4.0  # profit units: binds for these 3,000 customers (every offer worth its cost: about 430)
SAMPLE = Settings(report_sample_size=1_000)
# Figures of segments.csv that do not depend on how the drivers were kept.
SEGMENT_COUNTS = ["n_customers", "n_with_offer", "n_in_campaign"]
SEGMENT_FIGURES = [
    "share_of_customers",
    "share_declined",
    "share_declined_rest",
    "mean_decline_probability",
    "mean_profit",
    "mean_profit_rest",
    "profit_at_risk",
    "share_of_profit_at_risk",
    "expected_saved_profit",
    "premium_share",
    "d_minutes_current_month",
    "d_revenue_change",
]
SEGMENT_TEXTS = ["segment", "title", "kind", "rule", "revenue_trend", "minutes_trend", "top_categories", "top_offer"]


@pytest.fixture(scope="module")
def in_memory(small_store: Path, model_dir: Path) -> OffersResult:
    """The in-memory path on the same customers: build_offers with the exact MILP."""
    customers = build_customer_table(load_tables(small_store))
    loaded = load_model(model_dir)
    scores = score_customers(loaded, customers[FEATURE_NAMES])
    contributions = scores.filter(like="contribution_").rename(columns=lambda c: c.removeprefix("contribution_"))
    return build_offers(
        customers,
        scores["decline_probability"],
        contributions,
        budget=BUDGET,
        model_threshold=loaded.threshold,
        curve_points=SAMPLE.profit_curve_points,
    )


@pytest.fixture(scope="module")
def batch_run(small_store: Path, model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch run with a budget, keeping each customer's top drivers only (the default at scale)."""
    out = tmp_path_factory.mktemp("batch_report")
    run_batch(small_store, model_dir, out, budget=BUDGET, n_partitions=3, progress=False, settings=SAMPLE)
    return out


def test_the_batch_writes_what_the_report_reads(batch_run: Path, in_memory: OffersResult) -> None:
    for name in ("run.json", "model/metrics.json", "customer_features.parquet", "sample_scores.parquet"):
        assert (batch_run / name).is_file(), name
    expected = {
        "segments.csv": in_memory.segment_profiles.summary,
        "segment_features.csv": in_memory.segment_profiles.features,
        "segment_drivers.csv": in_memory.segment_profiles.drivers,
        "profit_curve.csv": in_memory.profit_curve,
    }
    for name, frame in expected.items():
        assert list(pd.read_csv(batch_run / name).columns) == list(frame.columns), name
    summary = json.loads((batch_run / "offers_summary.json").read_text(encoding="utf-8"))
    assert set(in_memory.summary) <= set(summary)
    assert set(summary["campaign"]) == set(in_memory.summary["campaign"])
    record = json.loads((batch_run / "batch.json").read_text(encoding="utf-8"))
    assert record["report"]["sample"] | {"method": ""} == {
        "n_customers": 1_000,
        "population": record["rows"],
        "seed": SAMPLE.seed,
        "method": "",
    }
    sample = pd.read_parquet(batch_run / "customer_features.parquet")
    scores = pd.read_parquet(batch_run / "sample_scores.parquet")
    assert len(sample) == 1_000 and sample["customer_id"].is_unique
    assert list(scores["customer_id"]) == list(sample["customer_id"])
    assert all(f"contribution_{name}" in scores for name in FEATURE_NAMES)


def test_segments_and_offers_agree_with_the_in_memory_path(batch_run: Path, in_memory: OffersResult) -> None:
    segments = pd.read_csv(batch_run / "segments.csv").fillna("")
    expected = in_memory.segment_profiles.summary.fillna("")
    assert (segments[SEGMENT_COUNTS] == expected[SEGMENT_COUNTS]).all().all()
    assert (segments[SEGMENT_TEXTS].astype(str) == expected[SEGMENT_TEXTS].astype(str)).all().all()
    np.testing.assert_allclose(segments[SEGMENT_FIGURES], expected[SEGMENT_FIGURES].astype(float), rtol=1e-9)
    features = pd.read_csv(batch_run / "segment_features.csv")
    np.testing.assert_allclose(
        features[["mean_segment", "mean_rest", "effect_size"]],
        in_memory.segment_profiles.features[["mean_segment", "mean_rest", "effect_size"]],
        rtol=1e-8,
        atol=1e-12,
    )
    summary = json.loads((batch_run / "offers_summary.json").read_text(encoding="utf-8"))
    for key in ("n_customers", "n_high_risk", "thresholds", "offer_mix_by_primary_segment"):
        assert summary[key] == in_memory.summary[key], key
    for key in ("mix", "n_without_offer", "n_high_risk_without_offer"):
        assert summary["offers"][key] == in_memory.summary["offers"][key], key
    assert summary["profit_at_risk"] == pytest.approx(in_memory.summary["profit_at_risk"], rel=1e-12)


def test_segment_drivers_are_the_mean_top_driver_contributions(batch_run: Path) -> None:
    """Without every contribution kept, a feature counts in a customer's drivers only among their top ones."""
    scores = pd.read_parquet(batch_run / "scores").set_index("customer_id")
    offers = pd.read_parquet(batch_run / "offers").set_index("customer_id").loc[scores.index]
    inside = offers["risk_profit_cell"].astype(str) == "high_risk_high_profit"
    kept = pd.DataFrame(0.0, index=scores.index, columns=FEATURE_NAMES)
    for k in (1, 2, 3):
        chosen = pd.get_dummies(scores[f"driver_{k}_feature"].astype(str)).reindex(columns=FEATURE_NAMES, fill_value=0)
        kept += chosen.to_numpy(dtype=float) * scores[[f"driver_{k}_contribution"]].to_numpy()
    drivers = pd.read_csv(batch_run / "segment_drivers.csv")
    own = drivers[(drivers["segment"] == "high_risk_high_profit") & (drivers["scope"] == "feature")]
    expected = kept[inside.to_numpy()].mean()
    np.testing.assert_allclose(own.set_index("name")["mean_contribution_segment"], expected[own["name"]], rtol=1e-9)


def test_the_profit_curve_is_the_greedy_campaign_at_every_budget(batch_run: Path, in_memory: OffersResult) -> None:
    curve = pd.read_csv(batch_run / "profit_curve.csv")
    campaign = json.loads((batch_run / "batch.json").read_text(encoding="utf-8"))["campaign"]
    np.testing.assert_allclose(curve["budget"], in_memory.profit_curve["budget"], rtol=1e-12)
    at_budget = curve.set_index("budget").loc[BUDGET]  # the CSV keeps 10 significant digits
    assert at_budget["spent"] == pytest.approx(campaign["spent"], rel=1e-9)
    assert at_budget["expected_saved_profit"] == pytest.approx(campaign["expected_saved_profit"], rel=1e-9)
    assert at_budget["n_customers"] == campaign["n_customers"]
    full = curve.iloc[-1]  # every customer's best offer: what the in-memory plan of no limit buys
    assert full["spent"] == pytest.approx(in_memory.profit_curve["spent"].iloc[-1], rel=1e-9)
    assert full["expected_saved_profit"] == pytest.approx(in_memory.summary["offers"]["expected_saved_profit"])
    assert (np.diff(curve["expected_saved_profit"]) >= 0).all()
    assert (curve["spent"] <= curve["budget"] * (1 + 1e-9)).all()
    # The exact MILP plan never beats the greedy's LP bound, nor falls below the greedy plan.
    exact = in_memory.profit_curve["expected_saved_profit"]
    assert (exact <= curve["upper_bound"] * (1 + 1e-9)).all()
    assert (exact >= curve["expected_saved_profit"] * (1 - 1e-9)).all()


def test_with_every_contribution_the_drivers_are_the_in_memory_ones(
    small_store: Path, model_dir: Path, tmp_path: Path, batch_run: Path, in_memory: OffersResult
) -> None:
    """Other batches and ranges, every contribution kept: the in-memory drivers, and the same sample."""
    run_batch(
        small_store,
        model_dir,
        tmp_path,
        budget=BUDGET,
        batch_size=500,
        n_partitions=5,
        with_contributions=True,
        progress=False,
        settings=SAMPLE,
    )
    drivers, expected = pd.read_csv(tmp_path / "segment_drivers.csv"), in_memory.segment_profiles.drivers
    assert (drivers[["segment", "scope", "name"]] == expected[["segment", "scope", "name"]]).all().all()
    columns = ["mean_contribution_segment", "mean_contribution_rest"]
    # Contributions are kept to 5 decimals (as in scores.csv), so the means agree to about 1e-5.
    np.testing.assert_allclose(drivers[columns], expected[columns], atol=1e-5)
    segments = pd.read_csv(tmp_path / "segments.csv").fillna("")
    assert list(segments["top_drivers"]) == list(in_memory.segment_profiles.summary["top_drivers"])
    sample = pd.read_parquet(tmp_path / "customer_features.parquet")
    pd.testing.assert_frame_equal(sample, pd.read_parquet(batch_run / "customer_features.parquet"))


@pytest.fixture(scope="module")
def batch_summary(batch_run: Path) -> dict[str, Any]:
    return build_summary(batch_run)


def test_the_report_of_a_batch_run(batch_summary: dict[str, Any], batch_run: Path) -> None:
    status = {section["key"]: section["status"] for section in batch_summary["sections"]}
    assert set(status.values()) == {"ok"}, status
    rows = json.loads((batch_run / "batch.json").read_text(encoding="utf-8"))["rows"]
    assert batch_summary["quality"]["customers_kept"] == rows
    assert batch_summary["segments"]["n_customers"] == batch_summary["offers"]["n_customers"] == rows
    assert batch_summary["exploration"]["n_customers"] == 1_000
    summary = json.loads((batch_run / "offers_summary.json").read_text(encoding="utf-8"))
    assert batch_summary["offers"]["n_with_offer"] == rows - summary["offers"]["n_without_offer"]
    top = batch_summary["offers"]["top"]
    assert [row["expected_saved_profit"] for row in top] == sorted(
        (row["expected_saved_profit"] for row in top), reverse=True
    )
    assert all(row["drivers"] for row in top)


def test_charts_of_the_sample_say_so(batch_summary: dict[str, Any], batch_run: Path) -> None:
    rows = json.loads((batch_run / "batch.json").read_text(encoding="utf-8"))["rows"]
    sample = {"n_customers": 1_000, "population": rows}
    assert sample_note(sample, "en") == f"sample of 1,000 of {rows:,} customers"
    note = sample_note(sample, "ru")
    assert note == f"выборка {integer(1_000, 'ru')} из {integer(rows, 'ru')} клиентов"
    html = render_report(batch_summary, "ru")
    assert note in html  # under the tables drawn from the sample
    assert "Средний вклад посчитан по главным причинам каждого клиента (3 признака" in html  # top drivers only
    svgs = [base64.b64decode(uri).decode() for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]
    # On the charts: the exploration (5), correlation (1 of 2; the heatmap is a PNG), explanation (2 of 3).
    assert sum(note in svg for svg in svgs) == 8
