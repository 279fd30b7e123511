"""The service and the store: it follows new runs, and a writer killed midway never disturbs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

from oneclick.serve import ServiceSettings, create_app
from oneclick.serve.snapshot import SnapshotHolder
from oneclick.store import RunRecord, reading, register_run
from oneclick.store.snapshot import SERVED_TABLES
from serve_keys import KEY


def _copy_of_the_latest_run(store: Path, model_id: str | None = None) -> str:
    """Register the served run's tables again as a new run (as a later `oneclick offers` would, by ``model_id``)."""
    with reading(store) as connection:
        run_id = connection.execute("SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 1").fetchall()[0][0]
        tables = {
            name: connection.execute(f"SELECT * EXCLUDE (run_id) FROM run_{name} WHERE run_id = ?", [run_id]).df()
            for name in SERVED_TABLES
        }
        summary = connection.execute("SELECT summary FROM runs WHERE run_id = ?", [run_id]).fetchall()[0][0]
    import json

    tables["scores"]["decline_probability"] = 0.5  # so the new run's answers are told apart
    return register_run(store, RunRecord(kind="offers", model_id=model_id, summary=json.loads(summary)), tables)


def test_a_new_run_in_the_store_is_served_after_a_refresh(store: Path) -> None:
    holder = SnapshotHolder(store)
    try:
        first = holder.current
        assert holder.refresh() is False
        new_run = _copy_of_the_latest_run(store)
        assert holder.refresh() is True
        assert holder.current.run_id == new_run != first.run_id
        customer = int(holder.current.query("SELECT min(customer_id) AS c FROM scores")["c"].iloc[0])
        assert (
            holder.current.query(f"SELECT decline_probability FROM scores WHERE customer_id = {customer}").iloc[0, 0]
            == 0.5
        )
        assert first.copy.path.exists()  # retired, still readable by requests that started on it
        holder.refresh()
        assert not first.copy.path.exists()  # dropped a period later
    finally:
        holder.close()


_WRITER = """
import sys, pandas as pd
from pathlib import Path
from oneclick.store import RunRecord, register_run, writing
from oneclick.store import reading
with writing(Path(sys.argv[1])) as connection:
    big = pd.DataFrame({"decline_probability": [0.9] * 300_000}, index=pd.Index(range(300_000), name="customer_id"))
    register_run(Path(sys.argv[1]), RunRecord(kind="score"), {"scores": big}, connection=connection)
    print("writing", flush=True)
    sys.stdin.readline()  # killed here, inside its transaction
"""


def test_a_run_killed_while_the_service_answers_changes_nothing_it_serves(
    store: Path, served_run: tuple[Path, Path]
) -> None:
    customers = pd.read_parquet(served_run[1] / "customer_features.parquet").drop(columns=["declined"]).head(5)
    sent = customers.to_dict(orient="records")
    customer_id = int(customers["customer_id"].iloc[0])
    settings = ServiceSettings(store=store, api_keys=(KEY,), refresh_seconds=0.1)
    headers = {"X-API-Key": KEY}
    with TestClient(create_app(settings)) as service:
        before = service.get(f"/v1/customers/{customer_id}", headers=headers).json()
        with reading(store) as connection:
            runs_before = connection.execute("SELECT run_id FROM runs ORDER BY run_id").fetchall()
        started = datetime.now(UTC).replace(tzinfo=None)  # the store's copy holds other tests' requests
        writer = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(store)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        try:
            assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
            answers, deadline = [], time.monotonic() + 1.5
            while time.monotonic() < deadline:  # the store is locked by the writer all along
                answers.append(service.get(f"/v1/customers/{customer_id}", headers=headers))
                answers.append(service.post("/v1/score", json=sent, headers=headers))
            assert answers and all(a.status_code == 200 for a in answers)
            assert all(a.json() == before for a in answers[::2])
            assert "in use" in (service.get("/health").json()["store_error"] or "")
        finally:
            os.kill(writer.pid, signal.SIGKILL)
            writer.wait(timeout=30)
            for stream in (writer.stdin, writer.stdout):
                if stream is not None:
                    stream.close()
        deadline = time.monotonic() + 10
        while service.get("/health").json()["store_error"] and time.monotonic() < deadline:
            time.sleep(0.1)
        health = service.get("/health").json()
        assert health["store_error"] is None
        assert service.get(f"/v1/customers/{customer_id}", headers=headers).json() == before
    with reading(store) as connection:  # the killed run left nothing; the service's log was written after
        assert connection.execute("SELECT run_id FROM runs ORDER BY run_id").fetchall() == runs_before
        logged = connection.execute(
            "SELECT count(*), sum(n_customers) FROM score_requests WHERE requested_at >= ?", [started]
        ).fetchall()[0]
    assert logged == (len(answers) // 2, 5 * (len(answers) // 2))


def test_the_service_follows_a_promotion_and_its_rollback_never_a_model_merely_trained(
    store: Path, served_run: tuple[Path, Path], tmp_path: Path
) -> None:
    import dataclasses

    from fast_settings import FAST
    from oneclick.model import save_model, train_model
    from oneclick.store import model_id_of
    from oneclick.store.register import register
    from oneclick.store.registry import promote, rollback

    customers = pd.read_parquet(served_run[1] / "customer_features.parquet")
    X, y = customers.drop(columns=["customer_id", "declined"]), customers["declined"].astype("int64")
    trained = train_model(X, y, dataclasses.replace(FAST, seed=1, model_families="logreg"))
    save_model(trained.model, tmp_path / "challenger", metrics=trained.metrics, background=trained.background, X=X)
    settings = ServiceSettings(store=store, api_keys=(KEY,), refresh_seconds=60)  # refreshed by hand below
    with TestClient(create_app(settings)) as service:
        snapshots: SnapshotHolder = service.app.state.snapshots  # type: ignore[attr-defined]
        served = service.get("/health").json()
        challenger = model_id_of(tmp_path / "challenger")
        challengers_run = _copy_of_the_latest_run(store, challenger)  # as `oneclick run` would score with it
        register(store, "train", settings=FAST, quality={}, model_dir=tmp_path / "challenger", trained=True)
        assert snapshots.refresh() is True  # new runs in the store...
        health = service.get("/health").json()
        assert (health["model_id"], health["run_id"]) == (served["model_id"], served["run_id"])  # ...not served
        promote(store, challenger)
        assert snapshots.refresh() is True
        health = service.get("/health").json()
        assert (health["model_id"], health["run_id"]) == (challenger, challengers_run)
        rollback(store)
        assert snapshots.refresh() is True
        health = service.get("/health").json()
        assert (health["model_id"], health["run_id"]) == (served["model_id"], served["run_id"])
