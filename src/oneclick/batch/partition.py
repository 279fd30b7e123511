"""One customer-id range, start to end: its own DuckDB, batches of bounded size, its own part files.

The local engine runs the ranges one after the other; the Dask engine runs this same function
on its workers. Either way a range reads the global pass's per-customer files through the same
view, so a customer's results do not depend on the engine, the range or the batch size.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from oneclick.batch.plan import BatchPlan
from oneclick.batch.score import BatchOptions, BatchOutput, categories, score_batch
from oneclick.features.build import customer_features_sql
from oneclick.ingest import create_customer_months
from oneclick.layout import CANDIDATES_DIR, OFFERS_DIR, SCORES_DIR
from oneclick.model import LoadedModel

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


def run_partition(
    plan: BatchPlan,
    id_range: tuple[int, int],
    index: int,
    loaded: LoadedModel,
    options: BatchOptions,
    out_dir: Path,
    *,
    batch_size: int,
    config: dict[str, Any],
    on_batch: BatchHook | None = None,
) -> PartResult:
    """Score the kept customers with ids in ``id_range`` and write ``part-<index>.parquet`` files.

    DuckDB reads the next batch and pyarrow writes the last one while this thread scores the
    current one: both release the GIL, so they use the second core; at most three batches are
    in memory. ``on_batch`` is called with the size of every batch, after it is written.
    """
    started = time.perf_counter()
    sizes: list[int] = []
    with (
        connect(config) as connection,
        _PartWriters(out_dir, index) as writers,
        ThreadPoolExecutor(max_workers=2, thread_name_prefix="oneclick-batch") as pool,
    ):
        create_customer_months(connection, plan.months, id_range=id_range)
        reader = customer_features_sql(connection).to_arrow_reader(batch_size)
        reading = pool.submit(_next_batch, reader)
        writing: Future[int] | None = None
        while (batch := reading.result()) is not None:
            reading = pool.submit(_next_batch, reader)
            if batch.num_rows == 0:
                continue
            tables = _arrow_tables(score_batch(_customers(batch), loaded, plan, options))
            _written(writing, on_batch)
            writing = pool.submit(writers.write, tables, batch.num_rows)
            sizes.append(batch.num_rows)
        _written(writing, on_batch)
    return PartResult(index, id_range, sum(sizes), len(sizes), max(sizes, default=0), time.perf_counter() - started)


def _next_batch(reader: pa.RecordBatchReader) -> pa.RecordBatch | None:
    try:
        return reader.read_next_batch()
    except StopIteration:
        return None


def _written(writing: Future[int] | None, on_batch: BatchHook | None) -> None:
    """Wait for the batch being written, then tell ``on_batch`` its size."""
    if writing is None:
        return
    n = writing.result()
    if on_batch is not None:
        on_batch(n)


def _customers(batch: pa.RecordBatch) -> pd.DataFrame:
    """A batch of the customer table as pandas, indexed by customer id (categories stay categories).

    The categories are made Python strings (see :func:`oneclick.batch.score.categories`): as
    Arrow strings, the model's encoders convert every value of the column to a Python object
    again, a third of the time of ``predict_proba``.
    """
    frame = batch.to_pandas().set_index("customer_id")
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            values = frame[column].cat
            frame[column] = pd.Categorical.from_codes(values.codes, dtype=categories(values.categories))
    return frame


def _arrow_tables(output: BatchOutput) -> dict[str, pa.Table]:
    """The batch's frames as Arrow tables (here, as pandas holds the GIL; the writer thread does not)."""
    frames = {"scores": output.scores, "offers": output.offers, "candidates": output.candidates}
    tables = {}
    for name, frame in frames.items():
        if frame is None:
            continue
        table = pa.Table.from_pandas(frame.reset_index() if name != "candidates" else frame, preserve_index=False)
        # A text column with no text in this batch comes out as Arrow's null type: it is text.
        tables[name] = table.cast(
            pa.schema([f.with_type(pa.string()) if pa.types.is_null(f.type) else f for f in table.schema])
        )
    return tables


class _PartWriters:
    """One Parquet file per output of the range; a row group per batch; opened at the first batch."""

    def __init__(self, out_dir: Path, index: int) -> None:
        self._paths = {
            name: out_dir / folder / f"part-{index:05d}.parquet"
            for name, folder in (("scores", SCORES_DIR), ("offers", OFFERS_DIR), ("candidates", CANDIDATES_DIR))
        }
        self._writers: dict[str, pq.ParquetWriter] = {}

    def write(self, tables: dict[str, pa.Table], n_rows: int) -> int:
        """Append one batch's tables; returns ``n_rows``, the batch's customers."""
        for name, table in tables.items():
            if name not in self._writers:
                self._paths[name].parent.mkdir(parents=True, exist_ok=True)
                # Dictionaries only for the text columns: pyarrow tries one on every column,
                # and on the numbers it is half the time of writing, for a larger file.
                dictionary = [
                    f.name for f in table.schema if pa.types.is_dictionary(f.type) or pa.types.is_string(f.type)
                ]
                self._writers[name] = pq.ParquetWriter(
                    self._paths[name], table.schema, compression="zstd", use_dictionary=dictionary
                )
            self._writers[name].write_table(table.cast(self._writers[name].schema))
        return n_rows

    def __enter__(self) -> _PartWriters:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for writer in self._writers.values():
            writer.close()
