"""A small synthetic store and a fast model trained on it, shared by the batch tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from oneclick.config import Settings
from oneclick.features import build_features
from oneclick.ingest import load_tables
from oneclick.model import save_model, train_model
from oneclick.synth import write_synthetic_dataset

# Logistic regression only, few trials, no nested CV: a model in seconds; the batch engine does not care.
FAST_MODEL = Settings(model_families="logreg", search_iterations=3, cv_repeats=0, inner_folds=3, max_blend=1, n_jobs=1)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 synthetic customers as Parquet, with the exports' quirks (typos, inactive, an outlier)."""
    folder = tmp_path_factory.mktemp("store")
    write_synthetic_dataset(folder, 3_000, seed=5, fmt="parquet")
    return folder


@pytest.fixture(scope="session")
def model_dir(small_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    X, y = build_features(load_tables(small_store))
    result = train_model(X, y, FAST_MODEL)
    folder = tmp_path_factory.mktemp("model")
    save_model(result.model, folder, metrics=result.metrics, background=result.background, X=X)
    return folder
