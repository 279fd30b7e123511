"""oneclick's model against the store analysts' approach: same data, same holdout protocol, one invocation.

Prints
- the analysts' approach (RandomizedSearchCV, 5-fold, ROC-AUC, over k-NN, decision tree, L1 logistic
  regression (liblinear) and SVC with small grids and a choice of scaler): wall time, holdout ROC-AUC;
- ``oneclick train`` (nested 5 x 3 CV included), run as a user runs it: wall time, holdout ROC-AUC;
- the analysts' approach re-run inside the very outer folds of oneclick's nested 5 x 3 CV (same rows,
  paired), so both are compared on 15 test folds nobody tuned on, not on one split of 325 customers;
- both approaches on five other holdout splits (other ``random_state``), to show the result is not
  specific to ``random_state=42`` (oneclick without its nested CV there: it does not change the model);
- explaining every customer: oneclick's explanation against SHAP's model-agnostic permutation
  explainer of the same model (timed on a sample, extrapolated to all customers), and how often
  both name the same top-3 and top-1 drivers.

Usage::

    .venv/bin/python benchmarks/model_vs_analysts.py [DATA_DIR] [--sample 30] [--seeds 0 1 2 3 4]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import logit
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RandomizedSearchCV, RepeatedStratifiedKFold, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from oneclick import build_features, load_tables
from oneclick.config import Settings
from oneclick.features.groups import BINARY_FEATURES, NOMINAL_FEATURES, NUMERIC_FEATURES
from oneclick.model import explain, load_model, train_model

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "one_click"


def analysts_search(seed: int = 42) -> RandomizedSearchCV:
    """The analysts' published approach, as their notebook builds it."""
    prepare = ColumnTransformer(
        [
            ("nominal", OneHotEncoder(drop="first", handle_unknown="ignore", sparse_output=False), NOMINAL_FEATURES),
            ("ordinal", OrdinalEncoder(categories=[["standard", "premium"], [False, True]]), BINARY_FEATURES),
            ("numeric", StandardScaler(), NUMERIC_FEATURES),
        ]
    )
    pipeline = Pipeline([("prepare", prepare), ("model", DecisionTreeClassifier(random_state=seed))])
    scalers = [StandardScaler(), MinMaxScaler(), "passthrough"]
    grid = [
        {
            "model": [DecisionTreeClassifier(random_state=seed)],
            "model__max_depth": range(2, 6),
            "model__max_features": range(2, 6),
            "prepare__numeric": scalers,
        },
        {"model": [KNeighborsClassifier()], "model__n_neighbors": range(2, 6), "prepare__numeric": scalers},
        {
            "model": [LogisticRegression(random_state=seed, solver="liblinear", l1_ratio=1.0)],
            "model__C": range(1, 6),
            "prepare__numeric": scalers,
        },
        {"model": [SVC(random_state=seed)], "model__C": [0.1, 1, 10], "prepare__numeric": scalers},
    ]
    return RandomizedSearchCV(pipeline, grid, cv=5, scoring="roc_auc", random_state=seed, n_jobs=-1)


def run_analysts(X: pd.DataFrame, y: pd.Series, random_state: int) -> tuple[float, float, str]:
    X_train, X_test, y_train, y_test = _split(X, y, random_state)
    started = time.perf_counter()
    search = analysts_search().fit(X_train, y_train)
    seconds = time.perf_counter() - started
    score = (
        search.decision_function(X_test) if hasattr(search, "decision_function") else search.predict_proba(X_test)[:, 1]
    )
    return float(roc_auc_score(y_test, score)), seconds, type(search.best_estimator_[-1]).__name__


def run_analysts_nested(X: pd.DataFrame, y: pd.Series, metrics: dict) -> np.ndarray:
    """The analysts' search refitted in each outer fold oneclick's nested CV used (same seed, same rows)."""
    protocol, cv = metrics["holdout"]["protocol"], metrics["cv"]
    X_train, _, y_train, _ = _split(X, y, protocol["random_state"])
    folds = RepeatedStratifiedKFold(
        n_splits=cv["folds"], n_repeats=cv["repeats"], random_state=metrics["metadata"]["seed"]
    )
    scores = []
    for train, test in folds.split(X_train, y_train):
        search = analysts_search().fit(X_train.iloc[train], y_train.iloc[train])
        scores.append(roc_auc_score(y_train.iloc[test], search.decision_function(X_train.iloc[test])))
    return np.array(scores)


