"""Candidate pipelines: one preprocessing recipe and one search space per model family.

Every pipeline takes the feature table ``X`` from :func:`oneclick.build_features` as it is:
all preprocessing happens inside the pipeline, so cross-validation never leaks.

- nominal features (``favourite_category``) are one-hot encoded;
- binary features with a real order (standard < premium, no < yes) are ordinal-encoded;
- numeric features go through a scaler that the search chooses (standard / min-max / none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from lightgbm import LGBMClassifier
from optuna import Trial
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    PolynomialFeatures,
    SplineTransformer,
    StandardScaler,
)
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from oneclick.config import MODEL_FAMILIES
from oneclick.features.groups import BINARY_FEATURES, NOMINAL_FEATURES, NUMERIC_FEATURES

Scaler = Literal["standard", "minmax", "none"]
Params = dict[str, Any]

# The order of a binary feature's values, low to high: the encoder must not guess it from the data.
ORDERED_VALUES: dict[str, list[Any]] = {
    "service_type": ["standard", "premium"],
    "allows_messages": [False, True],
}


def one_hot_name(feature: str, category: Any) -> str:
    """``favourite_category=kids_goods``: the spelling :func:`feature_label` understands."""
    return f"{feature}={category}"


def make_preprocessor(scaler: Scaler = "standard", splines: int = 0) -> ColumnTransformer:
    """One-hot for nominal, ordinal for ordered binary features, a scaler (and splines) for numbers.

    ``splines`` > 0 expands every numeric feature into a cubic B-spline basis with that many knots.
    """
    numeric: list[tuple[str, Any]] = []
    if scaler == "standard":
        numeric.append(("scale", StandardScaler()))
    elif scaler == "minmax":
        numeric.append(("scale", MinMaxScaler()))
    if splines:
        numeric.append(("splines", SplineTransformer(n_knots=splines, degree=3)))
    numeric_step: Any = Pipeline(numeric) if numeric else "passthrough"
    return ColumnTransformer(
        [
            (
                "nominal",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False, feature_name_combiner=one_hot_name),
                NOMINAL_FEATURES,
            ),
            ("ordered", OrdinalEncoder(categories=[ORDERED_VALUES[name] for name in BINARY_FEATURES]), BINARY_FEATURES),
            ("numeric", numeric_step, NUMERIC_FEATURES),
        ],
        verbose_feature_names_out=False,
    )


@dataclass(frozen=True)
class Family:
    """A model family: how to build its pipeline from parameters, and what the search may try."""

    name: str
    build: Callable[[Params, int], Pipeline]
    suggest: Callable[[Trial], Params]
    # Boosting costs ten times a linear fit; the search gives it fewer trials (see search.py).
    expensive: bool = False
    # Explained exactly and fast (linear algebra or TreeSHAP); others need sampled Shapley values.
    exact_explainer: bool = False


def _selector(params: Params) -> list[tuple[str, Any]]:
    """Keep the k columns most related to the label (ANOVA F), when the search asks for it."""
    k = params.get("select_k", 0)
    return [("select", SelectKBest(f_classif, k=k))] if k else []


def _suggest_selection(trial: Trial) -> int:
    # Distance-based models drown in uninformative columns; 0 means "keep them all".
    return trial.suggest_categorical("select_k", [0, 6, 8, 10, 12, 16])


def _build_logreg(params: Params, seed: int) -> Pipeline:
    l1 = params["penalty"] == "l1"
    model = LogisticRegression(
        C=params["C"],
        l1_ratio=1.0 if l1 else 0.0,
        solver="liblinear" if l1 else "lbfgs",
        max_iter=5_000,
        random_state=seed,
    )
    steps: list[tuple[str, Any]] = [("prepare", make_preprocessor(params["scaler"], params.get("splines", 0)))]
    if params.get("pairs"):
        # Products of pairs of the k most informative columns: interactions a linear model can use
        # and still explain exactly (see explain.py).
        steps += [
            *_selector(params),
            ("pairs", PolynomialFeatures(2, include_bias=False)),
            ("rescale", StandardScaler()),
        ]
    return Pipeline([*steps, ("model", model)])


def _suggest_logreg(trial: Trial) -> Params:
    pairs = trial.suggest_categorical("pairs", [False, True])
    return {
        "penalty": trial.suggest_categorical("penalty", ["l1", "l2"]),
        "C": trial.suggest_float("C", 1e-3, 10.0, log=True),
        # Unscaled revenues (thousands) next to shares (0..1) keep the solvers from converging: no "none".
        "scaler": trial.suggest_categorical("scaler", ["standard", "minmax"]),
        "splines": 0 if pairs else trial.suggest_categorical("splines", [0, 4, 6]),
        "pairs": pairs,
        "select_k": trial.suggest_categorical("pairs_k", [6, 8, 10, 12]) if pairs else 0,
    }


def _build_knn(params: Params, seed: int) -> Pipeline:
    model = KNeighborsClassifier(n_neighbors=params["n_neighbors"], weights=params["weights"], p=params["p"])
    return Pipeline([("prepare", make_preprocessor(params["scaler"])), *_selector(params), ("model", model)])


def _suggest_knn(trial: Trial) -> Params:
    return {
        "n_neighbors": trial.suggest_int("n_neighbors", 5, 80, log=True),
        "weights": trial.suggest_categorical("weights", ["uniform", "distance"]),
        "p": trial.suggest_categorical("p", [1, 2]),
        "scaler": trial.suggest_categorical("scaler", ["standard", "minmax", "none"]),
        "select_k": _suggest_selection(trial),
    }


def _build_tree(params: Params, seed: int) -> Pipeline:
    model = DecisionTreeClassifier(
        max_depth=params["max_depth"],
        min_samples_leaf=params["min_samples_leaf"],
        criterion=params["criterion"],
        random_state=seed,
    )
    return Pipeline([("prepare", make_preprocessor("none")), ("model", model)])


def _suggest_tree(trial: Trial) -> Params:
    return {
        "max_depth": trial.suggest_int("max_depth", 2, 12),
        "min_samples_leaf": trial.suggest_int("min_samples_leaf", 1, 60, log=True),
        "criterion": trial.suggest_categorical("criterion", ["gini", "entropy"]),
    }


def _build_svc(params: Params, seed: int) -> Pipeline:
    # No probability=True: the blend uses the margin and calibrates it (see select.py).
    model = SVC(C=params["C"], gamma=params["gamma"], kernel="rbf", random_state=seed)
    return Pipeline([("prepare", make_preprocessor(params["scaler"])), *_selector(params), ("model", model)])


def _suggest_svc(trial: Trial) -> Params:
    return {
        "C": trial.suggest_float("C", 0.05, 20.0, log=True),
        "gamma": trial.suggest_float("gamma", 1e-3, 0.5, log=True),
        # Unscaled inputs make the RBF kernel meaningless and the solver slow: no "none".
        "scaler": trial.suggest_categorical("scaler", ["standard", "minmax"]),
        "select_k": _suggest_selection(trial),
    }


def _build_hgb(params: Params, seed: int) -> Pipeline:
    model = HistGradientBoostingClassifier(
        learning_rate=params["learning_rate"],
        max_iter=params["max_iter"],
        max_leaf_nodes=params["max_leaf_nodes"],
        min_samples_leaf=params["min_samples_leaf"],
        l2_regularization=params["l2_regularization"],
        early_stopping=False,
        random_state=seed,
    )
    return Pipeline([("prepare", make_preprocessor("none")), ("model", model)])


def _suggest_hgb(trial: Trial) -> Params:
    return {
        "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.2, log=True),
        "max_iter": trial.suggest_int("max_iter", 50, 200, log=True),
        "max_leaf_nodes": trial.suggest_int("max_leaf_nodes", 3, 31, log=True),
        "min_samples_leaf": trial.suggest_int("min_samples_leaf", 5, 80, log=True),
        "l2_regularization": trial.suggest_float("l2_regularization", 1e-4, 10.0, log=True),
    }


def _build_lgbm(params: Params, seed: int) -> Pipeline:
    model = LGBMClassifier(
        n_estimators=params["n_estimators"],
        learning_rate=params["learning_rate"],
        num_leaves=params["num_leaves"],
        min_child_samples=params["min_child_samples"],
        subsample=params["subsample"],
        subsample_freq=1,
        colsample_bytree=params["colsample_bytree"],
        reg_lambda=params["reg_lambda"],
        extra_trees=params["extra_trees"],
        random_state=seed,
        n_jobs=1,
        verbose=-1,
    )
    return Pipeline([("prepare", make_preprocessor("none")), ("model", model)])


def _suggest_lgbm(trial: Trial) -> Params:
    return {
        "n_estimators": trial.suggest_int("n_estimators", 50, 300, log=True),
        "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.2, log=True),
        "num_leaves": trial.suggest_int("num_leaves", 3, 31, log=True),
        "min_child_samples": trial.suggest_int("min_child_samples", 5, 80, log=True),
        "subsample": trial.suggest_float("subsample", 0.5, 1.0),
        "colsample_bytree": trial.suggest_float("colsample_bytree", 0.3, 1.0),
        "reg_lambda": trial.suggest_float("reg_lambda", 1e-3, 30.0, log=True),
        # Randomised split points smooth the steps of a small-data tree ensemble.
        "extra_trees": trial.suggest_categorical("extra_trees", [False, True]),
    }


FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (
        Family("logreg", _build_logreg, _suggest_logreg, exact_explainer=True),
        Family("knn", _build_knn, _suggest_knn),
        Family("tree", _build_tree, _suggest_tree),
        Family("svc", _build_svc, _suggest_svc),
        Family("hgb", _build_hgb, _suggest_hgb, expensive=True, exact_explainer=True),
        Family("lgbm", _build_lgbm, _suggest_lgbm, expensive=True, exact_explainer=True),
    )
}
FAMILY_NAMES: tuple[str, ...] = tuple(FAMILIES)
assert FAMILY_NAMES == MODEL_FAMILIES, "config.MODEL_FAMILIES lists the families the settings accept"


def build_pipeline(family: str, params: Params, seed: int = 0) -> Pipeline:
    """The unfitted pipeline of ``family`` with ``params`` (as the search suggested them).

    >>> build_pipeline("knn", {"n_neighbors": 30, "weights": "distance", "p": 2, "scaler": "standard"})[-1]
    KNeighborsClassifier(n_neighbors=30, weights='distance')
    """
    return FAMILIES[family].build(params, seed)


def default_params(family: str) -> Params:
    """The first point of each search space: a sensible pipeline without any search."""
    defaults: dict[str, Params] = {
        "logreg": {"pairs": False, "penalty": "l2", "C": 0.1, "scaler": "standard", "splines": 0},
        "knn": {"n_neighbors": 30, "weights": "distance", "p": 2, "scaler": "standard", "select_k": 0},
        "tree": {"max_depth": 5, "min_samples_leaf": 10, "criterion": "gini"},
        "svc": {"C": 1.0, "gamma": 0.05, "scaler": "standard", "select_k": 0},
        "hgb": {
            "learning_rate": 0.05,
            "max_iter": 150,
            "max_leaf_nodes": 8,
            "min_samples_leaf": 20,
            "l2_regularization": 1.0,
        },
        "lgbm": {
            "n_estimators": 200,
            "learning_rate": 0.03,
            "num_leaves": 8,
            "min_child_samples": 20,
            "subsample": 0.8,
            "colsample_bytree": 0.7,
            "reg_lambda": 1.0,
            "extra_trees": True,
        },
    }
    return dict(defaults[family])
