"""The monthly cycle as a user runs it: export -> run -> next export -> compare -> retrain -> promote -> rollback.

One store (``--store`` under tmp_path) through two periods of tiny synthetic data with the fast
model settings: what each command prints and decides is what a user would act on.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from fast_settings import FAST_ENV
from oneclick.cli import app

runner = CliRunner()
N_CUSTOMERS = 800  # the benchmark's small period: concept drift is found in every one of its 40 seeds


def _ok(*args: str | Path):
    result = runner.invoke(app, [str(arg) for arg in args], env=FAST_ENV)
    assert result.exit_code == 0, result.output
    return result


def _champion(store: Path) -> str:
    return json.loads(_ok("models", "--store", store, "--json").stdout)["champion"]


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """October's export and the store after `oneclick run` on it (the store's first model: the champion)."""
    root = tmp_path_factory.mktemp("cycle")
    _ok("synth", "--customers", N_CUSTOMERS, "--out", root / "2026-10", "--seed", 1)
    ran = _ok("run", root / "2026-10", "--out", root / "run-10", "--store", root / "oneclick.duckdb", "--lang", "en")
    assert "is the champion (the store's first model)" in ran.stderr
    return root / "2026-10", root / "oneclick.duckdb"


@pytest.fixture
def store(october: tuple[Path, Path], tmp_path: Path) -> Path:
    """A copy of October's store that a test may change."""
    shutil.copy(october[1], tmp_path / "oneclick.duckdb")
    return tmp_path / "oneclick.duckdb"


def _next_period(last: Path, out: Path, *drift: str) -> Path:
    _ok("synth", "--next-period", "--from", last, "--out", out, "--seed", 1, *drift)
    return out


def _scores(folder: Path, store: Path, out: Path) -> tuple[str, pd.Series]:
    """`oneclick score` without --model: which model it says it used, and the probabilities."""
    result = _ok("score", folder, "--out", out, "--store", store)
    return result.stderr, pd.read_csv(out, index_col="customer_id")["decline_probability"]


def test_concept_drift_retrains_and_promote_and_rollback_move_the_champion(
    october: tuple[Path, Path], store: Path, tmp_path: Path
) -> None:
    last, _ = october
    first_champion = _champion(store)
    november = _next_period(last, tmp_path / "2026-11", "--drift", "concept:promo_purchase_share")
    truth = json.loads((november / "drift_truth.json").read_text(encoding="utf-8"))
    # The truth beside the data: the effect of the promo share on decline reversed, no feature moved.
    assert truth["drifted_features"] == []
    (concept,) = truth["drift"]
    assert concept["feature"] == "promo_purchase_share" and concept["after"] == -concept["log_odds_per_sd_before"]

    # compare: the features did not move, the outcomes did; the model's ranking fell: retrain.
    changes = json.loads(_ok("compare", last, november, "--store", store, "--json").stdout)
    assert changes["verdict"] == "retrain", changes["verdict_reasons"]
    assert not [f["feature"] for f in changes["features"] if f["drift"]]
    decay = changes["decay"]
    assert decay["realised"]["roc_auc"]["value"] < decay["promised"]["roc_auc"]
    assert decay["against_expected"]["roc_auc"]["shortfall"] > 0.03
    assert decay["against_expected"]["roc_auc"]["p_value"] < 0.05

    # retrain: a challenger on November's labels, compared on the same held-out customers; not promoted.
    retrained = _ok("retrain", november, "--out", tmp_path / "challenger", "--store", store, "--json")
    comparison = json.loads(retrained.stdout)
    challenger = comparison["challenger_id"]
    assert comparison["champion_id"] == first_champion != challenger
    assert comparison["promoted"] is False and "is registered, not promoted" in retrained.stderr
    # Trained on the world as it now is, the challenger ranks November's customers better.
    assert comparison["difference"]["roc_auc"]["estimate"] > 0
    assert comparison["recommendation"]["decision"] == "promote", comparison["recommendation"]
    assert _champion(store) == first_champion

    # promote: score (without --model) follows the champion.
    before_text, before = _scores(november, store, tmp_path / "before.csv")
    assert first_champion in before_text
    promoted = _ok("promote", challenger[:8], "--store", store, "--reason", "concept drift in November")
    assert f"promoted {challenger}" in promoted.stdout and f"(was {first_champion})" in promoted.stdout
    assert _champion(store) == challenger
    after_text, after = _scores(november, store, tmp_path / "after.csv")
    assert challenger in after_text
    assert (after - before).abs().max() > 0.05  # another model: other probabilities for the same customers
    listing = _ok("models", "--store", store).stdout
    assert f"* {challenger}" in listing and "concept drift in November" in listing

    # rollback: back to October's model, and score with it.
    back = _ok("promote", "--rollback", "--store", store)
    assert f"rolled back to {first_champion}" in back.stdout
    assert _champion(store) == first_champion
    _, again = _scores(november, store, tmp_path / "again.csv")
    pd.testing.assert_series_equal(again, before)


def test_without_drift_the_verdict_is_keep(october: tuple[Path, Path], store: Path, tmp_path: Path) -> None:
    last, _ = october
    november = _next_period(last, tmp_path / "2026-11")
    changes = json.loads(_ok("compare", last, november, "--store", store, "--json").stdout)
    assert changes["verdict"] == "keep", [r["says"] for r in changes["verdict_reasons"] if r["holds"]]
    shown = _ok("compare", last, november, "--store", store).stdout
    assert "keep" in shown
