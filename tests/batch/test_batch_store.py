"""Every command registers what it made in the store: the batch engine and the in-memory commands alike."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from oneclick.cli import app
from oneclick.config import Settings
from oneclick.features import build_features
from oneclick.ingest import load_tables
from oneclick.model import load_model
from oneclick.store import list_runs, load_champion, model_id_of, reading
from oneclick.store.register import register


def test_score_and_offers_register_their_runs_in_the_store(small_store: Path, model_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "runs.duckdb"
    runner = CliRunner()
    common = ["--model", str(model_dir), "--store", str(store)]
    batch = runner.invoke(app, ["score", str(small_store), *common, "--out", str(tmp_path / "b"), "--engine", "local"])
    assert batch.exit_code == 0, batch.output
    memory = runner.invoke(app, ["offers", str(small_store), *common, "--out", str(tmp_path / "m"), "--budget", "50"])
    assert memory.exit_code == 0, memory.output
    runs = list_runs(store)
    assert runs["kind"].tolist() == ["offers", "batch"]  # newest first
    assert set(runs["tables"].iloc[0]) >= {"customers", "scores", "offers", "segments", "profit_curve"}
    assert runs["tables"].iloc[1] == ["scores"]
    assert set(runs["model_id"]) == {model_id_of(model_dir)}
    with reading(store) as connection:
        (kept,) = connection.execute("SELECT count(DISTINCT customer_id) FROM run_scores").fetchall()[0]
        assert connection.execute("SELECT count(*) FROM promotions").fetchall()[0][0] == 0  # nothing trained here
    assert kept == load_tables(small_store).quality.customers_kept
    batch_scores = pd.read_parquet(tmp_path / "b" / "scores").set_index("customer_id")["decline_probability"]
    with reading(store) as connection:
        stored = connection.execute(
            "SELECT customer_id, decline_probability FROM run_scores WHERE run_id = ?", [runs["run_id"].iloc[1]]
        ).df()
    pd.testing.assert_series_equal(
        stored.set_index("customer_id")["decline_probability"].sort_index(), batch_scores.sort_index()
    )


def test_the_stores_first_trained_model_becomes_the_champion_and_loads_from_the_store(
    small_store: Path, model_dir: Path, tmp_path: Path
) -> None:
    store = tmp_path / "runs.duckdb"
    quality = load_tables(small_store).quality
    register(
        store, "train", settings=Settings(), quality=quality, data_dir=small_store, model_dir=model_dir, trained=True
    )
    model_id, champion = load_champion(store)
    assert model_id == model_id_of(model_dir)
    X, _ = build_features(load_tables(small_store))
    expected = load_model(model_dir)
    assert champion.threshold == expected.threshold
    assert (champion.model.predict_proba(X) == expected.model.predict_proba(X)).all()
