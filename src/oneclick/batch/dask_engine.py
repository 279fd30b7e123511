"""The same batch job on a Dask cluster: one task per customer-id range.

Each task opens its own DuckDB over the same Parquet files, filtered by its id range, runs
:func:`oneclick.batch.partition.run_partition` and writes its own part files, so the results
are the local engine's. The model travels as the bytes of its three files (skops, background,
metrics) and is read back on the worker with :func:`oneclick.model.load_model`: the same
checksums and the same list of trusted types, never a pickled estimator.

The workers must see ``data_dir`` and ``out_dir`` at the same paths (one machine, or a shared
file system).
"""

from __future__ import annotations

import hashlib
import resource
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from oneclick.batch.partition import PartResult, duckdb_config, run_partition
from oneclick.batch.plan import BatchPlan
from oneclick.batch.score import BatchOptions
from oneclick.layout import BACKGROUND_FILE, METRICS_FILE, MODEL_FILE
from oneclick.model import LoadedModel, load_model

LOCAL_WORKERS = 2


@dataclass(frozen=True)
class ModelFiles:
    """A model folder as bytes: what the workers receive."""

    files: tuple[tuple[str, bytes], ...]

    @classmethod
    def read(cls, model_dir: Path) -> ModelFiles:
        return cls(
            tuple((name, (model_dir / name).read_bytes()) for name in (MODEL_FILE, BACKGROUND_FILE, METRICS_FILE))
        )

    @property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for name, data in self.files:
            digest.update(name.encode())
            digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()


def run_on_dask(
    plan: BatchPlan,
    model_dir: Path,
    ranges: list[tuple[int, int]],
    options: BatchOptions,
    out_dir: Path,
    *,
    scheduler: str | None,
    batch_size: int,
    memory_limit: str,
    on_part: Callable[[int], None],
) -> tuple[list[PartResult], int]:
    """Run every range as a task; returns the parts (in range order) and the workers' peak RSS in bytes.

    ``scheduler``: the address of a running scheduler, or ``None`` for a LocalCluster of two
    single-threaded worker processes, closed at the end.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    model = ModelFiles.read(model_dir)
    cluster = None
    if scheduler is None:
        # On loopback only, the dashboard on a free port: 8787 may be taken by another cluster.
        cluster = LocalCluster(
            n_workers=LOCAL_WORKERS,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        )
    try:
        with Client(cluster if cluster is not None else scheduler) as client:
            shared = client.scatter((plan, model, options), broadcast=True)
            config = duckdb_config(memory_limit, 1)
            futures = [
                client.submit(
                    _task,
                    shared,
                    id_range,
                    index,
                    str(out_dir),
                    batch_size,
                    config,
                    key=f"oneclick-range-{index}",
                    pure=False,
                )
                for index, id_range in enumerate(ranges)
            ]
            parts = []
            for future in as_completed(futures):
                part = future.result()
                parts.append(part)
                on_part(part.rows)
            peaks = client.run(_peak_rss)
    finally:
        if cluster is not None:
            cluster.close()
    return sorted(parts, key=lambda p: p.index), max(peaks.values(), default=0)


def _task(
    shared: tuple[BatchPlan, ModelFiles, BatchOptions],
    id_range: tuple[int, int],
    index: int,
    out_dir: str,
    batch_size: int,
    config: dict[str, object],
) -> PartResult:
    plan, model, options = shared
    loaded = _load(model)
    return run_partition(plan, id_range, index, loaded, options, Path(out_dir), batch_size=batch_size, config=config)


@lru_cache(maxsize=2)
def _load(model: ModelFiles) -> LoadedModel:
    """The model read back from its bytes with ``load_model`` (checksums, trusted types), once per worker."""
    with tempfile.TemporaryDirectory(prefix="oneclick-model-") as folder:
        for name, data in model.files:
            (Path(folder) / name).write_bytes(data)
        return load_model(Path(folder))


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
