"""Repeated keys: an exact repeat of a row is quarantined and its first copy kept; rows of one key
that disagree are all quarantined, so the customer has no usable row there and is excluded.

Repeats are rare in real exports, so only the rows of the few customers whose counts in the
first pass are above one are read again, and judged in pandas.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, MARKET_TIME, MONEY, russian_value
from oneclick.ingest.raw import QUARANTINE_COLUMNS, RawTable
from oneclick.ingest.sqltext import literal
from oneclick.ingest.status import ROW_COUNTS


def find_repeated_keys(
    connection: duckdb.DuckDBPyConnection, raws: Mapping[str, RawTable], customers: str
) -> pd.DataFrame:
    """Quarantine rows for repeated keys; redefines the view ``customer_status`` without conflicts.

    A customer whose market_file or money rows disagree gets a row count of 0 there; months whose
    rows disagree already have no value in the first pass's files.
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
        problems, conflicts = repeated_key_rows(rows, raws[name])
        found.append(problems)
        if len(conflicts) and name in (MARKET_FILE.name, MONEY.name):
            conflicting[ROW_COUNTS[name]] = conflicts
    if conflicting:
        _without_conflicts(connection, customers, conflicting)
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=list(QUARANTINE_COLUMNS))


def repeated_key_rows(rows: pd.DataFrame, raw: RawTable) -> tuple[pd.DataFrame, list[int]]:
    """The quarantine rows of repeated keys among ``rows`` (checked rows, with ``line``), and the
    customers whose rows of one key disagree."""
    key = list(raw.source.layout.key)
    values = [c for c in rows.columns if c != "line"]
    rows = rows.sort_values("line", kind="stable").astype({c: str for c in values if c != "customer_id"})
    exact_copy = rows.duplicated(subset=values, keep="first")
    distinct = rows[~exact_copy]
    conflicting = distinct.duplicated(subset=key, keep=False).reindex(rows.index, fill_value=False)
    headers = {en: ru for ru, en in raw.source.layout.columns.items()}
    header = ", ".join(headers[k] for k in key)
    lines_of_key = rows.groupby(key, sort=False)["line"].agg(lambda lines: ", ".join(map(str, lines)))
    records = []
    for index in rows.index[exact_copy | conflicting]:
        key_value = tuple(rows.at[index, k] for k in key)
        lines = lines_of_key.loc[key_value if len(key) > 1 else key_value[0]]
        key_text = ", ".join(russian_value(k, str(v)) for k, v in zip(key, key_value, strict=True))
        reason = (
            f"key ({header}) = ({key_text}) appears on lines {lines} with different values"
            if conflicting.loc[index]
            else f"exact repeat of another row with key ({header}) = ({key_text}) on lines {lines}; first copy kept"
        )
        records.append((raw.file, int(rows.at[index, "line"]), header, key_text, reason))
    conflicts = sorted({int(rows.at[i, "customer_id"]) for i in rows.index[conflicting]})
    return pd.DataFrame(records, columns=list(QUARANTINE_COLUMNS)), conflicts


def _without_conflicts(
    connection: duckdb.DuckDBPyConnection, customers: str, conflicting: dict[str, list[int]]
) -> None:
    replace = []
    for count, ids in conflicting.items():
        connection.register("conflicting_ids", pd.DataFrame({"customer_id": pd.Series(ids, dtype="int64")}))
        connection.execute(f"CREATE OR REPLACE TEMP TABLE conflicting_{count} AS SELECT * FROM conflicting_ids")
        connection.unregister("conflicting_ids")
        replace.append(
            f"CASE WHEN customer_id IN (SELECT customer_id FROM conflicting_{count}) THEN 0 ELSE {count} END AS {count}"
        )
    connection.execute(
        f"CREATE OR REPLACE TEMP VIEW customer_status AS SELECT * REPLACE ({', '.join(replace)}) "
        f"FROM read_parquet({literal(customers)})"
    )
