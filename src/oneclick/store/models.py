"""Models in the store: every trained model kept as its three files, and the champion.

A model's id is the start of its skops file's sha256, so registering the same model twice
keeps one copy. With it the store keeps what the model was trained on (its data fingerprint,
training period, data folder and number of customers, read from its ``metrics.json``). The
champion (what ``score``, ``offers`` and the service use) is the model of the last row of
``promotions``; who writes there, and when, is :mod:`oneclick.store.registry`.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from oneclick.errors import StoreError
from oneclick.layout import BACKGROUND_FILE, METRICS_FILE, MODEL_FILE
from oneclick.model import LoadedModel, load_model
from oneclick.store.connect import reading

_ID_LENGTH = 16
_FILES = (MODEL_FILE, BACKGROUND_FILE, METRICS_FILE)


def model_id_of(model_dir: Path) -> str:
    """The id a model folder has in the store."""
    return hashlib.sha256((Path(model_dir) / MODEL_FILE).read_bytes()).hexdigest()[:_ID_LENGTH]


def register_model(
    connection: duckdb.DuckDBPyConnection, model_dir: Path, run_id: str, *, promote: str | None = None
) -> str:
    """Store the model folder's files (once) under ``run_id``; promote it with the reason ``promote``.

    ``promote`` is for a caller that has decided, by the registry's policy, that this model
    becomes the champion (see :func:`oneclick.store.registry.promote_if_first`).
    """
    model_dir = Path(model_dir)
    model_id = model_id_of(model_dir)
    known = connection.execute("SELECT count(*) FROM models WHERE model_id = ?", [model_id]).fetchall()[0][0]
    if not known:
        metrics_bytes = (model_dir / METRICS_FILE).read_bytes()
        metrics = json.loads(metrics_bytes)
        trained_on = trained_on_of(metrics)
        connection.execute(
            "INSERT INTO models (model_id, run_id, created_at, data_fingerprint, metrics, model_skops, background, "
            "metrics_json, training_period, data_dir, n_customers) VALUES (?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                model_id,
                run_id,
                trained_on["data_fingerprint"],
                metrics_bytes.decode("utf-8"),
                (model_dir / MODEL_FILE).read_bytes(),
                (model_dir / BACKGROUND_FILE).read_bytes(),
                metrics_bytes,
                trained_on["training_period"],
                trained_on["data_dir"],
                trained_on["n_customers"],
            ],
        )
    if promote is not None:
        previous = champion_id(connection)
        connection.execute(
            "INSERT INTO promotions (model_id, promoted_at, reason, action, previous_model_id) "
            "VALUES (?, now(), ?, 'trained', ?)",
            [model_id, promote, previous],
        )
    return model_id


def trained_on_of(metrics: dict[str, Any]) -> dict[str, Any]:
    """What a model's ``metrics.json`` says it was trained on: fingerprint, period, folder, customers.

    The customers are those the saved model was fitted on: all labelled customers when it was
    refit (``refit.n_customers``), else the training part.
    """
    metadata = metrics.get("metadata", {})
    refit = metrics.get("refit") or {}
    n_customers = refit.get("n_customers", metrics.get("n_customers", {}).get("train"))
    return {
        "data_fingerprint": metadata.get("data_fingerprint"),
        "training_period": metadata.get("training_period"),
        "data_dir": metadata.get("data_dir"),
        "n_customers": n_customers,
    }


def champion_id(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The id of the model promoted last, or None when none was."""
    rows = connection.execute(
        "SELECT model_id FROM promotions ORDER BY promoted_at DESC, rowid DESC LIMIT 1"
    ).fetchall()
    return rows[0][0] if rows else None


def load_champion(store: Path) -> tuple[str, LoadedModel]:
    """The champion's id and the model, checked as ``load_model`` checks a model folder."""
    with champion_folder(store) as (model_id, folder):
        return model_id, load_model(folder)


def load_stored_model(store: Path, model_id: str) -> LoadedModel:
    """A model of the store by its id, checked as ``load_model`` checks a model folder.

    Raises :class:`StoreError` when the store does not hold it.
    """
    with reading(store) as connection:
        files = model_files(connection, model_id)
    with tempfile.TemporaryDirectory(prefix="oneclick-model-") as folder:
        for name, data in zip(_FILES, files, strict=True):
            (Path(folder) / name).write_bytes(data)
        return load_model(Path(folder))


@contextmanager
def champion_folder(store: Path) -> Iterator[tuple[str, Path]]:
    """The champion's id and its three files written to a temporary model folder, removed afterwards.

    Raises :class:`StoreError` when the store has no champion.
    """
    with reading(store) as connection:
        model_id = champion_id(connection)
        if model_id is None:
            raise StoreError(
                f"{store}: the store has no champion model yet; train one with `oneclick train DIR --store {store}` "
                "(the store's first model becomes the champion), or give score/offers a --model MODELDIR"
            )
        files = model_files(connection, model_id)
    with tempfile.TemporaryDirectory(prefix="oneclick-model-") as folder:
        for name, data in zip(_FILES, files, strict=True):
            (Path(folder) / name).write_bytes(data)
        yield model_id, Path(folder)


def model_files(connection: duckdb.DuckDBPyConnection, model_id: str) -> tuple[bytes, bytes, bytes]:
    """The stored ``model.skops``, ``background.parquet`` and ``metrics.json`` of a model."""
    rows = connection.execute(
        "SELECT model_skops, background, metrics_json FROM models WHERE model_id = ?", [model_id]
    ).fetchall()
    if not rows:
        raise StoreError(f"model {model_id} is not in the store")
    return bytes(rows[0][0]), bytes(rows[0][1]), bytes(rows[0][2])
