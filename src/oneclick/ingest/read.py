"""Read one of the store's exports as text cells, whatever its dialect.

The store's files come with `,` or `;` separators, UTF-8 with or without BOM or
CP1251, CRLF or LF line endings, or as Parquet. This module finds out which, maps
the Russian header to English names and hands every cell on as a string, so the
checks that follow can say exactly which cell is wrong. Rows with the wrong number
of fields are not dropped: they are returned as rejected lines with a reason.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from oneclick.errors import InputDataError
from oneclick.ingest.columns import TableLayout

LINE = "line"  # the 1-based line of a row in its file (header = line 1); row number for Parquet
_SEPARATORS = (",", ";", "\t", "|")
_ENCODINGS = ("utf-8", "cp1251")


@dataclass(frozen=True)
class RejectedLine:
    """A line that could not be split into the table's columns."""

    line: int
    reason: str
    text: str


@dataclass
class RawTable:
    """One export as strings under English column names, and how it was read."""

    layout: TableLayout
    path: Path
    cells: pd.DataFrame  # all columns str, plus LINE
    encoding: str
    separator: str | None  # None for Parquet
    sha256: str
    rejected: list[RejectedLine] = field(default_factory=list)


def find_table_file(folder: Path, layout: TableLayout) -> Path:
    """The export of one table in a folder: ``<name>.csv`` or ``<name>.parquet``."""
    candidates = [folder / f"{layout.name}{ext}" for ext in (".csv", ".parquet", ".pq")]
    found = [p for p in candidates if p.is_file()]
    if not found:
        raise InputDataError(
            f"{folder}: no file for table '{layout.name}'; expected {layout.name}.csv "
            f"or {layout.name}.parquet. Found: {sorted(p.name for p in folder.iterdir())[:10]}"
            if folder.is_dir()
            else f"{folder}: not a folder; pass the folder that holds the store's four tables"
        )
    if len(found) > 1:
        raise InputDataError(
            f"{folder}: table '{layout.name}' is there twice ({', '.join(p.name for p in found)}); keep one of them"
        )
    return found[0]


def read_raw_table(path: Path, layout: TableLayout) -> RawTable:
    """Read one export (CSV in any of the store's dialects, or Parquet) as text cells."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() in (".parquet", ".pq"):
        return _read_parquet(path, layout, digest)
    if not data.strip():
        raise InputDataError(
            f"{path.name}: the file is empty; expected a header line with columns "
            f"{list(layout.columns)} and one row per record"
        )
    text, encoding = _decode(path, data, layout)
    lines = text.splitlines()
    separator = _sniff_separator(path, lines[0], layout)
    header = [name.strip().strip("\ufeff") for name in _split(lines[0], separator)]
    _check_header(header, layout, path.name)
    cells = _split_rows_fast(text, header, separator, layout)
    rejected: list[RejectedLine] = []
    if cells is None:  # some line does not split cleanly: go line by line to say which
        cells, rejected = _split_rows(lines, header, separator, layout)
    return RawTable(layout, path, cells, encoding, separator, digest, rejected)


def _split_rows_fast(text: str, header: list[str], separator: str, layout: TableLayout) -> pd.DataFrame | None:
    """Arrow's CSV reader, for files where every line is one clean record (the usual case)."""
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pa_csv.ParseOptions(delimiter=separator, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in header}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:
        return None
    frame = table.rename_columns([layout.columns[name] for name in header]).to_pandas()
    frame[LINE] = np.arange(2, len(frame) + 2, dtype="int64")
    return frame


def _decode(path: Path, data: bytes, layout: TableLayout) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _header_matches(text, layout):
            return text, encoding
    try:  # readable but with an unexpected header: the header check will say what is wrong
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    raise InputDataError(
        f"{path.name}: cannot read the header in any supported encoding "
        f"({', '.join(_ENCODINGS)}, with or without BOM, or UTF-16 with BOM); "
        f"expected columns {list(layout.columns)}. Save the file as UTF-8."
    )


def _header_matches(text: str, layout: TableLayout) -> bool:
    first = text.split("\n", 1)[0].strip("\r\ufeff")
    return any(name in first for name in layout.columns if name != "id")


def _split(line: str, separator: str) -> list[str]:
    return next(csv.reader([line], delimiter=separator))


def _sniff_separator(path: Path, header_line: str, layout: TableLayout) -> str:
    expected = set(layout.columns)
    best, best_hits = ",", -1
    for separator in _SEPARATORS:
        names = {name.strip().strip("\ufeff") for name in _split(header_line, separator)}
        hits = len(names & expected)
        if hits > best_hits:
            best, best_hits = separator, hits
    if best_hits <= 1 and len(expected) > 1:
        raise InputDataError(
            f"{path.name}: line 1 (header): cannot find the columns {list(layout.columns)} "
            f"with any separator ({' '.join(repr(s) for s in _SEPARATORS)}); "
            f"found {header_line[:120]!r}"
        )
    return best


def _split_rows(
    lines: list[str], names: list[str], separator: str, layout: TableLayout
) -> tuple[pd.DataFrame, list[RejectedLine]]:
    n_fields = len(names)
    columns: list[list[str]] = [[] for _ in range(n_fields)]
    line_numbers: list[int] = []
    rejected: list[RejectedLine] = []
    reader = csv.reader(lines[1:], delimiter=separator)
    for offset, row in enumerate(reader, start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank lines carry no record
        if len(row) != n_fields:
            reason = f"has {len(row)} fields, expected {n_fields} (separator {separator!r})"
            if offset == len(lines) and len(row) < n_fields:
                reason += "; the last line looks truncated"
            rejected.append(RejectedLine(offset, reason, separator.join(row)[:200]))
            continue
        for column, value in zip(columns, row, strict=True):
            column.append(value)
        line_numbers.append(offset)
    frame = pd.DataFrame(
        {layout.columns[name]: pd.Series(values, dtype=object) for name, values in zip(names, columns, strict=True)}
    )
    frame[LINE] = pd.Series(line_numbers, dtype="int64")
    return frame, rejected


def _check_header(names: list[str], layout: TableLayout, source: str) -> None:
    expected = list(layout.columns)
    missing = [name for name in expected if name not in names]
    extra = [name for name in names if name not in layout.columns]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"column(s) {missing} missing")
    if extra:
        problems.append(f"unexpected column(s) {extra}")
    if duplicated:
        problems.append(f"column(s) {duplicated} appear more than once")
    if problems:
        raise InputDataError(
            f"{source}: line 1 (header): {'; '.join(problems)}. Expected exactly {expected}; found {names}"
        )


def _read_parquet(path: Path, layout: TableLayout, digest: str) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as err:
        raise InputDataError(f"{path.name}: not a readable Parquet file ({err})") from err
    names = [str(name) for name in frame.columns]
    _check_header(names, layout, path.name)
    cells = pd.DataFrame(
        {layout.columns[name]: frame[name].astype(object).where(frame[name].notna(), "").map(str) for name in names}
    )
    cells[LINE] = pd.RangeIndex(1, len(frame) + 1).to_numpy(dtype="int64")
    return RawTable(layout, path, cells, "parquet", None, digest)
