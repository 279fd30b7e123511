"""Correlation: φK (phik) between all features and the label, the strong pairs, and multicollinearity (VIF).

φK suits a table of mixed types: it is one coefficient from 0 to 1 for numeric, binary and nominal
pairs alike. VIF is computed with statsmodels on the standardised numeric features.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from oneclick.features.build import LABEL
from oneclick.features.groups import FEATURE_GROUPS, FEATURE_NAMES, GROUP_LABELS, NUMERIC_FEATURES

STRONG_PAIR = 0.8  # φK at or above this: two features say nearly the same thing
VIF_HIGH = 5.0  # the usual rule of thumb for a variance inflation factor worth acting on
# Above this a feature is a linear combination of the others (up to rounding): VIF is infinite.
VIF_EXACT = 1e6
# φK and VIF are estimated on at most this many customers (a seeded sample): plenty for both.
MAX_PHIK_ROWS = 10_000


def feature_associations(features: pd.DataFrame, population: int | None = None) -> dict[str, Any]:
    """φK of every pair of features and the label, the strong pairs, and VIF before and after removing duplicates.

    ``features`` is the customer table (every feature and ``declined``); ``population`` the number of
    customers it stands for when it is itself a sample (a batch run), else its length. Returns
    ``names`` and ``matrix`` (φK, ``None`` where undefined), ``with_label`` (each feature's φK with the
    label, largest first), ``group_strength`` (each group's strongest feature, strongest group first),
    ``strong_pairs`` (φK ≥ :data:`STRONG_PAIR`), ``vif`` (:func:`vif_study`), ``thresholds`` and
    ``phik_sample`` (how many customers φK was estimated on, when fewer than ``population``).
    """
    from phik import phik_matrix

    frame = features[[*FEATURE_NAMES, LABEL]]
    population = len(frame) if population is None else population
    if len(frame) > MAX_PHIK_ROWS:  # a seeded sample: φK of 171 pairs and VIF take ~0.3 s per thousand rows
        frame = frame.sample(MAX_PHIK_ROWS, random_state=0).sort_index()
    # One process: on two cores joblib's workers cost more than the 171 pairs they share.
    matrix = phik_matrix(frame, interval_cols=NUMERIC_FEATURES, njobs=1, verbose=False)
    matrix = matrix.reindex(index=frame.columns, columns=frame.columns)
    with_label = matrix[LABEL].drop(LABEL).fillna(0.0).sort_values(ascending=False)
    groups: dict[str, dict[str, Any]] = {}
    for group in GROUP_LABELS:
        members = with_label[[FEATURE_GROUPS[name] == group for name in with_label.index]]
        groups[group] = {"feature": str(members.idxmax()), "phik": round(float(members.max()), 4)}
    return {
        "names": list(frame.columns),
        "matrix": [[_rounded(v) for v in row] for row in matrix.to_numpy()],
        "with_label": [{"name": str(name), "phik": round(float(v), 4)} for name, v in with_label.items()],
        "group_strength": dict(sorted(groups.items(), key=lambda item: -item[1]["phik"])),
        "strong_pairs": strong_pairs(matrix.drop(index=LABEL, columns=LABEL)),
        "vif": vif_study(frame[NUMERIC_FEATURES].astype("float64")),
        "thresholds": {"strong_pair": STRONG_PAIR, "vif_high": VIF_HIGH},
        "phik_sample": {"n_customers": len(frame), "population": population} if len(frame) < population else None,
    }


def _rounded(value: float) -> float | None:
    return None if not np.isfinite(value) else round(float(value), 3)


def strong_pairs(matrix: pd.DataFrame, threshold: float = STRONG_PAIR) -> list[dict[str, Any]]:
    """The pairs ``a``, ``b`` of a symmetric association matrix with a coefficient at or above ``threshold``,
    strongest first."""
    upper = matrix.where(np.triu(np.ones(matrix.shape, dtype=bool), k=1)).stack()
    strong = upper[upper >= threshold].sort_values(ascending=False)
    return [{"a": str(a), "b": str(b), "phik": round(float(v), 4)} for (a, b), v in strong.items()]


def vif(frame: pd.DataFrame) -> dict[str, float]:
    """VIF of each column of ``frame``, standardised, with an intercept; ``inf`` for exact dependencies.

    >>> vif(pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3], "a_plus_b": [3.0, 3, 7, 7]}))["a_plus_b"]
    inf
    """
    from statsmodels.stats.outliers_influence import variance_inflation_factor
    from statsmodels.tools.sm_exceptions import SingularMatrixWarning

    standard = (frame - frame.mean()) / frame.std(ddof=0)
    design = np.column_stack([np.ones(len(standard)), standard.to_numpy()])
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        # statsmodels warns that a singular design makes VIF unstable; an exact dependence is what we look for.
        warnings.filterwarnings("ignore", message="The design matrix is poorly conditioned", category=UserWarning)
        warnings.filterwarnings("ignore", category=SingularMatrixWarning)
        values = [float(variance_inflation_factor(design, i)) for i in range(1, design.shape[1])]
    return {name: (np.inf if not np.isfinite(v) or v > VIF_EXACT else v) for name, v in zip(frame, values, strict=True)}


def vif_study(frame: pd.DataFrame) -> dict[str, Any]:
    """VIF of all numeric columns, then of what is left after removing duplicates one at a time.

    Each step removes the column with the largest VIF while one is above :data:`VIF_HIGH`; among exact
    dependencies (all infinite) the one latest in the table's order goes, which keeps the months and
    removes the derived changes. Returns ``all`` and ``after`` (VIF by column, ``None`` for infinite),
    ``constant`` (columns left out), ``removed`` (in order: ``name``, ``vif``, ``exact`` and the
    ``combination`` of the others it is made of) and ``max_after``.
    """
    constant = [name for name in frame if frame[name].nunique() <= 1]
    kept = [name for name in frame if name not in constant]
    first = vif(frame[kept])
    current, removed = dict(first), []
    while len(current) > 2 and max(current.values()) > VIF_HIGH:
        top = max(current.values())
        name = [n for n, v in current.items() if v == top][-1]
        removed.append(
            {
                "name": name,
                "vif": _finite(top),
                "exact": bool(np.isinf(top)),
                "combination": _combination(frame, name, [n for n in current if n != name]),
            }
        )
        current = vif(frame[[n for n in current if n != name]])
    top_after = max(current, key=lambda n: current[n])
    return {
        "all": {n: _finite(v) for n, v in first.items()},
        "constant": constant,
        "removed": removed,
        "after": {n: _finite(v) for n, v in current.items()},
        "max_after": {"name": top_after, "vif": _finite(current[top_after])},
    }


def _finite(value: float) -> float | None:
    """JSON has no infinity: ``None`` stands for an infinite VIF."""
    return None if np.isinf(value) else round(value, 3)


def _combination(frame: pd.DataFrame, name: str, others: list[str]) -> list[dict[str, Any]]:
    """Least squares of ``name`` on ``others`` (raw units): the terms that matter, largest first."""
    design = np.column_stack([np.ones(len(frame)), frame[others].to_numpy()])
    coefficients, *_ = np.linalg.lstsq(design, frame[name].to_numpy(), rcond=None)
    scale = frame[others].std(ddof=0).to_numpy() / max(float(frame[name].std(ddof=0)), 1e-12)
    terms = [
        {"name": other, "coef": round(float(c), 3)}
        for other, c, s in zip(others, coefficients[1:], scale, strict=True)
        if abs(c * s) > 0.05
    ]
    return sorted(terms, key=lambda term: -abs(term["coef"]))
