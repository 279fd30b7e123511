"""A campaign's known truth: treated customers decline by (1 - U) less, control customers exactly as without it."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from oneclick import build_customer_table, load_tables
from oneclick.cli import app
from oneclick.errors import ConfigError
from oneclick.store import CampaignRecord, register_campaign
from oneclick.synth import CAMPAIGN_TRUTH_FILE, TrueUplift, parse_true_uplift, write_synthetic_dataset

runner = CliRunner()


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("discount_10=0.2", (TrueUplift("discount_10", 0.2),)),
        (
            "discount_10=0.2, free_delivery=0@kids_goods_buyers",
            (TrueUplift("discount_10", 0.2), TrueUplift("free_delivery", 0.0, "kids_goods_buyers")),
        ),
        ("sms_reminder=-0.3", (TrueUplift("sms_reminder", -0.3),)),
    ],
)
def test_a_spec_reads_as_offers_uplifts_and_segments(spec, expected) -> None:
    assert parse_true_uplift(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("discount_10", "expected OFFER=U or OFFER=U@SEGMENT"),
        ("discount_10=1", r"U must be a number in \[-1, 1\)"),
        ("discount_10=lots", "found 'lots'"),
        ("discount_10=0.1@", "expected OFFER=U"),
        ("discount_10=0.1,discount_10=0.2", "given more than once"),
        ("", "empty"),
    ],
)
def test_a_bad_spec_names_the_flag_and_what_was_expected(spec, message) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_true_uplift(spec)
    assert "--true-uplift" in str(caught.value)


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, pd.DataFrame]:
    """3,000 customers; every one in a hand-made campaign, half treated (discount_10), half control."""
    folder = tmp_path_factory.mktemp("last")
    write_synthetic_dataset(folder, 3_000, seed=5)
    ids = build_customer_table(load_tables(folder)).index.to_numpy()
    rng = np.random.default_rng(0)
    arms = np.where(rng.random(len(ids)) < 0.5, "treatment", "control")
    segments = np.where(ids % 2 == 0, "premium_at_risk", "kids_goods_buyers")
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "segment": segments,
            "offer_id": "discount_10",
            "stratum": [f"{s}|discount_10" for s in segments],
            "arm": arms,
            "decline_probability": 0.5,
            "profit": 4.0,
            "cost": 0.5,
            "assumed_uplift": 0.2,
            "expected_saved_profit": 0.7,
        }
    )
    store = tmp_path_factory.mktemp("store") / "s.duckdb"
    record = CampaignRecord(run_id="run-1", budget=1e6, seed=1, catalogue_version=1, starts_on=date(2026, 12, 1))
    no_exclusions = pd.DataFrame(columns=["customer_id", "offer_id", "rule", "detail"])
    return folder, store, register_campaign(store, record, customers, no_exclusions), customers


def _synth_next(folder: Path, out: Path, *extra: str) -> pd.Series:
    result = runner.invoke(
        app, ["synth", "--next-period", "--from", str(folder), "--out", str(out), "--seed", "3", *extra]
    )
    assert result.exit_code == 0, result.output
    return build_customer_table(load_tables(out))["declined"]


def test_treated_customers_decline_less_and_control_exactly_as_without(campaign, tmp_path: Path) -> None:
    folder, store, campaign_id, customers = campaign
    plain = _synth_next(folder, tmp_path / "plain")
    truthful = _synth_next(
        folder,
        tmp_path / "truth",
        "--campaign",
        campaign_id[:12],
        "--store",
        str(store),
        "--true-uplift",
        "discount_10=0.5",
    )
    arm = customers.set_index("customer_id")["arm"].reindex(truthful.index)
    treated, control = truthful[arm == "treatment"], truthful[arm == "control"]
    # Only treated customers change: control and joined customers' labels are the run without the truth's.
    untouched = arm != "treatment"
    pd.testing.assert_series_equal(truthful[untouched], plain[untouched])
    assert (truthful[~untouched] <= plain[~untouched]).all()  # U > 0 only removes declines
    ratio = treated.mean() / control.mean()
    assert 0.35 < ratio < 0.65, (treated.mean(), control.mean())
    truth = json.loads((tmp_path / "truth" / CAMPAIGN_TRUTH_FILE).read_text(encoding="utf-8"))
    assert truth["campaign_id"] == campaign_id and truth["seed"] == 3
    assert truth["true_uplift"] == [{"offer": "discount_10", "segment": "all", "uplift": 0.5}]
    assert truth["n_treated"] == int((customers["arm"] == "treatment").sum()) == len(truth["treated_ids"])


def test_a_segment_limits_the_truth_to_its_customers(campaign, tmp_path: Path) -> None:
    folder, store, campaign_id, customers = campaign
    plain = _synth_next(folder, tmp_path / "plain")
    truthful = _synth_next(
        folder,
        tmp_path / "truth",
        "--campaign",
        campaign_id,
        "--store",
        str(store),
        "--true-uplift",
        "discount_10=0.9@kids_goods_buyers",
    )
    kept = customers.set_index("customer_id").reindex(truthful.index)
    changed = truthful != plain
    assert changed.any()
    assert set(kept.loc[changed, "segment"]) == {"kids_goods_buyers"}
    assert set(kept.loc[changed, "arm"]) == {"treatment"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("coupon=0.1", r"offer 'coupon' is not in the campaign; its offers: \['discount_10'\]"),
        ("discount_10=0.1@vips", r"segment 'vips' is not in the campaign; its segments: \['kids_goods_buyers'"),
    ],
)
def test_unknown_offers_and_segments_are_refused_with_the_known_ones(campaign, tmp_path: Path, spec, message) -> None:
    folder, store, campaign_id, _ = campaign
    result = runner.invoke(
        app,
        [
            "synth",
            "--next-period",
            "--from",
            str(folder),
            "--out",
            str(tmp_path / "n"),
            "--campaign",
            campaign_id,
            "--store",
            str(store),
            "--true-uplift",
            spec,
        ],
    )
    assert result.exit_code == 1
    assert re.search(message, result.output), result.output


def test_true_uplift_needs_a_campaign(campaign, tmp_path: Path) -> None:
    folder, *_ = campaign
    result = runner.invoke(
        app, ["synth", "--next-period", "--from", str(folder), "--out", str(tmp_path / "n"), "--true-uplift", "a=0.1"]
    )
    assert result.exit_code == 1 and "--campaign and --true-uplift go together" in result.output
