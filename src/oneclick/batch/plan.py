"""The global pass: everything that depends on the whole data, computed once in DuckDB.

Checks and quarantine, duplicate keys, the customers missing a table or a month, inactive
customers, the revenue outlier fences (Q3 + factor x IQR per month, ``quantile_cont`` like
pandas' linear quantiles) and the learned segment and offer thresholds. The result is a small
frozen :class:`BatchPlan` (the kept customer ids go to a Parquet file), so every batch, on this
machine or on a Dask worker, reads the same numbers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from oneclick.batch.customers import create_customer_views, customer_table
from oneclick.batch.sources import (
    QUARANTINE_COLUMNS,
    TableSource,
    ValueMap,
    decimal_comma_fixes,
    find_sources,
    learn_value_maps,
    literal,
    read_expression,
)
from oneclick.batch.thresholds import compute_quantiles, needed_quantiles, resolve
from oneclick.config import Settings
from oneclick.errors import InputDataError
from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, MARKET_TIME, MONEY, TABLES, russian_value
from oneclick.ingest.normalise import Fix
from oneclick.ingest.outliers import MIN_VALUES_FOR_FENCE, OUTLIER_COLUMNS
from oneclick.offers import OfferCatalogue
from oneclick.segments import SegmentScheme, Thresholds
from oneclick.segments.conditions import PROFIT

logger = logging.getLogger(__name__)
KEPT_FILE = "kept_customers.parquet"
EXCLUDED_DIR = "excluded"
QUARANTINE_DIR = "quarantine"
_EXAMPLES = 5


@dataclass(frozen=True)
class BatchPlan:
    """What every batch needs to know about the whole data; small, frozen, picklable."""

    sources: dict[str, TableSource]
    value_maps: dict[tuple[str, str], ValueMap]
    fences: dict[str, float]  # period -> revenue above which a value is an outlier
    cap_outliers: bool
    deduplicate: tuple[str, ...]  # tables with exact repeats of a row (first copy kept)
    kept_path: str
    id_bounds: tuple[int, ...]  # quantiles of the kept ids, for balanced id ranges
    customers_read: int
    customers_kept: int
    scheme: SegmentScheme  # learned values made concrete
    catalogue: OfferCatalogue
    thresholds: Thresholds
    quality: dict[str, Any] = field(default_factory=dict)


def load_sql(name: str) -> str:
    """The text of one query in ``oneclick/batch/sql``."""
    return files("oneclick.batch").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def plan_batch(data_dir: Path, out_dir: Path, *, settings: Settings, scheme: SegmentScheme,
               catalogue: OfferCatalogue, model_threshold: float | None,
               connection: duckdb.DuckDBPyConnection) -> BatchPlan:
    """Check the four tables in ``data_dir`` and compute what every batch needs.

    Writes ``OUT/quarantine/`` (rows that failed checks, with the reason), ``OUT/excluded/``
    (customers left out, with the reason) and ``OUT/_work/kept_customers.parquet``.

    Raises :class:`InputDataError` as ``load_tables`` does: an empty table, too many bad rows
    (or any, with ``bad_rows='fail'``), or no customer left.
    """
    sources = find_sources(data_dir)
    value_maps = learn_value_maps(connection, sources)
    create_customer_views(connection, sources, value_maps, fences={}, cap_outliers=False)
    rows_read = {name: connection.execute(f"SELECT count(*) FROM {read_expression(s)}").fetchall()[0][0]
                 for name, s in sources.items()}
    for name, n in rows_read.items():
        if n == 0:
            raise InputDataError(f"{sources[name].file}: the file has a header but no data rows")
    connection.execute(f"CREATE OR REPLACE TEMP TABLE customer_status AS {_status_query()}")
    duplicates, deduplicate = _duplicates(connection, sources)
    quarantined = _write_quarantine(connection, sources, rows_read, duplicates, out_dir / QUARANTINE_DIR, settings)
    fences = _fences(connection, settings.outlier_iqr_factor)
    outliers = _outliers(connection, fences, settings)
    kept_path = out_dir / "_work" / KEPT_FILE
    summary = _exclusions(connection, sources, quarantined, outliers, settings, out_dir, kept_path)
    create_customer_views(connection, sources, value_maps, fences=fences, cap_outliers=settings.outlier_policy == "cap",
                          deduplicate=deduplicate, kept_path=str(kept_path))
    needed = needed_quantiles(scheme, catalogue)
    quantiles = compute_quantiles(_threshold_relation(connection, [column for column, _ in needed]), needed)
    resolved_scheme, resolved_catalogue, thresholds = resolve(scheme, catalogue, quantiles, model_threshold)
    bounds = connection.execute(
        f"SELECT quantile_disc(customer_id, [i / 256 for i in range(257)]) FROM read_parquet({literal(str(kept_path))})"
    ).fetchall()[0][0]
    repairs = _repairs(value_maps, decimal_comma_fixes(connection, sources))
    _announce(repairs, outliers, summary)
    quality = summary | {
        "sources": [{"table": s.name, "file": s.file, "format": s.kind, "rows_read": int(rows_read[n]),
                     "rows_quarantined": int(quarantined.get(s.file, 0))} for n, s in sources.items()],
        "fixes": [fix.as_dict() for fix in repairs],
        "revenue_fences": fences,
        "revenue_outliers": {"n": len(outliers), "examples": outliers.head(20).to_dict("records")},
        "learned_thresholds": [{"column": c, "quantile": q, "value": v} for (c, q), v in quantiles.items()],
        "policy": {"inactive": settings.inactive_policy, "outliers": settings.outlier_policy,
                   "outlier_iqr_factor": settings.outlier_iqr_factor, "bad_rows": settings.bad_rows},
    }
    return BatchPlan(sources, value_maps, fences, settings.outlier_policy == "cap", deduplicate, str(kept_path),
                     tuple(int(b) for b in dict.fromkeys(bounds)), int(summary["customers_read"]),
                     int(summary["customers_kept"]), resolved_scheme, resolved_catalogue, thresholds, quality)


def _status_query() -> str:
    revenue, minutes, status = [], [], []
    for period in MARKET_MONEY.periods:
        only = f"FILTER (WHERE period = {literal(period)})"
        revenue += [f"count(*) {only} AS n_revenue_{period}",
                    # Rows of one month that disagree leave no revenue, as load_tables quarantines them all.
                    f"CASE WHEN min(revenue) {only} = max(revenue) {only} THEN min(revenue) {only} END "
                    f"AS revenue_{period}"]
        status += [f"coalesce(n_revenue_{period}, 0) AS n_revenue_{period}", f"revenue_{period}"]
    for period in MARKET_TIME.periods:
        only = f"FILTER (WHERE period = {literal(period)})"
        minutes += [f"count(*) {only} AS n_minutes_{period}",
                    f"coalesce(min(minutes) {only} = max(minutes) {only}, FALSE) AS has_minutes_{period}"]
        status += [f"coalesce(n_minutes_{period}, 0) AS n_minutes_{period}",
                   f"coalesce(has_minutes_{period}, FALSE) AS has_minutes_{period}"]
    return load_sql("customer_status").format(revenue_aggregates=", ".join(revenue),
                                              minutes_aggregates=", ".join(minutes), status_columns=", ".join(status))


def _duplicates(connection: duckdb.DuckDBPyConnection,
                sources: dict[str, TableSource]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Quarantine rows for repeated keys (as ingest.validate words them) and tables with exact repeats.

    Rare in real exports, so the rows of the few customers concerned are checked in pandas.
    """
    conditions = {
        MARKET_FILE.name: "n_market_file_rows > 1",
        MONEY.name: "n_money_rows > 1",
        MARKET_MONEY.name: " OR ".join(f"n_revenue_{p} > 1" for p in MARKET_MONEY.periods),
        MARKET_TIME.name: " OR ".join(f"n_minutes_{p} > 1" for p in MARKET_TIME.periods),
    }
    found, deduplicate = [], []
    for name, condition in conditions.items():
        n = connection.execute(f"SELECT count(*) FROM customer_status WHERE {condition}").fetchall()[0][0]
        if n == 0:
            continue
        rows = connection.sql(f"SELECT * FROM checked_{name} WHERE customer_id IN "
                              f"(SELECT customer_id FROM customer_status WHERE {condition})").df()
        problems, conflicts = _duplicate_rows(rows, sources[name])
        found.append(problems)
        if len(problems) > len(conflicts):
            deduplicate.append(name)
        if len(conflicts) and name in (MARKET_FILE.name, MONEY.name):
            count = "n_market_file_rows" if name == MARKET_FILE.name else "n_money_rows"
            connection.register("conflicting_ids", pd.DataFrame({"customer_id": conflicts}))
            connection.execute(f"UPDATE customer_status SET {count} = 0 "
                               "WHERE customer_id IN (SELECT customer_id FROM conflicting_ids)")
            connection.unregister("conflicting_ids")
    frame = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=QUARANTINE_COLUMNS)
    return frame, tuple(deduplicate)


