"""The cell checks: every cell converted and checked in DuckDB, each rule once, with its message.

Numbers are read with a decimal point or a decimal comma; the Russian values, known typos and
near-misses are mapped by the learned :class:`~oneclick.ingest.values.ValueMap` of each text
column; the range checks come from the pandera schemas (``ingest/schemas.py``): a check added
to a schema is checked at any size, worded by :func:`_check_sql`. What a row fails goes to a
quarantine view with the file, line, column, value and reason.

Per table the views are ``typed_<table>`` (every row, typed) and ``checked_<table>`` (the rows
that pass, English names and values); :func:`problems_query` lists what the others fail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

from oneclick.ingest.columns import VALUES
from oneclick.ingest.dialect import FLOAT_TYPES, NUMERIC_TYPES
from oneclick.ingest.raw import RawTable, read_expression
from oneclick.ingest.schemas import SCHEMAS
from oneclick.ingest.sqltext import ident, literal, shown
from oneclick.ingest.values import MAX_CELL_CHARACTERS, ValueMap

# Beyond 2**53 a double no longer holds every whole number, and int64 overflows soon after.
LARGEST_WHOLE = 2**53
# How a failed pandera check reads in a reason: "expected a value >= 0, found '-3'".
CHECK_WORDS = {
    "greater_than": ">",
    "greater_than_or_equal_to": ">=",
    "less_than": "<",
    "less_than_or_equal_to": "<=",
    "equal_to": "==",
    "not_equal_to": "!=",
}
_MISSING_TEXTS = ("nan", "na", "null", "none")

IdRange = tuple[int | None, int | None]  # inclusive; None = no bound on that side


def create_views(
    connection: duckdb.DuckDBPyConnection,
    raws: Mapping[str, RawTable],
    value_maps: Mapping[tuple[str, str], ValueMap],
    *,
    id_range: IdRange | None = None,
) -> None:
    """Create the ``typed_`` and ``checked_`` views of the four tables on ``connection``.

    ``id_range`` keeps only the rows whose customer id reads as a number in ``[low, high]``
    (pushed down to Parquet when the id column holds numbers).
    """
    create_enum_types(connection)
    for name, raw in raws.items():
        columns = [_column_sql(raw, column, value_maps) for column in schema_columns(name)]
        inner = ", ".join(f"{c.value} AS {ident('_v_' + c.name)}" for c in columns)
        query = f"SELECT line, {inner}, * EXCLUDE (line) FROM {read_expression(raw)}"
        if id_range is not None:
            # The id as the checks read it, so a valid row falls in exactly one range of a cut.
            value = next(c.value for c in columns if c.name == "customer_id")
            bounds = [
                f"{value} {op} {int(bound)}"
                for op, bound in zip((">=", "<="), id_range, strict=True)
                if bound is not None
            ]
            query += f" WHERE {' AND '.join(bounds or ['TRUE'])}"
        connection.execute(f"CREATE OR REPLACE TEMP VIEW typed_{name} AS {query}")
        ok = " AND ".join(f"({c.converts}) AND ({c.in_range})" for c in columns)
        typed = ", ".join(f"{c.typed} AS {ident(c.name)}" for c in columns)
        connection.execute(
            f"CREATE OR REPLACE TEMP VIEW checked_{name} AS SELECT line, {typed} FROM typed_{name} WHERE {ok}"
        )


def problems_query(raw: RawTable, value_maps: Mapping[tuple[str, str], ValueMap]) -> str:
    """Quarantine rows (file, line, column, value, reason) of every cell of ``typed_<table>`` that fails.

    A row's range checks count only when all its cells convert, so a reason never judges a
    value that was not read. Only the tables with failing rows are asked (it is the costliest
    query to plan).
    """
    columns = [_column_sql(raw, column, value_maps) for column in schema_columns(raw.name)]
    ok = " AND ".join(f"({c.converts}) AND ({c.in_range})" for c in columns)
    return _problems_query(raw, columns, ok)


@dataclass(frozen=True)
class _ColumnSql:
    """One schema column as SQL: raw value, typed value, checks (boolean) and their reasons."""

    name: str
    header: str
    value: str  # over the raw columns: the English value or the number, before checks
    typed: str  # over ``_v_<name>``: the final typed value
    converts: str  # over ``_v_<name>``: the cell could be converted
    in_range: str  # over ``_v_<name>``: the schema's checks pass (true when the cell did not convert)
    conversion_reason: str  # over ``_v_<name>`` and the raw columns
    range_reason: str


def enum_type(column: str) -> str:
    """The name of the DuckDB ENUM that holds the English values of a text column."""
    return f"oc_{column}"


def create_enum_types(connection: duckdb.DuckDBPyConnection) -> None:
    """The ENUM types of the English values of the text columns (``allows_messages`` is a boolean)."""
    existing = {row[0] for row in connection.execute("SELECT type_name FROM duckdb_types()").fetchall()}
    for column, values in VALUES.items():
        if column == "allows_messages" or enum_type(column) in existing:
            continue
        members = ", ".join(literal(v) for v in values.values())
        connection.execute(f"CREATE TYPE {enum_type(column)} AS ENUM ({members})")


def schema_columns(name: str) -> list[str]:
    """The English columns of a table, in the order of its schema."""
    return list(SCHEMAS[name].to_schema().columns)


def raw_text(header: str) -> str:
    """A raw cell as text (empty for a missing cell)."""
    return f"coalesce(CAST({ident(header)} AS VARCHAR), '')"


def decimal_comma(text: str) -> str:
    """SQL: ``text`` is a number written with a decimal comma (``3,5``), repaired and counted as a fix."""
    return f"regexp_full_match({text}, '[+-]?\\d+,\\d+')"


def _column_sql(raw: RawTable, column: str, value_maps: Mapping[tuple[str, str], ValueMap]) -> _ColumnSql:
    source = raw.source
    spec = SCHEMAS[source.name].to_schema().columns[column]
    header = next(ru for ru, en in source.layout.columns.items() if en == column)
    v = ident(f"_v_{column}")
    checks = [_check_sql(v, check, enum_type(column) if column in VALUES else None) for check in spec.checks]
    in_range = " AND ".join(f"coalesce({condition}, TRUE)" for condition, _ in checks) or "TRUE"
    prefix = f"column {header!r}: "
    found = f"'''' || {shown(raw_text(header))} || ''''"
    whens = " ".join(
        f"WHEN NOT coalesce({condition}, TRUE) THEN {literal(prefix + 'expected ' + described + ', found ')} || {found}"
        for condition, described in checks
    )
    range_reason = f"CASE {whens} END" if checks else "NULL"
    if column in VALUES:
        value, converts, reason = _category(header, column, value_maps[(source.name, column)])
        typed = v
    else:
        whole = str(spec.dtype).startswith("int")
        value, converts, reason, typed = _number(source.raw_type(header), header, column, whole)
    return _ColumnSql(
        column, header, value, typed, converts, in_range, f"{literal(prefix)} || ({reason})", range_reason
    )


def _number(raw_type: str, header: str, column: str, whole: bool) -> tuple[str, str, str, str]:
    """Value, converts, reason and typed value of a number column.

    Text is read with a decimal point or a decimal comma; an empty cell and ``nan``, ``na``,
    ``null``, ``none`` are missing; a whole number must be whole and below 2**53.
    """
    v = ident(f"_v_{column}")
    what = "a whole number" if whole else "a number"
    found = f"'found ''' || {shown(raw_text(header))} || ''''"
    is_integer = raw_type in NUMERIC_TYPES and raw_type not in FLOAT_TYPES
    if raw_type in NUMERIC_TYPES:
        value = ident(header)
        cases = [(f"{v} IS NULL" if is_integer else f"{v} IS NULL OR isnan({v})", "'missing value'")]
    else:
        text = f"trim(CAST({ident(header)} AS VARCHAR))"
        decimal = f"CASE WHEN {decimal_comma(text)} THEN replace({text}, ',', '.') ELSE {text} END"
        value = f"TRY_CAST({decimal} AS DOUBLE)"
        missing = f"{text} IS NULL OR {text} = '' OR lower({text}) IN {_MISSING_TEXTS} OR isnan({v})"
        cases = [_too_long(header), (missing, "'missing value'"), (f"{v} IS NULL", f"'expected {what}, ' || {found}")]
    if not is_integer:
        cases.append((f"isinf({v})", f"'expected a finite number, ' || {found}"))
        if whole:
            cases.append((f"{v} <> trunc({v})", f"'expected a whole number, ' || {found}"))
    if whole:
        cases.append((f"abs({v}) > {LARGEST_WHOLE}", f"'expected a whole number of sensible size, ' || {found}"))
    converts = f"NOT coalesce({' OR '.join(f'({condition})' for condition, _ in cases)}, FALSE)"
    reason = "CASE " + " ".join(f"WHEN {condition} THEN {text}" for condition, text in cases) + " END"
    if whole and not is_integer:
        typed = f"TRY_CAST({v} AS BIGINT)"
    elif not whole and is_integer:
        typed = f"CAST({v} AS DOUBLE)"
    else:
        typed = v
    return value, converts, reason, typed


def _category(header: str, column: str, value_map: ValueMap) -> tuple[str, str, str]:
    text = raw_text(header)
    if column == "allows_messages":
        flags = {"yes": "TRUE", "no": "FALSE"}
        pairs = [(raw, flags[en]) for raw, en in value_map.english]
    else:
        pairs = [(raw, f"{literal(en)}::{enum_type(column)}") for raw, en in value_map.english]
    value = _case(text, pairs, "NULL")
    reasons = [(raw, literal(reason)) for raw, reason in value_map.problems]
    # A value the map has not seen (the file changed since it was learned) is unusable too.
    unknown = f"'unknown value ''' || {shown(text)} || ''''"
    too_long, long_reason = _too_long(header)
    reason = f"CASE WHEN {too_long} THEN {long_reason} ELSE {_case(text, reasons, unknown)} END"
    return value, f"{ident('_v_' + column)} IS NOT NULL", reason


def _too_long(header: str) -> tuple[str, str]:
    """No cell of the store's tables comes near MAX_CELL_CHARACTERS: a longer one is a broken export."""
    length = f"length({raw_text(header)})"
    return (
        f"{length} > {MAX_CELL_CHARACTERS}",
        f"'a value of ' || format('{{:,}}', {length}) || ' characters; expected at most {MAX_CELL_CHARACTERS:,}'",
    )


