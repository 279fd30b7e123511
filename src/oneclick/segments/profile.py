"""Each segment against the rest of the customers: size, risk, profit, trends, features, drivers.

Effect sizes: Cohen's d (pooled standard deviation) for numeric features, the difference of
shares (segment minus rest) for each category of a nominal or binary feature.

A profile is made of per-side statistics (:class:`SideStats`: counts, means, shares) and is
assembled by :func:`profile_rows`; the in-memory path takes them from the customer table, the
batch engine from DuckDB aggregates, so the names, orders and texts are the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from oneclick.features.groups import FEATURE_GROUPS, FEATURES, GROUP_LABELS, NUMERIC_FEATURES, feature_label
from oneclick.ingest.columns import russian_value
from oneclick.segments.assign import SegmentAssignment, check_contributions, scoring_table
from oneclick.segments.conditions import PROFIT, RISK

LABEL = "declined"
_KINDS = {f.name: f.kind for f in FEATURES}
# Columns whose mean over each side a profile shows: the label, risk, profit and the numeric features.
MEAN_COLUMNS: tuple[str, ...] = (LABEL, RISK, PROFIT, *NUMERIC_FEATURES)
CATEGORY_FEATURES: tuple[str, ...] = tuple(f.name for f in FEATURES if f.kind != "numeric")
REVENUE_MONTHS = ("revenue_month_before_previous", "revenue_previous_month", "revenue_current_month")
MINUTES_MONTHS = ("minutes_previous_month", "minutes_current_month")
# Feature groups in the order a groupby over their names lists them (the drivers table's order).
DRIVER_GROUPS: tuple[str, ...] = tuple(sorted(set(FEATURE_GROUPS.values())))


@dataclass(frozen=True)
class SegmentProfiles:
    """``summary``: one row per segment (segments.csv); ``features``: every feature's mean in the
    segment and the rest with its effect size; ``drivers``: mean contribution to risk (log-odds) per
    feature and per feature group, in the segment and the rest."""

    summary: pd.DataFrame
    features: pd.DataFrame
    drivers: pd.DataFrame


@dataclass(frozen=True)
class SideStats:
    """What one side of a profile (the segment, or the rest of the customers) sums up to.

    ``means``: column of :data:`MEAN_COLUMNS` -> mean (NaN on an empty side); ``shares``: nominal
    or binary feature -> {level: share of the side}, levels in the table's order (see :func:`levels`);
    ``profit_at_risk``: the sum of decline_probability x profit.
    """

    n: int
    means: Mapping[str, float]
    shares: Mapping[str, Mapping[Any, float]]
    profit_at_risk: float


@dataclass(frozen=True)
class SideDrivers:
    """Mean contribution to risk (log-odds) over one side: per feature (model order) and per group."""

    features: Mapping[str, float]
    groups: Mapping[str, float]


@dataclass(frozen=True)
class SegmentInfo:
    """A segment's name, title, kind (``named``/``cell``) and rule, as segments.csv shows them."""

    name: str
    title: str
    kind: str
    rule: str


def profile_segments(
    customers: pd.DataFrame,
    decline_probability: pd.Series,
    contributions: pd.DataFrame,
    assignment: SegmentAssignment,
    *,
    lang: Literal["ru", "en"] = "ru",
    top_n: int = 3,
) -> SegmentProfiles:
    """Profiles of the named segments and the four risk x profit cells, each against the rest.

    ``profit_at_risk`` is the sum of decline_probability x profit over the segment, in profit
    units per month (the units of ``profit``).
    """
    table = scoring_table(customers, decline_probability)
    contrib = check_contributions(contributions, table.index)
    total_at_risk = float((table[RISK] * table[PROFIT]).sum())
    found = {name: levels(table[name]) for name in CATEGORY_FEATURES if name in table}
    by_group = contrib.T.groupby(pd.Series(FEATURE_GROUPS)).sum().T
    parts = []
    for name, mask in assignment.masks().items():
        inside = mask.reindex(table.index, fill_value=False).to_numpy(dtype=bool)
        info = SegmentInfo(
            name, assignment.title(name, lang), assignment.kinds.get(name, ""), assignment.rules.get(name, "")
        )
        sides = (side_stats(table[inside], found), side_stats(table[~inside], found))
        drivers = (_side_drivers(contrib, by_group, inside), _side_drivers(contrib, by_group, ~inside))
        parts.append(
            profile_rows(info, sides, _effect_sizes(table, inside), drivers, len(table), total_at_risk, lang, top_n)
        )
    return combine_profiles(parts)


