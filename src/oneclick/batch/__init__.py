"""Score and choose offers for millions of customers: DuckDB out of core, batch by batch, locally or on Dask.

>>> result = run_batch(Path("data"), Path("model"), Path("out"))  # doctest: +SKIP
>>> result.rows, result.seconds  # doctest: +SKIP
"""

from oneclick.batch.job import BatchResult, Engine, run_batch
from oneclick.batch.score import Drivers

__all__ = ["BatchResult", "Drivers", "Engine", "run_batch"]
