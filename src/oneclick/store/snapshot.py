"""A copy of what the service serves: the champion and its newest run that chose offers, out of the store,
with the store's campaigns and catalogue versions.

DuckDB lets a file be written by one process or read by several, never both; so the service
never keeps the store open. It copies the served run's tables, every run's record and the
champion's files into a DuckDB file of its own (streamed from database to database, so a run of
millions fits), closes the store, and answers from the copy. A run that writes meanwhile is
not blocked for longer than the copy takes, and nothing it leaves half-written (a killed run's
transaction is rolled back) is ever seen: the copy reads committed data only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from oneclick.errors import StoreError
from oneclick.ingest.sqltext import ident, literal
from oneclick.store.connect import is_busy, reading
from oneclick.store.models import champion_id
from oneclick.store.schema import SCHEMA_VERSION

# The run tables the service answers from (a run that chose offers has them all).
SERVED_TABLES = ("customers", "scores", "offers", "segments", "segment_features", "segment_drivers", "profit_curve")
_NEEDED = ("customers", "scores", "offers")
# The campaigns, their evaluations and the catalogue's versions, whole: the dashboard's campaign pages.
CAMPAIGN_TABLES = (
    "campaigns",
    "campaign_customers",
    "campaign_exclusions",
    "campaign_evaluations",
    "catalogue_versions",
)


@dataclass(frozen=True)
class StoreState:
    """What changes when a command registers a run, a campaign, an evaluation or a catalogue version, or a
    model is promoted (campaigns and versions are only ever added, so their counts say when)."""

    n_runs: int
    newest_run: str | None
    champion: str | None
    n_promotions: int
    n_campaign_records: int = 0


@dataclass(frozen=True)
class ServedCopy:
    """A copy made by :func:`copy_for_serving`: its file, what it holds, the champion's three files."""

    path: Path
    state: StoreState
    run_id: str | None  # the served run: the newest with customers, scores and offers
    model_id: str
    model_files: tuple[bytes, bytes, bytes]  # model.skops, background.parquet, metrics.json


def store_state(store: Path, *, timeout: float = 5.0) -> StoreState:
    """The store's runs and champion, read in one short read."""
    with reading(store, timeout=timeout) as connection:
        return _state(connection, "")


def _state(connection: duckdb.DuckDBPyConnection, prefix: str) -> StoreState:
    n_runs, newest = connection.execute(
        f"SELECT count(*), max(run_id ORDER BY created_at, run_id) FROM {prefix}runs"
    ).fetchall()[0]
    n_promotions = connection.execute(f"SELECT count(*) FROM {prefix}promotions").fetchall()[0][0]
    champion = connection.execute(
        f"SELECT model_id FROM {prefix}promotions ORDER BY promoted_at DESC, rowid DESC LIMIT 1"
    ).fetchall()
    n_campaign_records = connection.execute(
        "SELECT "
        + " + ".join(
            f"(SELECT count(*) FROM {prefix}{name})"
            for name in ("campaigns", "campaign_evaluations", "catalogue_versions")
        )
    ).fetchall()[0][0]
    return StoreState(
        int(n_runs), newest, champion[0][0] if champion else None, int(n_promotions), int(n_campaign_records)
    )


def copy_for_serving(store: Path, target: Path, *, timeout: float = 30.0) -> ServedCopy:
    """Copy the champion, the served run's tables and every run's record from ``store`` into ``target``.

    Raises :class:`StoreError` when the store is missing, of another schema version, locked for
    longer than ``timeout`` or holds no model yet.
    """
    store, target = Path(store), Path(target)
    with reading(store, timeout=timeout) as connection:  # checks the file and its version
        if champion_id(connection) is None:
            raise StoreError(f"{store}: no model in the store yet; `oneclick run --store {store}` trains one")
    target.unlink(missing_ok=True)
    copy = duckdb.connect(str(target))
    try:
        _attach(copy, store, timeout)
        try:
            copy.execute("BEGIN TRANSACTION")
            version = copy.execute("SELECT max(version) FROM source.store_schema").fetchall()[0][0]
            if version != SCHEMA_VERSION:
                raise StoreError(f"{store}: schema version {version} changed while it was being read; try again")
            state = _state(copy, "source.")
            run_id = _served_run(copy, state.champion)
            for name in ("runs", "run_tables", "promotions", *CAMPAIGN_TABLES):
                copy.execute(f"CREATE TABLE {name} AS SELECT * FROM source.{name}")
            copy.execute(
                "CREATE TABLE models AS "
                "SELECT model_id, run_id, created_at, data_fingerprint, metrics FROM source.models"
            )
            for name in SERVED_TABLES:
                _copy_table(copy, name, run_id)
            files = copy.execute(
                "SELECT model_skops, background, metrics_json FROM source.models WHERE model_id = ?", [state.champion]
            ).fetchall()[0]
            copy.execute("COMMIT")
        finally:
            copy.execute("DETACH source")
    finally:
        copy.close()
    assert state.champion is not None
    return ServedCopy(target, state, run_id, state.champion, (bytes(files[0]), bytes(files[1]), bytes(files[2])))


def _attach(connection: duckdb.DuckDBPyConnection, store: Path, timeout: float) -> None:
    deadline, wait = time.monotonic() + timeout, 0.02
    while True:
        try:
            connection.execute(f"ATTACH {literal(str(store))} AS source (READ_ONLY)")
            return
        except duckdb.Error as err:
            if not is_busy(err) or time.monotonic() + wait > deadline:
                raise StoreError(f"{store}: cannot read the store ({str(err).splitlines()[0]})") from err
            time.sleep(wait)
            wait = min(wait * 2, 0.5)


def _served_run(connection: duckdb.DuckDBPyConnection, champion: str | None) -> str | None:
    """The newest run that chose offers with the champion (or with no model recorded); else the newest one.

    A run whose model is a challenger (``oneclick run`` on a store that has a champion) is not
    served while another is: the service's scores and the served run's would disagree. It is
    served once its model is promoted.
    """
    needed = ", ".join(literal(name) for name in _NEEDED)
    rows = connection.execute(
        "SELECT r.run_id FROM source.runs AS r JOIN source.run_tables AS t USING (run_id) "
        f"WHERE t.name IN ({needed}) GROUP BY r.run_id, r.created_at, r.model_id "
        f"HAVING count(DISTINCT t.name) = {len(_NEEDED)} "
        "ORDER BY (r.model_id IS NULL OR r.model_id = ?) DESC, r.created_at DESC, r.run_id DESC LIMIT 1",
        [champion],
    ).fetchall()
    return rows[0][0] if rows else None


def _copy_table(connection: duckdb.DuckDBPyConnection, name: str, run_id: str | None) -> None:
    exists = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'source' AND table_name = ?", [f"run_{name}"]
    ).fetchall()[0][0]
    if not exists or run_id is None:
        return
    connection.execute(
        f"CREATE TABLE {ident(name)} AS SELECT * EXCLUDE (run_id) FROM source.{ident('run_' + name)} "
        f"WHERE run_id = {literal(run_id)}"
    )
