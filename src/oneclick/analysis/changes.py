"""Changes since the last period: the figures the report's section and the dashboard's page show.

The input is the result of ``oneclick compare`` (``PeriodComparison.as_dict()``, as the store
keeps it and ``changes.json`` holds it); nothing is recomputed, only checked, chosen and arranged:
the drifted features first (by PSI) with their two distributions, the decay figures beside their
promises and the model's own expectation, each migration matrix with its rows as shares, the
customers who left and joined, the clauses of the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oneclick.errors import InputDataError
from oneclick.layout import CHANGES_FILE
from oneclick.periods.result import FORMAT

# The decay figures shown, in this order (a higher ROC-AUC, precision, recall is better; a lower Brier).
DECAY_FIGURES = ("roc_auc", "brier", "precision", "recall")
LOWER_IS_BETTER = frozenset({"brier"})
VERDICTS = ("keep", "watch", "retrain")
REQUIRED = (
    "old",
    "new",
    "model",
    "features",
    "dataset_drift",
    "label_shift",
    "prediction_drift",
    "customers",
    "migration",
    "decay",
    "verdict",
    "verdict_reasons",
    "settings",
)
FEATURE_KEYS = ("feature", "kind", "test", "statistic", "threshold", "psi", "psi_band", "drift", "distribution")
DISTRIBUTION_KEYS = ("bins", "share_old", "share_new")
MATRIX_KEYS = ("rows_old", "columns_new", "counts", "n_customers", "share_in_same")
REASON_KEYS = ("rule", "leads_to", "holds")
MAX_LISTED = 10  # problems listed in the error; the count says how many there were


def period_changes(result: Mapping[str, Any], *, source: str = CHANGES_FILE) -> dict[str, Any]:
    """The comparison ``result`` checked and arranged for showing (JSON-ready numbers, no words).

    Keys: ``comparison_id`` (when ``result`` carries it), ``old``/``new`` (source, kind,
    customers, labelled customers, data fingerprint), ``model``, ``customers`` (in both, left,
    joined, with the figures of those who left and joined), ``features`` (every feature's test
    row), ``drifted`` (the drifted features, largest PSI first, with ``bins``, ``share_old``,
    ``share_new``), ``dataset_drift``, ``label_shift``, ``prediction_drift``, ``decay`` (see
    :func:`decay_rows`), ``migration`` (``risk_profit_cell`` and ``primary_segment``: counts and
    row shares), ``verdict``, ``reasons`` (each clause: ``rule``, ``leads_to``, ``holds``,
    ``says``) and ``settings`` (the thresholds the comparison used).

    Raises :class:`InputDataError` naming ``source`` and every entry that is missing or unknown
    when ``result`` is not a comparison's JSON (of this format).

    >>> period_changes({"format": "something else"}, source="out/changes.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    oneclick.errors.InputDataError: out/changes.json: not a comparison of two periods ...
    """
    check_comparison(result, source=source)
    features = [_feature(f) for f in result["features"]]
    drifted = sorted((f for f in features if f["drift"]), key=lambda f: (-f["psi"], f["feature"]))
    return {
        "comparison_id": result.get("comparison_id"),
        "old": _side(result["old"]),
        "new": _side(result["new"]),
        "model": {key: result["model"].get(key) for key in ("model_id", "source", "best_model", "threshold")},
        "customers": _customers(result["customers"]),
        "features": features,
        "drifted": drifted,
        "dataset_drift": dict(result["dataset_drift"]),
        "label_shift": dict(result["label_shift"]),
        "prediction_drift": _feature(result["prediction_drift"]),
        "decay": decay_rows(result["decay"]),
        "migration": {name: _matrix(matrix) for name, matrix in result["migration"].items()},
        "verdict": result["verdict"],
        "reasons": [
            {"rule": r["rule"], "leads_to": r["leads_to"], "holds": bool(r["holds"]), "says": r.get("says", "")}
            for r in result["verdict_reasons"]
        ],
        "settings": dict(result["settings"]),
    }


def check_comparison(result: Any, *, source: str = CHANGES_FILE) -> None:
    """Raise :class:`InputDataError` naming ``source`` with every problem of ``result`` as a comparison's JSON."""
    problems = _problems(result)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems[:MAX_LISTED])
        raise InputDataError(
            f"{source}: not a comparison of two periods as `oneclick compare --json` or `oneclick run` writes it "
            f"({len(problems)} problems)\n{listed}\nCompare the periods again with this version of oneclick "
            "(`oneclick run --previous DIR_OR_RUN_ID`)."
        )