def combine_profiles(parts: Sequence[tuple[dict[str, object], pd.DataFrame, pd.DataFrame]]) -> SegmentProfiles:
    """The profiles of :func:`profile_rows`' results, one per segment, in order."""
    return SegmentProfiles(
        summary=pd.DataFrame([row for row, _, _ in parts]),
        features=_segment_first(pd.concat([features for _, features, _ in parts], ignore_index=True)),
        drivers=_segment_first(pd.concat([drivers for _, _, drivers in parts], ignore_index=True)),
    )


def profile_rows(
    info: SegmentInfo,
    sides: tuple[SideStats, SideStats],
    effect_sizes: Mapping[str, float],
    drivers: tuple[SideDrivers, SideDrivers],
    n_total: int,
    total_at_risk: float,
    lang: str,
    top_n: int,
) -> tuple[dict[str, object], pd.DataFrame, pd.DataFrame]:
    """One segment's row of segments.csv and its rows of segment_features.csv and segment_drivers.csv.

    ``sides``: the segment and the rest; ``effect_sizes``: Cohen's d of each numeric feature.
    """
    effects = effect_rows(sides, effect_sizes)
    driver_table = drivers_table(drivers, lang)
    row = _summary_row(sides, n_total, total_at_risk, lang, top_n)
    row |= {
        "top_drivers": _top_text(driver_table[driver_table.scope == "feature"], top_n),
        "top_driver_groups": _top_text(driver_table[driver_table.scope == "group"], top_n),
    }
    row |= _wide_effects(effects)
    head = {"segment": info.name, "title": info.title, "kind": info.kind, "rule": info.rule}
    return head | row, effects.assign(segment=info.name), driver_table.assign(segment=info.name)


def side_stats(frame: pd.DataFrame, found_levels: Mapping[str, Sequence[Any]]) -> SideStats:
    """The statistics of the customers in ``frame`` (features, ``declined``, risk and profit)."""
    return SideStats(
        n=len(frame),
        means={column: _mean(frame, column) for column in MEAN_COLUMNS if column in frame},
        shares={
            name: {level: _safe_mean(frame[name] == level) for level in found} for name, found in found_levels.items()
        },
        profit_at_risk=float((frame[RISK] * frame[PROFIT]).sum()),
    )


def _side_drivers(contributions: pd.DataFrame, by_group: pd.DataFrame, inside: np.ndarray) -> SideDrivers:
    return SideDrivers(
        features={name: _safe_mean(contributions[name][inside]) for name in contributions.columns},
        groups={name: _safe_mean(by_group[name][inside]) for name in by_group.columns},
    )


def _effect_sizes(table: pd.DataFrame, inside: np.ndarray) -> dict[str, float]:
    return {name: cohens_d(table[name][inside], table[name][~inside]) for name in NUMERIC_FEATURES if name in table}


