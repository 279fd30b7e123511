"""A fitted ColumnTransformer's transform as plain array operations, for the few customers of a request.

``ColumnTransformer.transform`` on one customer costs about 3 ms, nearly all of it checks and
bookkeeping of scikit-learn and pandas around a few arithmetic operations; at a single-customer
request that was a third of the service's time. :func:`fast_preparation` reads a fitted
preprocessing step made of the pieces oneclick's candidates use (``candidates.make_preprocessor``:
one-hot, ordinal codes, standard or min-max scaling, passthrough) and
applies the same operations, in the same order, to the same float64 numbers: the result is
scikit-learn's, bit for bit. It is a second way to run the fitted step, not a second recipe:
which columns are encoded how, and every learned number, are read from the fitted step.

What it does not handle as surely, it hands to scikit-learn, whose answer (or error) stands:
a step of any other make (splines, say) is not taken (:func:`fast_preparation` gives None); a
table with other columns, a missing value or a category unseen in training goes to the step's
own ``transform``. A preparation is made only if it gives exactly scikit-learn's numbers on the
model's background sample (:func:`fast_preparations`), and a test holds the two equal on every
family's pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler


@dataclass(frozen=True)
class _Codes:
    """One-hot or ordinal codes of columns over the categories learned in fit."""

    columns: tuple[str, ...]
    categories: tuple[dict[Any, int], ...]  # per column: value -> position among its categories
    one_hot: bool

    def transform(self, X: pd.DataFrame) -> np.ndarray | None:
        positions = []
        for column, lookup in zip(self.columns, self.categories, strict=True):
            found = _positions(X[column], lookup)
            if found is None:
                return None
            positions.append(found)
        if not self.one_hot:  # OrdinalEncoder: the positions, as float64
            return np.column_stack(positions).astype(np.float64)
        blocks = []
        for found, lookup in zip(positions, self.categories, strict=True):
            block = np.zeros((len(found), len(lookup)), dtype=np.float64)
            block[np.arange(len(found)), found] = 1.0
            blocks.append(block)
        return np.hstack(blocks)


@dataclass(frozen=True)
class _Scaled:
    """Numeric columns as float64, then each scaler's operations in the order its ``transform`` applies them."""

    columns: tuple[str, ...]
    steps: tuple[tuple[str, np.ndarray | None, np.ndarray | None], ...]  # ("standard", mean, scale) | ("minmax", ...)

    def transform(self, X: pd.DataFrame) -> np.ndarray | None:
        values = []
        for column in self.columns:
            series = X[column]
            if not isinstance(series.dtype, np.dtype) or series.dtype.kind not in "iuf":
                return None
            values.append(series.to_numpy(dtype=np.float64))
        matrix = np.column_stack(values) if values else np.zeros((len(X), 0))
        for kind, first, second in self.steps:
            if kind == "standard":  # StandardScaler: X -= mean_; X /= scale_
                if first is not None:
                    matrix -= first
                if second is not None:
                    matrix /= second
            else:  # MinMaxScaler: X *= scale_; X += min_
                assert first is not None and second is not None
                matrix *= first
                matrix += second
        return matrix


@dataclass(frozen=True)
class FastPreparation:
    """A fitted ColumnTransformer's transform without its overhead; ``step`` answers what it does not handle."""

    step: ColumnTransformer
    columns: tuple[str, ...]  # the table's columns, as in fit
    blocks: tuple[_Codes | _Scaled, ...]

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """``step.transform(X)``: the same float64 array."""
        if tuple(X.columns) != self.columns or not len(X):
            return np.asarray(self.step.transform(X))
        parts = []
        for block in self.blocks:
            part = block.transform(X)
            if part is None:  # a value this path does not handle as scikit-learn does: its own transform
                return np.asarray(self.step.transform(X))
            parts.append(part)
        return np.hstack(parts)


