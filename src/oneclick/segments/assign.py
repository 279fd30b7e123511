"""Put each customer in a risk x profit cell, in named segments, and give one primary segment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from oneclick.errors import InputDataError
from oneclick.features.groups import FEATURE_NAMES
from oneclick.segments.conditions import PROFIT, RISK, Quantile, Thresholds, describe_rule, rule_mask
from oneclick.segments.rules import CELL_NAMES, SegmentScheme, load_segment_scheme

SEGMENT_SEPARATOR = ";"
_LEVELS = {"ru": {"high": "высокий", "low": "низкий"}, "en": {"high": "high", "low": "low"}}
_PROFIT_LEVELS = {"ru": {"high": "высокая", "low": "низкая"}, "en": {"high": "high", "low": "low"}}


def cell_name(risk: str, profit: str) -> str:
    """``high_risk_low_profit`` and the like: the name of a cell of the risk x profit grid."""
    return f"{risk}_risk_{profit}_profit"


CELLS = CELL_NAMES


def _cell_titles() -> dict[str, dict[str, str]]:
    titles = {}
    for risk in ("high", "low"):
        for profit in ("high", "low"):
            titles[cell_name(risk, profit)] = {
                "ru": f"{_LEVELS['ru'][risk]} риск · {_PROFIT_LEVELS['ru'][profit]} прибыль",
                "en": f"{risk} risk · {profit} profit",
            }
    return titles


@dataclass(frozen=True)
class SegmentAssignment:
    """Where every customer belongs.

    ``membership``: one boolean column per named segment (config order), indexed by customer id;
    ``primary_segment``: the first named segment that matches, else the risk x profit cell;
    ``risk_profit_cell``: the cell of every customer; ``rules``: each segment's rule with the
    learned values made concrete.
    """

    membership: pd.DataFrame
    primary_segment: pd.Series
    risk_profit_cell: pd.Series
    thresholds: Thresholds
    titles: dict[str, dict[str, str]]
    rules: dict[str, str]
    kinds: dict[str, str] = field(default_factory=dict)  # segment -> "named" | "cell"

    def segment_lists(self) -> pd.Series:
        """Each customer's named segments joined by ``;`` (empty when none)."""
        names = np.array(self.membership.columns, dtype=object)
        rows = self.membership.to_numpy(dtype=bool)
        return pd.Series(
            [SEGMENT_SEPARATOR.join(names[row]) for row in rows],
            index=self.membership.index,
            name="segments",
            dtype=object,
        )

    def masks(self) -> dict[str, pd.Series]:
        """Segment name -> who is in it, for the named segments then the four cells."""
        named = {name: self.membership[name] for name in self.membership.columns}
        return named | {cell: self.risk_profit_cell == cell for cell in CELLS}

    def title(self, name: str, lang: Literal["ru", "en"] = "ru") -> str:
        return self.titles.get(name, {}).get(lang, name)


def scoring_table(customers: pd.DataFrame, decline_probability: pd.Series) -> pd.DataFrame:
    """The customer table with ``decline_probability`` beside its features and ``profit``."""
    if PROFIT not in customers:
        raise InputDataError(f"the customer table has no '{PROFIT}' column; found {list(customers.columns)[:8]}...")
    probability = check_probability(decline_probability, customers.index)
    return customers.assign(**{RISK: probability})


def check_probability(decline_probability: pd.Series, index: pd.Index) -> pd.Series:
    """``decline_probability`` in the order of ``index``; every customer present, values in [0, 1]."""
    if decline_probability.index.equals(index):  # as scored: nobody missing, nothing to reorder
        values = decline_probability.astype(float)
    else:
        missing = index.difference(decline_probability.index)
        if len(missing):
            raise InputDataError(
                f"decline_probability lacks {len(missing)} customer(s), e.g. {list(missing[:5])}; "
                "score every customer of the table with the model"
            )
        values = decline_probability.reindex(index).astype(float)
    array = values.to_numpy()
    inside = (array >= 0) & (array <= 1)  # Series.between(0, 1): NaN is outside
    if not inside.all():
        bad = values[~inside]
        raise InputDataError(
            f"decline_probability: {len(bad)} value(s) outside [0, 1] or missing, e.g. customers {list(bad.index[:5])}"
        )
    return values.rename(RISK)


