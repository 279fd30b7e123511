"""Explanations in the store's words: importance per feature and group, each customer's top drivers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from oneclick.features.groups import FEATURE_GROUPS, GROUP_LABELS, feature_label
from oneclick.ingest.columns import russian_value
from oneclick.language import Lang, Texts, as_series, fill, short_number, short_numbers, take, texts
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
    values = explanation.contributions.to_numpy()
    features = np.asarray(explanation.contributions.columns)
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :n]
    contributions = np.take_along_axis(values, order, axis=1)
    words = _DriverWords(features, np.unique(order), X, lang)
    columns: dict[str, object] = {}
    for rank in range(order.shape[1]):
        picked = order[:, rank]
        columns[f"driver_{rank + 1}"] = as_series(words.of(picked, contributions[:, rank]), X.index)
        columns[f"driver_{rank + 1}_feature"] = features[picked]
        columns[f"driver_{rank + 1}_contribution"] = np.round(contributions[:, rank], 4)
    ordered = [f"driver_{k}" for k in range(1, order.shape[1] + 1)]
    table = pd.DataFrame(columns, index=X.index)
    return table[ordered + [c for c in table.columns if c not in ordered]]


class _DriverWords:
    """Every distinct driver text of a batch (feature, its value, direction), written once, looked up by code.

    At millions of customers the words, not the model, were the cost: a few distinct values per
    feature (counts, categories, shares) are written instead of one text per customer.
    """

    def __init__(self, features: np.ndarray, used: np.ndarray, X: pd.DataFrame, lang: Lang) -> None:
        self._column = np.zeros(len(features), dtype=np.int64)  # feature position -> column of _value_codes
        self._value_codes = np.zeros((len(X), len(used)), dtype=np.int32)
        self._offsets = np.zeros(len(features), dtype=np.int64)
        self._sizes = np.zeros(len(features), dtype=np.int64)
        pieces, offset = [], 0
        for column, position in enumerate(used.tolist()):
            feature = str(features[position])
            codes, written = _value_words(feature, X[feature], lang)
            label = feature_label(feature, lang)
            for raises in (True, False):  # the texts raising risk first, then the ones lowering it
                pieces.append(fill(_DRIVER, label=label, value=written, direction=DIRECTION[lang][raises]))
            self._column[position], self._value_codes[:, column] = column, codes
            self._offsets[position], self._sizes[position] = offset, len(written)
            offset += 2 * len(written)
        self._words = pa.concat_arrays(pieces) if pieces else texts([])

    def of(self, picked: np.ndarray, contribution: np.ndarray) -> Texts:
        """The driver text of each customer's ``picked`` feature (a position) with its contribution."""
        rows = np.arange(len(picked))
        lowers = ~(contribution > 0)
        return take(
            self._words,
            self._offsets[picked] + lowers * self._sizes[picked] + self._value_codes[rows, self._column[picked]],
        )


def _value_words(feature: str, values: pd.Series, lang: Lang) -> tuple[np.ndarray, Texts]:
    """Codes of ``values`` and their distinct values in words (:func:`format_value`)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iuf":
        return codes, short_numbers(np.asarray(distinct, dtype=float), lang)
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
