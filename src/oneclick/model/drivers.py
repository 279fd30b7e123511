"""Explanations in the store's words: importance per feature and group, each customer's top drivers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oneclick.features.groups import FEATURE_GROUPS, GROUP_LABELS, feature_label
from oneclick.ingest.columns import russian_value
from oneclick.language import Lang, short_number
from oneclick.model.explain import Explanation

DIRECTION: dict[str, dict[bool, str]] = {
    "ru": {True: "повышает риск", False: "снижает риск"},
    "en": {True: "raises risk", False: "lowers risk"},
}
YES_NO: dict[str, dict[bool, str]] = {"ru": {True: "да", False: "нет"}, "en": {True: "yes", False: "no"}}


def feature_importance(explanation: Explanation) -> pd.DataFrame:
    """Mean absolute contribution (log-odds) of each feature, its group and share, largest first."""
    mean_abs = explanation.contributions.abs().mean()
    table = pd.DataFrame(
        {
            "feature": mean_abs.index,
            "group": [FEATURE_GROUPS.get(name, "other") for name in mean_abs.index],
            "mean_abs_contribution": mean_abs.to_numpy(),
        }
    )
    table["share"] = table["mean_abs_contribution"] / table["mean_abs_contribution"].sum()
    table["label_ru"] = [feature_label(name, "ru") for name in table["feature"]]
    table["label_en"] = [feature_label(name, "en") for name in table["feature"]]
    return table.sort_values("mean_abs_contribution", ascending=False, ignore_index=True)


def group_importance(explanation: Explanation) -> pd.DataFrame:
    """Mean absolute contribution of each feature group (its features' contributions summed first)."""
    groups = pd.Series({name: FEATURE_GROUPS.get(name, "other") for name in explanation.contributions.columns})
    summed = explanation.contributions.T.groupby(groups).sum().T
    mean_abs = summed.abs().mean().sort_values(ascending=False)
    return pd.DataFrame(
        {
            "group": mean_abs.index,
            "mean_abs_contribution": mean_abs.to_numpy(),
            "share": (mean_abs / mean_abs.sum()).to_numpy(),
            "label_ru": [GROUP_LABELS.get(g, {}).get("ru", g) for g in mean_abs.index],
            "label_en": [GROUP_LABELS.get(g, {}).get("en", g) for g in mean_abs.index],
        }
    )


def top_drivers(explanation: Explanation, X: pd.DataFrame, *, n: int = 3, lang: Lang = "ru") -> pd.DataFrame:
    """Each customer's ``n`` largest contributions, in words, with the feature and its contribution.

    Columns ``driver_1`` .. ``driver_n`` (text), ``driver_k_feature`` and ``driver_k_contribution``.

    >>> top_drivers(explanation, X, lang="en").loc[215349, "driver_1"]  # doctest: +SKIP
    'Pages per visit = 3 (raises risk)'
    """
    values = explanation.contributions.to_numpy()
    features = np.asarray(explanation.contributions.columns)
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :n]
    columns: dict[str, object] = {}
    for rank in range(order.shape[1]):
        picked = order[:, rank]
        contribution = values[np.arange(len(values)), picked]
        names = features[picked]
        words = np.empty(len(X), dtype=object)
        for feature in np.unique(names):
            rows = np.flatnonzero(names == feature)
            words[rows] = _describe_column(feature, X[feature].iloc[rows], contribution[rows], lang)
        columns[f"driver_{rank + 1}"] = words
        columns[f"driver_{rank + 1}_feature"] = names
        columns[f"driver_{rank + 1}_contribution"] = np.round(contribution, 4)
    ordered = [f"driver_{k}" for k in range(1, order.shape[1] + 1)]
    table = pd.DataFrame(columns, index=X.index)
    return table[ordered + [c for c in table.columns if c not in ordered]]


def _describe_column(feature: str, values: pd.Series, contribution: np.ndarray, lang: Lang) -> np.ndarray:
    """:func:`describe_driver` for many customers of one feature: each distinct value is written once.

    At millions of customers the words, not the model, were the cost: a few distinct values per
    feature (counts, categories, shares) are formatted instead of one per customer.
    """
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    written = np.array([format_value(feature, value, lang) for value in distinct], dtype=object)
    label = f"{feature_label(feature, lang)} = "
    raises = np.where(contribution > 0, f" ({DIRECTION[lang][True]})", f" ({DIRECTION[lang][False]})").astype(object)
    return label + written[codes] + raises


def describe_driver(feature: str, value: object, contribution: float, lang: Lang = "ru") -> str:
    """``Страниц за визит = 3 (повышает риск)``: label, the customer's value, direction."""
    direction = DIRECTION[lang][contribution > 0]
    return f"{feature_label(feature, lang)} = {format_value(feature, value, lang)} ({direction})"


def format_value(feature: str, value: object, lang: Lang = "ru") -> str:
    """A feature value as a person writes it: ``3``, ``0,93`` (``0.93`` in English), ``да``, ``Товары для детей``."""
    if isinstance(value, bool | np.bool_):
        return YES_NO[lang][bool(value)]
    if isinstance(value, str):
        return russian_value(feature, value) if lang == "ru" else value.replace("_", " ")
    return short_number(float(value), lang)  # type: ignore[arg-type]
