"""The batch job: Parquet (or CSV) tables of any size -> scores and offers as partitioned Parquet.

1. The global pass (:mod:`oneclick.batch.plan`) reads and checks the tables once in DuckDB, by
   the rules ``load_tables`` follows (``oneclick.ingest.check_export``: one row per customer),
   writes ``quality.json``, ``quarantine.csv`` and ``excluded.csv`` as ``oneclick validate`` does,
   and computes every number that depends on all customers.
2. The kept customers are cut into id ranges; each range is scored batch by batch
   (:mod:`oneclick.batch.partition`), here or on a Dask cluster (:mod:`oneclick.batch.dask_engine`).
3. With a budget, the campaign is planned over every customer's candidate steps
   (:mod:`oneclick.batch.campaign`).
4. What ``oneclick report`` reads is computed over those outputs (:mod:`oneclick.batch.report_inputs`).

Memory stays bounded: DuckDB has a memory limit, groups the customers a million at a time and
streams each range in batches of ``batch_size`` rows; pandas holds one batch at a time (and
its neighbours, being read and written, on other threads).

Everything is written to ``OUT/.incoming`` first and moved into ``OUT`` only when the run
succeeds, so a run that fails or is stopped midway leaves the previous results as they were.
"""

from __future__ import annotations

import json
import resource
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from oneclick.batch.campaign import plan_campaign_at_scale
from oneclick.batch.partition import (
    BatchHook,
    PartResult,
    connect,
    duckdb_config,
    run_partition,
)
from oneclick.batch.partitions import default_partitions, id_ranges
from oneclick.batch.plan import BatchPlan, plan_batch
from oneclick.batch.publish import staged
from oneclick.batch.report_inputs import BatchContext, write_report_inputs
from oneclick.batch.score import BatchOptions, Drivers, Lang
from oneclick.config import Settings
from oneclick.errors import ConfigError
from oneclick.ingest import DataQuality, Policy
from oneclick.layout import (
    BATCH_FILE,
    CAMPAIGN_DIR,
    CANDIDATES_DIR,
    EXCLUDED_FILE,
    OFFERS_DIR,
    QUALITY_FILE,
    QUARANTINE_FILE,
    SCORES_DIR,
    WORK_DIR,
)
from oneclick.model import load_model
from oneclick.offers import load_catalogue
from oneclick.segments import load_segment_scheme

Engine = Literal["local", "dask"]


@dataclass(frozen=True)
class BatchResult:
    """What a batch run did and where it wrote it (the content of ``OUT/batch.json``)."""

    out_dir: Path
    rows: int
    seconds: float
    engine: str
    partitions: int
    peak_rss_bytes: int
    outputs: dict[str, Path]
    summary: dict[str, Any] = field(repr=False)


