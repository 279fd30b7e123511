"""The global pass: everything that depends on the whole data, computed once in DuckDB.

The tables are read and checked once (:mod:`oneclick.batch.status`: one row per customer);
from those rows come the quarantine, duplicate keys, the customers missing a table or a
month, inactive customers, the revenue outlier fences (Q3 + factor x IQR per month,
``quantile_cont`` like pandas' linear quantiles) and the learned segment and offer thresholds.
The result is a small frozen :class:`BatchPlan` naming the per-customer files, so every batch,
on this machine or on a Dask worker, reads the same rows and numbers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from oneclick.batch.customers import create_customer_months, customer_table
from oneclick.batch.quarantine import find_duplicates, write_quarantine
from oneclick.batch.sources import (
    TableSource,
    ValueMap,
    decimal_comma_fixes,
    find_sources,
    learn_value_maps,
    literal,
    read_expression,
)
from oneclick.batch.status import load_sql, valid_rows, write_customer_status
from oneclick.batch.thresholds import compute_quantiles, needed_quantiles, resolve
from oneclick.config import Settings
from oneclick.errors import InputDataError
from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, TABLES, russian_value
from oneclick.ingest.normalise import Fix
from oneclick.ingest.outliers import MIN_VALUES_FOR_FENCE, OUTLIER_COLUMNS
from oneclick.offers import OfferCatalogue
from oneclick.segments import SegmentScheme, Thresholds

__all__ = ["EXCLUDED_DIR", "QUARANTINE_DIR", "BatchPlan", "load_sql", "plan_batch"]
logger = logging.getLogger(__name__)
EXCLUDED_DIR = "excluded"
QUARANTINE_DIR = "quarantine"
_EXAMPLES = 5
_BOUNDS = 256  # id quantiles the plan keeps, to cut balanced ranges
_BOUND_SAMPLE = 65_536  # ids read (every k-th) to find them


@dataclass(frozen=True)
class BatchPlan:
    """What every batch needs to know about the whole data; small, frozen, picklable."""

    sources: dict[str, TableSource]
    value_maps: dict[tuple[str, str], ValueMap]
    fences: dict[str, float]  # period -> revenue above which a value is an outlier
    cap_outliers: bool
    customers_path: str  # the first pass's per-customer files (a glob)
    excluded_path: str  # the customers left out (Parquet)
    id_bounds: tuple[int, ...]  # increasing ids from the smallest kept id to the largest, for balanced ranges
    customers_read: int
    customers_kept: int
    scheme: SegmentScheme  # learned values made concrete
    catalogue: OfferCatalogue
    thresholds: Thresholds
    quality: dict[str, Any] = field(default_factory=dict)


def plan_batch(
    data_dir: Path,
    out_dir: Path,
    *,
    settings: Settings,
    scheme: SegmentScheme,
    catalogue: OfferCatalogue,
    model_threshold: float | None,
    connection: duckdb.DuckDBPyConnection,
) -> BatchPlan:
    """Check the four tables in ``data_dir`` and compute what every batch needs.

    Writes ``OUT/quarantine/`` (rows that failed checks, with the reason), ``OUT/excluded/``
    (customers left out, with the reason) and ``OUT/_work/customers/`` (one row per customer).

    Raises :class:`InputDataError` as ``load_tables`` does: an empty table, too many bad rows
    (or any, with ``bad_rows='fail'``), or no customer left.
    """
    sources = find_sources(data_dir)
    value_maps = learn_value_maps(connection, sources)
    rows_read = {
        name: connection.execute(f"SELECT count(*) FROM {read_expression(s)}").fetchall()[0][0]
        for name, s in sources.items()
    }
    for name, n in rows_read.items():
        if n == 0:
            raise InputDataError(f"{sources[name].file}: the file has a header but no data rows")
    customers = write_customer_status(connection, sources, value_maps, rows_read, out_dir)
    valid = valid_rows(connection, customers)
    connection.execute(
        f"CREATE OR REPLACE TEMP VIEW customer_status AS SELECT * FROM read_parquet({literal(customers)})"
    )
    duplicates = find_duplicates(connection, sources, customers)
    quarantined = write_quarantine(
        connection, sources, rows_read, valid, duplicates, out_dir / QUARANTINE_DIR, settings
    )
    fences = _fences(connection, settings.outlier_iqr_factor)
    outliers = _outliers(connection, fences, settings)
    excluded_path = out_dir / EXCLUDED_DIR / "part-0.parquet"
    summary = _exclusions(connection, sources, quarantined, outliers, settings, out_dir)
    create_customer_months(
        connection, customers, str(excluded_path), fences=fences, cap_outliers=settings.outlier_policy == "cap"
    )
    quantiles = compute_quantiles(customer_table(connection), needed_quantiles(scheme, catalogue))
    resolved_scheme, resolved_catalogue, thresholds = resolve(scheme, catalogue, quantiles, model_threshold)
    bounds = _id_bounds(connection, customers)
    repairs = _repairs(value_maps, decimal_comma_fixes(connection, sources))
    _announce(repairs, outliers, summary)
    quality = summary | {
        "sources": [
            {
                "table": s.name,
                "file": s.file,
                "format": s.kind,
                "rows_read": int(rows_read[n]),
                "rows_quarantined": int(quarantined.get(s.file, 0)),
            }
            for n, s in sources.items()
        ],
        "fixes": [fix.as_dict() for fix in repairs],
        "revenue_fences": fences,
        "revenue_outliers": {"n": len(outliers), "examples": outliers.head(20).to_dict("records")},
        "learned_thresholds": [{"column": c, "quantile": q, "value": v} for (c, q), v in quantiles.items()],
        "policy": {
            "inactive": settings.inactive_policy,
            "outliers": settings.outlier_policy,
            "outlier_iqr_factor": settings.outlier_iqr_factor,
            "bad_rows": settings.bad_rows,
        },
    }
    return BatchPlan(
        sources,
        value_maps,
        fences,
        settings.outlier_policy == "cap",
        customers,
        str(excluded_path),
        bounds,
        int(summary["customers_read"]),
        int(summary["customers_kept"]),
        resolved_scheme,
        resolved_catalogue,
        thresholds,
        quality,
    )


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


def _fences(connection: duckdb.DuckDBPyConnection, factor: float) -> dict[str, float]:
    """Per month, Q3 + factor x IQR of the active (non-zero) revenues, where there are enough of them."""
    parts = ", ".join(
        f"quantile_cont(revenue_{p}, [0.25, 0.75]) FILTER (WHERE revenue_{p} > 0), "
        f"count(revenue_{p}) FILTER (WHERE revenue_{p} > 0)"
        for p in MARKET_MONEY.periods
    )
    row = connection.execute(f"SELECT {parts} FROM customer_status").fetchall()[0]
    fences = {}
    for k, period in enumerate(MARKET_MONEY.periods):
        quartiles, n = row[2 * k], row[2 * k + 1]
        if n >= MIN_VALUES_FOR_FENCE:
            q1, q3 = quartiles
            fences[period] = q3 + factor * (q3 - q1)
    return fences


def _outliers(connection: duckdb.DuckDBPyConnection, fences: dict[str, float], settings: Settings) -> pd.DataFrame:
    action = {"cap": "capped", "exclude": "customer excluded", "keep": "kept as is"}[settings.outlier_policy]
    if not fences:
        return pd.DataFrame(columns=OUTLIER_COLUMNS)
    parts = " UNION ALL ".join(
        f"SELECT customer_id, {literal(p)} AS period, revenue_{p} AS revenue, {literal(f)} AS threshold, {k} AS k "
        f"FROM customer_status WHERE revenue_{p} > {literal(f)}"
        for k, (p, f) in enumerate(fences.items())
    )
    found = connection.sql(f"SELECT * FROM ({parts}) ORDER BY customer_id, k").df()
    found["threshold"] = found["threshold"].round(1)
    return found.assign(action=action)[OUTLIER_COLUMNS]


def _exclusions(
    connection: duckdb.DuckDBPyConnection,
    sources: dict[str, TableSource],
    quarantined: dict[str, int],
    outliers: pd.DataFrame,
    settings: Settings,
    out_dir: Path,
) -> dict[str, Any]:
    """Write who is left out and why; the counts for ``batch.json``."""
    reasons = pd.DataFrame({"customer_id": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype=object)})
    if settings.outlier_policy == "exclude" and len(outliers):
        first = outliers.drop_duplicates("customer_id")
        reasons = pd.DataFrame(
            {
                "customer_id": first["customer_id"].to_numpy(dtype="int64"),
                "reason": [
                    f"revenue outlier {r.revenue:,.1f} in '{russian_value('period', r.period)}' "
                    f"(above {r.threshold:,.1f})"
                    for r in first.itertuples()
                ],
            }
        )
    connection.register("outlier_exclusions", reasons)
    query = load_sql("exclusions").format(
        missing_reasons=_missing_reasons(sources, quarantined),
        inactive_months=_inactive_months(),
        exclude_inactive=literal(settings.inactive_policy == "exclude"),
    )
    connection.execute(f"CREATE OR REPLACE TEMP TABLE exclusions AS {query}")
    connection.unregister("outlier_exclusions")
    (out_dir / EXCLUDED_DIR).mkdir(parents=True, exist_ok=True)
    connection.execute(
        f"COPY (SELECT customer_id, reason FROM exclusions WHERE reason IS NOT NULL "
        f"ORDER BY customer_id) TO {literal(str(out_dir / EXCLUDED_DIR / 'part-0.parquet'))} "
        "(FORMAT parquet)"
    )
    read, kept, inactive = connection.execute(
        "SELECT count(*), count(*) FILTER (WHERE reason IS NULL), count(*) FILTER (WHERE is_inactive) FROM exclusions"
    ).fetchall()[0]
    if kept == 0:
        raise InputDataError(
            "no customer is left after the checks; see the reasons in "
            f"{out_dir / EXCLUDED_DIR} and {out_dir / QUARANTINE_DIR}"
        )
    examples = connection.execute(
        f"SELECT customer_id, reason FROM exclusions WHERE reason IS NOT NULL ORDER BY customer_id LIMIT {_EXAMPLES}"
    ).fetchall()
    return {
        "customers_read": int(read),
        "customers_kept": int(kept),
        "customers_excluded": int(read - kept),
        "inactive_customers": int(inactive),
        "excluded_examples": [{"id": int(i), "reason": str(r)} for i, r in examples],
        "quarantined_rows": int(sum(quarantined.values())),
        "quarantine_by_file": quarantined,
    }


def _missing_reasons(sources: dict[str, TableSource], quarantined: dict[str, int]) -> str:
    """SQL for the "no row in ..." reasons of load_tables, one per table and month, in table order."""
    parts = []
    for name, layout in TABLES.items():
        file = sources[name].file
        note = " (a row of it was quarantined)" if quarantined.get(file) else ""
        if not layout.periods:
            count = "n_market_file_rows" if name == MARKET_FILE.name else "n_money_rows"
            parts.append(f"CASE WHEN {count} = 0 THEN {literal(f'no row in {file}{note}')} END")
            continue
        for period in layout.periods:
            present = f"revenue_{period} IS NOT NULL" if name == MARKET_MONEY.name else f"has_minutes_{period}"
            reason = f"no row for period '{russian_value('period', period)}' in {file}{note}"
            parts.append(f"CASE WHEN NOT ({present}) THEN {literal(reason)} END")
    return ", ".join(parts)


def _inactive_months() -> str:
    """SQL for the months of zero revenue, as load_tables lists them (sorted by English name, in Russian)."""
    months = sorted(MARKET_MONEY.periods)
    parts = ", ".join(f"CASE WHEN revenue_{p} = 0 THEN {literal(russian_value('period', p))} END" for p in months)
    return f"concat_ws(', ', {parts})"


def _repairs(value_maps: dict[tuple[str, str], ValueMap], decimal: list[Fix]) -> list[Fix]:
    """Every repair, in table then column order (as load_tables lists them)."""
    fixes = [f for m in value_maps.values() for f in m.fixes] + decimal
    tables = list(TABLES)

    def position(fix: Fix) -> tuple[int, int]:
        columns = list(TABLES[fix.table].columns.values())
        return tables.index(fix.table), columns.index(fix.column)

    return sorted(fixes, key=position)


def _announce(repairs: list[Fix], outliers: pd.DataFrame, summary: dict[str, Any]) -> None:
    """Repairs and exclusions as warnings with counts, as load_tables announces them."""
    for fix in repairs:
        logger.warning("%s: %s %r -> %r in %d cells", fix.table, fix.column, fix.before, fix.after, fix.count)
    if len(outliers):
        logger.warning("%d revenue outliers above the monthly fences: %s", len(outliers), outliers["action"].iloc[0])
    if summary["quarantined_rows"]:
        logger.warning("%d rows quarantined with their reasons", summary["quarantined_rows"])
    if summary["customers_excluded"]:
        logger.warning(
            "%d customers excluded: %s",
            summary["customers_excluded"],
            "; ".join(f"{e['id']} ({e['reason']})" for e in summary["excluded_examples"]),
        )
