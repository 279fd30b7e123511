"""The store of runs: versioned schema, one transaction per run, readers never see half a run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from oneclick.errors import StoreError
from oneclick.store import SCHEMA_VERSION, RunRecord, latest_run, list_runs, reading, register_run, writing
from oneclick.store.schema import MIGRATIONS, migrate, stored_version


def _scores(*probabilities: float, first_id: int = 1) -> pd.DataFrame:
    index = pd.Index(range(first_id, first_id + len(probabilities)), name="customer_id")
    return pd.DataFrame({"decline_probability": list(probabilities)}, index=index)


def test_a_run_and_its_tables_are_registered_and_read_back(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    run_id = register_run(store, RunRecord(kind="score", n_customers=2), {"scores": _scores(0.1, 0.9)})
    with reading(store) as connection:
        assert latest_run(connection, having="scores") == run_id
        rows = connection.execute("SELECT customer_id, decline_probability FROM run_scores").fetchall()
    assert rows == [(1, 0.1), (2, 0.9)]
    assert list_runs(store)["tables"].tolist() == [["scores"]]


def test_a_later_output_with_a_new_column_adds_it_and_older_runs_read_null(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    register_run(store, RunRecord(kind="score"), {"scores": _scores(0.1)})
    register_run(store, RunRecord(kind="score"), {"scores": _scores(0.2).assign(driver_1="pages")})
    with reading(store) as connection:
        drivers = connection.execute("SELECT driver_1 FROM run_scores ORDER BY decline_probability").fetchall()
    assert drivers == [(None,), ("pages",)]


def test_a_failed_run_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    register_run(store, RunRecord(kind="score"), {"scores": _scores(0.1)})
    with pytest.raises(RuntimeError, match="disk full"), writing(store) as connection:
        register_run(store, RunRecord(kind="score"), {"scores": _scores(0.5, 0.6)}, connection=connection)
        raise RuntimeError("disk full")
    assert len(list_runs(store)) == 1


_KILLED_WRITER = """
import sys, pandas as pd
from pathlib import Path
from oneclick.store import RunRecord, register_run, writing
with writing(Path(sys.argv[1])) as connection:
    big = pd.DataFrame({"decline_probability": [0.5] * 200_000}, index=pd.Index(range(200_000), name="customer_id"))
    register_run(Path(sys.argv[1]), RunRecord(kind="score"), {"scores": big}, connection=connection)
    print("registered, not committed", flush=True)
    sys.stdin.readline()  # killed here, before the transaction commits
"""


def test_a_run_killed_before_it_commits_leaves_the_previous_results_readable(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    first = register_run(store, RunRecord(kind="score"), {"scores": _scores(0.1, 0.2)})
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "registered, not committed"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdin.close()  # type: ignore[union-attr]
    writer.stdout.close()
    with reading(store) as connection:
        assert latest_run(connection) == first
        assert connection.execute("SELECT count(*) FROM run_scores").fetchall()[0][0] == 2


def test_a_store_of_an_older_version_is_migrated_with_its_data(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    with duckdb.connect(str(store)) as connection:
        migrate(connection, str(store), target=1)
        connection.execute(
            "INSERT INTO models VALUES ('abc', 'run-1', TIMESTAMP '2026-11-01 10:00:00', NULL, NULL, "
            "'\\x00'::BLOB, '\\x00'::BLOB, '\\x00'::BLOB)"
        )
    with pytest.raises(StoreError, match="older oneclick"), reading(store):
        pass
    with writing(store) as connection:
        assert stored_version(connection) == SCHEMA_VERSION
        promoted = connection.execute("SELECT model_id, reason FROM promotions").fetchall()
    assert promoted == [("abc", "trained (store schema 1: the latest model served)")]


def test_a_store_of_a_newer_version_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    register_run(store, RunRecord(kind="score"))
    with duckdb.connect(str(store)) as connection:
        connection.execute("INSERT INTO store_schema VALUES (?, now())", [max(MIGRATIONS) + 1])
    for opening in (reading, writing):
        with pytest.raises(StoreError, match="newer oneclick"), opening(store):
            pass


def test_a_writer_waits_for_a_reader_and_then_writes(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    register_run(store, RunRecord(kind="score"))
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); print('open', flush=True); "
            "time.sleep(1.0)",
            str(store),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None and reader.stdout.readline().strip() == "open"
    started = time.monotonic()
    register_run(store, RunRecord(kind="score"))
    reader.wait(timeout=30)
    reader.stdout.close()
    assert time.monotonic() - started >= 0.3  # it waited for the reader to let go, then wrote
    assert len(list_runs(store)) == 2


def test_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here"), reading(tmp_path / "none.duckdb"):
        pass
