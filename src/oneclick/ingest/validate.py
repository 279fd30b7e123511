"""Check one table cell by cell; what fails goes to quarantine with its reason.

A row is quarantined, never silently dropped, when a cell cannot be read, a value
is out of range, or its key repeats another row with different values. Exact
repeats of a row are quarantined as such, and the first copy is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.errors as pa_errors

from oneclick.ingest.columns import RUSSIAN_HEADERS, VALUES, russian_value
from oneclick.ingest.normalise import Converted, Fix, to_category, to_number, to_yes_no
from oneclick.ingest.read import LINE, RawTable
from oneclick.ingest.schemas import SCHEMAS

QUARANTINE_COLUMNS = ["file", "line", "column", "value", "reason"]


@dataclass
class CheckedTable:
    """A table's valid rows (typed, English names, with their line), repairs and rejects."""

    name: str
    file: str
    frame: pd.DataFrame
    rows_read: int
    sha256: str
    encoding: str
    separator: str | None
    fixes: list[Fix] = field(default_factory=list)
    quarantine: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=QUARANTINE_COLUMNS))


def check_table(raw: RawTable) -> CheckedTable:
    """Convert and check every cell of a table read by :func:`read_raw_table`."""
    name, file = raw.layout.name, raw.path.name
    schema = SCHEMAS[name].to_schema()
    cells = raw.cells.reset_index(drop=True)
    typed = pd.DataFrame(index=cells.index)
    fixes: list[Fix] = []
    problems: list[pd.DataFrame] = [_rejected_lines(raw)]
    for column, spec in schema.columns.items():
        converted = _convert(cells[column], name, column, str(spec.dtype))
        typed[column] = converted.values
        fixes.extend(converted.fixes)
        problems.append(_problem_rows(converted.problems, cells, column, file))
    bad = pd.concat(problems, ignore_index=True)
    keep = ~cells[LINE].isin(bad["line"])
    typed = _cast(typed[keep], schema)
    range_problems = _range_problems(typed, schema, cells[keep], file)
    typed = typed[~cells.loc[keep, LINE].isin(range_problems["line"])]
    typed[LINE] = cells.loc[typed.index, LINE]
    typed, duplicate_problems = _split_duplicates(typed, list(raw.layout.key), file)
    quarantine = pd.concat([bad, range_problems, duplicate_problems], ignore_index=True)
    quarantine = quarantine.sort_values(["line", "column"], kind="stable").reset_index(drop=True)
    return CheckedTable(
        name,
        file,
        typed.reset_index(drop=True),
        len(cells) + len(raw.rejected),
        raw.sha256,
        raw.encoding,
        raw.separator,
        fixes,
        quarantine,
    )


def _convert(cells: pd.Series, table: str, column: str, dtype: str) -> Converted:
    if column == "allows_messages":
        return to_yes_no(cells, table, column)
    if column in VALUES:
        return to_category(cells, table, column)
    return to_number(cells, table, column, whole=dtype.startswith("int"))


def _rejected_lines(raw: RawTable) -> pd.DataFrame:
    return pd.DataFrame(
        [(raw.path.name, r.line, "", r.text, f"line {r.reason}") for r in raw.rejected],
        columns=QUARANTINE_COLUMNS,
    )


def _problem_rows(problems: pd.Series, cells: pd.DataFrame, column: str, file: str) -> pd.DataFrame:
    failed = problems.notna()
    header = RUSSIAN_HEADERS[column]
    return pd.DataFrame(
        {
            "file": file,
            "line": cells.loc[failed, LINE].to_numpy(),
            "column": header,
            "value": cells.loc[failed, column].astype(str).to_numpy(),
            "reason": [f"column '{header}': {reason}" for reason in problems[failed]],
        },
        columns=QUARANTINE_COLUMNS,
    )


def _cast(typed: pd.DataFrame, schema: object) -> pd.DataFrame:
    dtypes = {column: str(spec.dtype) for column, spec in schema.columns.items()}  # type: ignore[attr-defined]
    return typed.astype({c: ("str" if d.startswith("str") else d) for c, d in dtypes.items()})


def _range_problems(typed: pd.DataFrame, schema: object, cells: pd.DataFrame, file: str) -> pd.DataFrame:
    try:
        schema.validate(typed, lazy=True)  # type: ignore[attr-defined]
    except pa_errors.SchemaErrors as err:
        cases = err.failure_cases.dropna(subset=["index"])
        rows = []
        for case in cases.itertuples():
            header = RUSSIAN_HEADERS.get(str(case.column), str(case.column))
            found = cells.loc[case.index, case.column] if case.column in cells else case.failure_case
            rows.append(
                (
                    file,
                    int(cells.loc[case.index, LINE]),
                    header,
                    str(found),
                    f"column '{header}': expected {_describe(str(case.check))}, found {found!r}",
                )
            )
        return pd.DataFrame(rows, columns=QUARANTINE_COLUMNS)
    return pd.DataFrame(columns=QUARANTINE_COLUMNS)


def _describe(check: str) -> str:
    words = {
        "greater_than_or_equal_to": ">=",
        "less_than_or_equal_to": "<=",
        "greater_than": ">",
        "less_than": "<",
        "isin": "one of",
    }
    name, _, argument = check.partition("(")
    if name in words:
        return f"a value {words[name]} {argument.rstrip(')')}"
    return check


def _split_duplicates(typed: pd.DataFrame, key: list[str], file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    values = [c for c in typed.columns if c != LINE]
    exact_copy = typed.duplicated(subset=values, keep="first")
    distinct = typed[~exact_copy]
    conflicting = distinct.duplicated(subset=key, keep=False).reindex(typed.index, fill_value=False)
    if not (exact_copy.any() or conflicting.any()):
        return typed, pd.DataFrame(columns=QUARANTINE_COLUMNS)
    header = ", ".join(RUSSIAN_HEADERS[k] for k in key)
    lines_of_key = typed.groupby(key, sort=False)[LINE].agg(lambda lines: ", ".join(map(str, lines)))
    rows = []
    for index in typed.index[exact_copy | conflicting]:
        key_value = tuple(typed.at[index, k] for k in key)
        lines = lines_of_key.loc[key_value if len(key) > 1 else key_value[0]]
        key_text = ", ".join(russian_value(k, str(v)) for k, v in zip(key, key_value, strict=True))
        if conflicting.loc[index]:
            reason = f"key ({header}) = ({key_text}) appears on lines {lines} with different values"
        else:
            reason = f"exact repeat of another row with key ({header}) = ({key_text}) on lines {lines}; first copy kept"
        rows.append((file, int(typed.at[index, LINE]), header, key_text, reason))
    return typed[~(exact_copy | conflicting)], pd.DataFrame(rows, columns=QUARANTINE_COLUMNS)
