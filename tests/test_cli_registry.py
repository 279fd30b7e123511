"""`oneclick retrain`, `promote`, `models`, and `score`/`offers` following the champion, as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fast_settings import FAST_ENV
from oneclick.cli import app
from oneclick.synth import write_synthetic_dataset

runner = CliRunner()
N_CUSTOMERS = 500


def _oneclick(*args: str | Path) -> object:
    return runner.invoke(app, [str(arg) for arg in args], env=FAST_ENV)


def _ok(*args: str | Path) -> object:
    result = _oneclick(*args)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return result


def _listing(store: Path) -> dict:
    return json.loads(_ok("models", "--store", store, "--json").stdout)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def periods(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two monthly exports: October's and November's (another sample of the same store)."""
    root = tmp_path_factory.mktemp("exports")
    for name, seed in (("2026-10", 1), ("2026-11", 2)):
        write_synthetic_dataset(root / name, N_CUSTOMERS, seed=seed)
    return root / "2026-10", root / "2026-11"


@pytest.fixture(scope="module")
def two_models(tmp_path_factory: pytest.TempPathFactory, periods: tuple[Path, Path]) -> tuple[Path, Path, Path]:
    """(store, October's model, November's model): trained in that order, so October's is the champion."""
    root = tmp_path_factory.mktemp("models")
    store = root / "oneclick.duckdb"
    for period, folder in zip(periods, ("m10", "m11"), strict=True):
        _ok("train", period, "--out", root / folder, "--store", store)
    return store, root / "m10", root / "m11"


@pytest.fixture
def store(two_models: tuple[Path, Path, Path], tmp_path: Path) -> Path:
    """A copy of the two models' store that a test may change."""
    copy = tmp_path / "oneclick.duckdb"
    shutil.copy(two_models[0], copy)
    return copy


def _model_id(folder: Path) -> str:
    from oneclick.store import model_id_of

    return model_id_of(folder)


def test_a_model_trained_after_the_first_is_a_challenger_and_the_cli_says_so(
    periods: tuple[Path, Path], tmp_path: Path
) -> None:
    store = tmp_path / "fresh.duckdb"
    first = _ok("train", periods[0], "--out", tmp_path / "a", "--store", store, "--period", "October")
    assert "is the champion (the store's first model)" in first.stderr  # type: ignore[attr-defined]
    second = _ok("train", periods[1], "--out", tmp_path / "b", "--store", store)
    assert "is registered as a challenger, not promoted" in second.stderr  # type: ignore[attr-defined]
    listing = _listing(store)
    assert listing["champion"] == _model_id(tmp_path / "a")
    assert [(m["standing"], m["training_period"]) for m in listing["models"]] == [
        ("champion", "October"),
        ("challenger", "2026-11"),  # the data folder's name, when no --period
    ]


def test_score_and_offers_follow_the_champion_when_model_is_not_given(
    store: Path, two_models: tuple[Path, Path, Path], periods: tuple[Path, Path], tmp_path: Path
) -> None:
    _, october, november = two_models

    def scores(*model: str | Path) -> pd.Series:
        out = tmp_path / f"scores-{len(list(tmp_path.iterdir()))}.csv"
        result = _ok("score", periods[1], "--out", out, "--store", store, *model)
        if not model:
            assert "model: the champion of" in result.stderr  # type: ignore[attr-defined]
        return pd.read_csv(out, index_col="customer_id")["decline_probability"]

    pd.testing.assert_series_equal(scores(), scores("--model", october))
    _ok("promote", _model_id(november), "--store", store)
    pd.testing.assert_series_equal(scores(), scores("--model", november))
    assert not np.allclose(scores("--model", october), scores("--model", november))
    _ok("offers", periods[1], "--out", tmp_path / "offers", "--store", store)
    with duckdb.connect(str(store), read_only=True) as connection:
        newest = connection.execute("SELECT kind, model_id FROM runs ORDER BY created_at DESC LIMIT 1").fetchall()
    assert newest == [("offers", _model_id(november))]