def _summary_row(
    sides: tuple[SideStats, SideStats], n_total: int, total_at_risk: float, lang: str, top_n: int
) -> dict[str, object]:
    seg, rest = sides
    at_risk = seg.profit_at_risk
    return {
        "n_customers": int(seg.n),
        "share_of_customers": seg.n / n_total if n_total else np.nan,
        "share_declined": _side_mean(seg, LABEL),
        "share_declined_rest": _side_mean(rest, LABEL),
        "mean_decline_probability": _side_mean(seg, RISK),
        "mean_decline_probability_rest": _side_mean(rest, RISK),
        "mean_profit": _side_mean(seg, PROFIT),
        "mean_profit_rest": _side_mean(rest, PROFIT),
        "profit_at_risk": at_risk,
        "share_of_profit_at_risk": at_risk / total_at_risk if total_at_risk else np.nan,
        "revenue_trend": _trend(seg, REVENUE_MONTHS),
        "mean_revenue_change": _side_mean(seg, "revenue_change"),
        "mean_revenue_change_rest": _side_mean(rest, "revenue_change"),
        "minutes_trend": _trend(seg, MINUTES_MONTHS),
        "mean_minutes_change": _side_mean(seg, "minutes_change"),
        "mean_minutes_change_rest": _side_mean(rest, "minutes_change"),
        "top_categories": _top_categories(seg, lang, top_n),
        "premium_share": _side_share(seg, "service_type", "premium"),
        "premium_share_rest": _side_share(rest, "service_type", "premium"),
        "allows_messages_share": _side_share(seg, "allows_messages", True),
        "allows_messages_share_rest": _side_share(rest, "allows_messages", True),
    }


def feature_effects(table: pd.DataFrame, inside: np.ndarray) -> pd.DataFrame:
    """Every feature's mean (numeric) or category shares in the segment and the rest, with effect sizes."""
    found = {name: levels(table[name]) for name in CATEGORY_FEATURES if name in table}
    return effect_rows(
        (side_stats(table[inside], found), side_stats(table[~inside], found)), _effect_sizes(table, inside)
    )


def effect_rows(sides: tuple[SideStats, SideStats], effect_sizes: Mapping[str, float]) -> pd.DataFrame:
    """segment_features.csv's rows of one segment: numeric means with Cohen's d, category shares."""
    seg, rest = sides
    rows = []
    for feature in FEATURES:
        base = {"feature": feature.name, "group": feature.group, "kind": feature.kind}
        if feature.kind == "numeric":
            if feature.name not in seg.means:
                continue
            rows.append(
                base
                | {
                    "level": "",
                    "mean_segment": seg.means[feature.name],
                    "mean_rest": rest.means[feature.name],
                    "effect_size": effect_sizes[feature.name],
                    "effect_measure": "cohen_d",
                }
            )
            continue
        for level, in_share in seg.shares.get(feature.name, {}).items():
            rest_share = rest.shares[feature.name][level]
            rows.append(
                base
                | {
                    "level": _level_text(level),
                    "mean_segment": in_share,
                    "mean_rest": rest_share,
                    "effect_size": in_share - rest_share,
                    "effect_measure": "share_difference",
                }
            )
    return pd.DataFrame(rows)


def cohens_d(segment: pd.Series, rest: pd.Series) -> float:
    """Cohen's d with the pooled standard deviation; NaN when a side has fewer than two values."""
    a, b = segment.dropna().astype(float), rest.dropna().astype(float)
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    return cohens_d_of(len(a), a.mean(), a.var(), len(b), b.mean(), b.var())


def cohens_d_of(n_a: float, mean_a: float, var_a: float, n_b: float, mean_b: float, var_b: float) -> float:
    """Cohen's d from each side's count, mean and sample variance (ddof 1): see :func:`cohens_d`."""
    if n_a < 2 or n_b < 2:
        return float("nan")
    pooled = np.sqrt(((n_a - 1) * var_a + (n_b - 1) * var_b) / (n_a + n_b - 2))
    difference = mean_a - mean_b
    if pooled == 0:
        return 0.0 if difference == 0 else float("nan")
    return float(difference / pooled)


