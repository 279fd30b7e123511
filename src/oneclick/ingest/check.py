"""Read and check the store's four exports, once, in DuckDB: the one road every engine takes.

``load_tables`` (the store's size, in memory) and the batch engine (millions of customers, out of
core) both call :func:`check_export`; the only difference is the size of the chunks the first
pass groups. Its steps, each in its own module:

1. reading rules (:mod:`~oneclick.ingest.dialect`): format, encoding, separator, header;
2. raw cells with their lines (:mod:`~oneclick.ingest.raw`, :mod:`~oneclick.ingest.lines`);
3. value maps and repairs (:mod:`~oneclick.ingest.values`) and cell checks (:mod:`~oneclick.ingest.cells`,
   from the pandera schemas of :mod:`~oneclick.ingest.schemas`);
4. one row per customer (:mod:`~oneclick.ingest.status`), repeated keys (:mod:`~oneclick.ingest.keys`),
   the quarantine and the refusal rule (:mod:`~oneclick.ingest.quarantine`);
5. revenue outliers (:mod:`~oneclick.ingest.outliers`) and exclusions (:mod:`~oneclick.ingest.exclusions`);
6. the record of it all (:class:`~oneclick.ingest.quality.DataQuality`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from oneclick.config import BadRowPolicy, InactivePolicy, OutlierPolicy, Settings
from oneclick.errors import InputDataError
from oneclick.ingest.cells import decimal_comma, problems_query, schema_columns
from oneclick.ingest.columns import MARKET_FILE, TABLES, VALUES
from oneclick.ingest.dialect import NUMERIC_TYPES, describe_source, find_table_file, first_line
from oneclick.ingest.exclusions import find_exclusions
from oneclick.ingest.keys import find_repeated_keys
from oneclick.ingest.months import CustomerFiles
from oneclick.ingest.outliers import revenue_fences, revenue_outliers
from oneclick.ingest.quality import DataQuality, SourceFile
from oneclick.ingest.quarantine import refuse_broken_tables, write_quarantine
from oneclick.ingest.raw import RawTable, lines_read_query, prepare, read_expression
from oneclick.ingest.sqltext import ident, literal
from oneclick.ingest.status import valid_rows, write_customer_status
from oneclick.ingest.values import Fix, ValueMap, learn_value_maps


@dataclass(frozen=True)
class Policy:
    """What to do with imperfect data (see ``oneclick.config.Settings`` for each one's meaning)."""

    inactive: InactivePolicy = "exclude"
    outliers: OutlierPolicy = "cap"
    outlier_iqr_factor: float = 3.0
    bad_rows: BadRowPolicy = "quarantine"
    max_bad_row_share: float = 0.5

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        return cls(
            settings.inactive_policy,
            settings.outlier_policy,
            settings.outlier_iqr_factor,
            settings.bad_rows,
            settings.max_bad_row_share,
        )

    def as_dict(self) -> dict[str, Any]:
        """The policy as every output states it."""
        return {
            "inactive": self.inactive,
            "outliers": self.outliers,
            "outlier_iqr_factor": self.outlier_iqr_factor,
            "bad_rows": self.bad_rows,
        }


@dataclass(frozen=True)
class CheckedExport:
    """The checked exports: where the first pass wrote its files, and what it found."""

    raws: dict[str, RawTable]
    value_maps: dict[tuple[str, str], ValueMap]
    months: CustomerFiles  # each customer's months, who was left out, the revenue fences
    quarantine_path: str  # the rejected rows (Parquet)
    quality: DataQuality


def check_export(
    data_dir: Path, work_dir: Path, policy: Policy, connection: duckdb.DuckDBPyConnection
) -> CheckedExport:
    """Read and check the four tables of ``data_dir``; intermediate files go to ``work_dir``.

    Raises :class:`InputDataError` naming the file (and line, column) when a table cannot be
    read, has no rows, fails too many checks (any, with ``bad_rows="fail"``), or no customer is left.
    """
    try:
        return _check(Path(data_dir), work_dir, policy, connection)
    except duckdb.Error as err:
        # A file that breaks while it is read (a damaged Parquet row group, a disk error): DuckDB's
        # message names the file; the line is not known.
        raise InputDataError(f"{data_dir}: the tables could not be read to the end: {first_line(err)}") from err


def _check(data_dir: Path, work_dir: Path, policy: Policy, connection: duckdb.DuckDBPyConnection) -> CheckedExport:
    raws = _read_all(connection, data_dir, work_dir)
    read = {name: read_expression(raw) for name, raw in raws.items()}
    rows_read = {name: int(connection.execute(lines_read_query(raw)).fetchall()[0][0]) for name, raw in raws.items()}
    empty = [f"{raws[n].file}: the file has a header but no data rows" for n, count in rows_read.items() if count == 0]
    if empty:
        raise InputDataError("\n".join(empty))
    value_maps = learn_value_maps(connection, {n: r.source for n, r in raws.items()}, read)
    customers = write_customer_status(connection, raws, value_maps, rows_read, work_dir / "customers")
    valid = valid_rows(connection, customers)
    split = {name: int(connection.execute(f"SELECT count(*) FROM {read[name]}").fetchall()[0][0]) for name in raws}
    connection.execute(
        f"CREATE OR REPLACE TEMP VIEW customer_status AS SELECT * FROM read_parquet({literal(customers)})"
    )
    repeated = find_repeated_keys(connection, raws, customers)
    quarantine_path = work_dir / "quarantine.parquet"
    cell_problems = {name: problems_query(raw, value_maps) for name, raw in raws.items() if split[name] > valid[name]}
    rejected = write_quarantine(connection, raws, cell_problems, repeated, quarantine_path)
    refuse_broken_tables(
        connection,
        raws,
        rows_read,
        rejected,
        quarantine_path,
        bad_rows=policy.bad_rows,
        max_bad_row_share=policy.max_bad_row_share,
    )
    fences = revenue_fences(connection, policy.outlier_iqr_factor)
    outliers = revenue_outliers(connection, fences, policy.outliers)
    exclusions = find_exclusions(
        connection,
        {name: raw.file for name, raw in raws.items()},
        rejected,
        outliers,
        inactive_policy=policy.inactive,
        outlier_policy=policy.outliers,
        path=work_dir / "excluded.parquet",
    )
    if exclusions.customers_kept == 0:
        listed = "\n".join(f"  - {r.customer_id}: {r.reason}" for r in exclusions.excluded.head(5).itertuples())
        raise InputDataError(f"{data_dir}: no customer is left after the checks; for example:\n{listed}")
    quarantine = connection.sql(f"SELECT * FROM read_parquet({literal(str(quarantine_path))})").df()
    quality = DataQuality(
        sources=[_source_file(raws[n], rows_read[n], rejected) for n in raws],
        fixes=_fixes(connection, raws, read, value_maps),
        quarantine=quarantine.astype({"line": "int64"}),
        excluded=exclusions.excluded,
        inactive=exclusions.inactive,
        outliers=outliers,
        policy=policy.as_dict(),
        customers_read=exclusions.customers_read,
        customers_kept=exclusions.customers_kept,
        class_balance=_class_balance(connection, str(exclusions.path)),
        revenue_fences=fences,
    )
    return CheckedExport(
        raws,
        value_maps,
        CustomerFiles(customers, str(exclusions.path), fences, policy.outliers == "cap"),
        str(quarantine_path),
        quality,
    )


def _read_all(connection: duckdb.DuckDBPyConnection, data_dir: Path, work_dir: Path) -> dict[str, RawTable]:
    """Every table's reading rules, all problems of all four reported at once; then their raw cells."""
    sources, problems = {}, []
    for name, layout in TABLES.items():
        try:
            sources[name] = describe_source(connection, name, find_table_file(data_dir, layout))
        except InputDataError as err:
            problems.append(str(err))
    if len(problems) == 1:
        raise InputDataError(problems[0])
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise InputDataError(f"{data_dir}: {len(problems)} tables cannot be read:\n{listed}")
    work_dir.mkdir(parents=True, exist_ok=True)
    return {name: prepare(connection, source, work_dir) for name, source in sources.items()}


def _source_file(raw: RawTable, rows_read: int, rejected: Mapping[str, int]) -> SourceFile:
    source = raw.source
    return SourceFile(
        source.name, source.file, raw.sha256, source.encoding, source.separator, rows_read, rejected.get(raw.file, 0)
    )


def _fixes(
    connection: duckdb.DuckDBPyConnection,
    raws: Mapping[str, RawTable],
    read: Mapping[str, str],
    value_maps: Mapping[tuple[str, str], ValueMap],
) -> list[Fix]:
    """Every repair, table by table, in the order of each table's columns."""
    fixes = []
    for name, raw in raws.items():
        headers = {en: ru for ru, en in raw.source.layout.columns.items()}
        numbers = [
            c for c in schema_columns(name) if c not in VALUES and raw.source.raw_type(headers[c]) not in NUMERIC_TYPES
        ]
        counts = {}
        if numbers:
            parts = ", ".join(
                f"count(*) FILTER (WHERE {decimal_comma(f'trim(CAST({ident(headers[c])} AS VARCHAR))')})"
                for c in numbers
            )
            counts = dict(
                zip(numbers, connection.execute(f"SELECT {parts} FROM {read[name]}").fetchall()[0], strict=True)
            )
        for column in schema_columns(name):
            if column in VALUES:
                fixes.extend(value_maps[(name, column)].fixes)
            elif counts.get(column):
                fixes.append(Fix(name, column, "decimal comma", "decimal point", int(counts[column])))
    return fixes


def _class_balance(connection: duckdb.DuckDBPyConnection, excluded: str) -> dict[str, Any]:
    """The label among the kept customers."""
    declined, kept = connection.execute(
        f"SELECT count(*) FILTER (WHERE activity_level = 'declined'), count(*) FROM customer_status "
        f"WHERE n_{MARKET_FILE.name}_rows > 0 "
        f"AND customer_id NOT IN (SELECT customer_id FROM read_parquet({literal(excluded)}))"
    ).fetchall()[0]
    return {
        "declined": int(declined),
        "unchanged": int(kept - declined),
        "declined_share": round(declined / kept, 4) if kept else None,
    }
