"""Each segment against the rest of the customers: size, risk, profit, trends, features, drivers.

Effect sizes: Cohen's d (pooled standard deviation) for numeric features, the difference of
shares (segment minus rest) for each category of a nominal or binary feature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from oneclick.features.groups import FEATURE_GROUPS, FEATURES, GROUP_LABELS, NUMERIC_FEATURES, feature_label
from oneclick.ingest.columns import russian_value
from oneclick.segments.assign import SegmentAssignment, check_contributions, scoring_table
from oneclick.segments.conditions import PROFIT, RISK

LABEL = "declined"
_KINDS = {f.name: f.kind for f in FEATURES}


@dataclass(frozen=True)
class SegmentProfiles:
    """``summary``: one row per segment (segments.csv); ``features``: every feature's mean in the
    segment and the rest with its effect size; ``drivers``: mean contribution to risk (log-odds) per
    feature and per feature group, in the segment and the rest."""

    summary: pd.DataFrame
    features: pd.DataFrame
    drivers: pd.DataFrame


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
    rows, features, drivers = [], [], []
    for name, mask in assignment.masks().items():
        inside = mask.reindex(table.index, fill_value=False).to_numpy(dtype=bool)
        effects = feature_effects(table, inside)
        driver_table = segment_drivers(contrib, inside, lang)
        row = _summary_row(table, inside, total_at_risk, lang, top_n)
        row |= {
            "top_drivers": _top_text(driver_table[driver_table.scope == "feature"], top_n),
            "top_driver_groups": _top_text(driver_table[driver_table.scope == "group"], top_n),
        }
        row |= _wide_effects(effects)
        rows.append(
            {
                "segment": name,
                "title": assignment.title(name, lang),
                "kind": assignment.kinds.get(name, ""),
                "rule": assignment.rules.get(name, ""),
            }
            | row
        )
        features.append(effects.assign(segment=name))
        drivers.append(driver_table.assign(segment=name))
    return SegmentProfiles(
        summary=pd.DataFrame(rows),
        features=_segment_first(pd.concat(features, ignore_index=True)),
        drivers=_segment_first(pd.concat(drivers, ignore_index=True)),
    )


def _summary_row(
    table: pd.DataFrame, inside: np.ndarray, total_at_risk: float, lang: str, top_n: int
) -> dict[str, object]:
    seg, rest = table[inside], table[~inside]
    at_risk = float((seg[RISK] * seg[PROFIT]).sum())
    return {
        "n_customers": int(inside.sum()),
        "share_of_customers": float(inside.mean()) if len(inside) else np.nan,
        "share_declined": _mean(seg, LABEL),
        "share_declined_rest": _mean(rest, LABEL),
        "mean_decline_probability": _mean(seg, RISK),
        "mean_decline_probability_rest": _mean(rest, RISK),
        "mean_profit": _mean(seg, PROFIT),
        "mean_profit_rest": _mean(rest, PROFIT),
        "profit_at_risk": at_risk,
        "share_of_profit_at_risk": at_risk / total_at_risk if total_at_risk else np.nan,
        "revenue_trend": _trend(
            seg, ["revenue_month_before_previous", "revenue_previous_month", "revenue_current_month"]
        ),
        "mean_revenue_change": _mean(seg, "revenue_change"),
        "mean_revenue_change_rest": _mean(rest, "revenue_change"),
        "minutes_trend": _trend(seg, ["minutes_previous_month", "minutes_current_month"]),
        "mean_minutes_change": _mean(seg, "minutes_change"),
        "mean_minutes_change_rest": _mean(rest, "minutes_change"),
        "top_categories": _top_categories(seg, lang, top_n),
        "premium_share": _share(seg, "service_type", "premium"),
        "premium_share_rest": _share(rest, "service_type", "premium"),
        "allows_messages_share": _share(seg, "allows_messages", True),
        "allows_messages_share_rest": _share(rest, "allows_messages", True),
    }


def feature_effects(table: pd.DataFrame, inside: np.ndarray) -> pd.DataFrame:
    """Every feature's mean (numeric) or category shares in the segment and the rest, with effect sizes."""
    rows = []
    for feature in FEATURES:
        if feature.name not in table:
            continue
        column = table[feature.name]
        seg, rest = column[inside], column[~inside]
        base = {"feature": feature.name, "group": feature.group, "kind": feature.kind}
        if feature.kind == "numeric":
            rows.append(
                base
                | {
                    "level": "",
                    "mean_segment": _safe_mean(seg),
                    "mean_rest": _safe_mean(rest),
                    "effect_size": cohens_d(seg, rest),
                    "effect_measure": "cohen_d",
                }
            )
            continue
        for level in _levels(column):
            in_share, rest_share = _safe_mean(seg == level), _safe_mean(rest == level)
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
    pooled = np.sqrt(((len(a) - 1) * a.var() + (len(b) - 1) * b.var()) / (len(a) + len(b) - 2))
    difference = a.mean() - b.mean()
    if pooled == 0:
        return 0.0 if difference == 0 else float("nan")
    return float(difference / pooled)


