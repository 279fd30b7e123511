"""The store's Russian values mapped to English, known typos and near-misses repaired.

A text column has a handful of distinct values whatever the number of rows, so the mapping is
learned once per column from its distinct values (here, in Python: :func:`match_value`) and
applied to every row in SQL (``ingest.cells``). Each repair is announced with its count.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from oneclick.ingest.columns import KNOWN_TYPOS, RUSSIAN_HEADERS, VALUES
from oneclick.ingest.dialect import TableSource
from oneclick.ingest.sqltext import ident

# Near-misses closer than this to exactly one known value are taken as typos of it.
TYPO_SIMILARITY = 0.85
# No value of the store's tables is longer; a longer cell is refused before it is looked up.
MAX_CELL_CHARACTERS = 1_000


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


@dataclass(frozen=True)
class ValueMap:
    """How the raw values of one text column map to English, learned from its distinct values."""

    table: str
    column: str
    english: tuple[tuple[str, str], ...]  # raw text -> English value, for the usable ones
    problems: tuple[tuple[str, str], ...]  # raw text -> why it is unusable
    fixes: tuple[Fix, ...]  # repairs, with the number of cells each touched


def match_value(raw: str, column: str) -> str | None:
    """The store's spelling of ``raw`` in ``column``, or None when it is none of them.

    >>> match_value("стандартт", "service_type"), match_value(" Премиум ", "service_type")
    ('стандарт', 'премиум')
    """
    known = list(VALUES[column])
    typos = KNOWN_TYPOS.get(column, {})
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
    close = difflib.get_close_matches(cleaned, [v.casefold() for v in known], n=2, cutoff=TYPO_SIMILARITY)
    if len(close) == 1:
        return next(v for v in known if v.casefold() == close[0])
    return None


def value_problem(raw: str, column: str) -> str:
    """Why a raw value of a text column is unusable (``match_value`` found nothing)."""
    if not raw.strip():
        return "missing value"
    expected = ", ".join(repr(v) for v in VALUES[column])
    return f"unknown value {raw!r}; expected one of {expected}"


def learn_value_map(table: str, column: str, counts: Mapping[str, int]) -> ValueMap:
    """The map of one column from its distinct raw values and how often each occurs."""
    english, problems, fixes = [], [], []
    vocabulary = VALUES[column]
    for raw in sorted(counts):
        correct = match_value(raw, column)
        if correct is None:
            problems.append((raw, value_problem(raw, column)))
            continue
        english.append((raw, vocabulary[correct]))
        if correct != raw:
            fixes.append(Fix(table, column, raw, correct, int(counts[raw])))
    return ValueMap(table, column, tuple(english), tuple(problems), tuple(fixes))


def learn_value_maps(
    connection: duckdb.DuckDBPyConnection, sources: Mapping[str, TableSource], read: Mapping[str, str]
) -> dict[tuple[str, str], ValueMap]:
    """Every text column's map, from one scan per table of its distinct values.

    ``read``: the SQL table expression of each table's raw rows (``ingest.raw.read_expression``).
    """
    maps = {}
    for name, source in sources.items():
        columns = [(ru, en) for ru, en in source.layout.columns.items() if en in VALUES]
        if not columns:
            continue
        names = ", ".join(ident(ru) for ru, _ in columns)
        sets = ", ".join(f"({ident(ru)})" for ru, _ in columns)
        cells = ", ".join(f"coalesce(CAST({ident(ru)} AS VARCHAR), '') AS {ident(ru)}" for ru, _ in columns)
        # One scan for all the table's text columns: a grouping set per column.
        rows = connection.execute(
            f"SELECT {names}, grouping({names}), count(*) FROM (SELECT {cells} FROM {read[name]}) "
            f"GROUP BY GROUPING SETS ({sets})"
        ).fetchall()
        for k, (_, column) in enumerate(columns):
            mask = (1 << (len(columns) - 1 - k)) ^ ((1 << len(columns)) - 1)
            counts = {
                str(row[k]): int(row[-1]) for row in rows if row[-2] == mask and len(str(row[k])) <= MAX_CELL_CHARACTERS
            }
            maps[(name, column)] = learn_value_map(name, column, counts)
    return maps
