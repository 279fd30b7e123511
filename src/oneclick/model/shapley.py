"""Permutation Shapley values for models without an exact explainer, for all customers at once.

The same estimator as SHAP's model-agnostic permutation explainer (interventional: features
not yet "switched on" take a background customer's values), with three changes that make it
fast enough for every customer:

- all customers, permutations and coalitions go to the model in a few large batches instead
  of one small call per customer;
- each permutation is paired with one random background customer (Monte Carlo over both),
  and walked forwards and backwards (antithetic), which cancels much of the noise;
- features the model ignores (dropped by a selection step, say) are found first and skipped.

The contributions of a customer are then shifted, in proportion to their size, so that
they add up exactly to ``score(x) - base_value`` (base value = mean score of the background).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

Score = Callable[[pd.DataFrame], np.ndarray]
# Rows per call of the model: large enough to amortise its overhead, small enough for memory.
BATCH_ROWS = 100_000


@dataclass(frozen=True)
class _Codec:
    """Turns a feature table into a float matrix and back, keeping each column's dtype."""

    columns: list[str]
    dtypes: list[object]
    categories: dict[str, pd.Index]

    @classmethod
    def for_tables(cls, *tables: pd.DataFrame) -> _Codec:
        first = tables[0]
        categories = {}
        for column in first.columns:
            if isinstance(first[column].dtype, pd.CategoricalDtype):
                values = pd.concat([table[column].astype(object) for table in tables]).dropna().unique()
                categories[column] = pd.Index(sorted(values, key=str))
        return cls(list(first.columns), list(first.dtypes), categories)

    def encode(self, table: pd.DataFrame) -> np.ndarray:
        matrix = np.empty((len(table), len(self.columns)))
        for position, column in enumerate(self.columns):
            if column in self.categories:
                matrix[:, position] = self.categories[column].get_indexer(table[column].astype(object))
            else:
                matrix[:, position] = table[column].to_numpy(dtype=float)
        return matrix

    def decode(self, matrix: np.ndarray) -> pd.DataFrame:
        data = {}
        for position, (column, dtype) in enumerate(zip(self.columns, self.dtypes, strict=True)):
            values = matrix[:, position]
            if column in self.categories:
                data[column] = pd.Categorical.from_codes(values.astype(int), categories=self.categories[column])
            else:
                data[column] = values.astype(dtype)  # type: ignore[call-overload]
        return pd.DataFrame(data)


