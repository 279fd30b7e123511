"""One customer-id range, start to end: its own DuckDB, batches of bounded size, its own part files.

The local engine runs the ranges one after the other; the Dask engine runs this same function
on its workers. Either way a range reads the same Parquet files through the same views, so a
customer's results do not depend on the engine, the range or the batch size.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from oneclick.batch.customers import create_customer_views, customer_table
from oneclick.batch.plan import BatchPlan
from oneclick.batch.score import BatchOptions, BatchOutput, score_batch
from oneclick.model import LoadedModel

SCORES_DIR = "scores"
OFFERS_DIR = "offers"
CANDIDATES_DIR = "_work/candidates"
BatchHook = Callable[[int], None]


@dataclass(frozen=True)
class PartResult:
    """What one range did: customers scored, batches and their largest size, seconds."""

    index: int
    id_range: tuple[int, int]
    rows: int
    n_batches: int
    largest_batch: int
    seconds: float


def duckdb_config(memory_limit: str, threads: int) -> dict[str, Any]:
    """DuckDB settings of every connection: bounded memory and threads, rows in query order."""
    return {"memory_limit": memory_limit, "threads": threads, "preserve_insertion_order": True}


def connect(config: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with ``config``, and without its own progress bar (ours is on stderr)."""
    connection = duckdb.connect(config=config)
    connection.execute("SET enable_progress_bar = false")
    return connection


def run_partition(plan: BatchPlan, id_range: tuple[int, int], index: int, loaded: LoadedModel,
                  options: BatchOptions, out_dir: Path, *, batch_size: int, config: dict[str, Any],
                  on_batch: BatchHook | None = None) -> PartResult:
    """Score the kept customers with ids in ``id_range`` and write ``part-<index>.parquet`` files.

    ``on_batch`` is called with the size of every batch, after it is written.
    """
    started = time.perf_counter()
    rows = n_batches = largest = 0
    with connect(config) as connection, _PartWriters(out_dir, index) as writers:
        create_customer_views(connection, plan.sources, plan.value_maps, fences=plan.fences,
                              cap_outliers=plan.cap_outliers, deduplicate=plan.deduplicate,
                              kept_path=plan.kept_path, id_range=id_range)
        for batch in customer_table(connection).to_arrow_reader(batch_size):
            if batch.num_rows == 0:
                continue
            table = _customers(batch)
            writers.write(score_batch(table, loaded, plan, options))
            rows += batch.num_rows
            n_batches += 1
            largest = max(largest, batch.num_rows)
            if on_batch is not None:
                on_batch(batch.num_rows)
    return PartResult(index, id_range, rows, n_batches, largest, time.perf_counter() - started)


def _customers(batch: pa.RecordBatch) -> pd.DataFrame:
    """A batch of the customer table as pandas, indexed by customer id (categories stay categories)."""
    return batch.to_pandas().set_index("customer_id")


class _PartWriters:
    """One Parquet file per output of the range; a row group per batch; opened at the first batch."""

    def __init__(self, out_dir: Path, index: int) -> None:
        self._paths = {name: out_dir / folder / f"part-{index:05d}.parquet"
                       for name, folder in (("scores", SCORES_DIR), ("offers", OFFERS_DIR),
                                            ("candidates", CANDIDATES_DIR))}
        self._writers: dict[str, pq.ParquetWriter] = {}

    def write(self, output: BatchOutput) -> None:
        frames = {"scores": output.scores, "offers": output.offers, "candidates": output.candidates}
        for name, frame in frames.items():
            if frame is None:
                continue
            table = pa.Table.from_pandas(frame.reset_index() if name != "candidates" else frame,
                                         preserve_index=False)
            # A text column with no text in this batch comes out as Arrow's null type: it is text.
            table = table.cast(pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                                          for f in table.schema]))
            if name not in self._writers:
                self._paths[name].parent.mkdir(parents=True, exist_ok=True)
                self._writers[name] = pq.ParquetWriter(self._paths[name], table.schema, compression="zstd")
            self._writers[name].write_table(table.cast(self._writers[name].schema))

    def __enter__(self) -> _PartWriters:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for writer in self._writers.values():
            writer.close()
