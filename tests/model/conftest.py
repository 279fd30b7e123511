"""Fixtures of the model tests: the real feature table (or a slice of it), fast settings, one trained model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fast_settings import FAST
from oneclick.config import Settings

REAL_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "one_click"


@pytest.fixture
def fast() -> Settings:
    """Settings for seconds-long searches."""
    return FAST


@pytest.fixture(scope="session")
def real_xy() -> tuple[pd.DataFrame, pd.Series]:
    """X, y of the store's real data (1,297 customers), or skip when the data is not beside the project."""
    if not (REAL_DATA / "market_file.csv").is_file():
        pytest.skip("the store's data is not beside the project (../shared/data/one_click)")
    from oneclick import build_features, load_tables

    return build_features(load_tables(REAL_DATA))


@pytest.fixture
def real_dir(real_xy: tuple[pd.DataFrame, pd.Series]) -> Path:
    """The folder of the store's real data (read-only; outputs go under tmp_path)."""
    return REAL_DATA


@pytest.fixture(scope="session")
def small_xy(real_xy: tuple[pd.DataFrame, pd.Series]) -> tuple[pd.DataFrame, pd.Series]:
    """A stratified slice of 300 real customers: every family fits in milliseconds."""
    X, y = real_xy
    rng = np.random.default_rng(0)
    picked = np.sort(
        np.concatenate(
            [
                rng.choice(np.flatnonzero(y.to_numpy() == label), size, replace=False)
                for label, size in ((0, 186), (1, 114))
            ]
        )
    )
    return X.iloc[picked], y.iloc[picked]


@pytest.fixture(scope="session")
def trained(small_xy: tuple[pd.DataFrame, pd.Series]):
    """One fast training on the slice, shared by the artifact and scoring tests."""
    from oneclick.model import train_model

    X, y = small_xy
    return train_model(X, y, FAST)


@pytest.fixture
def saved(trained, small_xy: tuple[pd.DataFrame, pd.Series], tmp_path: Path) -> Path:
    """The fast model saved in a fresh folder."""
    from oneclick.model import save_model

    X, _ = small_xy
    save_model(
        trained.model,
        tmp_path / "model",
        metrics=trained.metrics,
        background=trained.background,
        X=X,
        metadata={"seed": FAST.seed},
    )
    return tmp_path / "model"
