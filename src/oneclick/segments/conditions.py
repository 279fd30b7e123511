"""The small rule language of ``segments.yaml`` and ``catalogue.yaml``: safe, no ``eval``.

A rule is a list of conditions that must all hold. A condition is one of::

    {feature: promo_purchase_share, op: ">=", value: 0.5}          # a fixed value
    {feature: n_service_errors, op: ">=", value: {quantile: 0.75}}  # learned from the customers scored
    {feature: favourite_category, op: in, value: [kids_goods, kitchenware]}
    {risk: high}      # decline_probability >= the high-risk threshold ({risk: low}: below it)
    {profit: high}    # profit >= the high-profit threshold ({profit: low}: below it)
    {segment: promo_hunters_at_risk}      # member of a named segment (offers only)
    {not_segment: promo_hunters_at_risk}  # not a member of it (offers only)

``feature`` may be any model feature, ``decline_probability`` or ``profit``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from oneclick.features.groups import FEATURES
from oneclick.ingest.columns import VALUES

RISK = "decline_probability"
PROFIT = "profit"
SEGMENT = "segment"
HIGH_RISK = "high_risk"
HIGH_PROFIT = "high_profit"

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
OPS = (*_COMPARE, "in", "not in")
_KINDS = {f.name: f.kind for f in FEATURES} | {RISK: "numeric", PROFIT: "numeric"}
_FEATURE_KEYS = {"feature", "op", "value"}
# Who is in which segment: a frame of booleans, or one array per segment, row for row with the customers.
Membership: TypeAlias = pd.DataFrame | Mapping[str, np.ndarray]


@dataclass(frozen=True)
class Quantile:
    """A threshold learned from the customers being scored: their ``q``-quantile of the feature."""

    q: float


@dataclass(frozen=True)
class Threshold:
    """A named threshold of the segment scheme (``high_risk`` or ``high_profit``)."""

    name: str


@dataclass(frozen=True)
class Condition:
    """``subject op value``; ``subject`` is a feature, ``decline_probability``, ``profit`` or ``segment``."""

    subject: str
    op: str
    value: Any


@dataclass(frozen=True)
class Thresholds:
    """The two thresholds of the risk x profit scheme, in their own units."""

    high_risk: float
    high_profit: float


def parse_rule(
    raw: Any, where: str, problems: list[str], *, allow_segments: Sequence[str] = ()
) -> tuple[Condition, ...]:
    """Conditions from a YAML list; every problem is appended to ``problems`` (prefixed by ``where``)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(f"{where}: expected a list of conditions, found {type(raw).__name__}")
        return ()
    conditions = []
    for number, item in enumerate(raw, start=1):
        condition = _parse_condition(item, f"{where}, condition {number}", problems, allow_segments)
        if condition is not None:
            conditions.append(condition)
    return tuple(conditions)


def _parse_condition(item: Any, where: str, problems: list[str], segments: Sequence[str]) -> Condition | None:
    if not isinstance(item, Mapping) or not item:
        problems.append(f"{where}: expected a mapping such as {{feature: ..., op: ..., value: ...}}, found {item!r}")
        return None
    if "feature" in item:
        return _parse_feature_condition(item, where, problems)
    if len(item) != 1:
        problems.append(
            f"{where}: unknown key(s) {sorted(map(str, item))}; expected 'feature', 'op', 'value', "
            "or one of 'risk', 'profit', 'segment', 'not_segment'"
        )
        return None
    key, value = next(iter(item.items()))
    if key in ("risk", "profit"):
        if value not in ("high", "low"):
            problems.append(f"{where}: key '{key}' must be 'high' or 'low', found {value!r}")
            return None
        subject, threshold = (RISK, HIGH_RISK) if key == "risk" else (PROFIT, HIGH_PROFIT)
        return Condition(subject, ">=" if value == "high" else "<", Threshold(threshold))
    if key in ("segment", "not_segment"):
        if value not in segments:
            problems.append(f"{where}: key '{key}' names unknown segment {value!r}; known: {list(segments)}")
            return None
        return Condition(SEGMENT, "==" if key == "segment" else "!=", value)
    problems.append(f"{where}: unknown key '{key}'; expected 'feature', 'risk', 'profit', 'segment' or 'not_segment'")
    return None


