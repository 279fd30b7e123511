"""Exploration: how each feature differs between the customers whose activity declined and the others.

For a number: its distribution in each class (shares of a common set of bins), the class means and
medians, the separation ``|2·AUC − 1|`` and the Mann-Whitney test; for a category: each value's
share in each class, the separation (the share of customers that would have to move for the two
distributions to match) and the χ² test of independence. Per month: the class means of revenue and
time on site with their standard errors.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, mannwhitneyu

from oneclick.features.build import LABEL
from oneclick.features.groups import FEATURES, Feature

# Whole-number features with at most this many values get one bin per value.
MAX_DISCRETE_VALUES = 30
N_BINS = 20
# Histograms span these quantiles; the rarer tails are counted in the end bins.
TAIL_QUANTILES = (0.005, 0.995)
MONTHS = {
    "revenue": ("month_before_previous", "previous_month", "current_month"),
    "minutes": ("previous_month", "current_month"),
}
CLASSES = ("declined", "unchanged")


def class_differences(features: pd.DataFrame) -> dict[str, Any]:
    """Per feature: its distribution in each class and how well it separates them; per month: class means.

    ``features`` is the customer table (``customer_features.parquet``: every feature and ``declined``).
    Returns ``n_customers``, ``n_declined``, ``features`` (one dict per feature of
    :data:`oneclick.features.groups.FEATURES`, in its order, with ``name``, ``group`` and ``kind``) and
    ``months`` (``revenue``/``minutes``: ``periods`` and each class's ``mean`` and ``sem``).

    >>> result = class_differences(table)  # doctest: +SKIP
    >>> minutes = next(f for f in result["features"] if f["name"] == "minutes_current_month")  # doctest: +SKIP
    >>> minutes["direction"], minutes["p_value"] < 0.05  # doctest: +SKIP
    ('lower', True)
    """
    declined = features[LABEL].astype(bool).to_numpy()
    rows = [
        (numeric_difference if f.kind == "numeric" else category_difference)(features[f.name], declined) | _about(f)
        for f in FEATURES
    ]
    return {
        "n_customers": len(features),
        "n_declined": int(declined.sum()),
        "features": rows,
        "months": {kind: monthly_means(features, declined, kind, periods) for kind, periods in MONTHS.items()},
    }


def _about(feature: Feature) -> dict[str, str]:
    return {"name": feature.name, "group": feature.group, "kind": feature.kind}


def numeric_difference(column: pd.Series, declined: np.ndarray) -> dict[str, Any]:
    """A number in each class: bin ``edges`` and each class's ``shares`` (%), ``mean``, ``median``,
    ``separation`` (0 to 1), ``direction`` (``"higher"``/``"lower"``/``"same"``: the declined customers'
    values against the others'), the two-sided Mann-Whitney ``p_value`` and ``whole`` (whole numbers only)."""
    values = column.to_numpy(dtype="float64")
    edges = _edges(values)
    clipped = np.clip(values, edges[0], edges[-1])
    shares, means, medians = {}, {}, {}
    for name, mask in zip(CLASSES, (declined, ~declined), strict=True):
        counts, _ = np.histogram(clipped[mask], bins=edges)
        shares[name] = [round(100 * c / max(mask.sum(), 1), 3) for c in counts]
        means[name] = float(np.mean(values[mask])) if mask.any() else math.nan
        medians[name] = float(np.median(values[mask])) if mask.any() else math.nan
    auc, p_value = 0.5, None
    if declined.any() and (~declined).any():
        test = mannwhitneyu(values[declined], values[~declined])
        auc = float(test.statistic / (declined.sum() * (~declined).sum()))
        p_value = _probability(test.pvalue)
    return {
        "edges": [float(e) for e in edges],
        "shares": shares,
        "mean": means,
        "median": medians,
        "separation": round(abs(2 * auc - 1), 4),
        "direction": "higher" if auc > 0.5 else ("lower" if auc < 0.5 else "same"),
        "p_value": p_value,
        "whole": bool(np.all(np.mod(values, 1) == 0)),
    }


def _edges(values: np.ndarray) -> np.ndarray:
    low, high = float(np.min(values)), float(np.max(values))
    if np.all(np.mod(values, 1) == 0) and high - low + 1 <= MAX_DISCRETE_VALUES:
        return np.arange(low - 0.5, high + 1.5)
    low, high = (float(q) for q in np.quantile(values, TAIL_QUANTILES))
    return np.linspace(low, high if high > low else low + 1, N_BINS + 1)


def category_difference(column: pd.Series, declined: np.ndarray) -> dict[str, Any]:
    """A category in each class: ``categories`` (most frequent first; a yes/no feature as ``"yes"``/``"no"``),
    each class's ``shares`` (%), ``separation`` (0 to 1), ``top_category`` (the value whose shares differ
    most) and the χ² test's ``p_value`` (``None`` with a single value or a single class)."""
    values = column.map(lambda v: ("yes" if v else "no") if isinstance(v, bool | np.bool_) else str(v))
    categories = [str(c) for c in values.value_counts().index]
    shares = {}
    for name, mask in zip(CLASSES, (declined, ~declined), strict=True):
        counts = values[mask].value_counts(normalize=True).reindex(categories, fill_value=0.0)
        shares[name] = [round(100 * float(s), 3) for s in counts]
    gaps = np.abs(np.subtract(shares["declined"], shares["unchanged"]))
    return {
        "categories": categories,
        "shares": shares,
        "separation": round(float(gaps.sum()) / 200, 4),
        "top_category": categories[int(np.argmax(gaps))] if categories else None,
        "p_value": _independence(values, declined, categories),
    }


def _independence(values: pd.Series, declined: np.ndarray, categories: list[str]) -> float | None:
    if len(categories) < 2 or declined.all() or not declined.any():
        return None
    counts = pd.crosstab(values.to_numpy(), declined).reindex(categories).to_numpy()
    return _probability(chi2_contingency(counts).pvalue)


def _probability(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def monthly_means(features: pd.DataFrame, declined: np.ndarray, kind: str, periods: tuple[str, ...]) -> dict[str, Any]:
    """The class means of ``<kind>_<period>`` for each period, with their standard errors (``sem``)."""
    result: dict[str, Any] = {"periods": list(periods)}
    for name, mask in zip(CLASSES, (declined, ~declined), strict=True):
        frame = features.loc[mask, [f"{kind}_{period}" for period in periods]].astype("float64")
        sem = frame.std(ddof=1) / np.sqrt(max(len(frame), 1))
        result[name] = {"mean": [float(v) for v in frame.mean()], "sem": [float(v) for v in sem.fillna(0.0)]}
    return result


def strongest_difference(features: list[dict[str, Any]], group: str | None = None) -> dict[str, Any]:
    """Of the ``features`` of :func:`class_differences` (of ``group``, or of all), the one whose
    distributions differ most between the classes."""
    candidates = [f for f in features if group is None or f["group"] == group]
    return max(candidates, key=lambda f: f["separation"])
