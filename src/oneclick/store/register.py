"""What each command registers in the store: the run's record, its tables and, after training, its model.

Every registration is one transaction (``store.connect.writing``): the model, the run and its
tables are there together, or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from oneclick.config import Settings
from oneclick.ingest import DataQuality
from oneclick.layout import (
    CAMPAIGN_DIR,
    METRICS_FILE,
    MODEL_FILE,
    OFFERS_DIR,
    OFFERS_SUMMARY_FILE,
    PROFIT_CURVE_FILE,
    QUALITY_FILE,
    SCORES_DIR,
    SEGMENT_DRIVERS_FILE,
    SEGMENT_FEATURES_FILE,
    SEGMENTS_FILE,
)
from oneclick.record import fingerprint
from oneclick.store.connect import writing
from oneclick.store.models import model_id_of, register_model
from oneclick.store.registry import promote_if_first, register_comparison
from oneclick.store.runs import RunRecord, TableData, register_run


def register(
    store: Path,
    kind: str,
    *,
    settings: Settings,
    quality: Mapping[str, Any] | DataQuality,
    data_dir: Path | None = None,
    out_dir: Path | None = None,
    model_dir: Path | None = None,
    trained: bool = False,
    tables: Mapping[str, TableData] | None = None,
    summary: Mapping[str, Any] | None = None,
    comparison: Mapping[str, Any] | None = None,
) -> str:
    """Register one command's run, with its tables and the model it used or trained.

    ``trained``: this run trained the model; it becomes the champion only when the store has
    none yet (its first model), otherwise it is a challenger that ``oneclick promote`` may
    promote (:mod:`oneclick.store.registry`). ``comparison``: the champion/challenger comparison
    of ``oneclick retrain``, kept in ``comparisons`` with the run. Returns the run id.
    """
    quality_dict = quality.as_dict() if isinstance(quality, DataQuality) else dict(quality)
    checksums = {source["file"]: source["sha256"] for source in quality_dict.get("sources", [])}
    metrics = _metrics(model_dir) if model_dir is not None else {}
    customers = tables.get("customers") if tables else None
    n_customers = len(customers) if isinstance(customers, pd.DataFrame) else quality_dict.get("customers_kept")
    with writing(store) as connection:
        run_id = register_run(
            store,
            RunRecord(
                kind=kind,
                data_dir=str(data_dir) if data_dir is not None else None,
                out_dir=str(out_dir) if out_dir is not None else None,
                data_fingerprint=fingerprint(checksums) if checksums else None,
                model_id=model_id_of(model_dir) if model_dir is not None else None,
                n_customers=n_customers,
                settings=settings.as_dict(),
                quality=quality_dict,
                metrics=metrics,
                summary=summary or {},
            ),
            tables,
            connection=connection,
        )
        if model_dir is not None and (Path(model_dir) / MODEL_FILE).is_file():
            model_id = register_model(connection, Path(model_dir), run_id)
            if trained:
                promote_if_first(connection, model_id, run_id)
        if comparison is not None:
            register_comparison(connection, run_id, dict(comparison))
    return run_id


def register_batch(store: Path, out_dir: Path, *, settings: Settings, data_dir: Path, model_dir: Path) -> str:
    """Register a finished batch run from its output folder (its Parquet outputs are read by DuckDB)."""
    return register(
        store,
        "batch",
        settings=settings,
        quality=batch_quality(out_dir),
        data_dir=data_dir,
        out_dir=out_dir,
        model_dir=model_dir,
        tables=batch_tables(out_dir),
        summary=batch_summary(out_dir),
    )


def batch_tables(out_dir: Path) -> dict[str, TableData]:
    """The tables of a batch run's folder: its Parquet outputs, and its segment tables."""
    tables: dict[str, TableData] = {}
    for name, folder in (("scores", SCORES_DIR), ("offers", OFFERS_DIR), ("campaign", CAMPAIGN_DIR)):
        if any((out_dir / folder).glob("*.parquet")):
            tables[name] = str(out_dir / folder / "*.parquet")
    for name, file in (
        ("segments", SEGMENTS_FILE),
        ("segment_features", SEGMENT_FEATURES_FILE),
        ("segment_drivers", SEGMENT_DRIVERS_FILE),
        ("profit_curve", PROFIT_CURVE_FILE),
    ):
        if (out_dir / file).is_file():
            tables[name] = pd.read_csv(out_dir / file)
    return tables


def batch_summary(out_dir: Path) -> dict[str, Any]:
    """A batch run's offers summary (when it chose offers)."""
    path = out_dir / OFFERS_SUMMARY_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def batch_quality(out_dir: Path) -> dict[str, Any]:
    return json.loads((out_dir / QUALITY_FILE).read_text(encoding="utf-8"))


def _metrics(model_dir: Path) -> dict[str, Any]:
    path = Path(model_dir) / METRICS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