def check_contributions(contributions: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Per-feature contributions (log-odds) in the order of ``index``, one column per model feature."""
    missing_columns = [name for name in FEATURE_NAMES if name not in contributions.columns]
    if missing_columns:
        raise InputDataError(
            f"contributions lack feature column(s) {missing_columns}; expected one column "
            f"per model feature, found {list(contributions.columns)[:8]}"
        )
    missing = index.difference(contributions.index)
    if len(missing):
        raise InputDataError(f"contributions lack {len(missing)} customer(s), e.g. {list(missing[:5])}")
    values = contributions.reindex(index)[FEATURE_NAMES].astype(float)
    if values.isna().any().any():
        bad = values.index[values.isna().any(axis=1)]
        raise InputDataError(f"contributions: {len(bad)} customer(s) with missing values, e.g. {list(bad[:5])}")
    return values


def learn_thresholds(scheme: SegmentScheme, table: pd.DataFrame, model_threshold: float | None) -> Thresholds:
    """The scheme's thresholds made concrete on ``table`` (quantiles learned, ``model`` resolved)."""
    high_risk: float
    if scheme.high_risk == "model":
        high_risk = scheme.model_fallback if model_threshold is None else float(model_threshold)
    elif isinstance(scheme.high_risk, Quantile):
        high_risk = float(table[RISK].quantile(scheme.high_risk.q))
    else:
        high_risk = float(scheme.high_risk)
    if isinstance(scheme.high_profit, Quantile):
        high_profit = float(table[PROFIT].quantile(scheme.high_profit.q))
    else:
        high_profit = float(scheme.high_profit)
    return Thresholds(high_risk=high_risk, high_profit=high_profit)


def assign_segments(
    customers: pd.DataFrame,
    decline_probability: pd.Series,
    scheme: SegmentScheme | None = None,
    *,
    model_threshold: float | None = None,
) -> SegmentAssignment:
    """Cells, named segments and the primary segment of every customer.

    Parameters
    ----------
    customers : the customer table (features and ``profit``), indexed by customer id.
    decline_probability : the model's probability per customer id.
    scheme : segment definitions; ``None`` loads the defaults shipped with oneclick.
    model_threshold : the model's decision threshold, used when the scheme says ``high_risk: model``.

    >>> assignment = assign_segments(customers, probability)  # doctest: +SKIP
    >>> assignment.primary_segment.value_counts()  # doctest: +SKIP
    """
    scheme = scheme or load_segment_scheme()
    table = scoring_table(customers, decline_probability)
    thresholds = learn_thresholds(scheme, table, model_threshold)
    membership = pd.DataFrame(index=table.index)
    rules: dict[str, str] = {}
    for segment in scheme.segments:
        membership[segment.name] = rule_mask(segment.when, table, thresholds, membership).astype(bool)
        rules[segment.name] = describe_rule(segment.when, table, thresholds)
    is_high_risk = table[RISK] >= thresholds.high_risk
    is_high_profit = table[PROFIT] >= thresholds.high_profit
    cell = pd.Series(
        [
            cell_name("high" if r else "low", "high" if p else "low")
            for r, p in zip(is_high_risk, is_high_profit, strict=True)
        ],
        index=table.index,
        name="risk_profit_cell",
        dtype=object,
    )
    primary = cell.copy().rename("primary_segment")
    for name in reversed(scheme.names):  # the first matching segment in config order wins
        primary = primary.mask(membership[name], name)
    rules |= cell_rules(thresholds)
    titles, kinds = segment_titles(scheme), segment_kinds(scheme)
    return SegmentAssignment(membership, primary, cell, thresholds, titles, rules, kinds)


def cell_rules(thresholds: Thresholds) -> dict[str, str]:
    """The rule of each risk x profit cell, with its thresholds, as segments.csv shows it."""
    rules = {}
    for risk in ("high", "low"):
        for profit in ("high", "low"):
            rules[cell_name(risk, profit)] = (
                f"{RISK} {'>=' if risk == 'high' else '<'} {thresholds.high_risk:.4g} and "
                f"{PROFIT} {'>=' if profit == 'high' else '<'} {thresholds.high_profit:.4g}"
            )
    return rules


def segment_titles(scheme: SegmentScheme) -> dict[str, dict[str, str]]:
    """Titles of the named segments and of the cells, in both languages."""
    return {s.name: dict(s.title) for s in scheme.segments} | _cell_titles()


def segment_kinds(scheme: SegmentScheme) -> dict[str, str]:
    """``named`` for the scheme's segments, ``cell`` for the risk x profit cells."""
    return dict.fromkeys(scheme.names, "named") | dict.fromkeys(CELLS, "cell")
