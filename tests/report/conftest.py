"""A small synthetic run, built once: its output folder and its summary."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pytest

from fast_settings import FAST as SHARED_FAST
from oneclick.config import Settings
from oneclick.pipeline import run_pipeline
from oneclick.report import build_summary, render_report
from oneclick.synth import write_synthetic_dataset

# Files of a run that carry no customer table: enough for sections 1 and 8 only.
RECORD_FILES = ("run.json", "quality.json", "quarantine.csv")
# Profit units; every offer worth its cost costs about 10 for these 600 customers, so this budget binds.
BUDGET = 4.0
# Seconds, not minutes: three families (the leaderboard has a blend and a weak tree), two trials, no nested CV.
FAST = dataclasses.replace(
    SHARED_FAST, model_families="logreg,tree,lgbm", campaign_budget=BUDGET, profit_curve_points=6
)
# Charts each section draws on a complete run.
CHARTS = {
    "quality": 1,
    "exploration": 5,
    "correlation": 2,
    "model": 3,
    "explanation": 3,
    "segments": 3,
    "offers": 2,
    "conclusions": 0,
}


@pytest.fixture(scope="session")
def synth_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of `oneclick run` on 600 synthetic customers (seed 1), with fast model settings."""
    data_dir = tmp_path_factory.mktemp("synth_data")
    write_synthetic_dataset(data_dir, 600, seed=1)
    out_dir = tmp_path_factory.mktemp("synth_run")
    run_pipeline(data_dir, out_dir, FAST, languages=())  # the tests render the report themselves
    return out_dir


@pytest.fixture(scope="session")
def synth_summary(synth_run: Path) -> dict[str, Any]:
    return build_summary(synth_run)


@pytest.fixture(scope="session")
def synth_html(synth_summary: dict[str, Any]) -> dict[str, str]:
    """The report of the synthetic run, in each language."""
    return {lang: render_report(synth_summary, lang) for lang in ("ru", "en")}


@pytest.fixture
def fast_settings() -> Settings:
    return FAST


@pytest.fixture
def expected_charts() -> dict[str, int]:
    return dict(CHARTS)


@pytest.fixture
def records_only_run(synth_run: Path, tmp_path: Path) -> Path:
    """A copy of the synthetic run with only its records (no customer table): cheap to report on."""
    folder = tmp_path / "run"
    folder.mkdir()
    for name in RECORD_FILES:
        shutil.copy(synth_run / name, folder / name)
    return folder


@pytest.fixture
def run_copy(synth_run: Path, tmp_path: Path) -> Path:
    """A full copy of the synthetic run, for tests that change one of its files."""
    return Path(shutil.copytree(synth_run, tmp_path / "run"))
