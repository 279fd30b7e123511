"""What ``oneclick report`` needs of a batch run, computed in DuckDB over the batch's own outputs.

At the end of :func:`oneclick.batch.run_batch`, while the per-customer files of the first pass
and the campaign's candidate steps are still there, this writes into ``OUT``:

- ``segments.csv``, ``segment_features.csv``, ``segment_drivers.csv``, ``offers_summary.json`` and
  ``profit_curve.csv`` with the columns, keys and meaning of the in-memory path (``build_offers``):
  merged from one aggregate pass per id range (:mod:`oneclick.batch.report_stats`) and one sorted
  pass over the campaign's steps (:mod:`oneclick.batch.profit_curve`);
- ``run.json`` (settings, input checksums, library versions, seed), the model's ``metrics.json``
  and ``holdout_predictions.csv`` in ``model/``;
- a seeded sample of the customer table (``Settings.report_sample_size`` customers, 50,000 by
  default: enough for stable histograms and correlations, few enough to explain again and to hold
  in pandas), ``customer_features.parquet`` (features, ``declined``,
  ``profit``), and its scores with every feature's contribution, ``sample_scores.parquet``: the
  rows the report's exploration, correlation and explanation sections read. Its size and the
  population's go to ``batch.json`` (``report.sample``), where the report finds them.

Nothing here holds more than a sample's rows in pandas; the aggregates are a few thousand rows.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from oneclick.batch.campaign import CampaignSummary
from oneclick.batch.partition import connect
from oneclick.batch.plan import BatchPlan
from oneclick.batch.profit_curve import METHOD as CURVE_METHOD
from oneclick.batch.profit_curve import STATUS as GREEDY_STATUS
from oneclick.batch.profit_curve import batch_profit_curve
from oneclick.batch.queries import load_sql
from oneclick.batch.report_stats import batch_offer_totals, batch_profiles, drivers_query, group_stats, range_parts
from oneclick.batch.score import BatchOptions
from oneclick.config import Settings
from oneclick.features.build import customer_features_sql
from oneclick.features.groups import FEATURE_NAMES
from oneclick.features.write import write_customer_table
from oneclick.ingest import create_customer_months
from oneclick.ingest.sqltext import literal
from oneclick.layout import (
    CAMPAIGN_DIR,
    CANDIDATES_DIR,
    FEATURES_FILE,
    HOLDOUT_FILE,
    METRICS_FILE,
    MODEL_DIR,
    OFFERS_DIR,
    OFFERS_SUMMARY_FILE,
    PROFIT_CURVE_FILE,
    RUN_FILE,
    SAMPLE_SCORES_FILE,
    SCORES_DIR,
    SEGMENT_DRIVERS_FILE,
    SEGMENT_FEATURES_FILE,
    SEGMENTS_FILE,
)
from oneclick.model import LoadedModel
from oneclick.model.score import CONTRIBUTION_PREFIX, explain_customers
from oneclick.offers import NO_OFFER, OfferCatalogue
from oneclick.offers.build import write_offer_files
from oneclick.offers.campaign import NOT_BINDING
from oneclick.offers.summary import summary_of
from oneclick.record import run_record, write_run_file
from oneclick.segments import Quantile, SegmentScheme

SAMPLE_METHOD = "the customers with the smallest DuckDB hash(customer_id, seed)"
NO_BUDGET_METHOD = "every customer's best offer (no budget)"
# Every file this step writes (a batch run replaces them all, see batch.job).
REPORT_INPUTS = (
    SEGMENTS_FILE,
    SEGMENT_FEATURES_FILE,
    SEGMENT_DRIVERS_FILE,
    PROFIT_CURVE_FILE,
    OFFERS_SUMMARY_FILE,
    FEATURES_FILE,
    SAMPLE_SCORES_FILE,
    RUN_FILE,
    f"{MODEL_DIR}/{METRICS_FILE}",
    f"{MODEL_DIR}/{HOLDOUT_FILE}",
)


@dataclass(frozen=True)
class ReportInputs:
    """What was written for the report, the sample it may draw rows from, and the seconds each step took."""

    paths: dict[str, Path]
    sample: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "sample": self.sample,
            "files": sorted(str(path.name) for path in self.paths.values()),
            "seconds": {step: round(s, 2) for step, s in self.seconds.items()},
        }


@dataclass(frozen=True)
class BatchContext:
    """What the batch job knew: its plan, the segments and offers as configured, the model and options."""

    plan: BatchPlan
    scheme: SegmentScheme  # as configured: learned values not yet made concrete (for the rules' texts)
    catalogue: OfferCatalogue
    loaded: LoadedModel
    model_dir: Path
    settings: Settings
    options: BatchOptions
    budget: float | None
    campaign: CampaignSummary | None
    ranges: Sequence[tuple[int, tuple[int, int]]]  # (part index, (first id, last id)) of each scored range
    checksums: dict[str, str]  # input file name -> sha256, in the tables' order (from the checks)


def write_report_inputs(out_dir: Path, context: BatchContext, *, config: dict[str, Any]) -> ReportInputs:
    """Write the report's inputs of a finished batch run into ``out_dir`` (see the module's docstring).

    ``config``: DuckDB's settings (:func:`oneclick.batch.partition.duckdb_config`). Must run before
    the batch removes ``OUT/_work`` (the first pass's files and the campaign's steps).
    """
    out_dir = Path(out_dir)
    seconds: dict[str, float] = {}
    paths = _model_files(context.model_dir, out_dir / MODEL_DIR)
    with connect(config) as connection:
        _create_views(connection, context, out_dir)
        started = time.perf_counter()
        sample, sample_paths = _write_sample(connection, context, out_dir, context.settings.report_sample_size)
        paths |= sample_paths
        seconds["sample"] = time.perf_counter() - started
        if context.options.with_offers:
            paths |= _write_offer_files(connection, context, out_dir, config, seconds)
    started = time.perf_counter()
    paths["run"] = write_run_file(out_dir, run_record(context.settings, context.checksums))
    seconds["records"] = time.perf_counter() - started
    return ReportInputs(paths, sample, seconds)


def _model_files(model_dir: Path, target: Path) -> dict[str, Path]:
    """The model's metrics and holdout predictions beside the run (small files), for the model section."""
    target.mkdir(parents=True, exist_ok=True)
    paths = {}
    for key, name in (("metrics", METRICS_FILE), ("holdout_predictions", HOLDOUT_FILE)):
        if (model_dir / name).is_file():
            paths[key] = Path(shutil.copyfile(model_dir / name, target / name))
    return paths


