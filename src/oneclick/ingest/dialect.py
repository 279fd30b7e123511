"""How one export is written: format, encoding, separator and header, read from its first bytes.

These are the reading rules; every engine starts here. The store's CSV exports come with
``,`` ``;`` tab or ``|`` separators, UTF-8 with or without BOM, CP1251 or UTF-16 with BOM, CRLF
or LF line endings, fields quoted or not; or the tables come as Parquet. The encoding is told by
the BOM, else by the first line (UTF-8 when it decodes, CP1251 when only that spelling gives
the store's column names); the separator is the one that splits the header into the most of
them. The header must hold exactly the table's columns, in any order.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from oneclick.errors import InputDataError
from oneclick.ingest.columns import TABLES, TableLayout
from oneclick.ingest.sqltext import literal

SourceKind = Literal["csv", "parquet"]
PARQUET_SUFFIXES = (".parquet", ".pq")
SEPARATORS = (",", ";", "\t", "|")
# Tried in this order when the file has no BOM: UTF-8 first, it is what the store exports today.
ENCODINGS = ("utf-8", "cp1251")
# Enough bytes for any header line of the store's tables, several times over.
HEADER_BYTES = 1 << 16
NUMERIC_TYPES = frozenset(
    {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT", "HUGEINT"}
    | {"DOUBLE", "FLOAT", "REAL"}
)
FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT", "REAL"})


@dataclass(frozen=True)
class TableSource:
    """One of the store's exports and how it is written."""

    name: str
    path: str
    kind: SourceKind
    encoding: str  # utf-8, utf-8-sig, cp1251, utf-16, or "parquet"
    separator: str | None  # CSV only
    header: tuple[str, ...]  # the Russian column names, in file order
    raw_types: tuple[str, ...]  # DuckDB type of each column's cells (CSV: all VARCHAR)

    @property
    def file(self) -> str:
        return Path(self.path).name

    @property
    def layout(self) -> TableLayout:
        return TABLES[self.name]

    def raw_type(self, header: str) -> str:
        return self.raw_types[self.header.index(header)]


def find_table_file(folder: Path, layout: TableLayout) -> Path:
    """The export of one table in a folder: ``<name>.csv`` or ``<name>.parquet``."""
    candidates = [folder / f"{layout.name}{ext}" for ext in (".csv", *PARQUET_SUFFIXES)]
    found = [p for p in candidates if p.is_file()]
    if not folder.is_dir():
        raise InputDataError(f"{folder}: not a folder; pass the folder that holds the store's four tables")
    if not found:
        raise InputDataError(
            f"{folder}: no file for table '{layout.name}'; expected {layout.name}.csv "
            f"or {layout.name}.parquet. Found: {sorted(p.name for p in folder.iterdir())[:10]}"
        )
    if len(found) > 1:
        raise InputDataError(
            f"{folder}: table '{layout.name}' is there twice ({', '.join(p.name for p in found)}); keep one of them"
        )
    return found[0]


def describe_source(connection: duckdb.DuckDBPyConnection, name: str, path: Path) -> TableSource:
    """Read the format, encoding, separator and header of one export; check the header.

    Raises :class:`InputDataError` naming the file (and line 1 for the header) when the file
    is empty, unreadable, or its header is not the table's.
    """
    layout = TABLES[name]
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return _describe_parquet(connection, name, path, layout)
    with path.open("rb") as handle:
        head = handle.read(HEADER_BYTES)
    if not head.strip():
        raise InputDataError(
            f"{path.name}: the file is empty; expected a header line with columns "
            f"{list(layout.columns)} and one row per record"
        )
    header_line, encoding = _header_line(path, head, layout)
    separator = _sniff_separator(path, header_line, layout)
    header = [cell.strip().strip("\ufeff").strip() for cell in split_line(header_line, separator)]
    check_header(header, layout, path.name)
    return TableSource(name, str(path), "csv", encoding, separator, tuple(header), ("VARCHAR",) * len(header))


def _describe_parquet(connection: duckdb.DuckDBPyConnection, name: str, path: Path, layout: TableLayout) -> TableSource:
    try:
        rows = connection.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(str(path))})").fetchall()
    except duckdb.Error as err:
        raise InputDataError(f"{path.name}: not a readable Parquet file ({first_line(err)})") from err
    header = [str(row[0]) for row in rows]
    check_header(header, layout, path.name)
    return TableSource(name, str(path), "parquet", "parquet", None, tuple(header), tuple(str(r[1]) for r in rows))


def _header_line(path: Path, head: bytes, layout: TableLayout) -> tuple[str, str]:
    """The first line as text, and the file's encoding."""
    if head.startswith(codecs.BOM_UTF8):
        return _decoded_line(path, head[len(codecs.BOM_UTF8) :], "utf-8", layout), "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
        return _decoded_line(path, decoder.decode(head).encode("utf-8"), "utf-8", layout), "utf-16"
    first = head.split(b"\n", 1)[0]
    readable = []
    for encoding in ENCODINGS:
        try:
            line = _decoded_line(path, first, encoding, layout)
        except InputDataError:
            continue
        if any(name in line for name in layout.columns if name != "id"):
            return line, encoding
        readable.append((line, encoding))
    # UTF-8 but not the store's header: the header check says what is wrong. Any other bytes
    # decode as CP1251 too, so a CP1251 header that is not the store's is unreadable.
    if readable and readable[0][1] == ENCODINGS[0]:
        return readable[0]
    raise _unreadable_header(path, layout)


def _decoded_line(path: Path, data: bytes, encoding: str, layout: TableLayout) -> str:
    try:
        line = codecs.getincrementaldecoder(encoding)(errors="strict").decode(data.split(b"\n", 1)[0])
    except UnicodeDecodeError as err:
        raise _unreadable_header(path, layout) from err
    line = line.rstrip("\r")
    # Control characters (but the tab, a separator) say this is not text in this encoding.
    if any(ord(ch) < 32 and ch != "\t" for ch in line):
        raise _unreadable_header(path, layout)
    return line


def _unreadable_header(path: Path, layout: TableLayout) -> InputDataError:
    return InputDataError(
        f"{path.name}: cannot read the header in any supported encoding "
        f"({', '.join(ENCODINGS)}, with or without BOM, or UTF-16 with BOM); "
        f"expected columns {list(layout.columns)}. Save the file as UTF-8."
    )


def split_line(line: str, separator: str) -> list[str]:
    """One line split into fields by CSV quoting (only the header is split in Python)."""
    return next(csv.reader([line], delimiter=separator), [])


def _sniff_separator(path: Path, header_line: str, layout: TableLayout) -> str:
    expected = set(layout.columns)
    best, best_hits = ",", -1
    for separator in SEPARATORS:
        names = {name.strip().strip("\ufeff").strip() for name in split_line(header_line, separator)}
        hits = len(names & expected)
        if hits > best_hits:
            best, best_hits = separator, hits
    if best_hits <= 1 and len(expected) > 1:
        raise InputDataError(
            f"{path.name}: line 1 (header): cannot find the columns {list(layout.columns)} "
            f"with any separator ({' '.join(repr(s) for s in SEPARATORS)}); "
            f"found {header_line[:120]!r}"
        )
    return best


def check_header(names: list[str], layout: TableLayout, source: str) -> None:
    """The header holds exactly the table's columns, each once, in any order."""
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


def first_line(err: Exception) -> str:
    """The first line of an error's message (DuckDB's go on with hints), or its type."""
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
