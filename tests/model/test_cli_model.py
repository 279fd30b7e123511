"""`oneclick train` and `oneclick score`, in process and once as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from oneclick.cli import app

runner = CliRunner()
FAST_OPTIONS = ["--families", "logreg", "--iterations", "2", "--cv-repeats", "0"]


def test_train_then_score(real_dir: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    trained = runner.invoke(app, ["train", str(real_dir), "--out", str(model), *FAST_OPTIONS])
    assert trained.exit_code == 0, trained.output
    assert "holdout ROC-AUC" in trained.stdout
    assert {p.name for p in model.iterdir()} == {
        "model.skops",
        "metrics.json",
        "background.parquet",
        "holdout_predictions.csv",
    }
    metadata = json.loads((model / "metrics.json").read_text(encoding="utf-8"))["metadata"]
    holdout = pd.read_csv(model / "holdout_predictions.csv")
    assert list(holdout.columns) == ["customer_id", "declined", "decline_probability"]
    assert len(holdout) == 325  # sklearn rounds the 25 % test share of 1,297 customers up
    assert set(metadata["inputs"]) == {"market_file.csv", "market_money.csv", "market_time.csv", "money.csv"}
    scores_file = tmp_path / "scores.csv"
    scored = runner.invoke(
        app, ["score", str(real_dir), "--model", str(model), "--out", str(scores_file), "--lang", "en"]
    )
    assert scored.exit_code == 0, scored.output
    scores = pd.read_csv(scores_file, index_col="customer_id")
    assert len(scores) == 1297
    assert scores["decline_probability"].between(0, 1).all()
    assert scores["driver_1"].str.endswith(("(raises risk)", "(lowers risk)")).all()


def test_score_refuses_a_tampered_model_with_a_message(saved: Path, real_dir: Path, tmp_path: Path) -> None:
    with (saved / "model.skops").open("ab") as handle:
        handle.write(b"appended")
    result = runner.invoke(app, ["score", str(real_dir), "--model", str(saved), "--out", str(tmp_path / "s.csv")])
    assert result.exit_code == 1
    assert "ModelArtifactError" in result.stderr and "differs from" in result.stderr
    assert not (tmp_path / "s.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"), [(["--lang", "de"], "--lang 'de'"), (["--model", "nowhere"], "no metrics.json")]
)
def test_score_bad_options_exit_1(real_dir: Path, saved: Path, tmp_path: Path, args: list[str], message: str) -> None:
    options = ["--model", str(saved), *args] if "--model" not in args else args
    result = runner.invoke(app, ["score", str(real_dir), "--out", str(tmp_path / "s.csv"), *options])
    assert result.exit_code == 1
    assert message in result.stderr


def test_train_refuses_an_unknown_family(real_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", str(real_dir), "--out", str(tmp_path / "m"), "--families", "forest"])
    assert result.exit_code == 1
    assert "ConfigError: setting model_families='forest'" in result.stderr


def test_as_a_user_runs_it(real_dir: Path, tmp_path: Path) -> None:
    env = os.environ | {
        "ONECLICK_MODEL_FAMILIES": "logreg",
        "ONECLICK_SEARCH_ITERATIONS": "2",
        "ONECLICK_CV_REPEATS": "0",
    }
    oneclick = Path(sys.executable).parent / "oneclick"
    for command in (
        ["train", str(real_dir), "--out", str(tmp_path / "m")],
        ["score", str(real_dir), "--model", str(tmp_path / "m"), "--out", str(tmp_path / "s.csv")],
    ):
        done = subprocess.run(
            [str(oneclick), *command], env=env, capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stderr[-2000:]
    assert "at high risk" in done.stderr
    assert pd.read_csv(tmp_path / "s.csv")["driver_1"].str.contains("риск").all()
