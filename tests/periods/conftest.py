"""Fixtures of the period tests: a last period on disk, the next ones drawn from it, and one fast model."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from fast_settings import FAST

# Above Evidently's 1,000 reference rows (distances), and below it (p-value tests).
LARGE, SMALL = 1_500, 600
NextPeriod = Callable[..., Path]


@pytest.fixture(scope="session")
def last_period(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from oneclick.synth import write_synthetic_dataset

    folder = tmp_path_factory.mktemp("last")
    write_synthetic_dataset(folder, LARGE, seed=21)
    return folder


@pytest.fixture(scope="session")
def small_last_period(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from oneclick.synth import write_synthetic_dataset

    folder = tmp_path_factory.mktemp("small_last")
    write_synthetic_dataset(folder, SMALL, seed=22)
    return folder


@pytest.fixture(scope="session")
def model_dir(last_period: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A logistic regression trained on the last period, saved as `oneclick train` saves it."""
    from oneclick import build_features, load_tables
    from oneclick.pipeline import train_and_save

    tables = load_tables(last_period)
    X, y = build_features(tables)
    folder = tmp_path_factory.mktemp("model")
    train_and_save(X, y, tables, folder, dataclasses.replace(FAST, model_families="logreg"))
    return folder


@pytest.fixture(scope="session")
def next_period(tmp_path_factory: pytest.TempPathFactory) -> NextPeriod:
    """Write the next period of a folder (once per folder, drift, seed and model)."""
    from oneclick.synth import write_next_period

    written: dict[tuple[str, str, int, str], Path] = {}

    def make(last: Path, drift: str = "", seed: int = 0, model: Path | None = None) -> Path:
        key = (str(last), drift, seed, str(model))
        if key not in written:
            folder = tmp_path_factory.mktemp("next")
            write_next_period(last, folder, drift=drift, seed=seed, model_dir=model)
            written[key] = folder
        return written[key]

    return make


@pytest.fixture(scope="session")
def read_once(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str], object]:
    """A folder read as a period (``periods.sources.read_period``), once per folder and side."""
    from oneclick.ingest import Policy
    from oneclick.periods.sources import read_period

    read: dict[tuple[str, str], object] = {}

    def make(folder: Path, name: str) -> object:
        if (str(folder), name) not in read:
            work = tmp_path_factory.mktemp("work")
            read[(str(folder), name)] = read_period(folder, name, work, store=None, policy=Policy(), config={})
        return read[(str(folder), name)]

    return make
