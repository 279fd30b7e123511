"""Segment profiles and offer totals of a batch run, merged from DuckDB aggregates of groups of customers.

For each scored id range, ``sql/report_groups.sql`` zips the range's customer table with its offers
part and sums each group of customers who share their named segments, cell and offer: counts,
sums and sums of squares of the numeric features, counts per category; ``report_drivers_*.sql``
and ``report_campaign_groups.sql`` add the contributions to risk and the campaign. The ranges run
in parallel, each on one DuckDB thread. Groups merge exactly (counts and sums add), so a segment
(the groups it contains) and the rest (the others) get the counts, means, shares and variances the
in-memory path computes row by row, and :func:`oneclick.segments.profile.profile_rows` assembles them
with the same names, orders and texts. The customer table has no missing values (it is checked),
so every numeric feature's count is the group's.

Segment drivers. With ``with_contributions`` the batch keeps every feature's contribution and a
segment's driver is its mean contribution, as in memory. Otherwise only each customer's top
drivers are kept (``driver_k_feature``/``driver_k_contribution``, by |contribution|); a feature's
mean is then taken over its top-driver contributions, counting 0 where it is not among a customer's
top drivers: exact for the features that lead, an underestimate (towards 0) for the rest. Either
way the mean is over the customers whose drivers were explained (see ``run_batch(drivers=...)``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd

from oneclick.batch.queries import load_sql
from oneclick.features.groups import FEATURE_GROUPS, FEATURE_NAMES, NUMERIC_FEATURES
from oneclick.ingest.sqltext import ident, literal
from oneclick.layout import OFFERS_DIR, SCORES_DIR
from oneclick.model.score import CONTRIBUTION_PREFIX
from oneclick.offers.catalogue import NO_OFFER
from oneclick.offers.summary import add_offer_mix, offer_mix_row
from oneclick.segments import CELLS, SegmentScheme, Thresholds
from oneclick.segments.assign import SEGMENT_SEPARATOR, cell_rules, segment_kinds, segment_titles
from oneclick.segments.conditions import describe_rule
from oneclick.segments.profile import (
    CATEGORY_FEATURES,
    DRIVER_GROUPS,
    MEAN_COLUMNS,
    SegmentInfo,
    SegmentProfiles,
    SideDrivers,
    SideStats,
    cohens_d_of,
    combine_profiles,
    profile_rows,
)

DriverSource = Literal["contributions", "top_drivers"]
KEYS = ("segments", "risk_profit_cell", "primary_segment", "is_high_risk", "offer")
_SUMS = (
    "n",
    "profit_at_risk",
    "offer_cost",
    "expected_saved_profit",
    "n_in_campaign",
    "campaign_cost",
    "campaign_expected_saved_profit",
)
_FROM_OFFERS = {"decline_probability", "profit"}  # the other mean columns are the customer table's


def feature_sums() -> str:
    """The sums of ``report_features.sql``: of every mean column but the offers', and squares of the numeric."""
    parts = []
    for column in MEAN_COLUMNS:
        if column in _FROM_OFFERS:
            continue
        value = f"CAST(k.{ident(column)} AS DOUBLE)"
        parts.append(f"sum({value}) AS {ident('sum:' + column)}")
        if column in NUMERIC_FEATURES:
            parts.append(f"sum({value} * {value}) AS {ident('sq:' + column)}")
    return ",\n    ".join(parts)


def drivers_query(driver_source: DriverSource, n_drivers: int) -> str:
    """``report_drivers_all.sql`` or ``report_drivers_top.sql`` with its columns, the range left to fill."""
    if driver_source == "contributions":
        columns = [ident(CONTRIBUTION_PREFIX + name) for name in FEATURE_NAMES]
        sums = ",\n    ".join(f"sum(s.{c}) AS {ident('drv:' + n)}" for c, n in zip(columns, FEATURE_NAMES, strict=True))
        return load_sql("report_drivers_all").format(
            first=columns[0], sums=sums, columns=", ".join(columns), offers="{offers}", scores="{scores}"
        )
    slots = range(1, n_drivers + 1)
    return load_sql("report_drivers_top").format(
        features=", ".join(f"s.driver_{k}_feature" for k in slots),
        sums=",\n    ".join(f"sum(s.driver_{k}_contribution) AS driver_{k}_contribution" for k in slots),
        columns=", ".join(f"driver_{k}_feature, driver_{k}_contribution" for k in slots),
        offers="{offers}",
        scores="{scores}",
    )