def _case(subject: str, pairs: list[tuple[str, str]], default: str) -> str:
    if not pairs:
        return default
    whens = " ".join(f"WHEN {literal(raw)} THEN {sql}" for raw, sql in pairs)
    return f"CASE {subject} {whens} ELSE {default} END"


def _check_sql(value: str, check: Any, enum: str | None = None) -> tuple[str, str]:
    """A pandera check as a SQL condition on ``value``, and how a reason describes it.

    ``enum``: the ENUM type ``value`` has, so ``isin`` compares codes rather than texts.
    """
    stats = check.statistics
    if check.name in CHECK_WORDS:
        bound = stats.get("min_value", stats.get("max_value", stats.get("value")))
        op = "=" if check.name == "equal_to" else CHECK_WORDS[check.name]
        return f"{value} {op} {literal(bound)}", f"a value {CHECK_WORDS[check.name]} {bound}"
    if check.name == "in_range":
        low = ">=" if stats.get("include_min", True) else ">"
        high = "<=" if stats.get("include_max", True) else "<"
        condition = f"{value} {low} {literal(stats['min_value'])} AND {value} {high} {literal(stats['max_value'])}"
        return condition, f"a value in_range {stats['min_value']}, {stats['max_value']}"
    if check.name == "isin":
        allowed = list(stats["allowed_values"])
        if enum is None:
            members = ", ".join(literal(v) for v in allowed)
            return f"CAST({value} AS VARCHAR) IN ({members})", f"a value one of {allowed}"
        return f"{value} IN ({', '.join(f'{literal(v)}::{enum}' for v in allowed)})", f"a value one of {allowed}"
    raise NotImplementedError(
        f"no SQL form for the check {check.name!r} of ingest/schemas.py; add it to oneclick.ingest.cells._check_sql"
    )


def _problems_query(raw: RawTable, columns: list[_ColumnSql], ok: str) -> str:
    """One row per failed cell; range checks count only on rows whose every cell converts."""

    def entries(kind: str) -> str:
        return ", ".join(
            f"CASE WHEN NOT ({c.converts if kind == 'conversion' else c.in_range}) THEN "
            f"{{'column': {literal(c.header)}, 'value': {shown(raw_text(c.header))}, "
            f"'reason': {c.conversion_reason if kind == 'conversion' else c.range_reason}}} END"
            for c in columns
        )

    converts = " AND ".join(f"({c.converts})" for c in columns)
    problems = f"CASE WHEN {converts} THEN [{entries('range')}] ELSE [{entries('conversion')}] END"
    return (
        f'SELECT {literal(raw.file)} AS file, line, problem.column AS "column", problem.value AS value, '
        f"problem.reason AS reason FROM (SELECT line, unnest(list_filter({problems}, lambda p: p IS NOT NULL)) "
        f"AS problem FROM typed_{raw.name} WHERE NOT ({ok}))"
    )
