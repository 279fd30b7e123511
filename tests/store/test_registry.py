"""The registry: the first model is the champion, later ones challengers; promote, rollback, history, migration.

The model folders here are stand-ins (a model's id is its file's sha256, and promotion never
loads it); scoring by the champion is tested in tests/test_cli_registry.py.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

import duckdb
import pytest

from oneclick.errors import StoreError
from oneclick.layout import BACKGROUND_FILE, METRICS_FILE, MODEL_FILE
from oneclick.store import SCHEMA_VERSION, RunRecord, reading, register_run, writing
from oneclick.store.models import champion_id, register_model
from oneclick.store.registry import (
    Promotion,
    champion_stack,
    list_models,
    promote,
    promote_if_first,
    rollback,
)
from oneclick.store.schema import migrate, stored_version


def _model_folder(root: Path, content: bytes, period: str = "2026-10") -> Path:
    """A stand-in model folder: its id is the sha256 of ``content``; metrics say what it was trained on."""
    folder = root / hashlib.sha256(content).hexdigest()[:8]
    folder.mkdir(parents=True)
    (folder / MODEL_FILE).write_bytes(content)
    (folder / BACKGROUND_FILE).write_bytes(b"background")
    metrics = {
        "best_model": "logreg",
        "holdout": {"roc_auc": 0.9, "brier": 0.08},
        "cv": {"roc_auc_mean": 0.91, "nested": True},
        "selection": {"threshold": 0.4},
        "refit": {"on": "all labelled customers", "n_customers": 1297},
        "metadata": {"data_fingerprint": "f" * 64, "training_period": period, "data_dir": f"exports/{period}"},
    }
    (folder / METRICS_FILE).write_text(json.dumps(metrics), encoding="utf-8")
    return folder


def _trained(store: Path, folder: Path) -> str:
    """Register ``folder`` as `oneclick train` does: a run, the model, the champion only if it is the first."""
    with writing(store) as connection:
        run_id = register_run(store, RunRecord(kind="train"), connection=connection)
        model_id = register_model(connection, folder, run_id)
        promote_if_first(connection, model_id, run_id)
    return model_id


@pytest.fixture
def three_models(tmp_path: Path) -> tuple[Path, list[str]]:
    """A store with three trained models, in order; the first is the champion."""
    store = tmp_path / "oneclick.duckdb"
    ids = [
        _trained(store, _model_folder(tmp_path / "models", f"model {n}".encode(), f"2026-{n:02}")) for n in (9, 10, 11)
    ]
    return store, ids


def test_the_first_trained_model_is_the_champion_and_later_ones_are_challengers(three_models) -> None:
    store, (first, second, third) = three_models
    listing = list_models(store)
    assert listing["champion"] == first
    assert [(m["model_id"], m["standing"]) for m in listing["models"]] == [
        (first, "champion"),
        (second, "challenger"),
        (third, "challenger"),
    ]
    assert [p["action"] for p in listing["promotions"]] == ["trained"]
    row = listing["models"][1]
    assert (row["training_period"], row["data_dir"], row["n_customers"]) == ("2026-10", "exports/2026-10", 1297)
    assert row["data_fingerprint"] == "f" * 64 and row["holdout_roc_auc"] == 0.9


def test_promote_and_rollback_round_trip(three_models) -> None:
    store, (first, second, third) = three_models
    assert promote(store, second, reason="newer period").previous_model_id == first
    assert promote(store, third[:6]).model_id == third  # a unique start of the id is enough
    back = rollback(store)
    assert (back.model_id, back.action, back.previous_model_id) == (second, "rollback", third)
    assert rollback(store, reason="the October model was better").model_id == first
    with pytest.raises(StoreError, match=f"nothing to roll back: no champion before {first}"):
        rollback(store)
    listing = list_models(store)
    assert listing["champion"] == first
    assert [(p["action"], p["model_id"]) for p in listing["promotions"]] == [
        ("trained", first),
        ("promote", second),
        ("promote", third),
        ("rollback", second),
        ("rollback", first),
    ]
    assert listing["promotions"][1]["reason"] == "newer period"
    assert {m["model_id"]: m["standing"] for m in listing["models"]} == {
        first: "champion",
        second: "former champion",
        third: "former champion",
    }
    with reading(store) as connection:  # what the service reads: the last row of promotions
        assert champion_id(connection) == first


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("0000000000000000", "no model '0000000000000000' in the store"),
        ("ab", "a start of an id needs 4 characters or more"),
    ],
)
def test_promoting_an_unknown_model_names_the_known_ones(three_models, model: str, message: str) -> None:
    store, ids = three_models
    with pytest.raises(StoreError, match=message) as raised:
        promote(store, model)
    assert ids[-1] in str(raised.value)  # the newest models are named


def test_promoting_the_champion_or_an_ambiguous_start_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    # Two contents whose sha256 start alike: the start names neither model alone.
    seen: dict[str, bytes] = {}
    for n in itertools.count():
        content = f"model {n}".encode()
        start = hashlib.sha256(content).hexdigest()[:4]
        if start in seen:
            break
        seen[start] = content
    first = _trained(store, _model_folder(tmp_path / "a", seen[start]))
    _trained(store, _model_folder(tmp_path / "b", content))
    with pytest.raises(StoreError, match="ambiguous"):
        promote(store, start)
    with pytest.raises(StoreError, match="already is the champion"):
        promote(store, first)


def test_rollback_of_a_store_without_champion_is_a_clear_error(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    register_run(store, RunRecord(kind="score"))
    with pytest.raises(StoreError, match="nothing to roll back: the store has no champion"):
        rollback(store)


@pytest.mark.parametrize(
    ("actions", "stack"),
    [
        ([("trained", "a")], ["a"]),
        ([("trained", "a"), ("promote", "b"), ("rollback", "a")], ["a"]),
        ([("trained", "a"), ("promote", "b"), ("promote", "c"), ("rollback", "b"), ("promote", "d")], ["a", "b", "d"]),
        # schema 1 and 2 stores: every model was promoted by training, so each is a step back
        ([("trained", "a"), ("trained", "b"), ("trained", "c")], ["a", "b", "c"]),
    ],
)
def test_the_history_replays_as_a_stack(actions: list[tuple[str, str]], stack: list[str]) -> None:
    history = [Promotion(model, f"2026-11-0{i + 1}", action, "", None) for i, (action, model) in enumerate(actions)]
    assert champion_stack(history) == stack


def test_a_store_of_schema_version_2_migrates_with_its_models_and_promotions(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    with duckdb.connect(str(store)) as connection:
        migrate(connection, str(store), target=2)
        for n, model_id in enumerate(("aaaa000000000000", "bbbb000000000000")):
            connection.execute(
                "INSERT INTO models VALUES (?, 'run-1', TIMESTAMP '2026-11-01 10:00:00' + INTERVAL (?) HOUR, "
                "'fp', '{}', '\\x00'::BLOB, '\\x00'::BLOB, '{}'::BLOB)",
                [model_id, n],
            )
            connection.execute(
                "INSERT INTO promotions VALUES (?, TIMESTAMP '2026-11-01 10:00:00' + INTERVAL (?) HOUR, ?)",
                [model_id, n, f"trained by run-{n}"],
            )
    with writing(store) as connection:
        assert stored_version(connection) == SCHEMA_VERSION == 7
    listing = list_models(store)
    assert listing["champion"] == "bbbb000000000000"
    assert [(p["action"], p["previous_model_id"]) for p in listing["promotions"]] == [
        ("trained", None),
        ("trained", None),
    ]
    assert listing["models"][0]["training_period"] is None  # not recorded by schema 2
    assert rollback(store).model_id == "aaaa000000000000"  # each trained model was a champion in turn
    assert listing["comparisons"] == []
