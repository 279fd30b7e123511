"""Writing the four tables as the store exports them (CSV) or as typed Parquet files.

Tables are written in slices of ``CHUNK_SIZE`` customers, so a whole data set never has
to be formatted in memory at once, and writing generated tables or streaming the same
data set straight from the generator gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from oneclick.errors import ConfigError, InputDataError
from oneclick.synth.generate import (
    CHUNK_SIZE,
    TABLE_NAMES,
    iter_table_chunks,
    rows_per_customer,
    table_schema,
)

Format = Literal["csv", "parquet"]
_FORMATS = ("csv", "parquet")


@dataclass(frozen=True)
class _CsvDialect:
    delimiter: str
    eol: str
    decimal_comma: bool


_PLAIN = _CsvDialect(",", "\n", decimal_comma=False)
# money.csv of the real export comes from a Russian-locale spreadsheet.
_SPREADSHEET = _CsvDialect(";", "\r\n", decimal_comma=True)


def write_tables(
    tables: Mapping[str, pd.DataFrame], out_dir: Path, *, fmt: Format = "csv", quirks: bool = True
) -> dict[str, Path]:
    """Write the four tables to ``out_dir`` as ``<name>.csv`` or ``<name>.parquet``.

    Parameters
    ----------
    tables : the four tables as :func:`generate_tables` returns them.
    out_dir : created if missing; existing files of the same names are replaced.
    fmt : ``"csv"`` in the store's export format, or ``"parquet"`` with typed columns.
    quirks : write money.csv as the real export does (``;``, decimal comma, CRLF);
        otherwise like the other files (``,``, decimal point, LF). No effect on Parquet.

    Returns
    -------
    Table name -> path of the written file.

    Raises
    ------
    ConfigError : unknown ``fmt``.
    InputDataError : a table is missing or its columns are not the store's.
    """
    _check_format(fmt)
    arrow_tables = _to_arrow(tables)
    return write_chunks(_slices(arrow_tables), Path(out_dir), fmt, quirks)


def write_synthetic_dataset(
    out_dir: Path,
    n_customers: int,
    *,
    seed: int = 0,
    fmt: Format = "csv",
    quirks: bool = True,
) -> dict[str, Path]:
    """Draw ``n_customers`` synthetic customers and write their four tables to ``out_dir``.

    Streams chunks of customers to disk, so memory stays flat for any size. The files are
    the same bytes as ``write_tables(generate_tables(n_customers, seed=seed, quirks=quirks),
    out_dir, fmt=fmt, quirks=quirks)``.

    Raises
    ------
    ConfigError : unknown ``fmt``, ``n_customers`` < 1 or ``seed`` < 0.
    """
    _check_format(fmt)
    chunks = iter_table_chunks(n_customers, seed=seed, quirks=quirks)
    return write_chunks(chunks, Path(out_dir), fmt, quirks)


def _check_format(fmt: str) -> None:
    if fmt not in _FORMATS:
        raise ConfigError(f"fmt must be one of {list(_FORMATS)}, found {fmt!r}")


def _to_arrow(tables: Mapping[str, pd.DataFrame]) -> dict[str, pa.Table]:
    """Typed Arrow tables in the store's schema; every problem reported at once."""
    problems = [f"table {name!r} is missing" for name in TABLE_NAMES if name not in tables]
    arrow_tables = {}
    for name in TABLE_NAMES:
        if name not in tables:
            continue
        schema = table_schema(name)
        found = list(tables[name].columns)
        if found != schema.names:
            problems.append(f"{name}: expected columns {schema.names}, found {found}")
            continue
        try:
            table = pa.Table.from_pandas(tables[name], preserve_index=False)
            arrow_tables[name] = table.cast(schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
            problems.append(f"{name}: values do not fit the store's types: {err}")
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise InputDataError(
            f"cannot write the tables, {len(problems)} problem(s):\n{listed}\n"
            "Pass the tables as generate_tables returns them."
        )
    return arrow_tables


def _slices(tables: dict[str, pa.Table]) -> Iterable[dict[str, pa.Table]]:
    """Slices of ``CHUNK_SIZE`` customers, as the generator yields them."""
    rows = {name: CHUNK_SIZE * rows_per_customer(name) for name in tables}
    n_slices = max(-(-table.num_rows // rows[name]) for name, table in tables.items())
    for index in range(n_slices):
        yield {name: table.slice(index * rows[name], rows[name]) for name, table in tables.items()}


def write_chunks(chunks: Iterable[dict[str, pa.Table]], out_dir: Path, fmt: Format, quirks: bool) -> dict[str, Path]:
    """Append each chunk's four tables to ``out_dir/<name>.<fmt>``; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / f"{name}.{fmt}" for name in TABLE_NAMES}
    with ExitStack() as stack:
        writers = {name: stack.enter_context(_TableWriter(path, name, fmt, quirks)) for name, path in paths.items()}
        for chunk in chunks:
            for name, table in chunk.items():
                writers[name].write(table)
    return paths


class _TableWriter:
    """Appends slices of one table to one file, CSV in the export's dialect or Parquet."""

    def __init__(self, path: Path, name: str, fmt: Format, quirks: bool) -> None:
        schema = table_schema(name)
        self._dialect = _SPREADSHEET if quirks and name == "money" else _PLAIN
        self._csv = fmt == "csv"
        self._writer: pa_csv.CSVWriter | pq.ParquetWriter
        if self._csv:
            options = pa_csv.WriteOptions(
                delimiter=self._dialect.delimiter,
                eol=self._dialect.eol,
                quoting_style="none",  # the export quotes nothing; no value holds a separator
                quoting_header="none",
            )
            self._writer = pa_csv.CSVWriter(path, _text_schema(schema), write_options=options)
        else:
            # Dictionaries only pay off for the few distinct texts; zstd is smaller than
            # the default snappy at about the same speed here.
            texts = [field.name for field in schema if pa.types.is_string(field.type)]
            self._writer = pq.ParquetWriter(path, schema, compression="zstd", use_dictionary=texts)

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        if self._csv:
            table = _as_csv_text(table, self._dialect.decimal_comma)
        self._writer.write_table(table)

    def __enter__(self) -> _TableWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._writer.close()


def _text_schema(schema: pa.Schema) -> pa.Schema:
    """The schema with decimal columns as text, since the writer formats them itself."""
    return pa.schema([(f.name, pa.string() if pa.types.is_floating(f.type) else f.type) for f in schema])


def _as_csv_text(table: pa.Table, decimal_comma: bool) -> pa.Table:
    columns = [
        _decimal_text(column, decimal_comma) if pa.types.is_floating(column.type) else column
        for column in table.columns
    ]
    return pa.table(columns, schema=_text_schema(table.schema))


def _decimal_text(values: pa.ChunkedArray, decimal_comma: bool) -> pa.ChunkedArray:
    """Decimals as the exports spell them.

    Python's repr, as pandas writes them ("4472.0", "0.75"); or, for the spreadsheet
    dialect, a decimal comma and no zero fraction ("5", "4,03"), as in money.csv.
    """
    text = pc.cast(values, pa.string())  # shortest round-trip digits, "4472" for 4472.0
    if decimal_comma:
        return pc.replace_substring(text, ".", ",")
    return pc.replace_substring_regex(text, r"^(-?\d+)$", r"\1.0")