def _create_views(connection: duckdb.DuckDBPyConnection, context: BatchContext, out_dir: Path) -> None:
    """``report_customers`` (the customer table), ``report_scores``, ``report_offers``, ``report_campaign``."""
    plan = context.plan
    create_customer_months(connection, plan.months)
    customer_features_sql(connection).create_view("report_customers", replace=True)
    for view, folder in (("report_scores", SCORES_DIR), ("report_offers", OFFERS_DIR)):
        if (out_dir / folder).is_dir():
            glob = literal(str(out_dir / folder / "*.parquet"))
            connection.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT * FROM read_parquet({glob})")
    if context.campaign is not None:
        glob = literal(str(out_dir / CAMPAIGN_DIR / "*.parquet"))
        plan_sql = f"SELECT * FROM read_parquet({glob})"
    elif context.options.with_offers:  # no budget: every customer's best offer, as in memory
        plan_sql = (
            "SELECT customer_id, offer AS campaign_offer, offer_cost AS campaign_cost, "
            "expected_saved_profit AS campaign_expected_saved_profit "
            f"FROM report_offers WHERE offer <> {literal(NO_OFFER)}"
        )
    else:
        return
    connection.execute(f"CREATE OR REPLACE TEMP VIEW report_campaign AS {plan_sql}")


def _write_sample(
    connection: duckdb.DuckDBPyConnection, context: BatchContext, out_dir: Path, size: int
) -> tuple[dict[str, Any], dict[str, Path]]:
    """The seeded sample's features and scores (with every contribution); its size and the population's."""
    ids = load_sql("sample_ids").format(n=int(size), seed=int(context.settings.seed))
    connection.execute(f"CREATE OR REPLACE TEMP TABLE report_sample AS {ids}")
    chosen = "customer_id IN (SELECT customer_id FROM report_sample)"
    customers = connection.execute(f"SELECT * FROM report_customers WHERE {chosen} ORDER BY customer_id").df()
    scores = connection.execute(f"SELECT * FROM report_scores WHERE {chosen} ORDER BY customer_id").df()
    customers, scores = customers.set_index("customer_id"), scores.set_index("customer_id")
    scores = _with_contributions(scores, customers, context.loaded)
    paths = {
        "features": write_customer_table(_as_in_memory(customers), out_dir / FEATURES_FILE),
        "sample_scores": out_dir / SAMPLE_SCORES_FILE,
    }
    scores.reset_index().to_parquet(paths["sample_scores"], index=False)
    sample = {
        "n_customers": len(customers),
        "population": int(context.plan.customers_kept),
        "seed": int(context.settings.seed),
        "method": SAMPLE_METHOD,
    }
    return sample, paths


def _with_contributions(scores: pd.DataFrame, customers: pd.DataFrame, loaded: LoadedModel) -> pd.DataFrame:
    """The sample's scores with every feature's contribution: the batch's own, else explained here.

    A batch run without ``with_contributions`` keeps only each customer's top drivers; the sample is
    explained again by the same function, which costs a sample's worth of explanations. Top-driver
    columns with gaps (``drivers="offered"``/``"none"``) are dropped: the report then ranks the
    contributions itself.
    """
    columns = [CONTRIBUTION_PREFIX + name for name in FEATURE_NAMES]
    if not all(c in scores for c in columns) or scores[columns].isna().any().any():
        names = [entry["name"] for entry in loaded.metadata["feature_schema"]]
        explained = explain_customers(loaded, customers[names]).contributions
        contributions = explained[FEATURE_NAMES].round(5).add_prefix(CONTRIBUTION_PREFIX)
        scores = pd.concat([scores.drop(columns=[c for c in columns if c in scores]), contributions], axis=1)
    drivers = [c for c in scores.columns if c.startswith("driver_")]
    if drivers and scores[drivers].isna().any().any():
        scores = scores.drop(columns=drivers)
    return scores


