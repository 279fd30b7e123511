"""The same data and seed give the same model file, byte for byte, and so the same id in the store."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import skops.io

from fast_settings import FAST
from oneclick.layout import MODEL_FILE
from oneclick.model import load_model, save_model, train_model
from oneclick.model.reproducible import reproducible_skops
from oneclick.store import model_id_of


def _save(trained, X: pd.DataFrame, folder: Path) -> Path:
    save_model(trained.model, folder, metrics=trained.metrics, background=trained.background, X=X)
    return folder


def test_training_twice_on_the_same_data_and_seed_gives_the_same_bytes_and_id(
    trained, small_xy: tuple[pd.DataFrame, pd.Series], tmp_path: Path
) -> None:
    X, y = small_xy
    again = train_model(X, y, FAST)
    first, second = _save(trained, X, tmp_path / "first"), _save(again, X, tmp_path / "second")
    assert (first / MODEL_FILE).read_bytes() == (second / MODEL_FILE).read_bytes()
    assert model_id_of(first) == model_id_of(second)
    # ... and a model trained on other customers is another model, with another id.
    other = train_model(X.iloc[::2], y.iloc[::2], FAST)
    assert model_id_of(_save(other, X, tmp_path / "other")) != model_id_of(first)


def test_the_rewritten_archive_loads_as_the_same_model(trained, small_xy, tmp_path: Path) -> None:
    X, _ = small_xy
    folder = _save(trained, X, tmp_path / "model")
    np.testing.assert_array_equal(load_model(folder).model.predict_proba(X), trained.model.predict_proba(X))


def test_ids_file_names_and_times_no_longer_depend_on_the_run(trained) -> None:
    written = skops.io.dumps(trained.model)
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        # What skops writes: memory addresses as file names (the reason for the rewrite).
        assert any(len(name.split(".")[0]) > 8 for name in archive.namelist())
    with zipfile.ZipFile(io.BytesIO(reproducible_skops(written))) as archive:
        entries = archive.infolist()
        schema = json.loads(archive.read("schema.json"))
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert [entry.filename for entry in entries[:-1]] == [f"{k}.npy" for k in range(len(entries) - 1)]
    ids = set(_ids(schema))
    assert ids == set(range(1, len(ids) + 1))  # numbered in the schema's order, not memory addresses
    assert reproducible_skops(reproducible_skops(written)) == reproducible_skops(written)


def _ids(node: object) -> list[int]:
    if isinstance(node, list):
        return [i for item in node for i in _ids(item)]
    if isinstance(node, dict):
        own = [node["__id__"]] if isinstance(node.get("__id__"), int) else []
        return own + [i for key, value in node.items() if key != "__id__" for i in _ids(value)]
    return []
