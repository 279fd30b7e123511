"""Candidate pipelines: preprocessing inside, every family and every searched point fits."""

from __future__ import annotations

import numpy as np
import optuna
import pandas as pd
import pytest

from oneclick.model.candidates import FAMILIES, FAMILY_NAMES, build_pipeline, default_params, make_preprocessor


def test_preprocessing_one_hot_for_nominal_and_order_for_binary(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, _ = small_xy
    prepare = make_preprocessor("none").fit(X)
    names = list(prepare.get_feature_names_out())
    out = pd.DataFrame(prepare.transform(X), columns=names, index=X.index)
    categories = X["favourite_category"].cat.categories
    assert [f"favourite_category={c}" for c in categories] == names[: len(categories)]
    assert (out.filter(like="favourite_category=").sum(axis=1) == 1).all()
    assert (out["service_type"] == (X["service_type"] == "premium")).all()  # standard = 0 < premium = 1
    assert (out["allows_messages"] == X["allows_messages"]).all()
    assert (out["pages_per_visit"] == X["pages_per_visit"]).all()  # "none": numbers pass unchanged


@pytest.mark.parametrize(("scaler", "low", "high"), [("standard", -10, 10), ("minmax", 0, 1)])
def test_scaler_is_a_choice(small_xy: tuple[pd.DataFrame, pd.Series], scaler: str, low: float, high: float) -> None:
    X, _ = small_xy
    prepare = make_preprocessor(scaler).fit(X)  # type: ignore[arg-type]
    revenue = prepare.transform(X)[:, list(prepare.get_feature_names_out()).index("revenue_current_month")]
    assert low <= revenue.min() < revenue.max() <= high


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_default_pipeline_of_each_family_predicts_probabilities(
    small_xy: tuple[pd.DataFrame, pd.Series], family: str
) -> None:
    X, y = small_xy
    pipeline = build_pipeline(family, default_params(family), seed=0).fit(X, y)
    if hasattr(pipeline, "predict_proba"):
        probability = pipeline.predict_proba(X)[:, 1]
        assert ((probability >= 0) & (probability <= 1)).all()
    else:  # SVC: a margin, made a probability later by the calibration
        assert np.isfinite(pipeline.decision_function(X)).all()


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_every_point_the_search_may_suggest_builds_and_fits(
    small_xy: tuple[pd.DataFrame, pd.Series], family: str
) -> None:
    X, y = small_xy
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))
    for _ in range(3):
        trial = study.ask()
        params = FAMILIES[family].suggest(trial)
        build_pipeline(family, params, seed=0).fit(X, y)
        study.tell(trial, 0.0)


def test_preprocessing_is_fitted_inside_the_pipeline(small_xy: tuple[pd.DataFrame, pd.Series]) -> None:
    X, y = small_xy
    half = len(X) // 2
    pipeline = build_pipeline("logreg", default_params("logreg")).fit(X.iloc[:half], y.iloc[:half])
    scaler = pipeline[0].named_transformers_["numeric"].named_steps["scale"]
    assert scaler.mean_[0] == pytest.approx(X.iloc[:half]["marketing_contacts_6m_avg"].mean())