def _duplicate_rows(rows: pd.DataFrame, source: TableSource) -> tuple[pd.DataFrame, list[int]]:
    """ingest.validate's rule: exact repeats after the first, and every row of a key whose rows differ."""
    key = list(source.layout.key)
    values = [c for c in rows.columns if c != "line"]
    rows = rows.sort_values("line", kind="stable").astype({c: str for c in values if c != "customer_id"})
    exact_copy = rows.duplicated(subset=values, keep="first")
    distinct = rows[~exact_copy]
    conflicting = distinct.duplicated(subset=key, keep=False).reindex(rows.index, fill_value=False)
    headers = {en: ru for ru, en in source.layout.columns.items()}
    header = ", ".join(headers[k] for k in key)
    records = []
    for index in rows.index[exact_copy | conflicting]:
        key_text = ", ".join(russian_value(k, str(rows.at[index, k])) for k in key)
        reason = (f"key ({header}) = ({key_text}) appears on several lines with different values"
                  if conflicting.loc[index] else f"exact repeat of another row with key ({header}) = ({key_text}); "
                  "first copy kept")
        records.append((source.file, int(rows.at[index, "line"]), header, key_text, reason))
    conflicts = sorted({int(rows.at[i, "customer_id"]) for i in rows.index[conflicting]})
    return pd.DataFrame(records, columns=QUARANTINE_COLUMNS), conflicts


