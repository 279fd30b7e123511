"""Score and choose offers for millions of customers: DuckDB out of core, batch by batch, locally or on Dask.

>>> result = run_batch(Path("data"), Path("model"), Path("out"))  # doctest: +SKIP
>>> result.rows, result.seconds  # doctest: +SKIP
"""

from oneclick.batch.job import BatchResult, Engine, run_batch
from oneclick.batch.score import BatchOptions, Drivers, ScoringRules, assign_batch_segments, score_batch
from oneclick.batch.thresholds import compute_quantiles, needed_quantiles, resolve

__all__ = [
    "BatchOptions",
    "BatchResult",
    "Drivers",
    "Engine",
    "ScoringRules",
    "assign_batch_segments",
    "compute_quantiles",
    "needed_quantiles",
    "resolve",
    "run_batch",
    "score_batch",
]
