"""The global pass: everything that depends on the whole data, computed once before any batch.

The tables are read and checked by ``oneclick.ingest.check_export``, the same road
``load_tables`` takes (one row per customer, chunk by chunk); from its files come the learned
segment and offer thresholds and the id quantiles that cut balanced ranges. The result is a
small frozen :class:`BatchPlan` naming the per-customer files, so every batch, on this machine
or on a Dask worker, reads the same rows and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from oneclick.batch.thresholds import compute_quantiles, needed_quantiles, resolve
from oneclick.features.build import customer_features_sql
from oneclick.ingest import CustomerFiles, DataQuality, Policy, check_export, create_customer_months
from oneclick.ingest.sqltext import literal
from oneclick.layout import WORK_DIR
from oneclick.offers import OfferCatalogue
from oneclick.segments import SegmentScheme, Thresholds

__all__ = ["BatchPlan", "plan_batch"]
_BOUNDS = 256  # id quantiles the plan keeps, to cut balanced ranges
_BOUND_SAMPLE = 65_536  # ids read (every k-th) to find them


@dataclass(frozen=True)
class BatchPlan:
    """What every batch needs to know about the whole data; small, frozen, picklable."""

    months: CustomerFiles  # the first pass's per-customer files, the customers left out, the fences
    id_bounds: tuple[int, ...]  # increasing ids from the smallest kept id to the largest, for balanced ranges
    customers_read: int
    customers_kept: int
    scheme: SegmentScheme  # learned values made concrete
    catalogue: OfferCatalogue
    thresholds: Thresholds
    learned: dict[str, float]  # "column@q" -> the quantile the scheme and catalogue learned


def plan_batch(
    data_dir: Path,
    out_dir: Path,
    *,
    policy: Policy,
    scheme: SegmentScheme,
    catalogue: OfferCatalogue,
    model_threshold: float | None,
    connection: duckdb.DuckDBPyConnection,
) -> tuple[BatchPlan, DataQuality]:
    """Check the four tables in ``data_dir`` and compute what every batch needs.

    The intermediate files (one row per customer, the quarantine, the exclusions) go to
    ``OUT/_work``. Raises :class:`InputDataError` as ``load_tables`` does.
    """
    checked = check_export(Path(data_dir), Path(out_dir) / WORK_DIR, policy, connection)
    create_customer_months(connection, checked.months)
    quantiles = compute_quantiles(customer_features_sql(connection), needed_quantiles(scheme, catalogue))
    resolved_scheme, resolved_catalogue, thresholds = resolve(scheme, catalogue, quantiles, model_threshold)
    plan = BatchPlan(
        checked.months,
        _id_bounds(connection, checked.months.customers_path),
        checked.quality.customers_read,
        checked.quality.customers_kept,
        resolved_scheme,
        resolved_catalogue,
        thresholds,
        {f"{column}@{q}": value for (column, q), value in quantiles.items()},
    )
    return plan, checked.quality


def _id_bounds(connection: duckdb.DuckDBPyConnection, customers: str) -> tuple[int, ...]:
    """The smallest and largest kept ids, and quantiles of every k-th id between them.

    The per-customer files are sorted by id, so every k-th row is an even sample: ranges cut
    at its quantiles hold about as many customers each, without sorting every id again.
    """
    low, high, n = connection.execute(
        "SELECT min(customer_id), max(customer_id), count(*) FROM customer_months"
    ).fetchall()[0]
    step = max(1, int(n) // _BOUND_SAMPLE)
    quantiles = ", ".join(str(k / _BOUNDS) for k in range(1, _BOUNDS))
    found = (
        connection.execute(
            f"SELECT quantile_disc(customer_id, [{quantiles}]) FROM read_parquet("
            f"{literal(customers)}, file_row_number = true) WHERE file_row_number % {step} = 0"
        ).fetchall()[0][0]
        or []
    )
    inside = sorted({int(b) for b in found if b is not None and low < b < high})
    return tuple(dict.fromkeys([int(low), *inside, int(high)]))