def segment_drivers(contributions: pd.DataFrame, inside: np.ndarray, lang: str) -> pd.DataFrame:
    """Mean contribution to risk per feature and per feature group, in the segment and the rest."""
    by_group = contributions.T.groupby(pd.Series(FEATURE_GROUPS)).sum().T
    rows = []
    for scope, frame in (("feature", contributions), ("group", by_group)):
        for name in frame.columns:
            seg, rest = _safe_mean(frame[name][inside]), _safe_mean(frame[name][~inside])
            label = feature_label(name, lang) if scope == "feature" else GROUP_LABELS[name][lang]  # type: ignore[arg-type]
            rows.append(
                {
                    "scope": scope,
                    "name": name,
                    "label": label,
                    "mean_contribution_segment": seg,
                    "mean_contribution_rest": rest,
                    "difference": seg - rest,
                }
            )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["scope", "mean_contribution_segment"], ascending=[True, False], kind="stable")


def _top_text(drivers: pd.DataFrame, top_n: int) -> str:
    # Below half a hundredth of log-odds a driver would print as +0.00: not worth naming.
    positive = drivers[drivers["mean_contribution_segment"] >= 0.005].head(top_n)
    return "; ".join(f"{row.label} {row.mean_contribution_segment:+.2f}" for row in positive.itertuples())


def _wide_effects(effects: pd.DataFrame) -> dict[str, float]:
    numeric = effects[effects["feature"].isin(NUMERIC_FEATURES)]
    wide: dict[str, float] = {}
    for row in numeric.itertuples():
        wide[f"mean_{row.feature}"] = row.mean_segment
        wide[f"d_{row.feature}"] = row.effect_size
    return wide


def _top_categories(seg: pd.DataFrame, lang: str, top_n: int) -> str:
    if "favourite_category" not in seg or seg.empty:
        return ""
    shares = seg["favourite_category"].value_counts(normalize=True, sort=False)
    shares = shares[shares > 0].sort_values(ascending=False, kind="stable").head(top_n)
    return ", ".join(f"{category_text(str(level), lang)} {share:.0%}" for level, share in shares.items())


def category_text(value: str, lang: str) -> str:
    """A favourite category in the store's words (``ru``) or plain English."""
    return russian_value("favourite_category", value) if lang == "ru" else value.replace("_", " ")


def _trend(seg: pd.DataFrame, columns: list[str]) -> str:
    if seg.empty or any(c not in seg for c in columns):
        return ""
    return " → ".join(f"{seg[c].mean():.0f}" if seg[c].mean() >= 100 else f"{seg[c].mean():.1f}" for c in columns)


def _levels(column: pd.Series) -> list[object]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return list(column.cat.categories)
    return sorted(column.dropna().unique().tolist(), key=str)


def _level_text(level: object) -> str:
    return ("yes" if level else "no") if isinstance(level, bool | np.bool_) else str(level)


def _share(frame: pd.DataFrame, column: str, level: object) -> float:
    return _safe_mean(frame[column] == level) if column in frame else float("nan")


def _mean(frame: pd.DataFrame, column: str) -> float:
    return _safe_mean(frame[column].astype(float)) if column in frame else float("nan")


def _safe_mean(values: pd.Series) -> float:
    return float(values.astype(float).mean()) if len(values) else float("nan")


def _segment_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["segment", *[c for c in frame.columns if c != "segment"]]].reset_index(drop=True)
