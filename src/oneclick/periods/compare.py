"""Compare two periods: drift, label shift, predictions, customers, model decay, and the verdict.

Both periods become customer tables in Parquet (:mod:`~oneclick.periods.sources`); DuckDB counts
their values for the drift tests (:mod:`~oneclick.periods.drift`); the model scores them batch by
batch (:mod:`~oneclick.periods.scoring`); the shifts, the decay and the verdict are computed from
the scores. Memory is bounded by DuckDB's ``memory_limit``, the batch size and a few numbers per
customer (the probabilities and labels the decay's bootstrap needs), never by both periods' tables.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from oneclick.ingest import Policy
from oneclick.ingest.sqltext import literal
from oneclick.model import LoadedModel
from oneclick.periods.decay import estimated_decay, promised_figures, realised_decay
from oneclick.periods.drift import DATASET_DRIFT_SHARE, data_drift, load_query
from oneclick.periods.metrics import BOOTSTRAP_REPLICATES
from oneclick.periods.result import PeriodComparison
from oneclick.periods.scoring import learn_grid, score_period
from oneclick.periods.shifts import label_shift, migration, movements, prediction_drift
from oneclick.periods.sources import locate, read_period
from oneclick.periods.stattests import ALPHA, DISTANCE_THRESHOLD, SMALL_SAMPLE
from oneclick.periods.verdict import ALPHA as DECAY_ALPHA
from oneclick.periods.verdict import AUC_TOLERANCE, BRIER_TOLERANCE, FALL_Z, decide

Progress = Callable[[str, int, int], None]
_STEPS = ("read OLD", "read NEW", "drift", "score", "decay")


def compare_periods(
    old: str | Path,
    new: str | Path,
    *,
    model: LoadedModel,
    model_id: str | None = None,
    model_source: str = "",
    store: Path | None = None,
    use_labels: bool = True,
    seed: int = 0,
    policy: Policy | None = None,
    memory_limit: str = "1GB",
    threads: int = 2,
    batch_size: int = 100_000,
    work_dir: Path | None = None,
    progress: Progress | None = None,
) -> PeriodComparison:
    """Compare the last period ``old`` with the new one ``new`` under ``model``.

    Parameters
    ----------
    old, new : a data folder (the store's four tables) or a run id in ``store``.
    model : the model whose predictions of ``old`` are judged (the champion, or a model folder).
    model_id, model_source : how the result names the model.
    store : the store of runs that run ids are looked up in.
    use_labels : ``False`` treats ``new`` as unlabelled: the decay is estimated, the label shift skipped.
    seed : the bootstrap's seed.
    policy : how both exports' imperfect data are treated (as ``load_tables``).
    memory_limit, threads : DuckDB's limits.
    batch_size : customers scored at a time.
    work_dir : where the periods' tables go (default: a temporary folder, removed).

    Raises
    ------
    InputDataError : a period is neither a folder nor a run, or its tables cannot be read.
    ModelArtifactError : the data does not fit the model.
    """
    seconds: dict[str, float] = {}
    config: dict[str, Any] = {"memory_limit": memory_limit, "threads": threads}
    with ExitStack() as stack:
        work = Path(work_dir) if work_dir is not None else Path(stack.enter_context(_temporary()))
        clock = partial(_timed, seconds, progress)
        for source, name in ((old, "OLD"), (new, "NEW")):
            locate(source, name, store)  # both named wrongly: say so before reading either
        with clock("read OLD"):
            old_period = read_period(old, "OLD", work, store=store, policy=policy or Policy(), config=config)
        with clock("read NEW"):
            new_period = read_period(new, "NEW", work, store=store, policy=policy or Policy(), config=config)
        connection = stack.enter_context(duckdb.connect(config=config))
        connection.execute("SET enable_progress_bar = false")
        _view(connection, "old_customers", old_period.customers_path)
        _view(connection, "new_customers", new_period.customers_path)
        with clock("drift"):
            drift = data_drift(connection, "old_customers", "new_customers")
        with clock("score"):
            grid = learn_grid(connection, "old_customers", model.threshold)
            for name in ("old", "new"):
                path = score_period(
                    connection, f"{name}_customers", model, grid, work / f"{name}_scores.parquet", batch_size=batch_size
                )
                _view(connection, f"{name}_scores", path)
            labels = label_shift(connection, model.threshold) if use_labels else _no_labels()
            predictions = prediction_drift(connection)
            customers = movements(connection)
            migrations = migration(connection, grid.segment_names)
        with clock("decay"):
            decay = _decay(connection, model, use_labels, seed)
    verdict = decide(drift, labels, predictions, decay)
    return PeriodComparison(
        old=old_period,
        new=new_period,
        model=_model_record(model, model_id, model_source),
        drift=drift,
        label_shift=labels,
        prediction_drift=predictions,
        customers=customers,
        migration=migrations,
        decay=decay,
        verdict=verdict,
        settings=_settings(seed, use_labels, grid.thresholds.high_profit),
        seconds=seconds,
    )


def _decay(connection: duckdb.DuckDBPyConnection, model: LoadedModel, use_labels: bool, seed: int) -> Any:
    promised = promised_figures(model.metrics)
    if use_labels:
        pairs = connection.execute(load_query("pairs")).fetchnumpy()
        if len(pairs["customer_id"]):
            return realised_decay(
                np.asarray(pairs["probability_old"]),
                np.asarray(pairs["declined_new"]),
                model.threshold,
                promised,
                seed=seed,
            )
    probability = connection.execute("SELECT decline_probability FROM new_scores").fetchnumpy()["decline_probability"]
    return estimated_decay(np.asarray(probability), model.threshold, promised, seed=seed)


def _no_labels() -> dict[str, Any]:
    return {"shifted": None, "test": None, "reason": "NEW's labels not used (no labels)"}


def _model_record(model: LoadedModel, model_id: str | None, source: str) -> dict[str, Any]:
    return {
        "model_id": model_id,
        "source": source,
        "best_model": model.metrics.get("best_model"),
        "threshold": model.threshold,
        "data_fingerprint": model.metadata.get("data_fingerprint"),
    }


def _settings(seed: int, use_labels: bool, high_profit: float) -> dict[str, Any]:
    return {
        "seed": seed,
        "use_labels": use_labels,
        "alpha": ALPHA,
        "distance_threshold": DISTANCE_THRESHOLD,
        "small_sample_rows": SMALL_SAMPLE,
        "dataset_drift_share": DATASET_DRIFT_SHARE,
        "bootstrap_replicates": BOOTSTRAP_REPLICATES,
        "auc_tolerance": AUC_TOLERANCE,
        "auc_fall_z": FALL_Z,
        "brier_tolerance": BRIER_TOLERANCE,
        "decay_alpha": DECAY_ALPHA,
        "grid": {"high_profit_from_old": round(float(high_profit), 6), "high_risk": "the model's threshold"},
    }


def _view(connection: duckdb.DuckDBPyConnection, name: str, path: str) -> None:
    connection.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({literal(path)})")


def _temporary() -> Any:
    return tempfile.TemporaryDirectory(prefix="oneclick-compare-")


@contextmanager
def _timed(seconds: dict[str, float], progress: Progress | None, step: str) -> Iterator[None]:
    """Time one step into ``seconds``; tell ``progress`` how many steps are done."""
    started = time.perf_counter()
    yield
    seconds[step] = time.perf_counter() - started
    if progress is not None:
        progress("compare", len(seconds), len(_STEPS))