def _parse_feature_condition(item: Mapping[str, Any], where: str, problems: list[str]) -> Condition | None:
    unknown = sorted(set(map(str, item)) - _FEATURE_KEYS)
    missing = sorted(_FEATURE_KEYS - set(item))
    feature, op = item.get("feature"), item.get("op")
    found = len(problems)
    if unknown:
        problems.append(f"{where}: unknown key(s) {unknown}; a feature condition has 'feature', 'op', 'value'")
    if missing:
        problems.append(f"{where}: missing key(s) {missing}")
    if feature not in _KINDS:
        problems.append(f"{where}: key 'feature' names unknown feature {feature!r}; known: {sorted(_KINDS)}")
    if op not in OPS:
        problems.append(f"{where}: key 'op' is {op!r}; expected one of {list(OPS)}")
    if len(problems) > found:
        return None
    value = _parse_value(str(feature), str(op), item["value"], where, problems)
    return None if len(problems) > found else Condition(str(feature), str(op), value)


def _parse_value(feature: str, op: str, raw: Any, where: str, problems: list[str]) -> Any:
    kind = _KINDS[feature]
    if op in ("in", "not in"):
        if not isinstance(raw, list) or not raw:
            problems.append(f"{where}: key 'value' for op '{op}' must be a non-empty list, found {raw!r}")
            return None
        return tuple(_parse_scalar(feature, kind, v, where, problems) for v in raw)
    if isinstance(raw, Mapping):
        q = raw.get("quantile")
        if set(raw) != {"quantile"} or not isinstance(q, int | float) or not _is_number(q) or not 0 <= q <= 1:
            problems.append(f"{where}: key 'value' must be a value or {{quantile: q}} with q in [0, 1], found {raw!r}")
            return None
        if kind != "numeric":
            problems.append(f"{where}: key 'value' is a quantile, but '{feature}' is not numeric")
        return Quantile(float(q))
    if kind != "numeric" and op not in ("==", "!="):
        problems.append(f"{where}: key 'op' is '{op}', but '{feature}' is {kind}: use ==, !=, in or not in")
    return _parse_scalar(feature, kind, raw, where, problems)


def _parse_scalar(feature: str, kind: str, raw: Any, where: str, problems: list[str]) -> Any:
    if kind == "numeric":
        if not _is_number(raw):
            problems.append(f"{where}: key 'value' for '{feature}' must be a number, found {raw!r}")
        return raw
    if feature == "allows_messages":
        if not isinstance(raw, bool):
            problems.append(f"{where}: key 'value' for 'allows_messages' must be true or false, found {raw!r}")
        return raw
    allowed = sorted(VALUES[feature].values()) if feature in VALUES else None
    if allowed is not None and raw not in allowed:
        problems.append(f"{where}: key 'value' {raw!r} is not a value of '{feature}'; known: {allowed}")
    return raw


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value)


def condition_mask(
    condition: Condition,
    table: pd.DataFrame,
    thresholds: Thresholds,
    membership: pd.DataFrame | None = None,
) -> pd.Series:
    """Which rows of ``table`` (features, ``decline_probability``, ``profit``) meet ``condition``."""
    return pd.Series(_meets(condition, table, thresholds, _aligned(membership, table.index)), index=table.index)


def _meets(
    condition: Condition, table: pd.DataFrame, thresholds: Thresholds, membership: Membership | None
) -> np.ndarray:
    """:func:`condition_mask` as booleans; ``membership`` has a column per segment, row for row with ``table``.

    On the columns' arrays (category codes for a category): a pandas operation costs more than
    the rule itself on a few customers, and the results are pandas' own, row for row.
    """
    if condition.subject == SEGMENT:
        if membership is None or condition.value not in membership:
            raise KeyError(f"segment {condition.value!r} is not among the segments assigned")
        member = np.asarray(membership[condition.value], dtype=bool)
        return member if condition.op == "==" else ~member
    column = table[condition.subject]
    if isinstance(column.dtype, pd.CategoricalDtype) and (condition.op in ("in", "not in", "==", "!=")):
        return _category_meets(condition, column)
    if not isinstance(column.dtype, np.dtype):  # an extension type: pandas' own operations
        return _pandas_meets(condition, column, table, thresholds)
    values = column.to_numpy()
    present = ~np.isnan(values) if values.dtype.kind == "f" else np.ones(len(values), dtype=bool)
    if condition.op in ("in", "not in"):
        inside = np.isin(values, list(condition.value))
        return inside if condition.op == "in" else ~inside & present
    value = resolve_value(condition, table, thresholds)
    return np.asarray(_COMPARE[condition.op](values, value), dtype=bool) & present


