"""Rows over several strata: stratified, standardised to the treated, not pooled across control shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oneclick.campaigns.outcome import evaluate_campaign
from oneclick.campaigns.stratified import STRATIFIED_TEST, Stratum, measure_stratified
from oneclick.campaigns.uplift import measure_uplift

# Same true effect (half the decline removed) in both; "hunters" declines six times as often and drew
# a control share of 0.5, "loyal" a share of 0.2: pooled, the controls are mostly high-decline hunters.
HUNTERS = ("promo_hunters_at_risk", "discount_10", 100, 30, 100, 60)
LOYAL = ("loyal", "discount_10", 400, 20, 100, 10)


def _evaluated(*strata: tuple[str, str, int, int, int, int]) -> dict[tuple[str, str], dict]:
    """``evaluate_campaign`` on customers made from exact counts: (segment, offer, n_t, declined_t, n_c, declined_c)."""
    parts = []
    for segment, offer, n_t, d_t, n_c, d_c in strata:
        arm = ["treatment"] * n_t + ["control"] * n_c
        declined = [1] * d_t + [0] * (n_t - d_t) + [1] * d_c + [0] * (n_c - d_c)
        parts.append(pd.DataFrame({"segment": segment, "offer_id": offer, "arm": arm, "declined": declined}))
    table = pd.concat(parts, ignore_index=True)
    table["customer_id"] = np.arange(1, len(table) + 1)
    table["stratum"] = table["segment"] + "|" + table["offer_id"]
    table = table.assign(decline_probability=0.3, profit=10.0, cost=0.5, assumed_uplift=0.1, expected_saved_profit=0)
    outcomes = table.set_index("customer_id")[["declined"]]
    result = evaluate_campaign(table.drop(columns="declined"), outcomes, campaign_id="c", horizon_months=3)
    return {(row["offer"], row["segment"]): row for row in result["offers"]}


def test_strata_with_different_control_shares_give_their_common_effect_where_pooling_would_not() -> None:
    rows = _evaluated(HUNTERS, LOYAL)
    for key in (("discount_10", "all"), ("all", "all")):
        row = rows[key]
        assert row["uplift"] == pytest.approx(0.5)
        assert (row["decline_rate_treatment"], row["decline_rate_control"]) == pytest.approx((0.1, 0.2))
        assert row["n_strata"] == row["n_strata_measured"] == 2 and row["test"] == STRATIFIED_TEST
        assert (row["n_treatment"], row["n_control"]) == (500, 200)
        assert row["uplift_ci_low"] < 0.5 < row["uplift_ci_high"] and row["verdict"] == "works"
    pooled = measure_uplift(n_treatment=500, declined_treatment=50, n_control=200, declined_control=70)
    assert pooled["uplift"] == pytest.approx(1 - 0.1 / 0.35)  # 0.71: pooling overstates the effect
    # saved profit: the strata's own, summed (10 profit x 3 months a treated customer, 0.5 cost)
    each = [rows[("discount_10", segment)]["saved_profit"] for segment in ("promo_hunters_at_risk", "loyal")]
    assert rows[("all", "all")]["saved_profit"] == pytest.approx(sum(each))
    assert sum(each) == pytest.approx(0.3 * 3000 - 50 + 0.05 * 12000 - 200)


def test_a_row_of_one_stratum_is_measure_uplift_itself() -> None:
    rows = _evaluated(HUNTERS, ("loyal", "free_delivery", 80, 20, 40, 12))
    expected = measure_uplift(
        n_treatment=80,
        declined_treatment=20,
        n_control=40,
        declined_control=12,
        treated_profit=800.0,
        treated_cost=40.0,
        horizon_months=3,
    )
    for key in (("free_delivery", "all"), ("free_delivery", "loyal")):
        assert {k: rows[key][k] for k in expected} == expected
        assert (rows[key]["n_strata"], rows[key]["n_strata_measured"]) == (1, 1)


def test_a_stratum_with_an_empty_arm_is_left_out_counted_and_named() -> None:
    kept = [Stratum("hunters|d", 100, 30, 100, 60, 1000.0, 50.0), Stratum("loyal|d", 400, 20, 100, 10, 4000.0, 200.0)]
    empty = Stratum("new|d", 7, 3, 0, 0, 70.0, 3.5)
    row = measure_stratified([*kept, empty])
    assert (row["n_strata"], row["n_strata_measured"]) == (3, 2)
    assert (row["n_treatment"], row["n_control"], row["cost"]) == (507, 200, 253.5)
    assert "new|d" in row["reason"] and "1 of 3 strata left out" in row["reason"]
    without = measure_stratified(kept)
    estimates = ("uplift", "uplift_ci_low", "uplift_ci_high", "p_value", "saved_profit", "saved_profit_ci_low")
    assert {k: row[k] for k in estimates} == {k: without[k] for k in estimates}
    assert without["reason"] is None


def test_no_stratum_measurable_gives_no_figures_and_says_why() -> None:
    row = measure_stratified([Stratum("a|x", 5, 1, 0, 0), Stratum("b|x", 0, 0, 3, 1)])
    assert row["uplift"] is None and row["saved_profit"] is None and row["verdict"] == "no_evidence"
    assert "2 of 2 strata left out" in row["reason"]


def test_impossible_counts_are_refused_naming_the_stratum() -> None:
    with pytest.raises(ValueError, match="loyal, control"):
        measure_stratified([Stratum("hunters", 10, 2, 10, 4), Stratum("loyal", 10, 2, 10, 11)])


def test_the_95_intervals_cover_the_truth_in_at_least_90_percent_of_seeded_campaigns() -> None:
    rng = np.random.default_rng(7)
    uplift, horizon = 0.3, 3.0
    # (treated, control, base decline rate, profit a customer): shares and base rates differ
    design = [(300, 300, 0.5, 8.0), (600, 120, 0.15, 20.0), (150, 40, 0.3, 5.0)]
    true_saved = sum(n_t * profit * horizon * base * uplift - n_t * 0.5 for n_t, _, base, profit in design)
    covered_uplift = covered_profit = 0
    reps = 200
    for _ in range(reps):
        strata = [
            Stratum(
                f"s{i}",
                n_t,
                int(rng.binomial(n_t, base * (1 - uplift))),
                n_c,
                int(rng.binomial(n_c, base)),
                n_t * profit,
                n_t * 0.5,
            )
            for i, (n_t, n_c, base, profit) in enumerate(design)
        ]
        row = measure_stratified(strata, horizon)
        covered_uplift += row["uplift_ci_low"] <= uplift <= row["uplift_ci_high"]
        covered_profit += row["saved_profit_ci_low"] <= true_saved <= row["saved_profit_ci_high"]
    assert covered_uplift / reps >= 0.90 and covered_profit / reps >= 0.90
