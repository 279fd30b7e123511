"""build_offers end to end on 60 made-up customers: every customer listed, budget kept, files written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oneclick.errors import ConfigError, InputDataError
from oneclick.features.groups import FEATURE_NAMES
from oneclick.offers import NO_OFFER, OFFER_COLUMNS, build_offers

CATEGORIES = [
    "beauty_health_tech",
    "cosmetics_accessories",
    "home_textiles",
    "kids_goods",
    "kitchenware",
    "small_appliances_electronics",
]


@pytest.fixture(scope="module")
def inputs() -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """60 customers with varied features, a probability and contributions drawn with a fixed seed."""
    rng = np.random.default_rng(7)
    n = 60
    index = pd.Index(range(1000, 1000 + n), name="customer_id")
    minutes_before = rng.integers(5, 20, n).astype(float)
    minutes_now = minutes_before + rng.integers(-6, 5, n)
    revenue_before = rng.uniform(4000, 6000, n).round(1)
    revenue_now = (revenue_before + rng.uniform(-800, 800, n)).round(1)
    customers = pd.DataFrame(
        {
            "service_type": pd.Categorical(rng.choice(["standard", "premium"], n), categories=["premium", "standard"]),
            "allows_messages": rng.uniform(size=n) < 0.7,
            "marketing_contacts_6m_avg": rng.uniform(1, 6, n).round(1),
            "marketing_contacts_current_month": rng.integers(1, 6, n),
            "days_since_registration": rng.integers(100, 1000, n),
            "promo_purchase_share": rng.choice([0.1, 0.2, 0.3, 0.9, 0.99], n),
            "favourite_category": pd.Categorical(rng.choice(CATEGORIES, n), categories=CATEGORIES),
            "categories_viewed_per_visit": rng.integers(1, 7, n),
            "unpaid_items_quarter": rng.integers(0, 8, n),
            "revenue_month_before_previous": rng.uniform(4000, 6000, n).round(1),
            "revenue_previous_month": revenue_before,
            "revenue_current_month": revenue_now,
            "revenue_change": (revenue_now - revenue_before).round(1),
            "n_service_errors": rng.integers(0, 10, n),
            "pages_per_visit": rng.integers(1, 20, n),
            "minutes_previous_month": minutes_before,
            "minutes_current_month": minutes_now,
            "minutes_change": minutes_now - minutes_before,
            "declined": rng.uniform(size=n) < 0.4,
            "profit": rng.uniform(1, 7, n).round(2),
        },
        index=index,
    )
    probability = pd.Series(rng.uniform(0, 1, n), index=index)
    contributions = pd.DataFrame(rng.normal(0, 0.5, (n, len(FEATURE_NAMES))), index=index, columns=FEATURE_NAMES)
    return customers, probability, contributions


@pytest.fixture(scope="module")
def result(inputs):
    customers, probability, contributions = inputs
    return build_offers(customers, probability, contributions, budget=5.0, curve_points=6)


def test_one_row_per_customer_with_an_offer_or_a_reason(inputs, result) -> None:
    customers, probability, _ = inputs
    offers = result.offers
    assert list(offers.columns) == OFFER_COLUMNS
    assert offers["customer_id"].tolist() == customers.index.tolist()
    assert offers["decline_probability"].tolist() == probability.tolist()
    high_risk = offers[offers["is_high_risk"]]
    assert len(high_risk) > 0
    assert (high_risk["reason"].str.len() > 20).all()
    assert ((high_risk["offer"] != NO_OFFER) | high_risk["reason"].str.contains("предложен")).all()
    with_offer = offers[offers["offer"] != NO_OFFER]
    assert (with_offer["expected_saved_profit"] > 0).all()
    assert offers["profit_at_risk"].tolist() == pytest.approx((probability * customers["profit"]).tolist())


def test_the_campaign_keeps_the_budget_and_matches_the_table(result) -> None:
    offers = result.offers
    chosen = offers[offers["in_campaign"]]
    assert chosen["campaign_cost"].sum() <= 5.0
    assert result.campaign.spent <= 5.0 and result.campaign.status.startswith("optimal")
    assert chosen["campaign_expected_saved_profit"].sum() == pytest.approx(result.campaign.expected_saved_profit)
    assert (chosen["campaign_offer"] != "").all() and (offers.loc[~offers["in_campaign"], "campaign_offer"] == "").all()
    assert (np.diff(result.profit_curve["expected_saved_profit"]) >= 0).all()
    assert 5.0 in result.profit_curve["budget"].tolist()


def test_summary_names_sizes_profit_at_risk_and_top_segment(result) -> None:
    summary = result.summary
    named = [s for s in summary["segments"] if s["kind"] == "named"]
    assert [s["segment"] for s in named] == [
        "valuable_at_risk",
        "promo_hunters_at_risk",
        "appliance_buyers",
        "for_themselves",
        "kids_goods_buyers",
    ]
    assert summary["top_segment"]["profit_at_risk"] == max(s["profit_at_risk"] for s in named)
    assert summary["profit_at_risk"] == pytest.approx(result.offers["profit_at_risk"].sum())
    assert sum(summary["offers"]["mix"].values()) == 60
    assert summary["campaign"]["budget"] == 5.0
    assert all(item["is_assumption"] for item in summary["assumptions"]["offers"])
    profiles = result.segment_profiles.summary
    assert {"offer_mix", "top_offer", "n_in_campaign", "profit_at_risk", "d_promo_purchase_share"} <= set(profiles)


def test_write_puts_every_file_in_place(result, tmp_path: Path) -> None:
    paths = result.write(tmp_path / "out")
    assert {p.name for p in paths.values()} == {
        "offers.csv",
        "segments.csv",
        "segment_features.csv",
        "segment_drivers.csv",
        "profit_curve.csv",
        "offers_summary.json",
    }
    offers = pd.read_csv(paths["offers"])
    assert len(offers) == 60 and list(offers.columns) == OFFER_COLUMNS
    segments = pd.read_csv(paths["segments"])
    assert len(segments) == 9  # five named segments and four cells
    summary = json.loads(paths["summary"].read_text(encoding="utf-8"))  # strict JSON: no NaN
    assert summary["n_customers"] == 60


def test_written_amounts_read_cleanly_and_keep_their_value(result, tmp_path: Path) -> None:
    paths = result.write(tmp_path / "out")
    text = paths["offers"].read_text(encoding="utf-8")
    assert re.search(r"\.\d{15,}", text) is None  # no 0.29056000000000004 for a spreadsheet to show
    written = pd.read_csv(paths["offers"])
    for column in ("offer_cost", "expected_saved_profit", "profit_at_risk"):
        assert np.allclose(written[column], result.offers[column].to_numpy(), rtol=1e-9, atol=0, equal_nan=True)


def test_same_inputs_same_outputs(inputs, result) -> None:
    customers, probability, contributions = inputs
    again = build_offers(customers, probability, contributions, budget=5.0, curve_points=6)
    pd.testing.assert_frame_equal(again.offers, result.offers)
    pd.testing.assert_frame_equal(again.segment_profiles.summary, result.segment_profiles.summary)
    pd.testing.assert_frame_equal(again.profit_curve, result.profit_curve)


def test_english_titles_and_reasons(inputs) -> None:
    customers, probability, contributions = inputs
    result = build_offers(customers, probability, contributions, budget=None, lang="en", curve_points=3)
    assert result.offers["reason"].str.contains("offer|no offer", case=False).all()
    assert not result.offers["reason"].str.contains("[а-я]").any()
    assert result.campaign.status == "optimal: the budget does not bind"
    assert result.offers["in_campaign"].tolist() == (result.offers["offer"] != NO_OFFER).tolist()


def test_custom_files_are_used(inputs, tmp_path: Path) -> None:
    customers, probability, contributions = inputs
    segments = tmp_path / "segments.yaml"
    segments.write_text("segments:\n  - name: all\n    when: []\n", encoding="utf-8")
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(
        "offers:\n  - {id: call, title: Звонок, cost: {fixed: 0.1}, uplift: 0.2, eligible: [{segment: all}]}\n",
        encoding="utf-8",
    )
    result = build_offers(
        customers, probability, contributions, budget=1.0, segments_config=segments, catalogue=catalogue, curve_points=3
    )
    assert set(result.offers["primary_segment"]) == {"all"}
    assert set(result.offers["offer"]) <= {"call", NO_OFFER}
    assert result.campaign.n_customers == 10  # 1.0 / 0.1
    assert result.summary["sources"] == {"segments": str(segments), "catalogue": str(catalogue)}


def test_a_catalogue_naming_an_unknown_segment_is_refused(inputs, tmp_path: Path) -> None:
    customers, probability, contributions = inputs
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(
        "offers:\n  - {id: call, cost: {fixed: 0.1}, uplift: 0.2, eligible: [{segment: vip}]}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"offer 'call'.*unknown segment 'vip'"):
        build_offers(customers, probability, contributions, budget=1.0, catalogue=catalogue)


def test_contributions_for_other_customers_are_refused(inputs) -> None:
    customers, probability, contributions = inputs
    with pytest.raises(InputDataError, match=r"contributions lack 1 customer\(s\), e\.g\. \[1000\]"):
        build_offers(customers, probability, contributions.drop(index=1000), budget=None)


@pytest.mark.parametrize(
    ("option", "message"),
    [({"lang": "de"}, "lang='de'"), ({"method": "greedy"}, "method="), ({"budget": -1.0}, "budget=-1.0")],
)
def test_bad_options_are_refused(inputs, option: dict[str, object], message: str) -> None:
    customers, probability, contributions = inputs
    with pytest.raises(ConfigError, match=message):
        build_offers(customers, probability, contributions, **{"budget": 1.0, **option})  # type: ignore[arg-type]


def test_the_large_problem_fallback_is_labelled(inputs, monkeypatch: pytest.MonkeyPatch) -> None:
    customers, probability, contributions = inputs
    monkeypatch.setattr("oneclick.offers.build.EXACT_MAX_CANDIDATES", 10)
    result = build_offers(customers, probability, contributions, budget=5.0, curve_points=3)
    assert "not exact" in result.campaign.method
    assert result.campaign.upper_bound >= result.campaign.expected_saved_profit
