"""Measured uplift: the catalogue's unit, statsmodels' interval, the verdict rule, no NaN."""

from __future__ import annotations

import json
import math

import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

from oneclick.campaigns.uplift import measure_uplift, verdict_of


def test_a_known_effect_is_measured_with_statsmodels_interval_and_called_works() -> None:
    # 40 % decline in control, 20 % among the treated: half the decline removed
    row = measure_uplift(
        n_treatment=300,
        declined_treatment=60,
        n_control=300,
        declined_control=120,
        treated_profit=1200.0,
        treated_cost=100.0,
    )
    assert row["uplift"] == pytest.approx(0.5)
    low, high = confint_proportions_2indep(60, 300, 120, 300, compare="ratio", method="score")
    assert row["uplift_ci_low"] == pytest.approx(1 - high) and row["uplift_ci_high"] == pytest.approx(1 - low)
    assert row["uplift_ci_low"] < 0.5 < row["uplift_ci_high"]
    assert row["verdict"] == "works" and row["p_value"] < 0.001
    # 0.2 of the decline rate removed on 1,200 of monthly profit over 3 months, less the cost
    assert row["saved_profit"] == pytest.approx(0.2 * 1200 * 3 - 100)
    assert row["saved_profit_ci_low"] < row["saved_profit"] < row["saved_profit_ci_high"]


def test_no_effect_is_no_evidence_and_a_harmful_offer_harms() -> None:
    none = measure_uplift(n_treatment=300, declined_treatment=90, n_control=300, declined_control=90)
    assert none["uplift"] == pytest.approx(0.0) and none["verdict"] == "no_evidence"
    harm = measure_uplift(n_treatment=300, declined_treatment=150, n_control=300, declined_control=90)
    assert harm["uplift"] < 0 and harm["uplift_ci_high"] < 0 and harm["verdict"] == "harms"


@pytest.mark.parametrize(
    ("counts", "reason"),
    [((0, 0, 50, 10), "an empty arm"), ((50, 5, 50, 0), "no declines among the 50 control")],
)
def test_what_cannot_be_measured_says_why_and_holds_no_nan(counts, reason) -> None:
    n_t, d_t, n_c, d_c = counts
    row = measure_uplift(n_treatment=n_t, declined_treatment=d_t, n_control=n_c, declined_control=d_c)
    assert row["verdict"] == "no_evidence" and reason in row["reason"]
    text = json.dumps(row, allow_nan=False)  # raises on NaN
    assert '"uplift": null' in text


def test_no_declines_among_the_treated_keeps_a_finite_interval_end() -> None:
    row = measure_uplift(n_treatment=100, declined_treatment=0, n_control=100, declined_control=30)
    assert row["uplift"] == pytest.approx(1.0)
    assert all(v is None or math.isfinite(v) for v in row.values() if isinstance(v, float))
    json.dumps(row, allow_nan=False)


def test_the_verdict_rule_and_bad_counts() -> None:
    assert verdict_of(0.01, 0.5) == "works" and verdict_of(-0.5, -0.01) == "harms"
    assert verdict_of(-0.1, 0.3) == "no_evidence" and verdict_of(None, 0.3) == "no_evidence"
    with pytest.raises(ValueError, match="expected 0 <= declined <= customers"):
        measure_uplift(n_treatment=10, declined_treatment=11, n_control=10, declined_control=1)


def test_tiny_groups_give_real_figures_or_none_never_a_warning() -> None:
    # the score interval's roots can be complex at the boundaries of groups of a few customers
    for n_t, n_c in [(1, 1), (2, 1), (3, 2), (1, 3), (10, 2)]:
        for d_t in range(n_t + 1):
            for d_c in range(n_c + 1):
                row = measure_uplift(n_treatment=n_t, declined_treatment=d_t, n_control=n_c, declined_control=d_c)
                json.dumps(row, allow_nan=False)
                assert all(not isinstance(v, complex) for v in row.values())


def test_an_interval_touching_zero_is_no_evidence() -> None:
    assert verdict_of(-2.5, -1e-15) == "no_evidence" and verdict_of(1e-15, 0.4) == "no_evidence"


def test_an_interval_always_holds_its_own_estimate_at_tiny_counts() -> None:
    # statsmodels' score interval of 3/4 against 3/3 is [0.86; 2.03] around a ratio of 0.75: the log
    # interval takes over, and the row names the test it used.
    row = measure_uplift(n_treatment=4, declined_treatment=3, n_control=3, declined_control=3)
    assert row["uplift"] == pytest.approx(0.25)
    assert row["uplift_ci_low"] <= row["uplift"] <= row["uplift_ci_high"]
    assert "log-adjusted" in row["test"] and row["verdict"] == "no_evidence"
    for n_t in range(1, 5):
        for d_t in range(n_t + 1):
            for n_c in range(1, 5):
                for d_c in range(1, n_c + 1):
                    row = measure_uplift(n_treatment=n_t, declined_treatment=d_t, n_control=n_c, declined_control=d_c)
                    if row["uplift_ci_low"] is not None and row["uplift_ci_high"] is not None:
                        assert row["uplift_ci_low"] - 1e-6 <= row["uplift"] <= row["uplift_ci_high"] + 1e-6, row


def test_every_customer_declining_in_both_arms_is_no_evidence_not_harm() -> None:
    # the score interval's upper root lands a hair below 0 (-2.8e-8): it touches 0
    for n_t, n_c in ((1, 1), (3, 1), (5, 5)):
        row = measure_uplift(n_treatment=n_t, declined_treatment=n_t, n_control=n_c, declined_control=n_c)
        assert row["uplift"] == 0.0 and row["verdict"] == "no_evidence", row
