"""Each export as rows of raw cells with their line: what the checks of ``ingest.cells`` read.

A Parquet export is read as it is (its row number is its line). A CSV export is cut into lines
(:mod:`oneclick.ingest.lines`) and split into cells by ``sql/split_lines.sql`` once, into a
Parquet file of the run's work folder; the lines that cannot be split are kept there with the
reason, for the quarantine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from oneclick.ingest.dialect import TableSource
from oneclick.ingest.lines import cut_lines, file_sha256
from oneclick.ingest.sqltext import ident, literal, load_sql, shown

QUARANTINE_COLUMNS = ("file", "line", "column", "value", "reason")


@dataclass(frozen=True)
class RawTable:
    """One export, readable by DuckDB as raw cells."""

    source: TableSource
    sha256: str
    cells_path: str | None  # CSV: the split cells (Parquet, in the work folder); None for Parquet
    too_long: tuple[int, ...] = ()  # CSV lines too long to read

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def file(self) -> str:
        return self.source.file


def prepare(connection: duckdb.DuckDBPyConnection, source: TableSource, work_dir: Path) -> RawTable:
    """Make ``source`` readable as raw cells: CSV is cut and split once into ``work_dir``."""
    if source.kind == "parquet":
        return RawTable(source, file_sha256(Path(source.path)), None)
    cut = cut_lines(source, work_dir / f"{source.name}.lines.parquet")
    cells_path = work_dir / f"{source.name}.cells.parquet"
    connection.execute(
        f"COPY ({_split_query(source, cut.path, cut.last_line)}) TO {literal(str(cells_path))} (FORMAT parquet)"
    )
    cut.path.unlink()
    return RawTable(source, cut.sha256, str(cells_path), cut.too_long)


def read_expression(raw: RawTable) -> str:
    """A SQL table expression: ``line`` and the raw cells under the file's own column names."""
    if raw.cells_path is None:
        return (
            f"(SELECT file_row_number + 1 AS line, * EXCLUDE (file_row_number) "
            f"FROM read_parquet({literal(raw.source.path)}, file_row_number = true))"
        )
    columns = ", ".join(ident(h) for h in raw.source.header)
    return f"(SELECT line, {columns} FROM read_parquet({literal(raw.cells_path)}) WHERE problem IS NULL)"


def line_problems_query(raw: RawTable) -> str | None:
    """Quarantine rows (file, line, column, value, reason) of the lines that could not be split."""
    if raw.cells_path is None:
        return None
    parts = [
        f"SELECT {literal(raw.file)} AS file, line, '' AS \"column\", {shown('text')} AS value, problem AS reason "
        f"FROM read_parquet({literal(raw.cells_path)}) WHERE problem IS NOT NULL"
    ]
    parts += [
        f"SELECT {literal(raw.file)}, {line}, '', '', 'line is longer than 16 MiB; not read'" for line in raw.too_long
    ]
    return " UNION ALL ".join(parts)


def lines_read_query(raw: RawTable) -> str:
    """The number of data lines read (blank lines hold no record and are not counted)."""
    if raw.cells_path is None:
        return f"SELECT count(*) FROM read_parquet({literal(raw.source.path)})"
    return f"SELECT count(*) + {len(raw.too_long)} FROM read_parquet({literal(raw.cells_path)})"


def _split_query(source: TableSource, lines: Path, last_line: int) -> str:
    separator = source.separator or ","
    outside = "\\|" if separator == "|" else separator  # the only separator RE2 reads as an operator
    quoted = '"(?:[^"]|"")*"'
    plain = f'[^{separator}"]*'
    field = f"(?:{quoted}|{plain})"
    cells = ", ".join(f"fields[{k + 1}] AS {ident(h)}" for k, h in enumerate(source.header))
    header = "[" + ", ".join(literal(h) for h in source.header) + "]"
    return load_sql("split_lines").format(
        lines=literal(str(lines)),
        separator=literal(separator),
        separator_shown=literal(repr(separator)),
        line_pattern=literal(f"{field}(?:{outside}{field})*"),
        field_pattern=literal(f"{outside}({quoted}|{plain})"),
        header=header,
        n_fields=len(source.header),
        last_line=last_line,
        cells=cells,
    )