def segment_drivers(contributions: pd.DataFrame, inside: np.ndarray, lang: str) -> pd.DataFrame:
    """Mean contribution to risk per feature and per feature group, in the segment and the rest."""
    by_group = contributions.T.groupby(pd.Series(FEATURE_GROUPS)).sum().T
    sides = (_side_drivers(contributions, by_group, inside), _side_drivers(contributions, by_group, ~inside))
    return drivers_table(sides, lang)


def drivers_table(sides: tuple[SideDrivers, SideDrivers], lang: str) -> pd.DataFrame:
    """segment_drivers.csv's rows of one segment, features then groups, each by mean contribution."""
    seg, rest = sides
    rows = []
    for scope, inside, outside in (("feature", seg.features, rest.features), ("group", seg.groups, rest.groups)):
        for name, mean in inside.items():
            label = feature_label(name, lang) if scope == "feature" else GROUP_LABELS[name][lang]  # type: ignore[arg-type]
            rows.append(
                {
                    "scope": scope,
                    "name": name,
                    "label": label,
                    "mean_contribution_segment": mean,
                    "mean_contribution_rest": outside[name],
                    "difference": mean - outside[name],
                }
            )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["scope", "mean_contribution_segment"], ascending=[True, False], kind="stable")


def levels(column: pd.Series) -> list[object]:
    """The levels of a nominal or binary column a profile lists: its categories, else its sorted values."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return list(column.cat.categories)
    return sorted(column.dropna().unique().tolist(), key=str)


def _top_text(drivers: pd.DataFrame, top_n: int) -> str:
    # Below half a hundredth of log-odds a driver would print as +0.00: not worth naming.
    positive = drivers[drivers["mean_contribution_segment"] >= 0.005].head(top_n)
    return "; ".join(f"{row.label} {row.mean_contribution_segment:+.2f}" for row in positive.itertuples())


def _wide_effects(effects: pd.DataFrame) -> dict[str, float]:
    if effects.empty:
        return {}
    numeric = effects[effects["feature"].isin(NUMERIC_FEATURES)]
    wide: dict[str, float] = {}
    for row in numeric.itertuples():
        wide[f"mean_{row.feature}"] = row.mean_segment
        wide[f"d_{row.feature}"] = row.effect_size
    return wide


def _top_categories(seg: SideStats, lang: str, top_n: int) -> str:
    if "favourite_category" not in seg.shares or seg.n == 0:
        return ""
    shares = pd.Series(seg.shares["favourite_category"], dtype=float)
    shares = shares[shares > 0].sort_values(ascending=False, kind="stable").head(top_n)
    return ", ".join(f"{category_text(str(level), lang)} {share:.0%}" for level, share in shares.items())


def category_text(value: str, lang: str) -> str:
    """A favourite category in the store's words (``ru``) or plain English."""
    return russian_value("favourite_category", value) if lang == "ru" else value.replace("_", " ")


def _trend(seg: SideStats, columns: Sequence[str]) -> str:
    if seg.n == 0 or any(c not in seg.means for c in columns):
        return ""
    means = [seg.means[c] for c in columns]
    return " → ".join(f"{m:.0f}" if m >= 100 else f"{m:.1f}" for m in means)


def _level_text(level: object) -> str:
    return ("yes" if level else "no") if isinstance(level, bool | np.bool_) else str(level)


def _side_mean(side: SideStats, column: str) -> float:
    return side.means.get(column, float("nan"))


def _side_share(side: SideStats, column: str, level: object) -> float:
    if column not in side.shares:
        return float("nan")
    return side.shares[column].get(level, 0.0 if side.n else float("nan"))


def _mean(frame: pd.DataFrame, column: str) -> float:
    return _safe_mean(frame[column].astype(float)) if column in frame else float("nan")


def _safe_mean(values: pd.Series) -> float:
    return float(values.astype(float).mean()) if len(values) else float("nan")


def _segment_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["segment", *[c for c in frame.columns if c != "segment"]]].reset_index(drop=True)