def fast_preparation(step: Any) -> FastPreparation | None:
    """The fast form of a fitted preprocessing step, or None when it holds a piece this module does not know."""
    if type(step) is not ColumnTransformer or getattr(step, "sparse_output_", True):
        return None
    if not hasattr(step, "feature_names_in_"):
        return None
    blocks: list[_Codes | _Scaled] = []
    for _, transformer, columns in step.transformers_:
        if isinstance(transformer, str) and transformer == "drop":
            continue
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            return None
        block = _block(transformer, tuple(columns))
        if block is None:
            return None
        if not isinstance(block, _Scaled) or block.columns:
            blocks.append(block)
    return FastPreparation(step, tuple(str(c) for c in step.feature_names_in_), tuple(blocks))


def fast_preparations(components: Sequence[Any], background: pd.DataFrame) -> tuple[FastPreparation | None, ...]:
    """For each component (a pipeline), the fast form of its first step, kept only if it gives exactly
    scikit-learn's numbers on ``background`` (the model's explanation sample)."""
    found: list[FastPreparation | None] = []
    for component in components:
        fast = fast_preparation(component[0]) if hasattr(component, "steps") else None
        if fast is not None:
            expected = np.asarray(component[0].transform(background))
            given = fast.transform(background)
            if given.dtype != expected.dtype or given.shape != expected.shape or not _same_bits(given, expected):
                fast = None
        found.append(fast)
    return tuple(found)


def _block(transformer: Any, columns: tuple[str, ...]) -> _Codes | _Scaled | None:
    if isinstance(transformer, str):
        return _Scaled(columns, ()) if transformer == "passthrough" else None
    if type(transformer) is FunctionTransformer:  # "passthrough" once fitted: the columns as they are
        identity = transformer.func is None and transformer.kw_args is None and not transformer.validate
        return _Scaled(columns, ()) if identity else None
    if type(transformer) in (OneHotEncoder, OrdinalEncoder):  # an unseen category goes to scikit-learn
        lookups = _lookups(transformer.categories_)
        ok = (
            lookups is not None
            and transformer.min_frequency is None
            and transformer.max_categories is None
            and np.dtype(transformer.dtype) == np.float64
            and (type(transformer) is OrdinalEncoder or (transformer.drop is None and not transformer.sparse_output))
        )
        return _Codes(columns, lookups, one_hot=type(transformer) is OneHotEncoder) if ok and lookups else None
    if type(transformer) is Pipeline:
        steps = []
        for _, scaler in transformer.steps:
            if type(scaler) is StandardScaler:
                mean = scaler.mean_ if scaler.with_mean else None
                scale = scaler.scale_ if scaler.with_std else None
                steps.append(("standard", mean, scale))
            elif type(scaler) is MinMaxScaler and not scaler.clip:
                steps.append(("minmax", scaler.scale_, scaler.min_))
            else:
                return None
        return _Scaled(columns, tuple(steps))
    return None


def _lookups(categories: Sequence[np.ndarray]) -> tuple[dict[Any, int], ...] | None:
    """Value -> position of each column's categories; None when one is missing (NaN) or repeated."""
    lookups = []
    for values in categories:
        lookup = {value: position for position, value in enumerate(values.tolist())}
        if len(lookup) != len(values) or any(isinstance(v, float) and v != v for v in lookup):
            return None
        lookups.append(lookup)
    return tuple(lookups)


def _positions(column: pd.Series, lookup: dict[Any, int]) -> np.ndarray | None:
    """Each row's position among the learned categories; None if a value is missing or unseen in fit."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        values = column.array
        codes, categories = values.codes, values.categories.tolist()
    elif isinstance(column.dtype, np.dtype) and column.dtype.kind == "b":
        codes, categories = column.to_numpy().astype(np.int64), [False, True]
    else:
        return None
    by_code = np.array([lookup.get(category, -1) for category in categories] + [-1], dtype=np.int64)
    found = by_code[codes]  # code -1 (missing): the last entry, -1
    return None if (found < 0).any() else found


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(np.ascontiguousarray(a).view(np.uint8), np.ascontiguousarray(b).view(np.uint8)))