@dataclass(frozen=True)
class RangeParts:
    """One scored id range and its part files (the batch writes ``part-<index>.parquet`` per range)."""

    low: int
    high: int
    offers: Path
    scores: Path


def range_parts(out_dir: Path, id_ranges: Sequence[tuple[int, tuple[int, int]]]) -> list[RangeParts]:
    """The ranges that have customers (a range without any wrote no part file)."""
    found = []
    for index, (low, high) in id_ranges:
        offers, scores = (out_dir / folder / f"part-{index:05d}.parquet" for folder in (OFFERS_DIR, SCORES_DIR))
        if offers.is_file() and scores.is_file():
            found.append(RangeParts(int(low), int(high), offers, scores))
    return found


@dataclass(frozen=True)
class BatchGroups:
    """The merged aggregates: ``offers`` by ``KEYS``; ``features`` and ``drivers`` by segments and cell."""

    offers: pd.DataFrame
    features: pd.DataFrame
    drivers: pd.DataFrame


def group_stats(
    connect_range: Callable[[], duckdb.DuckDBPyConnection],
    parts: Sequence[RangeParts],
    drivers_sql: str,
    *,
    workers: int,
) -> BatchGroups:
    """The aggregates of every range, merged.

    ``connect_range``: a new connection with the views of :mod:`oneclick.batch.report_inputs`, one per
    worker thread; ``drivers_sql``: :func:`drivers_query`.
    """

    def run(chunk: Sequence[RangeParts]) -> list[BatchGroups]:
        with connect_range() as connection:
            return [_range_stats(connection, part, drivers_sql) for part in chunk]

    chunks = [parts[k::workers] for k in range(max(1, workers))]
    with ThreadPoolExecutor(max_workers=len(chunks), thread_name_prefix="oneclick-report") as pool:
        found = [stats for done in pool.map(run, chunks) for stats in done]
    if not found:
        raise RuntimeError("no scored range has offers and scores; this is a bug in oneclick.batch")
    cells = ["segments", "risk_profit_cell"]
    return BatchGroups(
        merge_sums(pd.concat([g.offers for g in found], ignore_index=True), list(KEYS)),
        merge_sums(pd.concat([g.features for g in found], ignore_index=True), [*cells, *CATEGORY_FEATURES]),
        merge_sums(pd.concat([g.drivers for g in found], ignore_index=True), cells),
    )


def _range_stats(connection: duckdb.DuckDBPyConnection, part: RangeParts, drivers_sql: str) -> BatchGroups:
    """One range's aggregates (the view ``report_campaign`` gives the campaign's columns)."""
    values = {"low": part.low, "high": part.high, "offers": literal(str(part.offers))}
    offers = connection.execute(load_sql("report_groups").format(**values)).df()
    campaign = connection.execute(load_sql("report_campaign_groups").format(**values)).df()
    offers = offers.merge(campaign, on=list(KEYS), how="left")
    for column in ("n_in_campaign", "campaign_cost", "campaign_expected_saved_profit"):
        offers[column] = offers[column].fillna(0)
    query = load_sql("report_features")
    values |= {"categories": ", ".join(f"k.{ident(c)}" for c in CATEGORY_FEATURES), "sums": feature_sums()}
    features = connection.execute(query.format(join="POSITIONAL JOIN", on="", **values)).df()
    if features["misaligned"].sum():  # not in the same order after all: join by id (slower, same result)
        features = connection.execute(query.format(join="JOIN", on="ON o.customer_id = k.customer_id", **values)).df()
    drivers = connection.execute(drivers_sql.format(offers=values["offers"], scores=literal(str(part.scores)))).df()
    if drivers["misaligned"].sum():
        raise RuntimeError(f"{part.offers} and {part.scores} hold different customers; this is a bug in oneclick.batch")
    return BatchGroups(offers, features.drop(columns="misaligned"), _wide_drivers(drivers.drop(columns="misaligned")))


