"""The batch job end to end: same results as the in-memory library, bounded batches, a campaign plan."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oneclick.batch import run_batch
from oneclick.batch.campaign import hull_segments
from oneclick.batch.score import assign_batch_segments
from oneclick.errors import ConfigError
from oneclick.features import build_customer_table
from oneclick.ingest import load_tables, status
from oneclick.model import load_model, score_customers
from oneclick.offers import build_offers
from oneclick.segments import Thresholds, assign_segments, load_segment_scheme
from oneclick.segments.assign import scoring_table
from oneclick.synth import write_synthetic_dataset


def read_parts(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder).sort_values("customer_id").set_index("customer_id")


@pytest.fixture(scope="module")
def batch_out(small_store: Path, model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch")
    run_batch(small_store, model_dir, out, batch_size=700, n_partitions=3, progress=False, reasons=True)
    return out


def test_scores_and_offers_match_the_in_memory_library(small_store: Path, model_dir: Path, batch_out: Path) -> None:
    customers = build_customer_table(load_tables(small_store))
    loaded = load_model(model_dir)
    expected = score_customers(loaded, customers.drop(columns=["declined", "profit"]), lang="ru")
    scores = read_parts(batch_out / "scores")
    assert list(scores.index) == list(customers.index)
    np.testing.assert_array_equal(scores["decline_probability"], expected["decline_probability"])
    np.testing.assert_array_equal(scores["is_high_risk"], expected["is_high_risk"])
    for k in (1, 2, 3):
        assert (scores[f"driver_{k}_feature"].astype(str) == expected[f"driver_{k}_feature"]).all()
        assert (scores[f"driver_{k}"] == expected[f"driver_{k}"]).all()
    contributions = expected.filter(like="contribution_").rename(columns=lambda c: c.removeprefix("contribution_"))
    offers_expected = build_offers(
        customers,
        expected["decline_probability"],
        contributions,
        budget=None,
        model_threshold=loaded.threshold,
        method="lagrangian",
        curve_points=2,
    ).offers.set_index("customer_id")
    offers = read_parts(batch_out / "offers")
    for column in ("primary_segment", "risk_profit_cell", "offer", "reason", "risk_drivers"):
        assert (offers[column].astype(str) == offers_expected[column].astype(str)).all(), column
    for column in ("expected_saved_profit", "offer_cost", "profit_at_risk", "n_eligible_offers"):
        np.testing.assert_allclose(offers[column], offers_expected[column], rtol=1e-12, err_msg=column)


def test_batch_json_says_what_was_done(batch_out: Path) -> None:
    summary = json.loads((batch_out / "batch.json").read_text(encoding="utf-8"))
    assert summary["rows"] == summary["quality"]["customers_kept"]
    assert summary["partitions"] == 3 and summary["largest_batch"] <= 700
    assert summary["peak_rss_bytes"] > 0 and summary["seconds"] > 0
    assert not (batch_out / "_work").exists()


def test_vectorised_segments_match_assign_segments(small_store: Path) -> None:
    customers = build_customer_table(load_tables(small_store))
    probability = pd.Series(np.linspace(0, 1, len(customers)), index=customers.index)
    scheme = load_segment_scheme()
    expected = assign_segments(customers, probability, scheme, model_threshold=0.4)
    membership, primary, cell = assign_batch_segments(
        scoring_table(customers, probability), scheme, expected.thresholds
    )
    assert list(primary) == list(expected.primary_segment)
    assert list(cell) == list(expected.risk_profit_cell)
    pd.testing.assert_frame_equal(membership[expected.membership.columns], expected.membership)


def test_memory_stays_bounded_batches_not_the_table_are_materialised(model_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    write_synthetic_dataset(store, 100_000, seed=1, fmt="parquet")  # 100k + 300k + 200k + 100k rows
    seen: list[int] = []
    result = run_batch(
        store,
        model_dir,
        tmp_path / "out",
        batch_size=4_000,
        progress=False,
        drivers="none",
        memory_limit="256MB",
        on_batch=seen.append,
    )
    assert sum(seen) == result.rows > 99_000
    assert max(seen) <= 4_000
    assert len(seen) >= result.rows / 4_000


def test_a_budget_plans_a_campaign_within_it(
    batch_out: Path, small_store: Path, model_dir: Path, tmp_path: Path
) -> None:
    offers = read_parts(batch_out / "offers")
    budget = 0.2 * offers["offer_cost"].sum()
    result = run_batch(small_store, model_dir, tmp_path, budget=budget, drivers="none", progress=False)
    campaign = result.summary["campaign"]
    plan = read_parts(tmp_path / "campaign")
    assert 0 < campaign["spent"] <= budget
    assert plan["campaign_cost"].sum() == pytest.approx(campaign["spent"])
    assert campaign["expected_saved_profit"] <= campaign["upper_bound"] <= campaign["expected_saved_profit"] + 1.0
    generous = run_batch(small_store, model_dir, tmp_path / "all", budget=1e9, drivers="none", progress=False)
    everyone = read_parts(tmp_path / "all" / "campaign")
    offered = offers[offers["offer"] != "no_offer"]
    assert list(everyone.index) == list(offered.index)
    assert (everyone["campaign_offer"] == offered["offer"].astype(str)).all()
    assert generous.summary["campaign"]["upper_bound"] == pytest.approx(offered["expected_saved_profit"].sum())


@pytest.mark.parametrize(
    ("saved", "cost", "steps"),
    [
        ([[1.0, 3.0, 2.0]], [[1.0, 4.0, 1.5]], [(2, 1.5, 2.0), (1, 2.5, 1.0)]),  # (1, 1) lies under the hull
        ([[1.0, 1.5]], [[1.0, 3.0]], [(0, 1.0, 1.0), (1, 2.0, 0.5)]),
        ([[np.nan, -1.0]], [[1.0, 1.0]], []),  # nothing worth its cost
        ([[0.5, 2.0]], [[0.0, 1.0]], [(0, 0.0, 0.5), (1, 1.0, 1.5)]),  # a free offer comes first
    ],
)
def test_hull_steps(saved: list[list[float]], cost: list[list[float]], steps: list[tuple[int, float, float]]) -> None:
    _, step, position, step_cost, step_saved = hull_segments(np.array(saved), np.array(cost), 0.0)
    assert list(zip(position, step_cost, step_saved, strict=True)) == steps
    assert list(step) == list(range(len(steps)))


def test_options_are_checked(small_store: Path, model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="engine="):
        run_batch(small_store, model_dir, tmp_path, engine="spark", progress=False)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="budget"):
        run_batch(small_store, model_dir, tmp_path, with_offers=False, budget=10.0, progress=False)


def test_thresholds_do_not_depend_on_the_batch(
    small_store: Path, model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = run_batch(
        small_store, model_dir, tmp_path / "one", batch_size=10_000, progress=False, drivers="none", threads=1
    )
    monkeypatch.setattr(status, "CUSTOMERS_PER_CHUNK", 400)  # the global pass in chunks, two at a time
    many = run_batch(
        small_store,
        model_dir,
        tmp_path / "many",
        batch_size=97,
        n_partitions=5,
        progress=False,
        drivers="none",
        threads=2,
    )
    assert one.summary["thresholds"] == many.summary["thresholds"]
    pd.testing.assert_frame_equal(read_parts(tmp_path / "one" / "offers"), read_parts(tmp_path / "many" / "offers"))
    assert Thresholds(**one.summary["thresholds"]).high_profit > 0
