"""Score customers with a saved model: probability of a decline, decision, top drivers in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from oneclick.model.artifacts import LoadedModel, check_schema
from oneclick.model.drivers import Lang, top_drivers
from oneclick.model.explain import Explanation
from oneclick.model.prepared import decline_probability, prepare_table
from oneclick.model.threads import one_thread

CONTRIBUTION_PREFIX = "contribution_"


def score_customers(loaded: LoadedModel, X: pd.DataFrame, *, lang: Lang = "ru", n_drivers: int = 3) -> pd.DataFrame:
    """One row per customer of ``X``: ``decline_probability``, ``is_high_risk``, the top drivers, contributions.

    ``is_high_risk`` means ``decline_probability >= threshold`` (the model's F1 threshold).
    ``contribution_<feature>`` columns hold each feature's contribution to the log-odds.

    Raises :class:`ModelArtifactError` when ``X``'s columns differ from the training data's.
    """
    check_schema(loaded, X)
    X = X[loaded.feature_names]
    with one_thread():
        prepared = prepare_table(loaded.model, X, loaded.preparations)
        probability = decline_probability(loaded.model, prepared)
    explanation = explain_customers(loaded, X, prepared.inputs)
    table = pd.DataFrame(
        {"decline_probability": probability.round(6), "is_high_risk": probability >= loaded.threshold}, index=X.index
    )
    drivers = top_drivers(explanation, X, n=n_drivers, lang=lang)
    contributions = explanation.contributions.round(5).add_prefix(CONTRIBUTION_PREFIX)
    return pd.concat([table, drivers, contributions], axis=1)


def explain_customers(loaded: LoadedModel, X: pd.DataFrame, prepared: Sequence[Any] | None = None) -> Explanation:
    """The saved model's explanation of ``X``, with the training run's background and settings.

    ``prepared``: each component's preprocessing of ``X``, when the probability already needed it
    (:attr:`PreparedTable.inputs <oneclick.model.prepared.PreparedTable>`).
    """
    with one_thread():
        return loaded.explainer.explain(X, prepared)