def run_batch(
    data_dir: Path,
    model_dir: Path,
    out_dir: Path,
    *,
    engine: Engine = "local",
    scheduler: str | None = None,
    batch_size: int = 200_000,
    n_partitions: int | None = None,
    with_offers: bool = True,
    budget: float | None = None,
    drivers: Drivers = "all",
    reasons: bool = False,
    lang: Lang = "ru",
    with_contributions: bool = False,
    segments_config: Path | None = None,
    catalogue: Path | None = None,
    memory_limit: str = "2GB",
    threads: int = 2,
    progress: bool = True,
    settings: Settings | None = None,
    on_batch: BatchHook | None = None,
) -> BatchResult:
    """Score every customer of ``data_dir`` with the model in ``model_dir``; write partitioned Parquet.

    Parameters
    ----------
    data_dir : the store's four tables (``.parquet``, or UTF-8 ``.csv``), Russian headers and values.
    model_dir : a model folder written by ``oneclick train``.
    out_dir : where ``scores/``, ``offers/``, ``campaign/``, ``excluded/``, ``quarantine/`` and
        ``batch.json`` go; earlier outputs of these names are replaced.
    engine : ``"local"`` (this process) or ``"dask"`` (a cluster at ``scheduler``, or two local
        worker processes when ``scheduler`` is None).
    batch_size : customers per batch; the most rows pandas holds at once.
    n_partitions : customer-id ranges (default: one per million customers, and at least two per Dask
        worker or local scoring thread).
    with_offers : segments and best offers too, not only scores.
    budget : plan a campaign within this budget (profit units); ``None`` = no campaign plan.
    drivers : whose top drivers (features and contributions) are explained: ``"all"``, those
        ``"offered"`` an offer, or ``"none"`` (explanations are the costliest step at scale).
    reasons : also write those customers' drivers and offer reasons in words (written a column at a
        time: about a fifth more time at millions).
    with_contributions : also write every feature's contribution (log-odds) to the scores.
    memory_limit, threads : DuckDB's limits per connection (per worker with Dask). The local
        engine also groups ``threads`` chunks of customers, and scores ``threads`` ranges, at a time.
    on_batch : called with each batch's size (local engine, from the scoring threads), e.g. to check
        memory is bounded.

    Raises
    ------
    InputDataError : a table cannot be read, fails too many checks, or leaves no customer.
    ModelArtifactError : the model folder cannot be trusted or does not fit the data.
    ConfigError : a bad option, segments file or catalogue.
    """
    _check_options(engine, batch_size, drivers, budget, with_offers)
    settings = settings or Settings()
    started = time.perf_counter()
    final_dir = Path(out_dir)
    with staged(final_dir) as out_dir:
        loaded = load_model(Path(model_dir))
        scheme = load_segment_scheme(segments_config)
        offer_catalogue = load_catalogue(catalogue, segment_names=scheme.names)
        config = duckdb_config(memory_limit, threads)
        with connect(config) as connection:
            plan, quality = plan_batch(
                Path(data_dir),
                out_dir,
                policy=Policy.of(settings),
                scheme=scheme,
                catalogue=offer_catalogue,
                model_threshold=loaded.threshold,
                connection=connection,
            )
        quality.write(out_dir)
        planned = time.perf_counter() - started
        options = BatchOptions(
            with_offers=with_offers,
            drivers=drivers,
            reasons=reasons,
            lang=lang,
            with_contributions=with_contributions,
            with_candidates=budget is not None,
        )
        workers = 2 if engine == "dask" else threads
        ranges = id_ranges(plan.id_bounds, n_partitions or default_partitions(plan.customers_kept, workers))
        with _progress_bar(progress, plan.customers_kept) as advance:
            if engine == "local":
                parts = _run_local(
                    plan, ranges, loaded, options, out_dir, batch_size, threads, memory_limit, advance, on_batch
                )
                worker_peak = 0
            else:
                from oneclick.batch.dask_engine import run_on_dask

                parts, worker_peak = run_on_dask(
                    plan,
                    Path(model_dir),
                    ranges,
                    options,
                    out_dir,
                    scheduler=scheduler,
                    batch_size=batch_size,
                    memory_limit=memory_limit,
                    on_part=advance,
                )
        rows = sum(part.rows for part in parts)
        if rows != plan.customers_kept:
            raise RuntimeError(
                f"the ranges scored {rows} customers but the plan kept {plan.customers_kept}; "
                "this is a bug in oneclick.batch"
            )
        campaign = None
        if budget is not None:
            with connect(config) as connection:
                campaign = plan_campaign_at_scale(
                    connection,
                    str(out_dir / CANDIDATES_DIR / "*.parquet"),
                    budget,
                    out_dir / CAMPAIGN_DIR / "part-00000.parquet",
                )
        report = write_report_inputs(
            out_dir,
            BatchContext(
                plan,
                scheme,
                offer_catalogue,
                loaded,
                Path(model_dir),
                settings,
                options,
                budget,
                campaign,
                [(part.index, part.id_range) for part in parts],
                {source.file: source.sha256 for source in quality.sources},
            ),
            config=config,
        )
        shutil.rmtree(out_dir / WORK_DIR, ignore_errors=True)
        seconds = time.perf_counter() - started
        peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, worker_peak)
        summary = _summary(plan, quality, parts, engine, seconds, planned, peak, batch_size, options, campaign)
        summary["report"] = report.as_dict()
        (out_dir / BATCH_FILE).write_text(
            json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        outputs = _outputs(final_dir, with_offers, budget is not None)
        outputs |= {name: final_dir / path.relative_to(out_dir) for name, path in report.paths.items()}
        return BatchResult(final_dir, rows, seconds, engine, len(ranges), peak, outputs, summary)


def _check_options(engine: str, batch_size: int, drivers: str, budget: float | None, with_offers: bool) -> None:
    if engine not in ("local", "dask"):
        raise ConfigError(f"engine={engine!r}: expected 'local' or 'dask'")
    if batch_size < 1:
        raise ConfigError(f"batch_size={batch_size}: expected at least 1")
    if drivers not in ("all", "offered", "none"):
        raise ConfigError(f"drivers={drivers!r}: expected 'all', 'offered' or 'none'")
    if drivers == "offered" and not with_offers:
        raise ConfigError("drivers='offered' needs the offers: drop --no-offers, or explain 'all' or 'none'")
    if budget is not None and not with_offers:
        raise ConfigError("a budget plans a campaign of offers: drop --no-offers, or the budget")


def _run_local(
    plan: BatchPlan,
    ranges: list[tuple[int, int]],
    loaded: Any,
    options: BatchOptions,
    out_dir: Path,
    batch_size: int,
    threads: int,
    memory_limit: str,
    advance: Callable[[int], None],
    on_batch: BatchHook | None,
) -> list[PartResult]:
    """Score ``threads`` ranges at a time, each read on one DuckDB thread in id order.

    Scoring holds the GIL only part of the time (numpy, DuckDB and pyarrow release it), so a
    second range scored beside the first keeps both cores busy.
    """
    config = duckdb_config(memory_limit, 1)

    def hook(n: int) -> None:
        advance(n)
        if on_batch is not None:
            on_batch(n)

    def run(index: int) -> PartResult:
        return run_partition(
            plan, ranges[index], index, loaded, options, out_dir, batch_size=batch_size, config=config, on_batch=hook
        )

    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(ranges))), thread_name_prefix="oneclick-range") as pool:
        return list(pool.map(run, range(len(ranges))))