def _write_quarantine(connection: duckdb.DuckDBPyConnection, sources: dict[str, TableSource],
                      rows_read: dict[str, int], duplicates: pd.DataFrame, out: Path,
                      settings: Settings) -> dict[str, int]:
    """Write the failing rows to ``OUT/quarantine/`` and refuse a broken table, as load_tables does."""
    out.mkdir(parents=True, exist_ok=True)
    counts = connection.execute("SELECT " + ", ".join(
        f"(SELECT count(*) FROM checked_{name})" for name in sources)).fetchall()[0]
    bad = {name: rows_read[name] - int(n) for name, n in zip(sources, counts, strict=True)}
    parts = [f"SELECT * FROM problems_{name}" for name, n in bad.items() if n]
    path = out / "part-0.parquet"
    connection.register("duplicate_problems", duplicates.astype({"line": "int64"}))
    query = " UNION ALL ".join([*parts, "SELECT * FROM duplicate_problems"])
    connection.execute(f"COPY (SELECT * FROM ({query}) ORDER BY file, line, \"column\") TO {literal(str(path))} "
                       "(FORMAT parquet)")
    connection.unregister("duplicate_problems")
    per_file = dict(connection.execute(f"SELECT file, count(*) FROM read_parquet({literal(str(path))}) "
                                       "GROUP BY file").fetchall())
    for name, source in sources.items():
        n_bad = int(per_file.get(source.file, 0))
        share = n_bad / max(rows_read[name], 1)
        if n_bad and (settings.bad_rows == "fail" or share > settings.max_bad_row_share):
            examples = connection.execute(f"SELECT line, reason FROM read_parquet({literal(str(path))}) "
                                          f"WHERE file = {literal(source.file)} ORDER BY line LIMIT {_EXAMPLES}"
                                          ).fetchall()
            listed = "\n".join(f"  - line {line}: {reason}" for line, reason in examples)
            why = (" (bad_rows='fail' stops at any bad row)" if share <= settings.max_bad_row_share
                   else f", more than {settings.max_bad_row_share:.0%} of its rows")
            raise InputDataError(f"{source.file} failed checks in {n_bad} of {rows_read[name]} rows{why}:\n{listed}\n"
                                 "Fix the file, or see `oneclick validate --help` for the expected format.")
    return {str(k): int(v) for k, v in per_file.items()}


def _fences(connection: duckdb.DuckDBPyConnection, factor: float) -> dict[str, float]:
    """Per month, Q3 + factor x IQR of the active (non-zero) revenues, where there are enough of them."""
    parts = ", ".join(f"quantile_cont(revenue_{p}, [0.25, 0.75]) FILTER (WHERE revenue_{p} > 0), "
                      f"count(revenue_{p}) FILTER (WHERE revenue_{p} > 0)" for p in MARKET_MONEY.periods)
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
        f"FROM customer_status WHERE revenue_{p} > {literal(f)}" for k, (p, f) in enumerate(fences.items()))
    found = connection.sql(f"SELECT * FROM ({parts}) ORDER BY customer_id, k").df()
    found["threshold"] = found["threshold"].round(1)
    return found.assign(action=action)[OUTLIER_COLUMNS]


