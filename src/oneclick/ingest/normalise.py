"""Turn text cells into typed values, repairing what is safe to repair.

Each function returns the converted column, the repairs it made (announced with
counts) and, per row, why a cell could not be converted. Nothing is dropped here.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from oneclick.ingest.columns import KNOWN_TYPOS, RUSSIAN_HEADERS, VALUES

# Near-misses closer than this to exactly one known value are taken as typos of it.
_TYPO_SIMILARITY = 0.85
_DECIMAL_COMMA = r"^[+-]?\d+,\d+$"
_LARGEST_WHOLE = 2**53


@dataclass(frozen=True)
class Fix:
    """One kind of repair made to a column, and how many cells it touched."""

    table: str
    column: str
    before: str
    after: str
    count: int

    def as_dict(self) -> dict[str, object]:
        return {
            "table": self.table,
            "column": RUSSIAN_HEADERS.get(self.column, self.column),
            "field": self.column,
            "from": self.before,
            "to": self.after,
            "count": self.count,
        }


@dataclass
class Converted:
    """A converted column: typed values, repairs, and a reason per unconvertible row."""

    values: pd.Series
    fixes: list[Fix]
    problems: pd.Series  # str reason where the cell is unusable, else NA


def _problems(index: pd.Index) -> pd.Series:
    return pd.Series(pd.NA, index=index, dtype=object)


def to_category(cells: pd.Series, table: str, column: str) -> Converted:
    """Map the store's Russian values to English ones, fixing known and near-miss typos."""
    vocabulary = VALUES[column]
    typos = KNOWN_TYPOS.get(column, {})
    fixes, mapping = [], {}
    counts = cells.value_counts(sort=False)
    for raw, count in counts.items():
        correct = _match_value(str(raw), vocabulary, typos)
        mapping[raw] = vocabulary.get(correct) if correct else None
        if correct and correct != raw:
            fixes.append(Fix(table, column, str(raw), correct, int(count)))
    values = cells.map(mapping)
    problems = _problems(cells.index)
    unknown = values.isna()
    expected = ", ".join(repr(v) for v in vocabulary)
    problems[unknown] = [
        "missing value" if not str(raw).strip() else f"unknown value {raw!r}; expected one of {expected}"
        for raw in cells[unknown]
    ]
    return Converted(values.astype(object), fixes, problems)


def _match_value(raw: str, vocabulary: Mapping[str, str], typos: Mapping[str, str]) -> str | None:
    known = list(vocabulary)
    if raw in known:
        return raw
    if raw in typos:
        return typos[raw]
    cleaned = " ".join(raw.split()).casefold()
    for value in known:
        if value.casefold() == cleaned:
            return value
    if not cleaned:
        return None
    close = difflib.get_close_matches(cleaned, [v.casefold() for v in known], n=2, cutoff=_TYPO_SIMILARITY)
    if len(close) == 1:
        return next(v for v in known if v.casefold() == close[0])
    return None


def to_number(cells: pd.Series, table: str, column: str, *, whole: bool) -> Converted:
    """Parse numbers written with a decimal point or a decimal comma."""
    text = cells.astype(str).str.strip()
    comma = text.str.match(_DECIMAL_COMMA)
    fixes = []
    if comma.any():
        text = text.where(~comma, text.str.replace(",", ".", regex=False))
        fixes.append(Fix(table, column, "decimal comma", "decimal point", int(comma.sum())))
    values = _parse_floats(text)
    problems = _problems(cells.index)
    empty = text.eq("") | text.str.casefold().isin(["nan", "na", "null", "none"])
    problems[empty] = "missing value"
    not_number = values.isna() & ~empty
    what = "a whole number" if whole else "a number"
    problems[not_number] = [f"expected {what}, found {raw!r}" for raw in cells[not_number]]
    infinite = np.isinf(values)
    problems[infinite] = [f"expected a finite number, found {raw!r}" for raw in cells[infinite]]
    if whole:
        fractional = values.notna() & ~infinite & (values % 1 != 0)
        problems[fractional] = [f"expected a whole number, found {raw!r}" for raw in cells[fractional]]
        # Beyond 2**53 a float no longer holds every whole number, and int64 overflows soon after.
        huge = values.notna() & ~infinite & (values.abs() > _LARGEST_WHOLE)
        problems[huge] = [f"expected a whole number of sensible size, found {raw!r}" for raw in cells[huge]]
    return Converted(values.where(problems.isna()), fixes, problems)


def _parse_floats(text: pd.Series) -> pd.Series:
    """Arrow's parser when every cell is a number (the usual case, and fast); pandas' otherwise."""
    try:
        parsed = pc.cast(pa.array(text, type=pa.string()), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.to_numeric(text, errors="coerce").astype("float64")
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def to_yes_no(cells: pd.Series, table: str, column: str) -> Converted:
    """Map да/нет to True/False."""
    converted = to_category(cells, table, column)
    flags = converted.values.map({"yes": True, "no": False})
    return Converted(flags.astype(object), converted.fixes, converted.problems)
