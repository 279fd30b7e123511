"""``oneclick retrain``: a challenger trained on the newest labelled data, and compared with the champion.

1. NEW (a data folder with its labels) is read and its features built as for ``train``.
2. The challenger is trained on NEW by the usual procedure (:func:`oneclick.model.train_model`):
   search, blend, calibration and threshold on NEW's training part (75 %, stratified,
   ``random_state=42``), evaluated on NEW's holdout (the other 25 %) and by nested CV, then
   refit on all of NEW — the refit is the model registered.
3. Champion and challenger score **the same** customers: NEW's holdout, which the challenger's
   procedure neither trained nor chose anything on. The challenger there is its training-part
   model, the one its holdout figures describe (the refit has seen these customers); the
   champion is the model as it is served. Paired: the ROC-AUC and Brier differences with a
   seeded bootstrap interval, and a recommendation (:mod:`oneclick.model.compare`).
4. The challenger, the run and the comparison are registered in the store in one transaction;
   the challenger is **not** promoted (``oneclick promote MODEL_ID`` does that).

If the champion was trained on these very files (same data fingerprint), it has seen the
holdout's customers and their labels: the comparison favours it, and the result says so.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oneclick.config import Settings
from oneclick.layout import COMPARISON_FILE
from oneclick.pipeline import Progress, data_fingerprint, load_with, save_trained, training_period

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetrainResult:
    """What ``retrain`` registered: the run, the challenger, the champion it was compared with, the comparison."""

    run_id: str
    challenger_id: str
    champion_id: str
    comparison: dict[str, Any]
    paths: dict[str, Path]

    @property
    def decision(self) -> str:
        return str(self.comparison["recommendation"]["decision"])


def retrain(
    new_dir: Path,
    out_dir: Path,
    settings: Settings,
    store: Path,
    *,
    period: str | None = None,
    progress: Progress | None = None,
) -> RetrainResult:
    """Train a challenger on ``new_dir``, compare it with the store's champion, register both (not promoted).

    Raises :class:`~oneclick.errors.StoreError` when the store has no champion,
    :class:`~oneclick.errors.ModelArtifactError` when the champion does not fit NEW's features.
    """
    from oneclick.features import build_features
    from oneclick.model import check_schema, load_model, train_model
    from oneclick.model.compare import compare_paired
    from oneclick.store.models import champion_folder, model_id_of
    from oneclick.store.register import register

    with champion_folder(store) as (champion_id, folder):  # first: no champion, no training
        champion = load_model(folder)
    tables = load_with(settings, new_dir)
    X, y = build_features(tables)
    check_schema(champion, X)
    trained = train_model(X, y, settings, progress=progress)
    holdout = trained.holdout_predictions
    champion_probability = champion.model.predict_proba(X.loc[holdout.index])[:, 1]
    paired = compare_paired(
        holdout["declined"], champion_probability, holdout["decline_probability"].to_numpy(), seed=settings.seed
    )
    paths = save_trained(trained, X, tables, out_dir, settings, data_dir=new_dir, period=period)
    fingerprint = data_fingerprint(tables)
    challenger_id = model_id_of(out_dir)
    result = _result(paired.as_dict(), champion.metrics, trained.metrics, settings) | {
        "champion_id": champion_id,
        "challenger_id": challenger_id,
        "data_dir": str(new_dir),
        "data_fingerprint": fingerprint,
        "training_period": training_period(new_dir, period),
        "champion_saw_these_customers": champion.metadata.get("data_fingerprint") == fingerprint,
        "promoted": False,
    }
    result["challenger"]["training_period"] = result["training_period"]
    paths["comparison"] = out_dir / COMPARISON_FILE
    paths["comparison"].write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    run_id = register(
        store,
        "retrain",
        settings=settings,
        quality=tables.quality,
        data_dir=new_dir,
        out_dir=out_dir,
        model_dir=out_dir,
        summary={"comparison": result},
        comparison=result,
    )
    return RetrainResult(run_id, challenger_id, champion_id, result | {"run_id": run_id}, paths)


def _result(
    paired: dict[str, Any], champion: dict[str, Any], challenger: dict[str, Any], settings: Settings
) -> dict[str, Any]:
    """The paired figures, with what each model promised at training and how the customers were held out."""
    for side, metrics in (("champion", champion), ("challenger", challenger)):
        paired[side] = paired[side] | {
            "promised_at_training": {
                "holdout_roc_auc": metrics.get("holdout", {}).get("roc_auc"),
                "holdout_brier": metrics.get("holdout", {}).get("brier"),
                "cv_roc_auc_mean": metrics.get("cv", {}).get("roc_auc_mean"),
            },
            "training_period": metrics.get("metadata", {}).get("training_period"),
        }
    return paired | {
        "held_out": {
            "customers": "the holdout of NEW: the published protocol's split, which the challenger's procedure "
            "neither trained nor chose anything on",
            "test_size": settings.holdout_size,
            "stratified": True,
            "random_state": settings.holdout_random_state,
            "challenger_scored_by": "its model fitted on NEW's training part (the one its holdout figures are of); "
            "the registered challenger is that procedure refit on all of NEW",
        },
    }
