"""A small synthetic run, built once: its output folder and its summary."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from oneclick.config import Settings
from oneclick.pipeline import run_pipeline
from oneclick.report import build_summary, render_report
from oneclick.synth import write_synthetic_dataset

# Files of a run that carry no customer table: enough for sections 1 and 8 only.
RECORD_FILES = ("run.json", "quality.json", "quarantine.csv")


@pytest.fixture(scope="session")
def synth_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of `oneclick run` on 600 synthetic customers (seed 1)."""
    data_dir = tmp_path_factory.mktemp("synth_data")
    write_synthetic_dataset(data_dir, 600, seed=1)
    out_dir = tmp_path_factory.mktemp("synth_run")
    run_pipeline(data_dir, out_dir, Settings())
    return out_dir


@pytest.fixture(scope="session")
def synth_summary(synth_run: Path) -> dict[str, Any]:
    return build_summary(synth_run)


@pytest.fixture(scope="session")
def synth_html(synth_summary: dict[str, Any]) -> dict[str, str]:
    """The report of the synthetic run, in each language."""
    return {lang: render_report(synth_summary, lang) for lang in ("ru", "en")}


@pytest.fixture
def records_only_run(synth_run: Path, tmp_path: Path) -> Path:
    """A copy of the synthetic run with only its records (no customer table): cheap to report on."""
    folder = tmp_path / "run"
    folder.mkdir()
    for name in RECORD_FILES:
        shutil.copy(synth_run / name, folder / name)
    return folder
