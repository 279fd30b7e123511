"""Ways to break, or re-dialect, the store's exports of ``store_exports``: small functions of the files.

A change takes the exports (file name -> text, or bytes once encoded) and returns new ones;
``chain`` applies several in order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pandas as pd

Files = dict[str, str | bytes]
Change = Callable[[Files], Files]
TEXT_FILES = ("market_file.csv", "market_money.csv", "market_time.csv", "money.csv")


def _text(files: Files, name: str) -> str:
    content = files[name]
    assert isinstance(content, str), f"{name} is already encoded"
    return content


def replace(name: str, old: str, new: str) -> Change:
    """The first ``old`` of one file replaced by ``new``."""

    def change(files: Files) -> Files:
        text = _text(files, name)
        assert old in text, f"{old!r} not in {name}"
        return files | {name: text.replace(old, new, 1)}

    return change


def set_file(name: str, content: str | bytes) -> Change:
    return lambda files: files | {name: content}


def append(name: str, text: str) -> Change:
    return lambda files: files | {name: _text(files, name) + text}


def insert_line(name: str, after: int, line: str) -> Change:
    """A line put after line ``after`` of a file (1-based, header = 1), in the file's line ending."""

    def change(files: Files) -> Files:
        lines = _text(files, name).splitlines(keepends=True)
        ending = "\r\n" if lines[0].endswith("\r\n") else "\n"
        return files | {name: "".join([*lines[:after], line + ending, *lines[after:]])}

    return change


def set_cells(name: str, lines: range, field: int, value: str) -> Change:
    """Field ``field`` (0-based) of the given lines (1-based) of a comma-separated file set to ``value``."""

    def change(files: Files) -> Files:
        rows = _text(files, name).split("\n")
        for n in lines:
            cells = rows[n - 1].split(",")
            cells[field] = value
            rows[n - 1] = ",".join(cells)
        return files | {name: "\n".join(rows)}

    return change


def encode_bytes(name: str, old: bytes, new: bytes) -> Change:
    """One file encoded as UTF-8, then bytes ``old`` replaced by ``new`` (garbage inside a line)."""

    def change(files: Files) -> Files:
        data = _text(files, name).encode("utf-8")
        assert old in data, f"{old!r} not in {name}"
        return files | {name: data.replace(old, new, 1)}

    return change


def encode(encoder: Callable[[str], bytes]) -> Change:
    """Every file encoded with ``encoder`` (an encoding, a BOM)."""
    return lambda files: {name: encoder(_text(files, name)) for name in files}


def line_endings(ending: str) -> Change:
    """Every file with ``ending`` ("\\n" or "\\r\\n") after each line."""
    return lambda files: {name: "".join(line + ending for line in _text(files, name).splitlines()) for name in files}


def separator(sep: str, *, decimal_comma: bool) -> Change:
    """The comma-separated files split by ``sep`` (numbers with a decimal comma if asked); money.csv too.

    money.csv already has ';' and a decimal comma: it keeps its comma and takes ``sep``.
    """

    def change(files: Files) -> Files:
        changed: Files = {}
        for name in files:
            text = _text(files, name)
            if name == "money.csv":
                changed[name] = text.replace(";", sep)
                continue
            lines = []
            for line in text.splitlines():
                cells = line.split(",")
                lines.append(sep.join(cell.replace(".", ",") if decimal_comma else cell for cell in cells))
            changed[name] = "\n".join(lines) + "\n"
        return changed

    return change


def quote_every_field(files: Files) -> Files:
    """Every field of every file quoted, the header too (the separator and line endings kept)."""
    changed: Files = {}
    for name in files:
        text = _text(files, name)
        sep = ";" if name == "money.csv" else ","
        ending = "\r\n" if "\r\n" in text else "\n"
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
        out = io.StringIO()
        csv.writer(out, delimiter=sep, quoting=csv.QUOTE_ALL, lineterminator=ending).writerows(rows)
        changed[name] = out.getvalue()
    return changed


def reorder_columns(name: str, order: list[int]) -> Change:
    """The columns of one comma-separated file in another order (``order``: old positions)."""

    def change(files: Files) -> Files:
        lines = [line.split(",") for line in _text(files, name).splitlines()]
        return files | {name: "".join(",".join(cells[k] for k in order) + "\n" for cells in lines)}

    return change


def drop(name: str, line: str) -> Change:
    """One whole line of a file removed (``line`` with its line ending)."""
    return replace(name, line, "")


def as_parquet(files: Files) -> Files:
    """The four tables written as Parquet, with the types pandas reads from the CSV."""
    changed: Files = {}
    for name in files:
        text = _text(files, name)
        sep, decimal = (";", ",") if name == "money.csv" else (",", ".")
        buffer = io.BytesIO()
        pd.read_csv(io.StringIO(text), sep=sep, decimal=decimal).to_parquet(buffer, index=False)
        changed[name.replace(".csv", ".parquet")] = buffer.getvalue()
    return changed


def chain(*changes: Change) -> Change:
    def change(files: Files) -> Files:
        for step in changes:
            files = step(files)
        return files

    return change
