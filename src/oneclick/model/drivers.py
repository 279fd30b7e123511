"""Explanations in the store's words: importance per feature and group, each customer's top drivers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from oneclick.features.groups import FEATURE_GROUPS, GROUP_LABELS, feature_label
from oneclick.ingest.columns import russian_value
from oneclick.language import Lang, Texts, as_series, fill, positions_by_code, short_number, short_numbers, take, texts
from oneclick.model.explain import Explanation

DIRECTION: dict[str, dict[bool, str]] = {
    "ru": {True: "повышает риск", False: "снижает риск"},
    "en": {True: "raises risk", False: "lowers risk"},
}
YES_NO: dict[str, dict[bool, str]] = {"ru": {True: "да", False: "нет"}, "en": {True: "yes", False: "no"}}
_DRIVER = "{label} = {value} ({direction})"


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
    values = explanation.contributions.to_numpy(dtype=float)
    features = [str(feature) for feature in explanation.contributions.columns]
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :n]
    contributions = np.take_along_axis(values, order, axis=1)
    words = driver_words(features, order, contributions, X, lang)
    names = texts(features)
    columns: dict[str, object] = {}
    for rank in range(order.shape[1]):
        columns[f"driver_{rank + 1}"] = as_series(words[rank], X.index)
        columns[f"driver_{rank + 1}_feature"] = as_series(take(names, order[:, rank]), X.index)
        columns[f"driver_{rank + 1}_contribution"] = np.round(contributions[:, rank], 4)
    ordered = [f"driver_{k}" for k in range(1, order.shape[1] + 1)]
    table = pd.DataFrame(columns, index=X.index)
    return table[ordered + [c for c in table.columns if c not in ordered]]


def driver_words(
    features: Sequence[str], order: np.ndarray, contributions: np.ndarray, X: pd.DataFrame, lang: Lang = "ru"
) -> list[Texts]:
    """The drivers in words, rank by rank: feature ``features[order[row, k]]`` with its ``contributions[row, k]``.

    Every distinct text (feature, value, direction) is written once and looked up: at millions of
    customers the words, not the model, were the cost, and a feature has few distinct values.
    """
    picked = order.ravel()  # row by row, rank by rank
    rows = np.repeat(np.arange(len(order)), order.shape[1])
    lowers = ~(contributions.ravel() > 0)
    codes = np.zeros(len(picked), dtype=np.int64)
    pieces, offset = [texts([])], 0
    for position, chosen in enumerate(positions_by_code(picked, len(features))):
        if not len(chosen):
            continue
        feature = features[position]
        value_codes, written = _value_words(feature, X[feature], rows[chosen], lang)
        for raises in (True, False):  # the texts raising risk first, then the ones lowering it
            pieces.append(
                fill(_DRIVER, label=feature_label(feature, lang), value=written, direction=DIRECTION[lang][raises])
            )
        codes[chosen] = offset + lowers[chosen] * len(written) + value_codes
        offset += 2 * len(written)
    words, by_rank = pa.concat_arrays(pieces), codes.reshape(order.shape)
    return [take(words, by_rank[:, rank]) for rank in range(order.shape[1])]


def _value_words(feature: str, values: pd.Series, rows: np.ndarray, lang: Lang) -> tuple[np.ndarray, Texts]:
    """Codes of ``values`` at ``rows`` (positions) and their distinct values in words (:func:`format_value`)."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iuf":
        codes, distinct = pd.factorize(values.to_numpy(dtype=float)[rows], use_na_sentinel=False)
        return codes, short_numbers(distinct, lang)
    codes, distinct = pd.factorize(values.array[rows], use_na_sentinel=False)
    return codes, texts([format_value(feature, value, lang) for value in distinct])


def describe_driver(feature: str, value: object, contribution: float, lang: Lang = "ru") -> str:
    """``Страниц за визит = 3 (повышает риск)``: label, the customer's value, direction."""
    direction = DIRECTION[lang][contribution > 0]
    return _DRIVER.format(
        label=feature_label(feature, lang), value=format_value(feature, value, lang), direction=direction
    )


def format_value(feature: str, value: object, lang: Lang = "ru") -> str:
    """A feature value as a person writes it: ``3``, ``0,93`` (``0.93`` in English), ``да``, ``Товары для детей``."""
    if isinstance(value, bool | np.bool_):
        return YES_NO[lang][bool(value)]
    if isinstance(value, str):
        return russian_value(feature, value) if lang == "ru" else value.replace("_", " ")
    return short_number(float(value), lang)  # type: ignore[arg-type]
