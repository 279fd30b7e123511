"""What the service answers from: the champion, loaded once, and a copy of the store's served run.

A :class:`Snapshot` is immutable: when the store changes (a new run, a promotion) a new one is
built beside it and swapped in by :class:`SnapshotHolder`; requests already running finish on
the old one. The rules of a customer's segment and offer are the served run's, with every
learned value (the median profit, a quantile of a feature) computed over that run's customers,
as the batch engine computes them (``oneclick.batch.resolve``): a customer sent for scoring is
judged by the same numbers as the run's own customers.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from oneclick.batch import compute_quantiles, needed_quantiles, resolve
from oneclick.errors import StoreError
from oneclick.layout import BACKGROUND_FILE, METRICS_FILE, MODEL_FILE
from oneclick.model import LoadedModel, load_model
from oneclick.offers import OfferCatalogue, load_catalogue
from oneclick.segments import SegmentScheme, Thresholds, load_segment_scheme
from oneclick.store.snapshot import ServedCopy, StoreState, copy_for_serving, store_state

log = logging.getLogger("oneclick.serve")


@dataclass(frozen=True)
class ServingRules:
    """The served run's segment scheme and offer catalogue with their learned values made numbers."""

    scheme: SegmentScheme
    catalogue: OfferCatalogue
    thresholds: Thresholds
    learned: dict[str, float]


@dataclass
class Snapshot:
    """The champion and the served run's tables, read-only; queried by many threads at once."""

    copy: ServedCopy
    model: LoadedModel
    rules: ServingRules
    loaded_at: datetime
    _connection: duckdb.DuckDBPyConnection = field(repr=False)

    @property
    def run_id(self) -> str | None:
        return self.copy.run_id

    @property
    def model_id(self) -> str:
        return self.copy.model_id

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """A query over the copy (tables: the served run's ``customers``, ``scores``, ``offers``, ..., ``runs``,
        and the store's ``campaigns``, ``campaign_customers``, ``campaign_evaluations``, ``catalogue_versions``)."""
        cursor = self._connection.cursor()  # one cursor per call: connections are not shared across threads
        try:
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor over the copy, for the store's own readers (``load_campaign``, ``catalogue_version``)."""
        cursor = self._connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def has_table(self, name: str) -> bool:
        return name in self.tables

    @cached_property
    def tables(self) -> frozenset[str]:
        return frozenset(self.query("SELECT table_name FROM duckdb_tables()")["table_name"])

    def close(self) -> None:
        self._connection.close()


def load_snapshot(store: Path, work_dir: Path) -> Snapshot:
    """Copy the store's champion and served run into ``work_dir`` and load them."""
    work_dir.mkdir(parents=True, exist_ok=True)
    copy = copy_for_serving(store, work_dir / "served.duckdb")
    model_dir = work_dir / "model"
    model_dir.mkdir(exist_ok=True)
    for name, data in zip((MODEL_FILE, BACKGROUND_FILE, METRICS_FILE), copy.model_files, strict=True):
        (model_dir / name).write_bytes(data)
    model = load_model(model_dir)
    connection = duckdb.connect(str(copy.path), read_only=True)
    try:
        rules = _rules(connection, copy.run_id, model.threshold)
    except BaseException:
        connection.close()
        raise
    return Snapshot(copy, model, rules, datetime.now(UTC), connection)


def _rules(connection: duckdb.DuckDBPyConnection, run_id: str | None, model_threshold: float) -> ServingRules:
    """The served run's scheme and catalogue (the files it named, else the shipped ones), resolved."""
    sources: dict[str, str] = {}
    if run_id is not None:
        summary = connection.execute("SELECT summary FROM runs WHERE run_id = ?", [run_id]).fetchall()[0][0]
        sources = json.loads(summary or "{}").get("sources", {})
    scheme = load_segment_scheme(_file(sources.get("segments")))
    catalogue = load_catalogue(_file(sources.get("catalogue")), segment_names=scheme.names)
    needed = needed_quantiles(scheme, catalogue)
    if needed and run_id is None:
        raise StoreError("the store has no run with customers yet: `oneclick run` makes one")
    quantiles = compute_quantiles(connection.sql("SELECT * FROM customers"), needed) if needed else {}
    resolved_scheme, resolved_catalogue, thresholds = resolve(scheme, catalogue, quantiles, model_threshold)
    learned = {f"{column}@{q}": value for (column, q), value in quantiles.items()}
    return ServingRules(resolved_scheme, resolved_catalogue, thresholds, learned)


def _file(source: str | None) -> Path | None:
    """A rules file a run named, when it is a file here (the shipped defaults are named as package data)."""
    return Path(source) if source and Path(source).is_file() else None


class SnapshotHolder:
    """The current snapshot, and the store's state it was made from; ``refresh`` swaps in a newer one.

    Old snapshots are closed and their files removed only when a newer one has replaced them
    for a while, so a request that started on one finishes on it.
    """

    def __init__(self, store: Path, work_root: Path | None = None) -> None:
        self.store = Path(store)
        self._root = Path(tempfile.mkdtemp(prefix="oneclick-serve-", dir=work_root))
        self._lock = threading.Lock()
        self._generation = 0
        self._retired: list[tuple[Snapshot, Path]] = []
        self.current: Snapshot = self._load()
        self.last_error: str | None = None

    def _load(self) -> Snapshot:
        self._generation += 1
        folder = self._root / f"snapshot-{self._generation}"
        try:
            return load_snapshot(self.store, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def refresh(self) -> bool:
        """Swap in a new snapshot if the store changed; True when it did. A locked store is tried next time."""
        try:
            state: StoreState = store_state(self.store, timeout=0.5)
            if state == self.current.copy.state:
                self.last_error = None
                self._drop_retired()
                return False
            fresh = self._load()
        except StoreError as err:
            self.last_error = str(err)
            log.warning("store not refreshed: %s", err)
            return False
        with self._lock:
            old, self.current = self.current, fresh
            self._retired.append((old, old.copy.path.parent))
        self.last_error = None
        log.info("serving run %s with model %s", fresh.run_id, fresh.model_id)
        return True

    def _drop_retired(self) -> None:
        # A refresh period after the swap, no request still reads a retired snapshot's tables.
        while self._retired:
            snapshot, folder = self._retired.pop()
            snapshot.close()
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        for snapshot, _ in self._retired:
            snapshot.close()
        self.current.close()
        shutil.rmtree(self._root, ignore_errors=True)
