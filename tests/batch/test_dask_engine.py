"""The Dask engine on a LocalCluster of two worker processes gives the local engine's results exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from oneclick.batch import run_batch


def read_parts(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder).sort_values("customer_id").reset_index(drop=True)


@pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning")  # distributed picks another port
def test_local_and_dask_engines_give_identical_probabilities_offers_and_campaign(
    small_store: Path, model_dir: Path, tmp_path: Path
) -> None:
    options = {"budget": 150.0, "drivers": "offered", "progress": False}
    local = run_batch(small_store, model_dir, tmp_path / "local", batch_size=1_000, **options)
    dask = run_batch(
        small_store, model_dir, tmp_path / "dask", engine="dask", batch_size=333, n_partitions=4, **options
    )
    assert dask.engine == "dask" and dask.partitions == 4 and local.rows == dask.rows
    for folder in ("scores", "offers", "campaign"):
        pd.testing.assert_frame_equal(read_parts(tmp_path / "local" / folder), read_parts(tmp_path / "dask" / folder))
    assert local.summary["campaign"] == dask.summary["campaign"]