@contextmanager
def _progress_bar(show: bool, total: int) -> Iterator[Callable[[int], None]]:
    """A rich progress bar of customers scored, on stderr; a no-op when ``show`` is false."""
    if not show:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("scoring customers"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("score", total=total)
        yield lambda n: bar.advance(task, n)


def _summary(
    plan: BatchPlan,
    quality: DataQuality,
    parts: list[PartResult],
    engine: str,
    seconds: float,
    planned: float,
    peak: int,
    batch_size: int,
    options: BatchOptions,
    campaign: Any,
) -> dict[str, Any]:
    rows = sum(part.rows for part in parts)
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds) if seconds else None,
        "global_pass_seconds": round(planned, 2),
        "engine": engine,
        "partitions": len(parts),
        "batch_size": batch_size,
        "batches": sum(part.n_batches for part in parts),
        "largest_batch": max((part.largest_batch for part in parts), default=0),
        "peak_rss_bytes": peak,
        "options": {
            "with_offers": options.with_offers,
            "drivers": options.drivers,
            "reasons": options.reasons,
            "lang": options.lang,
            "with_contributions": options.with_contributions,
        },
        "thresholds": {"high_risk": plan.thresholds.high_risk, "high_profit": plan.thresholds.high_profit},
        # The summary of quality.json, without its lists of customers (millions, at this scale).
        "quality": {
            key: value
            for key, value in quality.as_dict().items()
            if key not in ("excluded", "inactive_customers", "revenue_outliers")
        },
        "learned_thresholds": plan.learned,
        "campaign": campaign.as_dict() if campaign is not None else None,
        "parts": [
            {
                "index": p.index,
                "ids": list(p.id_range),
                "rows": p.rows,
                "batches": p.n_batches,
                "seconds": round(p.seconds, 2),
            }
            for p in parts
        ],
    }


def _outputs(out_dir: Path, with_offers: bool, with_campaign: bool) -> dict[str, Path]:
    outputs = {
        "quality": out_dir / QUALITY_FILE,
        "quarantine": out_dir / QUARANTINE_FILE,
        "excluded": out_dir / EXCLUDED_FILE,
        "scores": out_dir / SCORES_DIR,
    }
    if with_offers:
        outputs["offers"] = out_dir / OFFERS_DIR
    if with_campaign:
        outputs["campaign"] = out_dir / CAMPAIGN_DIR
    outputs["batch"] = out_dir / BATCH_FILE
    return outputs
