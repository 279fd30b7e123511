"""The quarantine: rows that fail the checks, and rows of repeated keys, as load_tables reports them.

Bad rows are rare in real exports, so they are read again only from the tables that have
some (the first pass counts the rows that passed), and repeated keys only for the few
customers whose counts are above one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from oneclick.batch.sources import QUARANTINE_COLUMNS, TableSource, literal
from oneclick.batch.status import ROW_COUNTS
from oneclick.config import Settings
from oneclick.errors import InputDataError
from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, MARKET_TIME, MONEY, russian_value

_EXAMPLES = 5


def find_duplicates(
    connection: duckdb.DuckDBPyConnection, sources: dict[str, TableSource], customers: str
) -> pd.DataFrame:
    """Quarantine rows for repeated keys, as ingest.validate words them.

    Rare in real exports, so the rows of the few customers concerned are checked in pandas.
    Exact copies count once already; a customer whose market_file or money rows disagree has
    no usable row there, as load_tables quarantines every copy.
    """
    conditions = {
        MARKET_FILE.name: "n_market_file_rows > 1",
        MONEY.name: "n_money_rows > 1",
        MARKET_MONEY.name: " OR ".join(f"n_revenue_{p} > 1" for p in MARKET_MONEY.periods),
        MARKET_TIME.name: " OR ".join(f"n_minutes_{p} > 1" for p in MARKET_TIME.periods),
    }
    counts = connection.execute(
        "SELECT " + ", ".join(f"count(*) FILTER (WHERE {c})" for c in conditions.values()) + " FROM customer_status"
    ).fetchall()[0]
    found, conflicting = [], {}
    for (name, condition), n in zip(conditions.items(), counts, strict=True):
        if n == 0:
            continue
        rows = connection.sql(
            f"SELECT * FROM checked_{name} WHERE customer_id IN "
            f"(SELECT customer_id FROM customer_status WHERE {condition})"
        ).df()
        problems, conflicts = _duplicate_rows(rows, sources[name])
        found.append(problems)
        if len(conflicts) and name in (MARKET_FILE.name, MONEY.name):
            conflicting[ROW_COUNTS[name]] = conflicts
    if conflicting:
        replace = []
        for count, ids in conflicting.items():
            connection.register("conflicting_ids", pd.DataFrame({"customer_id": pd.Series(ids, dtype="int64")}))
            connection.execute(f"CREATE OR REPLACE TEMP TABLE conflicting_{count} AS SELECT * FROM conflicting_ids")
            connection.unregister("conflicting_ids")
            replace.append(
                f"CASE WHEN customer_id IN (SELECT customer_id FROM conflicting_{count}) THEN 0 "
                f"ELSE {count} END AS {count}"
            )
        connection.execute(
            f"CREATE OR REPLACE TEMP VIEW customer_status AS SELECT * REPLACE ({', '.join(replace)}) "
            f"FROM read_parquet({literal(customers)})"
        )
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=QUARANTINE_COLUMNS)


def _duplicate_rows(rows: pd.DataFrame, source: TableSource) -> tuple[pd.DataFrame, list[int]]:
    """ingest.validate's rule: exact repeats after the first, and every row of a key whose rows differ."""
    key = list(source.layout.key)
    values = [c for c in rows.columns if c != "line"]
    rows = rows.sort_values("line", kind="stable").astype({c: str for c in values if c != "customer_id"})
    exact_copy = rows.duplicated(subset=values, keep="first")
    distinct = rows[~exact_copy]
    conflicting = distinct.duplicated(subset=key, keep=False).reindex(rows.index, fill_value=False)
    headers = {en: ru for ru, en in source.layout.columns.items()}
    header = ", ".join(headers[k] for k in key)
    records = []
    for index in rows.index[exact_copy | conflicting]:
        key_text = ", ".join(russian_value(k, str(rows.at[index, k])) for k in key)
        reason = (
            f"key ({header}) = ({key_text}) appears on several lines with different values"
            if conflicting.loc[index]
            else f"exact repeat of another row with key ({header}) = ({key_text}); first copy kept"
        )
        records.append((source.file, int(rows.at[index, "line"]), header, key_text, reason))
    conflicts = sorted({int(rows.at[i, "customer_id"]) for i in rows.index[conflicting]})
    return pd.DataFrame(records, columns=QUARANTINE_COLUMNS), conflicts


def write_quarantine(
    connection: duckdb.DuckDBPyConnection,
    sources: dict[str, TableSource],
    rows_read: dict[str, int],
    valid: dict[str, int],
    duplicates: pd.DataFrame,
    out: Path,
    settings: Settings,
) -> dict[str, int]:
    """Write the failing rows to ``OUT/quarantine/`` and refuse a broken table, as load_tables does.

    ``valid``: rows that passed the checks per table; only tables with others are read again.
    """
    out.mkdir(parents=True, exist_ok=True)
    bad = {name: rows_read[name] - valid[name] for name in sources}
    parts = [f"SELECT * FROM problems_{name}" for name, n in bad.items() if n]
    path = out / "part-0.parquet"
    connection.register("duplicate_problems", duplicates.astype({"line": "int64"}))
    query = " UNION ALL ".join([*parts, "SELECT * FROM duplicate_problems"])
    connection.execute(
        f'COPY (SELECT * FROM ({query}) ORDER BY file, line, "column") TO {literal(str(path))} (FORMAT parquet)'
    )
    connection.unregister("duplicate_problems")
    per_file = dict(
        connection.execute(f"SELECT file, count(*) FROM read_parquet({literal(str(path))}) GROUP BY file").fetchall()
    )
    for name, source in sources.items():
        n_bad = int(per_file.get(source.file, 0))
        share = n_bad / max(rows_read[name], 1)
        if n_bad and (settings.bad_rows == "fail" or share > settings.max_bad_row_share):
            examples = connection.execute(
                f"SELECT line, reason FROM read_parquet({literal(str(path))}) "
                f"WHERE file = {literal(source.file)} ORDER BY line LIMIT {_EXAMPLES}"
            ).fetchall()
            listed = "\n".join(f"  - line {line}: {reason}" for line, reason in examples)
            why = (
                " (bad_rows='fail' stops at any bad row)"
                if share <= settings.max_bad_row_share
                else f", more than {settings.max_bad_row_share:.0%} of its rows"
            )
            raise InputDataError(
                f"{source.file} failed checks in {n_bad} of {rows_read[name]} rows{why}:\n{listed}\n"
                "Fix the file, or see `oneclick validate --help` for the expected format."
            )
    return {str(k): int(v) for k, v in per_file.items()}