def _as_in_memory(customers: pd.DataFrame) -> pd.DataFrame:
    """Text columns as ``build_customer_table`` types them: categories of the values present, sorted."""
    table = customers.copy()
    for column in table.columns:
        if isinstance(table[column].dtype, pd.CategoricalDtype) or table[column].dtype == object:
            table[column] = table[column].astype(str).astype("category")
    return table


def _write_offer_files(
    connection: duckdb.DuckDBPyConnection,
    context: BatchContext,
    out_dir: Path,
    config: dict[str, Any],
    seconds: dict[str, float],
) -> dict[str, Path]:
    """segments.csv, segment_features.csv, segment_drivers.csv, profit_curve.csv and offers_summary.json."""
    started = time.perf_counter()
    options, plan = context.options, context.plan
    source = "contributions" if options.with_contributions else "top_drivers"

    def connect_range() -> duckdb.DuckDBPyConnection:
        # One DuckDB thread per range keeps its rows in file order (the ranges are zipped by position).
        connection = connect(config | {"threads": 1})
        _create_views(connection, context, out_dir)
        return connection

    parts, drivers = range_parts(out_dir, context.ranges), drivers_query(source, options.n_drivers)
    groups = group_stats(connect_range, parts, drivers, workers=max(1, int(config.get("threads", 1))))
    learned = _learned(context.scheme, plan.scheme)
    profiles = batch_profiles(
        groups, context.scheme, plan.thresholds, learned, lang=options.lang, top_n=options.n_drivers
    )
    seconds["profiles"] = time.perf_counter() - started
    started = time.perf_counter()
    curve = None
    if context.campaign is not None:
        candidates, n_points = str(out_dir / CANDIDATES_DIR / "*.parquet"), context.settings.profit_curve_points
        curve = batch_profit_curve(connection, candidates, n_points=n_points, campaign=context.campaign)
    seconds["profit_curve"] = time.perf_counter() - started
    totals = batch_offer_totals(groups.offers)
    campaign = _campaign(connection, context.campaign, totals, curve)
    summary = summary_of(totals, profiles, plan.thresholds, campaign, context.catalogue, options.lang) | {
        "sources": {"segments": context.scheme.source, "catalogue": context.catalogue.source},
        "n_candidate_pairs": None,  # the batch keeps each customer's hull of offers, not every pair
        "segment_drivers": {
            "source": source,
            "top_n": options.n_drivers,
            "n_explained": int(groups.drivers["n_explained"].sum()),
        },
    }
    if curve is not None:
        summary["profit_curve_method"] = CURVE_METHOD
    return write_offer_files(out_dir, profiles, curve, summary)


def _learned(configured: SegmentScheme, resolved: SegmentScheme) -> dict[tuple[str, float], float]:
    """(feature, q) -> the value the batch learned, read off the plan's resolved rules."""
    learned = {}
    for segment, concrete in zip(configured.segments, resolved.segments, strict=True):
        for condition, value in zip(segment.when, concrete.when, strict=True):
            if isinstance(condition.value, Quantile):
                learned[(condition.subject, condition.value.q)] = float(value.value)
    return learned


def _campaign(
    connection: duckdb.DuckDBPyConnection,
    campaign: CampaignSummary | None,
    totals: dict[str, Any],
    curve: pd.DataFrame | None,
) -> dict[str, object]:
    """The campaign's entry of offers_summary.json, with the keys of ``CampaignPlan.as_dict``."""
    offers = {str(o): int(n) for o, n in connection.execute(load_sql("campaign_offers")).fetchall()}
    if campaign is None:
        n = sum(offers.values())
        saved, spent = totals["expected_saved_profit"], totals["cost"]
        return {
            "budget": None,
            "spent": spent,
            "expected_saved_profit": saved,
            "upper_bound": saved,
            "n_customers": n,
            "status": NOT_BINDING,
            "method": NO_BUDGET_METHOD,
            "seconds": None,
            "offers": offers,
        }
    binds = curve is None or campaign.budget < float(curve["budget"].max())
    return {
        "budget": campaign.budget,
        "spent": campaign.spent,
        "expected_saved_profit": campaign.expected_saved_profit,
        "upper_bound": campaign.upper_bound,
        "n_customers": campaign.n_customers,
        "status": GREEDY_STATUS if binds else NOT_BINDING,
        "method": campaign.method,
        "seconds": None,  # the campaign is planned inside run_batch; batch.json has the job's seconds
        "offers": offers,
    }
