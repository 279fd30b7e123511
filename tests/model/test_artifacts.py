"""Model folders: skops only, checksums verified, feature schema enforced, every refusal explained."""

from __future__ import annotations

import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io

from oneclick import ModelArtifactError
from oneclick.layout import METRICS_FILE, MODEL_FILE
from oneclick.model import check_schema, load_model
from oneclick.model.artifacts import sha256_of


def test_round_trip_gives_identical_probabilities(saved: Path, trained, small_xy) -> None:
    X, _ = small_xy
    loaded = load_model(saved)
    np.testing.assert_array_equal(loaded.model.predict_proba(X), trained.model.predict_proba(X))
    assert loaded.threshold == pytest.approx(trained.threshold, abs=1e-4)
    pd.testing.assert_frame_equal(loaded.background, trained.background, check_categorical=False)


def test_metadata_records_checksums_schema_versions_and_seed(saved: Path, small_xy) -> None:
    X, _ = small_xy
    metrics = json.loads((saved / METRICS_FILE).read_text(encoding="utf-8"))
    for key in ("best_model", "leaderboard"):
        assert key in metrics
    for section, key in (
        ("holdout", "roc_auc"),
        ("holdout", "f1"),
        ("holdout", "brier"),
        ("cv", "roc_auc_mean"),
        ("cv", "roc_auc_std"),
    ):
        assert 0 <= metrics[section][key] <= 1
    meta = metrics["metadata"]
    assert meta["model_file"]["sha256"] == sha256_of(saved / MODEL_FILE)
    assert [entry["name"] for entry in meta["feature_schema"]] == list(X.columns)
    assert {"scikit-learn", "lightgbm", "skops", "python"} <= set(meta["versions"])
    assert meta["seed"] == 0


def test_a_tampered_model_file_is_refused(saved: Path) -> None:
    data = bytearray((saved / MODEL_FILE).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (saved / MODEL_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelArtifactError, match=r"sha256 .* differs from .* recorded at training"):
        load_model(saved)


def test_a_pickle_is_refused_even_with_a_matching_checksum(saved: Path, trained) -> None:
    (saved / MODEL_FILE).write_bytes(pickle.dumps(trained.model))
    _record_checksum(saved)
    with pytest.raises(ModelArtifactError, match="not a skops file"):
        load_model(saved)


def test_a_zip_that_is_not_skops_is_refused(saved: Path) -> None:
    with zipfile.ZipFile(saved / MODEL_FILE, "w") as archive:
        archive.writestr("model.pkl", b"not a model")
    _record_checksum(saved)
    with pytest.raises(ModelArtifactError, match=r"no schema\.json"):
        load_model(saved)


def test_unexpected_types_inside_a_skops_file_are_refused(saved: Path) -> None:
    skops.io.dump({"model": pd.Timestamp("2026-01-01")}, saved / MODEL_FILE)
    _record_checksum(saved)
    with pytest.raises(ModelArtifactError, match=r"holds types a oneclick model does not contain: \['pandas"):
        load_model(saved)


def test_a_folder_without_metrics_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelArtifactError, match=r"no metrics\.json"):
        load_model(tmp_path)


def test_schema_mismatch_names_the_columns(saved: Path, small_xy) -> None:
    X, _ = small_xy
    loaded = load_model(saved)
    check_schema(loaded, X)
    changed = X.drop(columns=["pages_per_visit", "minutes_change"]).assign(colour="red")
    expected = r"missing columns \['pages_per_visit', 'minutes_change'\]; unexpected columns \['colour'\]"
    with pytest.raises(ModelArtifactError, match=expected):
        check_schema(loaded, changed)
    with pytest.raises(ModelArtifactError, match="column 'service_type': the model was trained on category, found"):
        check_schema(loaded, X.assign(service_type=X["service_type"].cat.codes))


def _record_checksum(model_dir: Path) -> None:
    """Rewrite the recorded checksum, as an attacker who can edit both files would."""
    path = model_dir / METRICS_FILE
    metrics = json.loads(path.read_text(encoding="utf-8"))
    metrics["metadata"]["model_file"]["sha256"] = sha256_of(model_dir / MODEL_FILE)
    path.write_text(json.dumps(metrics), encoding="utf-8")


@pytest.mark.parametrize(
    ("family", "extra"),
    [
        ("logreg", {"splines": 4}),
        ("logreg", {"pairs": True, "select_k": 6}),
        ("knn", {"select_k": 8}),
        ("knn", {"p": 1}),
        ("tree", {}),
        ("svc", {}),
        ("hgb", {}),
        ("lgbm", {}),
    ],
)
def test_every_kind_of_model_saves_with_only_trusted_types(small_xy, tmp_path: Path, family: str, extra: dict) -> None:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import StratifiedKFold

    from oneclick.model import ScoreBlend, build_pipeline
    from oneclick.model.artifacts import TRUSTED_TYPES
    from oneclick.model.candidates import default_params

    X, y = small_xy
    blend = ScoreBlend([(family, build_pipeline(family, default_params(family) | extra))])
    model = CalibratedClassifierCV(blend, cv=StratifiedKFold(3), ensemble=False).fit(X, y)
    skops.io.dump(model, tmp_path / "m.skops")
    assert set(skops.io.get_untrusted_types(file=tmp_path / "m.skops")) <= set(TRUSTED_TYPES)
    loaded = skops.io.load(tmp_path / "m.skops", trusted=TRUSTED_TYPES)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