def _exclusions(connection: duckdb.DuckDBPyConnection, sources: dict[str, TableSource],
                quarantined: dict[str, int], outliers: pd.DataFrame, settings: Settings, out_dir: Path,
                kept_path: Path) -> dict[str, Any]:
    """Write who is left out and why, and the kept ids; the counts for ``batch.json``."""
    reasons = pd.DataFrame({"customer_id": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype=object)})
    if settings.outlier_policy == "exclude" and len(outliers):
        first = outliers.drop_duplicates("customer_id")
        reasons = pd.DataFrame({
            "customer_id": first["customer_id"].to_numpy(dtype="int64"),
            "reason": [f"revenue outlier {r.revenue:,.1f} in '{russian_value('period', r.period)}' "
                       f"(above {r.threshold:,.1f})" for r in first.itertuples()]})
    connection.register("outlier_exclusions", reasons)
    query = load_sql("exclusions").format(missing_reasons=_missing_reasons(sources, quarantined),
                                          inactive_months=_inactive_months(),
                                          exclude_inactive=literal(settings.inactive_policy == "exclude"))
    connection.execute(f"CREATE OR REPLACE TEMP TABLE exclusions AS {query}")
    connection.unregister("outlier_exclusions")
    (out_dir / EXCLUDED_DIR).mkdir(parents=True, exist_ok=True)
    kept_path.parent.mkdir(parents=True, exist_ok=True)
    connection.execute(f"COPY (SELECT customer_id, reason FROM exclusions WHERE reason IS NOT NULL "
                       f"ORDER BY customer_id) TO {literal(str(out_dir / EXCLUDED_DIR / 'part-0.parquet'))} "
                       "(FORMAT parquet)")
    connection.execute(f"COPY (SELECT customer_id FROM exclusions WHERE reason IS NULL ORDER BY customer_id) "
                       f"TO {literal(str(kept_path))} (FORMAT parquet, ROW_GROUP_SIZE 1000000)")
    read, kept, inactive = connection.execute(
        "SELECT count(*), count(*) FILTER (WHERE reason IS NULL), count(*) FILTER (WHERE is_inactive) "
        "FROM exclusions").fetchall()[0]
    if kept == 0:
        raise InputDataError("no customer is left after the checks; see the reasons in "
                             f"{out_dir / EXCLUDED_DIR} and {out_dir / QUARANTINE_DIR}")
    examples = connection.execute(f"SELECT customer_id, reason FROM exclusions WHERE reason IS NOT NULL "
                                  f"ORDER BY customer_id LIMIT {_EXAMPLES}").fetchall()
    return {"customers_read": int(read), "customers_kept": int(kept), "customers_excluded": int(read - kept),
            "inactive_customers": int(inactive),
            "excluded_examples": [{"id": int(i), "reason": str(r)} for i, r in examples],
            "quarantined_rows": int(sum(quarantined.values())), "quarantine_by_file": quarantined}


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
            present = (f"revenue_{period} IS NOT NULL" if name == MARKET_MONEY.name
                       else f"has_minutes_{period}")
            reason = f"no row for period '{russian_value('period', period)}' in {file}{note}"
            parts.append(f"CASE WHEN NOT ({present}) THEN {literal(reason)} END")
    return ", ".join(parts)


def _inactive_months() -> str:
    """SQL for the months of zero revenue, as load_tables lists them (sorted by English name, in Russian)."""
    months = sorted(MARKET_MONEY.periods)
    parts = ", ".join(f"CASE WHEN revenue_{p} = 0 THEN {literal(russian_value('period', p))} END" for p in months)
    return f"concat_ws(', ', {parts})"


def _threshold_relation(connection: duckdb.DuckDBPyConnection, columns: list[str]) -> duckdb.DuckDBPyRelation:
    """The kept customers' columns the thresholds need; a light join when they come straight from a table."""
    direct = set(MARKET_FILE.columns.values()) | {PROFIT}
    if set(columns) <= direct:
        return connection.sql("SELECT * FROM market_file JOIN money USING (customer_id) "
                              "JOIN kept_customers USING (customer_id)")
    return customer_table(connection)


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
        logger.warning("%d customers excluded: %s", summary["customers_excluded"],
                       "; ".join(f"{e['id']} ({e['reason']})" for e in summary["excluded_examples"]))
