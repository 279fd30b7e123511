"""Save and load a trained model safely: skops format, checksums, feature schema, metadata.

A model folder holds three files:

- ``model.skops``: the fitted estimator in skops format (never pickle: loading it runs no code
  of the file's choosing, and only the types listed in :data:`TRUSTED_TYPES` are accepted),
  written reproducibly (:mod:`oneclick.model.reproducible`): the same model, the same bytes;
- ``background.parquet``: the sample of training customers explanations compare to;
- ``metrics.json``: the evaluation, and under ``metadata`` the sha256 of both files and of the
  input tables, the feature schema, the chosen parameters, library versions and the seed.

Loading refuses, with a message saying why, a file that is not skops, whose checksum differs
from the one recorded at training, or whose types are not the expected ones; scoring refuses
data whose feature schema differs from the training data's.
"""

from __future__ import annotations

import json
import platform
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from oneclick.errors import ModelArtifactError
from oneclick.features.groups import FEATURES
from oneclick.ingest.lines import file_sha256
from oneclick.layout import BACKGROUND_FILE, HOLDOUT_FILE, METRICS_FILE, MODEL_FILE
from oneclick.model.reproducible import reproducible_skops

if TYPE_CHECKING:
    from oneclick.model.explain import Explainer
    from oneclick.model.fast_prepare import FastPreparation

FORMAT = "oneclick-model/1"
LIBRARIES = ("numpy", "pandas", "scikit-learn", "lightgbm", "optuna", "shap", "skops", "scipy")

# Every type a oneclick model may contain beyond skops' default trusted set; see
# ``skops.io.get_untrusted_types``. A saved file holding anything else is refused.
TRUSTED_TYPES: list[str] = [
    "collections.OrderedDict",
    "lightgbm.basic.Booster",
    "lightgbm.sklearn.LGBMClassifier",
    "oneclick.model.blend.ScoreBlend",
    "oneclick.model.candidates.one_hot_name",
    "scipy._lib.array_api_compat.numpy._aliases.asarray",
    "scipy.interpolate._bsplines.BSpline",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.feature_selection._univariate_selection.f_classif",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.metrics._dist_metrics.ManhattanDistance64",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.tree._tree.Tree",
]


@dataclass(frozen=True)
class LoadedModel:
    """A model read back from its folder, with its metrics, metadata and explanation background."""

    model: Any
    metrics: dict[str, Any] = field(repr=False)
    background: pd.DataFrame = field(repr=False)

    @property
    def metadata(self) -> dict[str, Any]:
        return self.metrics["metadata"]

    @property
    def threshold(self) -> float:
        return float(self.metrics["selection"]["threshold"])

    @cached_property
    def explainer(self) -> Explainer:
        """The model's explainer against its background, with the training run's settings; made once."""
        from oneclick.model.explain import Explainer

        settings = self.metrics.get("explanation", {})
        return Explainer(
            self.model,
            self.background,
            n_permutations=int(settings.get("permutations", 16)),
            seed=int(self.metadata.get("seed", 0)),
        )

    @cached_property
    def preparations(self) -> tuple[FastPreparation | None, ...]:
        """The fast form of each blend component's preprocessing (``model.fast_prepare``), checked on the background."""
        from oneclick.model.fast_prepare import fast_preparations
        from oneclick.model.prepared import blend_components

        return fast_preparations(blend_components(self.model), self.background[self.feature_names])

    @cached_property
    def feature_names(self) -> list[str]:
        """The model's features, in the training table's order."""
        return [entry["name"] for entry in self.metadata["feature_schema"]]


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes (the one checksum of oneclick: ``ingest.lines.file_sha256``)."""
    return file_sha256(Path(path))


def feature_schema(X: pd.DataFrame) -> list[dict[str, Any]]:
    """Name, dtype (and categories) of every column, with its group and kind where known."""
    known = {feature.name: feature for feature in FEATURES}
    schema = []
    for name in X.columns:
        entry: dict[str, Any] = {"name": name, "dtype": _dtype_kind(X[name])}
        if entry["dtype"] == "category":
            entry["categories"] = [str(c) for c in X[name].cat.categories]
        if name in known:
            entry |= {"group": known[name].group, "kind": known[name].kind}
        schema.append(entry)
    return schema


def library_versions() -> dict[str, str]:
    """Versions of Python and of the libraries a saved model depends on."""
    return {"python": platform.python_version()} | {name: version(name) for name in LIBRARIES}


def save_model(
    model: Any,
    out_dir: Path,
    *,
    metrics: Mapping[str, Any],
    background: pd.DataFrame,
    X: pd.DataFrame,
    metadata: Mapping[str, Any] | None = None,
    holdout_predictions: pd.DataFrame | None = None,
) -> dict[str, Path]:
    """Write ``model.skops``, ``background.parquet`` and ``metrics.json`` (with metadata) to ``out_dir``.

    ``X`` is the training feature table (its schema is recorded); ``metadata`` adds entries such
    as the input files' checksums, the settings and the seed. ``holdout_predictions`` (label and
    probability of the holdout's customers) go to ``holdout_predictions.csv`` for the report's curves.
    """
    import skops.io

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"model": out_dir / MODEL_FILE, "background": out_dir / BACKGROUND_FILE, "metrics": out_dir / METRICS_FILE}
    # Rewritten so that the same model has the same bytes, hence the same id in the store.
    paths["model"].write_bytes(reproducible_skops(skops.io.dumps(model)))
    background.to_parquet(paths["background"], index=False)
    record = dict(metrics) | {
        "metadata": {
            "format": FORMAT,
            "model_file": {"name": MODEL_FILE, "format": "skops", "sha256": sha256_of(paths["model"])},
            "background_file": {"name": BACKGROUND_FILE, "sha256": sha256_of(paths["background"])},
            "feature_schema": feature_schema(X),
            "versions": library_versions(),
            **(metadata or {}),
        }
    }
    paths["metrics"].write_text(json.dumps(record, ensure_ascii=False, indent=2, default=_plain), encoding="utf-8")
    if holdout_predictions is not None and len(holdout_predictions):
        paths["holdout_predictions"] = out_dir / HOLDOUT_FILE
        holdout_predictions.round(6).to_csv(paths["holdout_predictions"], index_label="customer_id")
    return paths


def load_model(model_dir: Path) -> LoadedModel:
    """Read a model folder written by :func:`save_model`, refusing anything that cannot be trusted.

    Raises :class:`ModelArtifactError` when the folder or a file is missing, when the model file
    is not a skops file, when a checksum differs from the one recorded, or when the file holds
    types a oneclick model does not contain.
    """
    model_dir = Path(model_dir)
    metrics = _read_metrics(model_dir)
    meta = metrics["metadata"]
    model_path = model_dir / meta["model_file"]["name"]
    _check_skops(model_path)
    _check_checksum(model_path, meta["model_file"]["sha256"])
    background_path = model_dir / meta["background_file"]["name"]
    _check_checksum(background_path, meta["background_file"]["sha256"])
    model = _load_skops(model_path)
    background = pd.read_parquet(background_path)
    return LoadedModel(model, metrics, _restore_dtypes(background, meta["feature_schema"]))


def check_schema(loaded: LoadedModel, X: pd.DataFrame) -> None:
    """Refuse ``X`` when its columns or their types differ from the training data's, naming them."""
    expected = {entry["name"]: entry for entry in loaded.metadata["feature_schema"]}
    missing = [name for name in expected if name not in X.columns]
    extra = [name for name in X.columns if name not in expected]
    problems = []
    if missing:
        problems.append(f"missing columns {missing}")
    if extra:
        problems.append(f"unexpected columns {extra}")
    dtypes = X.dtypes
    for name in expected.keys() & set(X.columns):
        found = _dtype_kind(dtypes[name])
        if _NUMBER.get(found, found) != _NUMBER.get(expected[name]["dtype"], expected[name]["dtype"]):
            problems.append(f"column {name!r}: the model was trained on {expected[name]['dtype']}, found {found}")
    if problems:
        raise ModelArtifactError(
            "the data does not match the model's feature schema: "
            + "; ".join(problems)
            + ". Score data built by the same oneclick version as the model, or retrain."
        )