def test_retrain_registers_a_challenger_that_is_not_promoted_with_a_paired_comparison(
    store: Path, two_models: tuple[Path, Path, Path], periods: tuple[Path, Path], tmp_path: Path
) -> None:
    champion = _model_id(two_models[1])
    result = _ok("retrain", periods[1], "--out", tmp_path / "challenger", "--store", store, "--json")
    comparison = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert "is registered, not promoted" in result.stderr  # type: ignore[attr-defined]
    assert comparison["champion_id"] == champion and comparison["promoted"] is False
    assert comparison["held_out"]["random_state"] == 42
    for key in ("roc_auc", "brier"):
        gap = comparison["difference"][key]
        assert gap["ci_low"] <= gap["estimate"] <= gap["ci_high"]
        assert gap["estimate"] == pytest.approx(comparison["challenger"][key] - comparison["champion"][key], abs=1e-5)
    assert comparison["recommendation"]["decision"] in ("promote", "keep")
    assert comparison["recommendation"]["reason"].startswith(("promote: ", "keep the champion: "))
    written = json.loads((tmp_path / "challenger" / "comparison.json").read_text(encoding="utf-8"))
    assert written == {key: value for key, value in comparison.items() if key != "run_id"}
    listing = _listing(store)
    assert listing["champion"] == champion
    challenger = next(m for m in listing["models"] if m["model_id"] == comparison["challenger_id"])
    assert challenger["standing"] == "challenger"
    # The registered challenger is the procedure refit on every labelled customer of November.
    holdout_size = json.loads((tmp_path / "challenger" / "metrics.json").read_text(encoding="utf-8"))["n_customers"]
    assert challenger["n_customers"] == holdout_size["train"] + holdout_size["holdout"]
    assert comparison["n_customers"] == holdout_size["holdout"]
    assert listing["comparisons"][-1]["challenger_id"] == comparison["challenger_id"]
    again = json.loads(_ok("retrain", periods[1], "--out", tmp_path / "again", "--store", store, "--json").stdout)  # type: ignore[attr-defined]
    assert again["difference"] == comparison["difference"]  # same data and seed: the same interval


def test_retrained_on_the_champions_own_data_the_challenger_is_the_champion_itself(
    store: Path, two_models: tuple[Path, Path, Path], periods: tuple[Path, Path], tmp_path: Path
) -> None:
    result = _ok("retrain", periods[0], "--out", tmp_path / "again", "--store", store, "--json")
    comparison = json.loads(result.stdout)  # type: ignore[attr-defined]
    # The same files, settings and seed: the same model, byte for byte, so one id and one copy in the store.
    assert comparison["challenger_id"] == comparison["champion_id"] == _model_id(two_models[1])
    assert "the challenger is the champion" in result.stderr and "nothing to promote" in result.stderr  # type: ignore[attr-defined]
    assert "warning: the champion was trained on these same files" in result.stderr  # type: ignore[attr-defined]
    assert len(_listing(store)["models"]) == 2


def test_retrain_recommends_promoting_over_a_champion_that_learned_nothing(
    periods: tuple[Path, Path], tmp_path: Path
) -> None:
    from fast_settings import FAST
    from oneclick import build_features, load_tables
    from oneclick.model import train_model
    from oneclick.pipeline import save_trained
    from oneclick.store.register import register

    store = tmp_path / "oneclick.duckdb"
    tables = load_tables(periods[0])
    X, y = build_features(tables)
    shuffled = pd.Series(np.random.default_rng(0).permutation(y.to_numpy()), index=y.index)
    save_trained(train_model(X, shuffled, FAST), X, tables, tmp_path / "noise", FAST)
    register(store, "train", settings=FAST, quality=tables.quality, model_dir=tmp_path / "noise", trained=True)
    result = _ok("retrain", periods[1], "--out", tmp_path / "challenger", "--store", store)
    assert "recommendation: promote: the challenger's ROC-AUC is higher by" in result.stdout  # type: ignore[attr-defined]
    assert _listing(store)["champion"] == _model_id(tmp_path / "noise")  # recommended, not done


def test_promote_and_rollback_from_the_command_line(store: Path, two_models: tuple[Path, Path, Path]) -> None:
    october, november = _model_id(two_models[1]), _model_id(two_models[2])
    promoted = _ok("promote", november[:8], "--store", store, "--reason", "November is newer")
    assert f"promoted {november}" in promoted.stdout and f"(was {october})" in promoted.stdout  # type: ignore[attr-defined]
    back = _ok("promote", "--rollback", "--store", store)
    assert f"rolled back to {october}" in back.stdout  # type: ignore[attr-defined]
    shown = _ok("promote", "--list", "--store", store).stdout  # type: ignore[attr-defined]
    assert shown == _ok("models", "--store", store).stdout  # type: ignore[attr-defined]
    assert "November is newer" in shown and f"* {october}" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["promote", "0123456789abcdef"], "no model '0123456789abcdef' in the store"),
        (["promote"], "give one of MODEL_ID, --rollback or --list"),
        (["promote", "abcd", "--rollback"], "give one of MODEL_ID, --rollback or --list"),
        (["promote", "--rollback"], "nothing to roll back: no champion before"),
    ],
)
def test_promote_errors_exit_1_with_a_message(store: Path, args: list[str], message: str) -> None:
    result = _oneclick(*args, "--store", store)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert message in result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", ["retrain", "score", "offers"])
def test_a_store_without_champion_is_a_clear_error(command: str, periods: tuple[Path, Path], tmp_path: Path) -> None:
    from oneclick.store import RunRecord, register_run

    store = tmp_path / "scores_only.duckdb"
    register_run(store, RunRecord(kind="score"))
    result = _oneclick(command, periods[1], "--out", tmp_path / "out", "--store", store)
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "the store has no champion model yet; train one with `oneclick train" in result.stderr  # type: ignore[attr-defined]