def _wide_drivers(frame: pd.DataFrame) -> pd.DataFrame:
    """Top drivers by slot (one row per segments, cell and features in the slots) as the sums of
    ``report_drivers_all.sql``: customers explained and ``drv:<feature>``, by segments and cell."""
    if "driver_1_feature" not in frame:
        return frame
    keys = ["segments", "risk_profit_cell"]
    explained = frame[frame["driver_1_feature"].notna()].groupby(keys, sort=False)["n"].sum().rename("n_explained")
    parts = []
    for k in range(1, sum(c.endswith("_feature") for c in frame.columns) + 1):
        slot = frame[[*keys, f"driver_{k}_feature", f"driver_{k}_contribution"]].dropna()
        parts.append(slot.set_axis([*keys, "feature", "contribution"], axis=1))
    found = pd.concat(parts, ignore_index=True)
    sums = found.pivot_table(index=keys, columns="feature", values="contribution", aggfunc="sum", sort=False)
    sums = sums.reindex(columns=FEATURE_NAMES).fillna(0.0).add_prefix("drv:")
    return pd.concat([explained, sums], axis=1).fillna(0.0).reset_index()


def merge_sums(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows with the same ``keys`` merged: counts and sums added, ``first_id`` the least."""
    grouped = frame.groupby(keys, sort=False, dropna=False, observed=True)
    merged = grouped[[c for c in frame.columns if c not in keys and c != "first_id"]].sum()
    if "first_id" in frame:
        merged["first_id"] = grouped["first_id"].min()
    return merged.reset_index()


def side(groups: BatchGroups, inside: Callable[[pd.DataFrame], np.ndarray], levels: Mapping[str, list[Any]]) -> Side:
    """A side of a profile (the groups ``inside`` picks): statistics, (n, mean, variance) per numeric feature."""
    offers, features, drivers = (frame[inside(frame)] for frame in (groups.offers, groups.features, groups.drivers))
    total = features[[c for c in features.columns if c.startswith(("sum:", "sq:"))]].sum()
    n = int(offers["n"].sum())
    sums = {c: total.get(f"sum:{c}", 0.0) for c in MEAN_COLUMNS if c not in _FROM_OFFERS}
    sums |= {c: offers[f"sum:{c}"].sum() for c in _FROM_OFFERS}
    means = {c: (sums[c] / n if n else np.nan) for c in MEAN_COLUMNS}
    shares = {}
    for feature, found in levels.items():
        counts = features.groupby(feature, observed=True)["n"].sum()
        shares[feature] = {level: (counts.get(level, 0) / n if n else np.nan) for level in found}
    moments = {}
    for c in NUMERIC_FEATURES:
        # The sum of squared deviations from the sums: exact enough here, where the spread of a
        # feature is not tiny next to its mean (counts, shares, roubles, minutes).
        variance = (total[f"sq:{c}"] - n * means[c] * means[c]) / (n - 1) if n > 1 else np.nan
        moments[c] = (float(n), means[c], max(variance, 0.0) if n > 1 else np.nan)
    explained = drivers["n_explained"].sum()
    feature_sums = {name: drivers[f"drv:{name}"].sum() for name in FEATURE_NAMES}
    group_sums = {g: sum(v for name, v in feature_sums.items() if FEATURE_GROUPS[name] == g) for g in DRIVER_GROUPS}
    side_drivers = SideDrivers(
        features={name: (v / explained if explained else np.nan) for name, v in feature_sums.items()},
        groups={group: (v / explained if explained else np.nan) for group, v in group_sums.items()},
    )
    return Side(SideStats(n, means, shares, float(offers["profit_at_risk"].sum())), moments, side_drivers, offers)


@dataclass(frozen=True)
class Side:
    """One side of a profile: its statistics, (n, mean, variance) of each numeric feature, drivers, offer groups."""

    stats: SideStats
    moments: dict[str, tuple[float, float, float]]
    drivers: SideDrivers
    offers: pd.DataFrame


def present_levels(features: pd.DataFrame) -> dict[str, list[Any]]:
    """The levels of each category feature some customer has, sorted as the in-memory categories are."""
    return {
        feature: sorted(features.loc[features["n"] > 0, feature].dropna().unique().tolist(), key=str)
        for feature in CATEGORY_FEATURES
    }


def members(groups: pd.DataFrame, segment: str) -> np.ndarray:
    """Which groups belong to ``segment``: a named segment (in ``segments``) or a cell."""
    if segment in CELLS:
        return (groups["risk_profit_cell"] == segment).to_numpy(dtype=bool)
    return np.array([segment in str(names).split(SEGMENT_SEPARATOR) for names in groups["segments"]], dtype=bool)


def batch_profiles(
    groups: BatchGroups,
    scheme: SegmentScheme,
    thresholds: Thresholds,
    learned: Mapping[tuple[str, float], float],
    *,
    lang: Literal["ru", "en"],
    top_n: int = 3,
) -> SegmentProfiles:
    """segments.csv, segment_features.csv and segment_drivers.csv, as ``build_offers`` writes them.

    ``scheme``: the segments as configured (quantiles not yet learned), ``learned``: the quantiles
    the batch learned, so the rules read as in memory (``... >= 6 (quantile 0.75)``).
    """
    titles, kinds = segment_titles(scheme), segment_kinds(scheme)
    rules = {s.name: describe_rule(s.when, pd.DataFrame(), thresholds, learned) for s in scheme.segments}
    rules |= cell_rules(thresholds)
    levels = present_levels(groups.features)
    n_total, total_at_risk = int(groups.offers["n"].sum()), float(groups.offers["profit_at_risk"].sum())
    parts, mixes = [], []
    for name in [*scheme.names, *CELLS]:
        seg = side(groups, lambda frame, name=name: members(frame, name), levels)
        rest = side(groups, lambda frame, name=name: ~members(frame, name), levels)
        effects = {c: cohens_d_of(*seg.moments[c], *rest.moments[c]) for c in NUMERIC_FEATURES}
        info = SegmentInfo(name, titles.get(name, {}).get(lang, name), kinds.get(name, ""), rules.get(name, ""))
        sides, drivers = (seg.stats, rest.stats), (seg.drivers, rest.drivers)
        parts.append(profile_rows(info, sides, effects, drivers, n_total, total_at_risk, lang, top_n))
        mixes.append(_offer_mix(seg.offers))
    return add_offer_mix(combine_profiles(parts), mixes)


def _offer_mix(rows: pd.DataFrame) -> dict[str, Any]:
    by_offer = rows.groupby("offer", sort=False).agg(n=("n", "sum"), first_id=("first_id", "min"))
    counts = by_offer.sort_values("first_id", kind="stable")["n"].astype("int64")
    return offer_mix_row(
        counts,
        n_with_offer=int(rows.loc[rows["offer"] != NO_OFFER, "n"].sum()),
        expected_saved_profit=float(rows["expected_saved_profit"].sum()),
        n_in_campaign=int(rows["n_in_campaign"].sum()),
        campaign_expected_saved_profit=float(rows["campaign_expected_saved_profit"].sum()),
    )


def batch_offer_totals(groups: pd.DataFrame) -> dict[str, Any]:
    """The totals of :func:`oneclick.offers.summary.offer_totals`, from the groups."""
    high_risk = groups["is_high_risk"].astype(bool).to_numpy()
    without = (groups["offer"] == NO_OFFER).to_numpy()
    mix = groups.groupby("offer")["n"].sum()
    by_segment: dict[str, dict[str, int]] = {}
    for (segment, offer), n in sorted(groups.groupby(["primary_segment", "offer"])["n"].sum().items()):
        if n:
            by_segment.setdefault(str(segment), {})[str(offer)] = int(n)
    return {
        "n_customers": int(groups["n"].sum()),
        "n_high_risk": int(groups.loc[high_risk, "n"].sum()),
        "profit_at_risk": float(groups["profit_at_risk"].sum()),
        "profit_at_risk_high_risk": float(groups.loc[high_risk, "profit_at_risk"].sum()),
        "mix": {str(k): int(v) for k, v in sorted(mix.items()) if v},
        "n_without_offer": int(groups.loc[without, "n"].sum()),
        "n_high_risk_without_offer": int(groups.loc[without & high_risk, "n"].sum()),
        "expected_saved_profit": float(groups["expected_saved_profit"].sum()),
        "cost": float(groups["offer_cost"].sum()),
        "by_primary_segment": by_segment,
    }