def decay_rows(decay: Mapping[str, Any]) -> dict[str, Any]:
    """The decay as rows: each figure promised (holdout), realised or estimated with its 95 % interval,
    what the model's probabilities expected for the same customers (realised only), and the change
    (``improvement``: positive = better for every figure, so a Brier rise is negative).

    Also ``estimated`` (no labels: the figures are the model's expectation for the new customers),
    ``n_customers`` (judged), ``n_promised`` (the holdout's), ``auc_fall`` and ``auc_fall_z``
    (promised minus realised ROC-AUC, and over its standard error), ``against_expected`` (the
    tests of the realised ROC-AUC and Brier score against the expectation; None when estimated)
    and ``bootstrap`` (replicates, confidence, seed).
    """
    estimated = bool(decay["estimated"])
    figures = decay["estimate" if estimated else "realised"]
    promised = decay["promised"]
    expected = decay.get("expected") if not estimated else None
    rows = []
    for name in DECAY_FIGURES:
        value, (low, high) = figures[name]["value"], figures[name]["ci"]
        target = promised.get(name)
        change = None if value is None or target is None else value - target
        if change is not None and name in LOWER_IS_BETTER:
            change = -change
        found = (expected or {}).get(name) or {}
        rows.append(
            {
                "figure": name,
                "promised": target,
                "promised_ci": promised.get(f"{name}_ci"),
                "value": value,
                "ci": [low, high],
                "expected": found.get("value"),
                "expected_ci": found.get("ci"),
                "improvement": change,
            }
        )
    return {
        "estimated": estimated,
        "n_customers": decay["n_customers"],
        "n_promised": promised.get("n_customers"),
        "rows": rows,
        "auc_fall": decay.get("auc_fall"),
        "auc_fall_z": decay.get("auc_fall_z"),
        "against_expected": decay.get("against_expected"),
        "bootstrap": figures.get("bootstrap", {}),
    }


def _problems(result: Any) -> list[str]:
    if not isinstance(result, Mapping):
        return [f"expected a JSON object, found {type(result).__name__}"]
    problems = []
    if result.get("format") != FORMAT:
        problems.append(f"entry 'format' is {result.get('format')!r}; expected {FORMAT!r}")
    missing = [key for key in REQUIRED if key not in result]
    if missing:
        problems.append(f"missing entries {missing}")
    for k, feature in enumerate(_listed(result, "features", problems)):
        problems += [f"features[{k}]: {p}" for p in _feature_problems(feature)]
    if "prediction_drift" in result:
        problems += [f"prediction_drift: {p}" for p in _feature_problems(result["prediction_drift"])]
    if "verdict" in result and result["verdict"] not in VERDICTS:
        problems.append(f"entry 'verdict' is {result['verdict']!r}; expected one of {list(VERDICTS)}")
    for k, reason in enumerate(_listed(result, "verdict_reasons", problems)):
        lacking = [key for key in REASON_KEYS if not isinstance(reason, Mapping) or key not in reason]
        if lacking:
            problems.append(f"verdict_reasons[{k}]: lacks {lacking}")
    if "decay" in result:
        problems += [f"decay: {p}" for p in _decay_problems(result["decay"])]
    if "migration" in result:
        problems += _migration_problems(result["migration"])
    if "customers" in result:
        problems += [f"customers: {p}" for p in _customer_problems(result["customers"])]
    for key in ("old", "new", "model", "dataset_drift", "label_shift", "settings"):
        if key in result and not isinstance(result[key], Mapping):
            problems.append(f"entry {key!r}: expected an object, found {type(result[key]).__name__}")
    return problems


def _listed(result: Mapping[str, Any], key: str, problems: list[str]) -> list[Any]:
    found = result.get(key, [])
    if not isinstance(found, list):
        problems.append(f"entry {key!r}: expected a list, found {type(found).__name__}")
        return []
    return found