def run_oneclick_cli(data_dir: Path, out: Path) -> tuple[float, dict]:
    oneclick = Path(sys.executable).parent / "oneclick"
    started = time.perf_counter()
    done = subprocess.run(
        [str(oneclick), "train", str(data_dir), "--out", str(out)], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"oneclick train failed:\n{done.stderr[-3000:]}")
    return seconds, json.loads((out / "metrics.json").read_text(encoding="utf-8"))


def run_oneclick_split(X: pd.DataFrame, y: pd.Series, random_state: int) -> float:
    result = train_model(X, y, Settings(holdout_random_state=random_state, cv_repeats=0))
    return float(result.metrics["holdout"]["roc_auc"])


def _split(X: pd.DataFrame, y: pd.Series, random_state: int) -> list:
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=random_state)


class _Matrix:
    """The feature table as floats (categories as codes) for SHAP, and back."""

    def __init__(self, X: pd.DataFrame) -> None:
        self.columns = list(X.columns)
        self.dtypes = X.dtypes
        self.categories = {c: X[c].cat.categories for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype)}

    def encode(self, table: pd.DataFrame) -> np.ndarray:
        return np.column_stack(
            [
                self.categories[c].get_indexer(table[c].astype(object))
                if c in self.categories
                else table[c].to_numpy(dtype=float)
                for c in self.columns
            ]
        )

    def decode(self, matrix: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(
            {
                c: pd.Categorical.from_codes(matrix[:, i].astype(int), categories=self.categories[c])
                if c in self.categories
                else matrix[:, i].astype(self.dtypes[c])
                for i, c in enumerate(self.columns)
            }
        )


def explanation_benchmark(model_dir: Path, X: pd.DataFrame, sample: int) -> dict:
    with warnings.catch_warnings():  # shap's plotting code, at import: not ours, harmless here
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        import shap

    loaded = load_model(model_dir)
    with threadpool_limits(limits=1):
        started = time.perf_counter()
        ours = explain(loaded.model, X, loaded.background).contributions
        ours_seconds = time.perf_counter() - started
        matrix = _Matrix(X)
        subset = X.sample(sample, random_state=1)

        def log_odds(rows: np.ndarray) -> np.ndarray:
            return logit(np.clip(loaded.model.predict_proba(matrix.decode(rows))[:, 1], 1e-12, 1 - 1e-12))

        masker = shap.maskers.Independent(matrix.encode(loaded.background), max_samples=len(loaded.background))
        started = time.perf_counter()
        reference = shap.PermutationExplainer(log_odds, masker, seed=0)(matrix.encode(subset), silent=True).values
        shap_per_customer = (time.perf_counter() - started) / sample
        again = shap.PermutationExplainer(log_odds, masker, seed=1)(matrix.encode(subset), silent=True).values
    mine = ours.loc[subset.index].to_numpy()
    return {
        "customers": len(X),
        "oneclick_seconds_all": ours_seconds,
        "shap_seconds_per_customer": shap_per_customer,
        "shap_seconds_all_extrapolated": shap_per_customer * len(X),
        "top3_same_share": _same_top(reference, mine, 3),
        "top1_same_share": _same_top(reference, mine, 1),
        "shap_vs_shap_other_seed_top3": _same_top(reference, again, 3),
        "max_abs_difference": float(np.abs(reference - mine).max()),
        "sample": sample,
    }


def _same_top(a: np.ndarray, b: np.ndarray, k: int) -> float:
    top = [np.argsort(-np.abs(m), axis=1, kind="stable")[:, :k] for m in (a, b)]
    return float(np.mean([set(x) == set(z) for x, z in zip(*top, strict=True)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sample", type=int, default=30, help="customers explained by permutation SHAP")
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2, 3, 4], help="other holdout splits")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the loader's repair notes are not this benchmark's output
    X, y = build_features(load_tables(args.data_dir))
    print(f"data: {args.data_dir} ({len(X):,} customers, {y.mean():.1%} declined)\n")
    auc, seconds, best = run_analysts(X, y, 42)
    print(f"analysts' approach (RandomizedSearchCV): {seconds:6.1f} s, holdout ROC-AUC {auc:.4f} (best: {best})")
    with tempfile.TemporaryDirectory() as folder:
        model_dir = Path(folder) / "model"
        train_seconds, metrics = run_oneclick_cli(args.data_dir, model_dir)
        _print_training(train_seconds, metrics, auc)
        _print_nested(run_analysts_nested(X, y, metrics), np.array(metrics["cv"]["fold_roc_auc"]))
        _print_explanations(explanation_benchmark(model_dir, X, args.sample))
    _print_other_splits(X, y, args.seeds)


def _print_training(seconds: float, metrics: dict, analysts_auc: float) -> None:
    cv, holdout = metrics["cv"], metrics["holdout"]
    print(
        f"oneclick train (nested CV incl.):        {seconds:6.1f} s, holdout ROC-AUC {holdout['roc_auc']:.4f} "
        f"(best: {metrics['best_model']}; nested CV {cv['roc_auc_mean']:.4f} ± {cv['roc_auc_std']:.4f}; "
        f"F1 {holdout['f1']:.4f}, Brier {holdout['brier']:.4f})"
    )
    print(f"difference: {holdout['roc_auc'] - analysts_auc:+.4f} ROC-AUC\n")
    print("leaderboard (CV on the training part; holdout reported, not used):")
    for row in metrics["leaderboard"]:
        print(
            f"  {row['model']:<22} CV {row['cv_roc_auc_mean']:.4f} ± {row['cv_roc_auc_std']:.4f}  "
            f"holdout {row['holdout_roc_auc']:.4f}  fit {row['fit_seconds']:.2f} s"
        )


def _print_nested(analysts: np.ndarray, ours: np.ndarray) -> None:
    difference = ours - analysts
    print(
        f"\nsame {len(ours)} outer CV folds, paired (analysts' search refitted in each fold):\n"
        f"  analysts {analysts.mean():.4f} ± {analysts.std():.4f} | oneclick {ours.mean():.4f} ± {ours.std():.4f}  "
        f"difference {difference.mean():+.4f} ± {difference.std():.4f}, oneclick higher in "
        f"{(difference > 0).sum()} of {len(ours)} folds"
    )


def _print_explanations(timing: dict) -> None:
    speed_up = timing["shap_seconds_all_extrapolated"] / timing["oneclick_seconds_all"]
    print(f"\nexplaining all {timing['customers']:,} customers:")
    print(f"  oneclick:                 {timing['oneclick_seconds_all']:8.2f} s")
    print(
        f"  permutation SHAP (same model, same background): {timing['shap_seconds_per_customer']:.3f} s per "
        f"customer on {timing['sample']} customers -> {timing['shap_seconds_all_extrapolated']:.0f} s for all "
        f"(extrapolated); speed-up {speed_up:.0f}x"
    )
    print(
        f"  same top-3 drivers: {timing['top3_same_share']:.0%}, same top driver: {timing['top1_same_share']:.0%} "
        f"(permutation SHAP against itself with another seed: {timing['shap_vs_shap_other_seed_top3']:.0%}); "
        f"largest difference {timing['max_abs_difference']:.3f} log-odds"
    )


def _print_other_splits(X: pd.DataFrame, y: pd.Series, seeds: list[int]) -> None:
    print("\nother holdout splits (random_state): analysts | oneclick")
    rows = []
    for seed in seeds:
        analysts_auc, _, _ = run_analysts(X, y, seed)
        ours_auc = run_oneclick_split(X, y, seed)
        rows.append((seed, analysts_auc, ours_auc))
        print(f"  {seed:>3}: {analysts_auc:.4f} | {ours_auc:.4f}  ({ours_auc - analysts_auc:+.4f})", flush=True)
    table = pd.DataFrame(rows, columns=["random_state", "analysts", "oneclick"])
    print(
        f"  mean: {table['analysts'].mean():.4f} | {table['oneclick'].mean():.4f}  "
        f"({(table['oneclick'] - table['analysts']).mean():+.4f})"
    )


if __name__ == "__main__":
    main()