def _read_metrics(model_dir: Path) -> dict[str, Any]:
    path = model_dir / METRICS_FILE
    if not path.is_file():
        raise ModelArtifactError(f"{model_dir}: no {METRICS_FILE}; not a model folder written by `oneclick train`")
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
        if metrics["metadata"]["format"] != FORMAT:
            raise ModelArtifactError(f"{path}: model format {metrics['metadata']['format']!r}, expected {FORMAT!r}")
    except (json.JSONDecodeError, KeyError, TypeError) as err:
        raise ModelArtifactError(f"{path}: unreadable model metadata ({err}); retrain with `oneclick train`") from err
    return metrics


def _check_skops(path: Path) -> None:
    if not path.is_file():
        raise ModelArtifactError(f"{path}: the model file is missing")
    with path.open("rb") as handle:
        is_zip = handle.read(4) == b"PK\x03\x04"
    if not is_zip or not zipfile.is_zipfile(path):
        raise ModelArtifactError(
            f"{path}: not a skops file (a skops file is a zip archive; pickle and other "
            "formats are refused because loading them can run arbitrary code)"
        )
    with zipfile.ZipFile(path) as archive:
        if "schema.json" not in archive.namelist():
            raise ModelArtifactError(f"{path}: a zip archive but not a skops file (no schema.json inside)")


def _check_checksum(path: Path, expected: str) -> None:
    if not path.is_file():
        raise ModelArtifactError(f"{path}: the file is missing")
    found = sha256_of(path)
    if found != expected:
        raise ModelArtifactError(
            f"{path}: sha256 {found[:12]}… differs from {expected[:12]}… recorded at training; "
            "the file was changed or damaged since. Retrain, or restore the original file."
        )


def _load_skops(path: Path) -> Any:
    import skops.io

    try:
        untrusted = skops.io.get_untrusted_types(file=path)
        unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
        if unexpected:
            raise ModelArtifactError(f"{path}: holds types a oneclick model does not contain: {unexpected}; refused")
        return skops.io.load(path, trusted=sorted(set(untrusted)))
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError) as err:
        raise ModelArtifactError(f"{path}: cannot read the skops file ({err})") from err


# Whole and decimal numbers are the same to every model here.
_NUMBER = {"int64": "number", "float64": "number"}


def _dtype_kind(column: pd.Series | Any) -> str:
    """What a column (or its dtype) holds, as the feature schema writes it."""
    dtype = column.dtype if isinstance(column, pd.Series) else column
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int64"
    if pd.api.types.is_float_dtype(dtype):
        return "float64"
    return str(dtype)


def _restore_dtypes(table: pd.DataFrame, schema: list[dict[str, Any]]) -> pd.DataFrame:
    for entry in schema:
        if entry["dtype"] == "category":
            table[entry["name"]] = pd.Categorical(table[entry["name"]].astype(str), categories=entry["categories"])
    return table


def _plain(value: Any) -> Any:
    """JSON for numpy scalars and arrays in the metrics."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")