def sampled_shapley(
    score: Score,
    X: pd.DataFrame,
    background: pd.DataFrame,
    *,
    n_permutations: int = 16,
    seed: int = 0,
) -> tuple[np.ndarray, float]:
    """Shapley values of ``score`` for every row of ``X``: (contributions (n, d), base value).

    ``n_permutations`` (even) walks per customer; more walks, less noise, proportionally slower.
    """
    codec = _Codec.for_tables(X, background)
    rows, reference = codec.encode(X), codec.encode(background)
    base_scores = np.asarray(score(background), dtype=float)
    base_value = float(base_scores.mean())
    own = np.asarray(score(X), dtype=float)
    active = _active_features(score, codec, rows, reference, own)
    contributions = np.zeros_like(rows)
    if len(active) == 0:
        return contributions, base_value
    rng = np.random.default_rng(seed)
    pairs = max(1, n_permutations // 2)
    per_batch = max(1, BATCH_ROWS // (2 * (len(active) + 1)))
    control = _AdditiveControl(score, codec, rows, reference, active)
    reference_terms = control.terms(reference)
    partner_terms = np.zeros_like(rows)
    for _ in range(pairs):
        order = np.argsort(rng.random((len(rows), len(active))), axis=1)
        partner = rng.integers(len(reference), size=len(rows))
        partner_terms += 2 * reference_terms[partner]
        for first in range(0, len(rows), per_batch):
            chunk = slice(first, first + per_batch)
            for walk in (order[chunk], order[chunk, ::-1]):
                contributions[chunk] += _walk(score, codec, rows[chunk], reference[partner[chunk]], active, walk)
    walks = 2 * pairs
    # Control variate: an additive fit g of the score has exact Shapley values g_j(x_j) - mean g_j;
    # the walks then only estimate the part of the score g misses, with far less noise.
    contributions = (contributions + partner_terms) / walks - reference_terms.mean(axis=0)
    residual = own - base_value - contributions.sum(axis=1)
    return _spread(contributions, residual), base_value


class _AdditiveControl:
    """g(x) = sum_j PD_j(x_j): the model's partial dependence on each feature, over the background.

    These are the first-order interventional effects, so g takes most of the score's variation
    and its Shapley values, PD_j(x_j) - mean PD_j, are exact.
    """

    def __init__(
        self, score: Score, codec: _Codec, rows: np.ndarray, reference: np.ndarray, active: np.ndarray
    ) -> None:
        self.active = active
        self.grids = [_grid(np.concatenate([rows[:, feature], reference[:, feature]])) for feature in active]
        stacked = []
        for feature, grid in zip(active, self.grids, strict=True):
            block = np.repeat(reference[None, :, :], len(grid), axis=0)
            block[:, :, feature] = grid[:, None]
            stacked.append(block.reshape(-1, reference.shape[1]))
        values = np.asarray(score(codec.decode(np.vstack(stacked))), dtype=float)
        self.curves, start = [], 0
        for grid in self.grids:
            size = len(grid) * len(reference)
            self.curves.append(values[start : start + size].reshape(len(grid), len(reference)).mean(axis=1))
            start += size

    def terms(self, matrix: np.ndarray) -> np.ndarray:
        """g_j(x_j) for every row and feature (0 for inactive features)."""
        terms = np.zeros_like(matrix)
        for feature, grid, curve in zip(self.active, self.grids, self.curves, strict=True):
            terms[:, feature] = np.interp(matrix[:, feature], grid, curve)
        return terms


def _grid(values: np.ndarray, size: int = 12) -> np.ndarray:
    """Every distinct value when there are few, else ``size`` quantiles (interpolated between)."""
    distinct = np.unique(values)
    if len(distinct) <= 16:
        return distinct
    return np.unique(np.quantile(values, np.linspace(0.0, 1.0, size)))


def _active_features(
    score: Score, codec: _Codec, rows: np.ndarray, reference: np.ndarray, own: np.ndarray
) -> np.ndarray:
    """Features whose replacement by background values changes some customer's score."""
    rng = np.random.default_rng(0)
    donors = reference[rng.integers(len(reference), size=len(rows))]
    stacked = []
    for feature in range(rows.shape[1]):
        changed = rows.copy()
        changed[:, feature] = donors[:, feature]
        stacked.append(changed)
    moved = np.asarray(score(codec.decode(np.vstack(stacked))), dtype=float).reshape(rows.shape[1], len(rows))
    return np.flatnonzero(np.abs(moved - own).max(axis=1) > 0)


def _walk(
    score: Score, codec: _Codec, rows: np.ndarray, partners: np.ndarray, active: np.ndarray, order: np.ndarray
) -> np.ndarray:
    """Marginal contributions along one permutation per row, from the partner's values to the row's."""
    n, steps = len(rows), len(active) + 1
    rank = np.full((n, rows.shape[1]), -1)
    rank[np.arange(n)[:, None], active[order]] = np.arange(len(active))
    # At step k the first k features of the permutation carry the customer's values.
    switched = rank[:, None, :] < np.arange(steps)[None, :, None]
    switched &= rank[:, None, :] >= 0
    hybrids = np.where(switched, rows[:, None, :], partners[:, None, :]).reshape(n * steps, -1)
    inactive = np.setdiff1d(np.arange(rows.shape[1]), active)
    hybrids[:, inactive] = np.repeat(rows[:, inactive], steps, axis=0)
    values = np.asarray(score(codec.decode(hybrids)), dtype=float).reshape(n, steps)
    gains = np.diff(values, axis=1)
    contributions = np.zeros_like(rows)
    contributions[np.arange(n)[:, None], active[order]] = gains
    return contributions


def _spread(contributions: np.ndarray, residual: np.ndarray) -> np.ndarray:
    """Add each row's residual to its contributions in proportion to their absolute size."""
    size = np.abs(contributions)
    total = size.sum(axis=1, keepdims=True)
    share = np.divide(size, total, out=np.zeros_like(size), where=total > 0)
    return contributions + share * residual[:, None]
