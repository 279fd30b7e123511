"""Models in the store: every trained model kept as its three files, and the champion.

A model's id is the start of its skops file's sha256, so registering the same model twice
keeps one copy. The champion (what the service scores with) is the model promoted last; for
now every newly trained model is promoted when it is registered.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import duckdb

from oneclick.errors import StoreError
from oneclick.layout import BACKGROUND_FILE, METRICS_FILE, MODEL_FILE
from oneclick.model import LoadedModel, load_model
from oneclick.store.connect import reading

_ID_LENGTH = 16


def model_id_of(model_dir: Path) -> str:
    """The id a model folder has in the store."""
    return hashlib.sha256((Path(model_dir) / MODEL_FILE).read_bytes()).hexdigest()[:_ID_LENGTH]


def register_model(
    connection: duckdb.DuckDBPyConnection, model_dir: Path, run_id: str, *, promote: str | None = None
) -> str:
    """Store the model folder's files (once) under ``run_id``; promote it with the reason ``promote``."""
    model_dir = Path(model_dir)
    model_id = model_id_of(model_dir)
    known = connection.execute("SELECT count(*) FROM models WHERE model_id = ?", [model_id]).fetchall()[0][0]
    if not known:
        metrics_bytes = (model_dir / METRICS_FILE).read_bytes()
        metrics = json.loads(metrics_bytes)
        connection.execute(
            "INSERT INTO models VALUES (?, ?, now(), ?, ?, ?, ?, ?)",
            [
                model_id,
                run_id,
                metrics.get("metadata", {}).get("data_fingerprint"),
                metrics_bytes.decode("utf-8"),
                (model_dir / MODEL_FILE).read_bytes(),
                (model_dir / BACKGROUND_FILE).read_bytes(),
                metrics_bytes,
            ],
        )
    if promote is not None:
        connection.execute("INSERT INTO promotions VALUES (?, now(), ?)", [model_id, promote])
    return model_id


def champion_id(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The id of the model promoted last, or None when none was."""
    rows = connection.execute(
        "SELECT model_id FROM promotions ORDER BY promoted_at DESC, rowid DESC LIMIT 1"
    ).fetchall()
    return rows[0][0] if rows else None


def load_champion(store: Path) -> tuple[str, LoadedModel]:
    """The champion's id and the model, checked as ``load_model`` checks a model folder."""
    with reading(store) as connection:
        model_id = champion_id(connection)
        if model_id is None:
            raise StoreError(f"{store}: no model in the store yet; `oneclick run --store {store}` trains one")
        files = connection.execute(
            "SELECT model_skops, background, metrics_json FROM models WHERE model_id = ?", [model_id]
        ).fetchall()[0]
    with tempfile.TemporaryDirectory(prefix="oneclick-model-") as folder:
        for name, data in zip((MODEL_FILE, BACKGROUND_FILE, METRICS_FILE), files, strict=True):
            (Path(folder) / name).write_bytes(bytes(data))
        return model_id, load_model(Path(folder))
