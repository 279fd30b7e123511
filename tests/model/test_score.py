"""Scoring with a saved model: probability, decision, drivers, contributions; refusals by message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.special import logit

from oneclick import ModelArtifactError
from oneclick.model import load_model, score_customers


def test_scores_hold_probability_decision_drivers_and_contributions(saved: Path, trained, small_xy) -> None:
    X, _ = small_xy
    loaded = load_model(saved)
    scores = score_customers(loaded, X, lang="ru")
    assert scores.index.equals(X.index)
    np.testing.assert_allclose(scores["decline_probability"], trained.model.predict_proba(X)[:, 1], atol=1e-6)
    assert (scores["is_high_risk"] == (scores["decline_probability"] >= loaded.threshold)).all()
    for rank in (1, 2, 3):
        assert scores[f"driver_{rank}"].str.contains(r" = .* \((?:повышает|снижает) риск\)$").all()
    contributions = scores.filter(regex="^contribution_")
    assert len(contributions.columns) == X.shape[1]
    # The drivers are the largest contributions, and the contributions explain the probability.
    largest = contributions.abs().to_numpy().argmax(axis=1)
    assert (contributions.columns[largest].str.removeprefix("contribution_") == scores["driver_1_feature"]).all()
    spread = logit(scores["decline_probability"]) - contributions.sum(axis=1)
    assert spread.std() < 1e-3  # the same base value for every customer


def test_scoring_twice_gives_identical_results(saved: Path, small_xy) -> None:
    X, _ = small_xy
    first, second = (score_customers(load_model(saved), X, lang="en") for _ in range(2))
    assert first.equals(second)


def test_data_with_other_columns_is_refused(saved: Path, small_xy) -> None:
    X, _ = small_xy
    with pytest.raises(ModelArtifactError, match=r"missing columns \['revenue_change'\]"):
        score_customers(load_model(saved), X.drop(columns="revenue_change"))