def _feature_problems(feature: Any) -> list[str]:
    if not isinstance(feature, Mapping):
        return [f"expected an object, found {type(feature).__name__}"]
    name = f"({feature['feature']!r}) " if "feature" in feature else ""
    lacking = [key for key in FEATURE_KEYS if key not in feature]
    distribution = feature.get("distribution")
    if isinstance(distribution, Mapping):
        lacking += [f"distribution.{key}" for key in DISTRIBUTION_KEYS if key not in distribution]
    elif "distribution" in feature:
        lacking.append("distribution (an object)")
    return [f"{name}lacks {lacking}"] if lacking else []


def _decay_problems(decay: Any) -> list[str]:
    if not isinstance(decay, Mapping) or "estimated" not in decay:
        return ["lacks 'estimated'"]
    figures_key = "estimate" if decay["estimated"] else "realised"
    figures = decay.get(figures_key)
    problems = [f"lacks {key!r}" for key in ("promised", "n_customers") if key not in decay]
    if not isinstance(figures, Mapping):
        return [*problems, f"lacks {figures_key!r} (its 'estimated' is {decay['estimated']})"]
    for name in DECAY_FIGURES:
        figure = figures.get(name)
        if not isinstance(figure, Mapping) or "value" not in figure or len(figure.get("ci") or []) != 2:
            problems.append(f"{figures_key}.{name}: expected a value and a 95 % interval of two numbers")
    return problems


def _migration_problems(migration: Any) -> list[str]:
    if not isinstance(migration, Mapping):
        return [f"migration: expected an object, found {type(migration).__name__}"]
    problems = []
    for name, matrix in migration.items():
        lacking = [key for key in MATRIX_KEYS if not isinstance(matrix, Mapping) or key not in matrix]
        if lacking:
            problems.append(f"migration.{name}: lacks {lacking}")
    return problems


def _customer_problems(customers: Any) -> list[str]:
    if not isinstance(customers, Mapping):
        return [f"expected an object, found {type(customers).__name__}"]
    lacking = [key for key in ("n_old", "n_new", "n_both") if key not in customers]
    for side, share in (("left", "share_of_old"), ("joined", "share_of_new")):
        found = customers.get(side)
        lacking += [f"{side}.{key}" for key in ("n", share) if not isinstance(found, Mapping) or key not in found]
    return [f"lacks {lacking}"] if lacking else []


def _side(side: Mapping[str, Any]) -> dict[str, Any]:
    return {key: side.get(key) for key in ("source", "kind", "n_customers", "n_labelled", "data_fingerprint")}


def _customers(customers: Mapping[str, Any]) -> dict[str, Any]:
    left, joined = customers["left"], customers["joined"]
    return {
        "n_old": customers["n_old"],
        "n_new": customers["n_new"],
        "n_both": customers["n_both"],
        "n_left": left["n"],
        "share_left": left["share_of_old"],
        "n_joined": joined["n"],
        "share_joined": joined["share_of_new"],
        **{f"left_{key}": left.get(key) for key in ("mean_probability", "declined_share", "mean_profit")},
        **{f"joined_{key}": joined.get(key) for key in ("mean_probability", "declined_share", "mean_profit")},
    }


def _feature(feature: Mapping[str, Any]) -> dict[str, Any]:
    distribution = feature["distribution"]
    return {
        "feature": feature["feature"],
        "kind": feature["kind"],
        "test": feature["test"],
        "statistic": feature["statistic"],
        "threshold": feature["threshold"],
        "p_value_adjusted": feature.get("p_value_adjusted"),
        "p_value": feature.get("p_value"),
        "psi": feature["psi"],
        "psi_band": feature["psi_band"],
        "drift": bool(feature["drift"]),
        "bins": list(distribution["bins"]),
        "share_old": list(distribution["share_old"]),
        "share_new": list(distribution["share_new"]),
    }


def _matrix(matrix: Mapping[str, Any]) -> dict[str, Any]:
    counts = matrix["counts"]
    shares = [[n / sum(row) if sum(row) else None for n in row] for row in counts]
    return {
        "rows": list(matrix["rows_old"]),
        "columns": list(matrix["columns_new"]),
        "counts": counts,
        "row_shares": shares,
        "n_customers": matrix["n_customers"],
        "share_in_same": matrix["share_in_same"],
    }
