"""Model decay and the verdict on whole comparisons: concept drift retrains, no drift keeps, labels shift is watched."""

from __future__ import annotations

from pathlib import Path

import pytest

from oneclick.model import load_model
from oneclick.periods import compare_periods

SEEDS = (1, 2)


@pytest.fixture(scope="module")
def loaded(model_dir: Path):
    return load_model(model_dir)


@pytest.mark.parametrize("seed", SEEDS)
def test_concept_drift_lowers_the_realised_auc_and_retrains(last_period, next_period, loaded, seed: int) -> None:
    result = compare_periods(last_period, next_period(last_period, "concept:promo_purchase_share", seed), model=loaded)
    decay = result.decay
    assert not decay.estimated
    assert decay.ci("roc_auc")[1] < decay.promised["roc_auc"] - 0.03
    # The model's own probabilities expected as much as it promised: only the outcomes tell the concept moved.
    assert decay.expected["roc_auc"]["value"] > decay.value("roc_auc") + 0.03
    assert result.verdict.verdict == "retrain"
    assert {"auc_below_tolerance", "auc_below_expected"} <= {reason.rule for reason in result.verdict.holding}
    tests = result.as_dict()["decay"]["against_expected"]
    assert tests["roc_auc"]["p_value"] < 0.05 and tests["roc_auc"]["shortfall"] > 0.03
    assert tests["brier"]["p_value"] < 0.05  # the outcomes are further from the probabilities than chance allows
    assert not result.drift.drifted  # the features did not move


@pytest.mark.parametrize("seed", SEEDS)
def test_without_drift_the_model_keeps_its_promise(last_period, next_period, loaded, seed: int) -> None:
    result = compare_periods(last_period, next_period(last_period, "", seed), model=loaded, seed=seed)
    decay = result.decay
    low, high = decay.ci("roc_auc")
    assert low <= decay.promised["roc_auc"] + 0.03 and high >= decay.promised["roc_auc"] - 0.03
    assert result.verdict.verdict == "keep", [r.says for r in result.verdict.holding]
    assert result.decay.tests["roc_auc"]["p_value"] >= 0.05 and result.decay.tests["brier"]["p_value"] >= 0.05


def test_a_base_rate_shift_is_a_label_shift_to_watch(last_period, next_period, loaded) -> None:
    result = compare_periods(last_period, next_period(last_period, "base_rate:+0.1", 1), model=loaded)
    shift = result.label_shift
    assert shift["shifted"] and shift["difference_ci"][0] > 0.03
    assert result.verdict.verdict == "watch"
    assert {reason.rule for reason in result.verdict.holding} >= {"label_shift"}


def test_without_labels_the_decay_is_an_estimate_that_never_retrains(last_period, next_period, loaded) -> None:
    result = compare_periods(
        last_period, next_period(last_period, "concept:promo_purchase_share", 1), model=loaded, use_labels=False
    )
    summary = result.as_dict()
    assert summary["decay"]["estimated"] is True and "estimate" in summary["decay"]
    assert summary["decay"]["n_customers"] == summary["new"]["n_customers"]
    assert summary["label_shift"]["shifted"] is None
    assert summary["verdict"] == "keep"  # concept drift cannot be seen without the outcomes


def test_the_bootstrap_is_seeded(last_period, next_period, loaded) -> None:
    new = next_period(last_period, "", 1)
    first = compare_periods(last_period, new, model=loaded, seed=3).as_dict()
    again = compare_periods(last_period, new, model=loaded, seed=3).as_dict()
    assert first["decay"] == again["decay"] and first["features"] == again["features"]