def _category_meets(condition: Condition, column: pd.Series) -> np.ndarray:
    """A category column's (in)equality or membership: decided once per category, then by code."""
    values = column.array  # the Categorical: its codes and categories without the accessor's copies
    codes, categories = values.codes, values.categories
    present = codes >= 0
    chosen = condition.value if condition.op in ("in", "not in") else (condition.value,)
    by_category = np.append(categories.isin(list(chosen)), False)  # code -1 (missing): the last entry
    inside = by_category[codes]
    return inside if condition.op in ("in", "==") else ~inside & present


def _pandas_meets(condition: Condition, column: pd.Series, table: pd.DataFrame, thresholds: Thresholds) -> np.ndarray:
    if condition.op in ("in", "not in"):
        inside = column.isin(list(condition.value))
        return np.asarray(inside if condition.op == "in" else ~inside & column.notna(), dtype=bool)
    value = resolve_value(condition, table, thresholds)
    mask = _COMPARE[condition.op](column, value)
    return np.asarray(mask, dtype=bool) & column.notna().to_numpy()


def _aligned(membership: pd.DataFrame | None, index: pd.Index) -> pd.DataFrame | None:
    """The memberships in the order of ``index``; a customer missing from them is in no segment."""
    if membership is None or membership.index.equals(index):
        return membership
    return membership.reindex(index, fill_value=False)


def resolve_value(
    condition: Condition,
    table: pd.DataFrame,
    thresholds: Thresholds,
    learned: Mapping[tuple[str, float], float] | None = None,
) -> Any:
    """The value a condition compares with: quantiles and named thresholds made concrete.

    A quantile is ``learned[(feature, q)]`` when given (learned elsewhere, e.g. in DuckDB), else
    computed on ``table``.
    """
    if isinstance(condition.value, Quantile):
        if learned is not None:
            return float(learned[(condition.subject, condition.value.q)])
        return float(table[condition.subject].quantile(condition.value.q))
    if isinstance(condition.value, Threshold):
        return float(getattr(thresholds, condition.value.name))
    return condition.value


def rule_mask(
    conditions: Sequence[Condition],
    table: pd.DataFrame,
    thresholds: Thresholds,
    membership: pd.DataFrame | None = None,
) -> pd.Series:
    """Rows meeting every condition (an empty rule matches everyone)."""
    return pd.Series(rule_values(conditions, table, thresholds, _aligned(membership, table.index)), index=table.index)


def rule_values(
    conditions: Sequence[Condition],
    table: pd.DataFrame,
    thresholds: Thresholds,
    membership: Membership | None = None,
) -> np.ndarray:
    """:func:`rule_mask` as booleans, with ``membership`` (a frame or arrays) row for row with ``table``."""
    mask = np.ones(len(table), dtype=bool)
    for condition in conditions:
        mask &= _meets(condition, table, thresholds, membership)
    return mask


def describe_rule(
    conditions: Sequence[Condition],
    table: pd.DataFrame,
    thresholds: Thresholds,
    learned: Mapping[tuple[str, float], float] | None = None,
) -> str:
    """The rule with learned values made concrete, e.g. ``n_service_errors >= 6 (quantile 0.75)``.

    ``learned``: the quantiles, when they were not learned on ``table`` (see :func:`resolve_value`).
    """
    parts = []
    for condition in conditions:
        if condition.subject == SEGMENT:
            parts.append(f"{'in' if condition.op == '==' else 'not in'} segment {condition.value}")
            continue
        value = condition.value
        shown = (
            _format(resolve_value(condition, table, thresholds, learned))
            if not isinstance(value, tuple)
            else ("[" + ", ".join(map(str, value)) + "]")
        )
        if isinstance(value, Quantile):
            shown += f" (quantile {value.q:g})"
        elif isinstance(value, Threshold):
            shown += f" ({value.name})"
        parts.append(f"{condition.subject} {condition.op} {shown}")
    return " and ".join(parts) if parts else "everyone"


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value).lower() if isinstance(value, bool) else str(value)
