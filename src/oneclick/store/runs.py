"""Registering a run: its record and its tables, in one transaction; reading them back.

A run is what one command made (``run``, ``train``, ``retrain``, ``score``, ``offers``, a batch run): its
record in ``runs`` (kind, time, data fingerprint, settings, data quality, metrics, summary,
model) and its tables in ``run_<name>`` with a ``run_id`` column (``customers``, ``scores``,
``offers``, ``segments``, ``segment_features``, ``segment_drivers``, ``profit_curve``,
``campaign``). A data table takes its columns from the first run that writes it and gains the
columns a later output adds (older runs read NULL there), so the library's outputs are stored
as they are, not restated.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from oneclick.ingest.sqltext import ident, literal
from oneclick.store.connect import reading, writing

# A run's data: a frame in memory, or the Parquet files (a glob) a batch run wrote.
TableData = pd.DataFrame | str
RUN_KINDS = ("run", "train", "retrain", "score", "offers", "batch")


@dataclass(frozen=True)
class RunRecord:
    """What the store keeps about a run, beside its tables."""

    kind: str
    data_dir: str | None = None
    out_dir: str | None = None
    data_fingerprint: str | None = None
    model_id: str | None = None
    n_customers: int | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    quality: Mapping[str, Any] = field(default_factory=dict)
    metrics: Mapping[str, Any] = field(default_factory=dict)
    summary: Mapping[str, Any] = field(default_factory=dict)


def new_run_id(kind: str, now: datetime | None = None) -> str:
    """A run id that sorts by time and says what made it: ``run-20261201T214600Z-3f9a1c``."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{kind}-{moment}-{secrets.token_hex(3)}"


def register_run(
    store: Path,
    record: RunRecord,
    tables: Mapping[str, TableData] | None = None,
    *,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> str:
    """Write ``record`` and ``tables`` to the store in one transaction; returns the new run id.

    ``connection``: an open writing transaction (``store.connect.writing``) to join, e.g. to
    register a model in the same transaction; otherwise one is opened for this run.
    """
    if record.kind not in RUN_KINDS:
        raise ValueError(f"run kind {record.kind!r}: expected one of {RUN_KINDS}")
    if connection is None:
        with writing(store) as transaction:
            return register_run(store, record, tables, connection=transaction)
    run_id = new_run_id(record.kind)
    connection.execute(
        "INSERT INTO runs VALUES (?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            record.kind,
            record.data_dir,
            record.out_dir,
            record.data_fingerprint,
            record.model_id,
            record.n_customers,
            _json(record.settings),
            _json(record.quality),
            _json(record.metrics),
            _json(record.summary),
        ],
    )
    for name, data in (tables or {}).items():
        n_rows = append_table(connection, f"run_{name}", data, run_id)
        connection.execute("INSERT INTO run_tables VALUES (?, ?, ?)", [run_id, name, n_rows])
    return run_id


def append_table(connection: duckdb.DuckDBPyConnection, table: str, data: TableData, run_id: str) -> int:
    """Append ``data`` to ``table`` under ``run_id``, creating the table or its new columns as needed."""
    if isinstance(data, pd.DataFrame):
        connection.register("_incoming", data.reset_index() if _named_index(data) else data)
        source = "_incoming"
    else:
        source = f"read_parquet({literal(data)}, union_by_name = true)"
    try:
        relation = f"SELECT {literal(run_id)} AS run_id, * FROM {source}"
        existing = {
            name: kind
            for name, kind in connection.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]
            ).fetchall()
        }
        if not existing:
            connection.execute(f"CREATE TABLE {ident(table)} AS {relation} LIMIT 0")
        else:
            for name, kind, *_ in connection.execute(f"DESCRIBE {relation}").fetchall():
                if name not in existing:
                    connection.execute(f"ALTER TABLE {ident(table)} ADD COLUMN {ident(name)} {kind}")
        connection.execute(f"INSERT INTO {ident(table)} BY NAME {relation}")
        return int(connection.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0])
    finally:
        if source == "_incoming":
            connection.unregister("_incoming")


def list_runs(store: Path) -> pd.DataFrame:
    """Every run, newest first: id, kind, time, fingerprint, model, customers and its tables."""
    with reading(store) as connection:
        return connection.sql(
            "SELECT r.run_id, r.kind, r.created_at, r.data_fingerprint, r.model_id, r.n_customers, "
            "coalesce(list(t.name ORDER BY t.name) FILTER (WHERE t.name IS NOT NULL), []) AS tables "
            "FROM runs AS r LEFT JOIN run_tables AS t USING (run_id) "
            "GROUP BY ALL ORDER BY r.created_at DESC, r.run_id DESC"
        ).df()


def run_record(connection: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any] | None:
    """One run's record with its JSON fields parsed, or None."""
    rows = connection.execute("SELECT * FROM runs WHERE run_id = ?", [run_id]).fetchall()
    if not rows:
        return None
    names = [d[0] for d in connection.description]
    record = dict(zip(names, rows[0], strict=True))
    for key in ("settings", "quality", "metrics", "summary"):
        record[key] = json.loads(record[key]) if record[key] else {}
    return record


def latest_run(connection: duckdb.DuckDBPyConnection, *, having: str | None = None) -> str | None:
    """The id of the newest run (that has the table ``having``), or None."""
    query = "SELECT r.run_id FROM runs AS r"
    params: list[Any] = []
    if having is not None:
        query += " JOIN run_tables AS t ON t.run_id = r.run_id AND t.name = ?"
        params.append(having)
    rows = connection.execute(query + " ORDER BY r.created_at DESC, r.run_id DESC LIMIT 1", params).fetchall()
    return rows[0][0] if rows else None


def _named_index(frame: pd.DataFrame) -> bool:
    return frame.index.name is not None


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
