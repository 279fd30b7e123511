"""The first pass: each table read and checked once, one row per customer, chunk by chunk.

The four tables are grouped by customer id in DuckDB: how many valid rows each customer has
in each table and month (what the exclusions and the duplicate checks need) and their values
side by side (what the features need). Grouping ten million ids at once (within 2 GB) spilled
a GB to disk and took twice as long, so the ids are cut into chunks of about a million
customers, each grouped on its own and written sorted by id to ``<work>/customers/part-<k>.parquet``.
Every later step (fences, exclusions, the customers' months; in the batch engine the thresholds
and the batches, here or on Dask workers) reads these files rather than the raw tables again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from oneclick.ingest.cells import IdRange, create_views, schema_columns
from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, MARKET_TIME, TABLES
from oneclick.ingest.raw import RawTable
from oneclick.ingest.sqltext import literal, load_sql
from oneclick.ingest.values import ValueMap

# About a million customers per chunk keeps DuckDB's hash tables for one chunk well under a GB.
CUSTOMERS_PER_CHUNK = 1_000_000
_ID_SAMPLE = 100_000  # ids read (every k-th line of market_file) to cut the chunks
FILE_VALUES = tuple(c for c in schema_columns(MARKET_FILE.name) if c != "customer_id")
ROW_COUNTS = {name: f"n_{name}_rows" for name in TABLES}  # valid rows per customer and table


def write_customer_status(
    connection: duckdb.DuckDBPyConnection,
    raws: Mapping[str, RawTable],
    value_maps: Mapping[tuple[str, str], ValueMap],
    rows_read: Mapping[str, int],
    folder: Path,
) -> str:
    """Write one row per customer id (see ``sql/customer_status.sql``); returns the files' glob.

    Chunks run side by side, as many as ``connection`` has threads, each on its own DuckDB with
    one thread and ``connection``'s memory limit: two threads sharing one hash aggregate each
    build a table and then merge them, about a quarter more CPU than one thread per chunk.
    Leaves the unfiltered ``typed_``, ``checked_`` and ``problems_`` views on ``connection``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    create_views(connection, raws, value_maps)
    chunks = _chunks(connection, rows_read)
    query = status_query()
    if len(chunks) == 1:
        connection.execute(f"COPY ({query}) TO {literal(str(folder / 'part-00000.parquet'))} (FORMAT parquet)")
        return str(folder / "*.parquet")
    memory_limit, threads = connection.execute(
        "SELECT current_setting('memory_limit'), current_setting('threads')"
    ).fetchall()[0]
    config = {"memory_limit": memory_limit, "threads": 1}

    def write_chunk(index: int) -> None:
        with duckdb.connect(config=config) as chunk_connection:
            chunk_connection.execute("SET enable_progress_bar = false")
            create_views(chunk_connection, raws, value_maps, id_range=chunks[index])
            path = folder / f"part-{index:05d}.parquet"
            chunk_connection.execute(f"COPY ({query}) TO {literal(str(path))} (FORMAT parquet)")

    with ThreadPoolExecutor(max_workers=max(1, min(int(threads), len(chunks)))) as pool:
        list(pool.map(write_chunk, range(len(chunks))))
    return str(folder / "*.parquet")


def valid_rows(connection: duckdb.DuckDBPyConnection, customers: str) -> dict[str, int]:
    """Rows of each table that passed the checks, summed over the customers' files."""
    sums = ", ".join(f"coalesce(sum({count}), 0)" for count in ROW_COUNTS.values())
    row = connection.execute(f"SELECT {sums} FROM read_parquet({literal(customers)})").fetchall()[0]
    return {name: int(n) for name, n in zip(ROW_COUNTS, row, strict=True)}


def status_query() -> str:
    """The query of ``sql/customer_status.sql`` for the store's tables, months and columns."""
    revenue, minutes, status = [], [], []
    for period in MARKET_MONEY.periods:
        only = f"FILTER (WHERE period = {literal(period)})"
        revenue += [
            f"count(*) {only} AS n_revenue_{period}",
            # Rows of one month that disagree leave no revenue, as load_tables quarantines them all.
            f"CASE WHEN min(revenue) {only} = max(revenue) {only} THEN min(revenue) {only} END AS revenue_{period}",
        ]
        status += [f"coalesce(n_revenue_{period}, 0) AS n_revenue_{period}", f"revenue_{period}"]
    for period in MARKET_TIME.periods:
        only = f"FILTER (WHERE period = {literal(period)})"
        agree = f"min(minutes) {only} = max(minutes) {only}"
        minutes += [
            f"count(*) {only} AS n_minutes_{period}",
            f"coalesce({agree}, FALSE) AS has_minutes_{period}",
            f"CASE WHEN {agree} THEN min(minutes) {only} END AS minutes_{period}",
        ]
        status += [
            f"coalesce(n_minutes_{period}, 0) AS n_minutes_{period}",
            f"coalesce(has_minutes_{period}, FALSE) AS has_minutes_{period}",
            f"minutes_{period}",
        ]
    return load_sql("customer_status").format(
        file_values=", ".join(f"any_value({c}) AS {c}" for c in FILE_VALUES),
        revenue_aggregates=", ".join(revenue),
        minutes_aggregates=", ".join(minutes),
        status_columns=", ".join(status),
        file_columns=", ".join(FILE_VALUES),
    )


def _chunks(connection: duckdb.DuckDBPyConnection, rows_read: Mapping[str, int]) -> list[IdRange]:
    """Id ranges of about ``CUSTOMERS_PER_CHUNK`` customers each, covering every possible id.

    Cut at quantiles of every k-th id of market_file: cheap, and as balanced as the ids are
    spread. Unsorted Parquet files, or CSV, are read once per chunk; sorted Parquet files
    skip the row groups outside a chunk.
    """
    customers = max(rows_read[name] / max(len(layout.periods), 1) for name, layout in TABLES.items())
    n_chunks = int(-(-customers // CUSTOMERS_PER_CHUNK))
    if n_chunks <= 1:
        return [(None, None)]
    step = max(1, rows_read[MARKET_FILE.name] // _ID_SAMPLE)
    quantiles = ", ".join(str(k / n_chunks) for k in range(1, n_chunks))
    found = (
        connection.execute(
            f"SELECT quantile_disc(_v_customer_id, [{quantiles}]) FROM typed_{MARKET_FILE.name} WHERE line % {step} = 0"
        ).fetchall()[0][0]
        or []
    )
    cuts = sorted({int(c) for c in found if c is not None and math.isfinite(c)})  # a bad id may read as NaN
    if not cuts:
        return [(None, None)]
    starts: list[int | None] = [None, *cuts]
    ends: list[int | None] = [c - 1 for c in cuts] + [None]
    return list(zip(starts, ends, strict=True))
