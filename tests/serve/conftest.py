"""A store with one small synthetic run, built once, and the service over it."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fast_settings import FAST
from oneclick.pipeline import run_pipeline
from oneclick.serve import ServiceSettings, create_app
from oneclick.synth import write_synthetic_dataset
from serve_keys import KEY, OTHER_KEY

# A campaign budget that binds for these 400 customers, so the plan is a real choice.
SETTINGS = dataclasses.replace(FAST, campaign_budget=4.0, profit_curve_points=6)


@pytest.fixture(scope="session")
def served_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(store, run folder) of `oneclick run` on 400 synthetic customers, registered in a store of its own."""
    data_dir = tmp_path_factory.mktemp("serve_data")
    write_synthetic_dataset(data_dir, 400, seed=3)
    out_dir = tmp_path_factory.mktemp("serve_run")
    store = out_dir / "oneclick.duckdb"
    run_pipeline(data_dir, out_dir, SETTINGS, languages=(), store=store)
    return store, out_dir


@pytest.fixture
def store(served_run: tuple[Path, Path], tmp_path: Path) -> Path:
    """A copy of the served run's store that a test may change."""
    copy = tmp_path / "served.duckdb"
    shutil.copy(served_run[0], copy)
    return copy


@pytest.fixture(scope="session")
def service_settings(served_run: tuple[Path, Path]) -> ServiceSettings:
    """The service's settings over the served run's store: keys KEY and OTHER_KEY."""
    return ServiceSettings(store=served_run[0], api_keys=(KEY, OTHER_KEY), max_body_bytes=2 * 1024 * 1024)


@pytest.fixture(scope="session")
def client(service_settings: ServiceSettings) -> Iterator[TestClient]:
    """The service (API and dashboard) over the served run's store; server errors answered, not raised.

    Anonymous: a test that signs in to the dashboard does it with a client of its own.
    """
    with TestClient(create_app(service_settings, dashboard=True), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def headers() -> dict[str, str]:
    return {"X-API-Key": KEY}
