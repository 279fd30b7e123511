"""The store's four tables as DuckDB reads them: where they are, how to read them, what their values mean.

Nothing here restates a rule. The Russian headers come from ``ingest.columns``; the Russian
values, known typos and near-misses are mapped by ``ingest.normalise.to_category`` run on each
column's distinct values (a few per column, whatever the row count). The checked views built on
these sources are in :mod:`oneclick.batch.views`.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from oneclick.errors import InputDataError
from oneclick.ingest.columns import TABLES, VALUES, TableLayout
from oneclick.ingest.normalise import Fix, to_category
from oneclick.ingest.read import find_table_file

SourceKind = Literal["parquet", "csv"]
QUARANTINE_COLUMNS = ["file", "line", "column", "value", "reason"]
_SEPARATORS = (",", ";", "\t", "|")
NUMERIC_TYPES = (
    "BIGINT",
    "INTEGER",
    "SMALLINT",
    "TINYINT",
    "UBIGINT",
    "UINTEGER",
    "USMALLINT",
    "UTINYINT",
    "HUGEINT",
    "DOUBLE",
    "FLOAT",
    "REAL",
)


@dataclass(frozen=True)
class TableSource:
    """One of the store's exports as DuckDB reads it."""

    name: str
    path: str
    kind: SourceKind
    separator: str | None  # CSV only
    raw_types: tuple[tuple[str, str], ...]  # (Russian header, DuckDB type), in file order

    @property
    def file(self) -> str:
        return Path(self.path).name

    @property
    def layout(self) -> TableLayout:
        return TABLES[self.name]


@dataclass(frozen=True)
class ValueMap:
    """How the raw values of one text column map to English, learned from its distinct values."""

    table: str
    column: str
    english: tuple[tuple[str, str | None], ...]  # raw text -> English value (None: unusable)
    problems: tuple[tuple[str, str], ...]  # raw text -> why it is unusable
    fixes: tuple[Fix, ...]  # repairs, with the number of cells each touched


def find_sources(data_dir: Path) -> dict[str, TableSource]:
    """The four exports of ``data_dir`` (``<table>.parquet`` or ``.csv``), their headers checked.

    Raises :class:`InputDataError` naming every file whose header is not the store's.
    """
    sources, problems = {}, []
    with duckdb.connect() as connection:
        for name, layout in TABLES.items():
            path = find_table_file(Path(data_dir), layout)
            try:
                source = _describe_source(connection, name, path)
            except InputDataError as err:
                problems.append(str(err))
                continue
            missing = [h for h in layout.columns if h not in dict(source.raw_types)]
            extra = [h for h, _ in source.raw_types if h not in layout.columns]
            if missing or extra:
                problems.append(
                    f"{path.name}: line 1 (header): column(s) {missing} missing, unexpected {extra}. "
                    f"Expected exactly {list(layout.columns)}"
                )
            sources[name] = source
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise InputDataError(
            f"{data_dir}: {len(problems)} table(s) cannot be read:\n{listed}\n"
            "Fix the files, or see `oneclick validate --help` for the expected format."
        )
    return sources


def _describe_source(connection: duckdb.DuckDBPyConnection, name: str, path: Path) -> TableSource:
    if path.suffix.lower() in (".parquet", ".pq"):
        try:
            rows = connection.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(str(path))})").fetchall()
        except duckdb.Error as err:
            raise InputDataError(f"{path.name}: not a readable Parquet file ({err})") from err
        return TableSource(name, str(path), "parquet", None, tuple((str(r[0]), str(r[1])) for r in rows))
    header, separator = _csv_header(path, TABLES[name])
    return TableSource(name, str(path), "csv", separator, tuple((h, "VARCHAR") for h in header))


def _csv_header(path: Path, layout: TableLayout) -> tuple[list[str], str]:
    with path.open("rb") as handle:
        first = handle.readline(1 << 16)
    if not first.strip():
        raise InputDataError(f"{path.name}: the file is empty; expected a header with {list(layout.columns)}")
    try:
        text = first.removeprefix(codecs.BOM_UTF8).decode("utf-8").strip("\r\n")
    except UnicodeDecodeError as err:
        raise InputDataError(
            f"{path.name}: the batch engine reads UTF-8 CSV only; convert the file to UTF-8 "
            "or Parquet (`oneclick validate` reads CP1251 and UTF-16 too)"
        ) from err
    best = max(_SEPARATORS, key=lambda s: len(set(text.split(s)) & set(layout.columns)))
    return [name.strip() for name in text.split(best)], best


def read_expression(source: TableSource) -> str:
    """A SQL table expression with the raw columns and ``line`` (1-based row; CSV: line in the file)."""
    if source.kind == "parquet":
        return (
            f"(SELECT file_row_number + 1 AS line, * EXCLUDE (file_row_number) "
            f"FROM read_parquet({literal(source.path)}, file_row_number = true))"
        )
    # One record per line, as the store's exports are; rows that do not split are reported by DuckDB.
    return (
        f"(SELECT row_number() OVER () + 1 AS line, * FROM read_csv({literal(source.path)}, "
        f"delim = {literal(source.separator or ',')}, header = true, all_varchar = true, quote = '\"'))"
    )


def learn_value_maps(
    connection: duckdb.DuckDBPyConnection, sources: Mapping[str, TableSource]
) -> dict[tuple[str, str], ValueMap]:
    """Map every distinct raw value of every text column with ``ingest.normalise.to_category``."""
    maps = {}
    for name, source in sources.items():
        for russian, column in source.layout.columns.items():
            if column not in VALUES:
                continue
            counted = connection.execute(
                f"SELECT {raw_text(source, russian)} AS raw, count(*) FROM {read_expression(source)} GROUP BY 1"
            ).fetchall()
            counts = {str(raw): int(n) for raw, n in counted}
            raw_values = pd.Series(sorted(counts), dtype=object)
            converted = to_category(raw_values, name, column)
            english = tuple(
                (str(r), None if pd.isna(e) else str(e)) for r, e in zip(raw_values, converted.values, strict=True)
            )
            problems = tuple(
                (str(r), str(p)) for r, p in zip(raw_values, converted.problems, strict=True) if not pd.isna(p)
            )
            fixes = tuple(Fix(f.table, f.column, f.before, f.after, counts[f.before]) for f in converted.fixes)
            maps[(name, column)] = ValueMap(name, column, english, problems, fixes)
    return maps


def decimal_comma_fixes(connection: duckdb.DuckDBPyConnection, sources: Mapping[str, TableSource]) -> list[Fix]:
    """Cells of text number columns written with a decimal comma (repaired, and announced, as ingest does)."""
    fixes = []
    for name, source in sources.items():
        for header, raw_type in source.raw_types:
            column = source.layout.columns.get(header)
            if column is None or column in VALUES or raw_type in NUMERIC_TYPES:
                continue
            text = f"trim(CAST({ident(header)} AS VARCHAR))"
            n = connection.execute(
                f"SELECT count(*) FROM {read_expression(source)} WHERE regexp_full_match({text}, '[+-]?\\d+,\\d+')"
            ).fetchall()[0][0]
            if n:
                fixes.append(Fix(name, column, "decimal comma", "decimal point", int(n)))
    return fixes


def raw_text(source: TableSource, header: str) -> str:
    """A cell as the text ``load_tables`` sees (empty for a missing cell)."""
    return f"coalesce(CAST({ident(header)} AS VARCHAR), '')"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A SQL literal for a string, number or boolean."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"
