"""Changes since the last period: the figures the report's section and the dashboard's page show.

The input is the result of ``oneclick compare`` (``PeriodComparison.as_dict()``, as the store
keeps it and ``changes.json`` holds it); nothing is recomputed, only chosen and arranged: the
drifted features first (by PSI) with their two distributions, the decay figures beside their
promises, each migration matrix with its rows as shares, the clauses of the verdict.
"""

from __future__ import annotations

from typing import Any

# The decay figures shown, in this order (a higher ROC-AUC, precision, recall is better; a lower Brier).
DECAY_FIGURES = ("roc_auc", "brier", "precision", "recall")
LOWER_IS_BETTER = frozenset({"brier"})


def period_changes(result: dict[str, Any]) -> dict[str, Any]:
    """The comparison ``result`` arranged for showing (JSON-ready numbers, no words).

    Keys: ``comparison_id`` (when ``result`` carries it), ``old``/``new`` (source, kind,
    customers), ``model``, ``customers`` (in both, left, joined), ``features`` (every feature's
    test row), ``drifted`` (the drifted features, largest PSI first, with ``bins``, ``share_old``,
    ``share_new``), ``dataset_drift``, ``label_shift``, ``prediction_drift``, ``decay`` (one row
    per figure: promised, value, interval, change), ``migration`` (``risk_profit_cell`` and
    ``primary_segment``: counts and row shares), ``verdict``, ``reasons`` and ``settings``.

    Raises ``KeyError`` when ``result`` is not a comparison's JSON.
    """
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
        "dataset_drift": result["dataset_drift"],
        "label_shift": result["label_shift"],
        "prediction_drift": _feature(result["prediction_drift"]),
        "decay": decay_rows(result["decay"]),
        "migration": {name: _matrix(matrix) for name, matrix in result["migration"].items()},
        "verdict": result["verdict"],
        "reasons": [
            {"rule": r["rule"], "leads_to": r["leads_to"], "holds": bool(r["holds"])} for r in result["verdict_reasons"]
        ],
        "settings": result["settings"],
    }


def decay_rows(decay: dict[str, Any]) -> dict[str, Any]:
    """The decay as rows: each figure promised (holdout), realised or estimated with its 95 % interval,
    and the change (positive = better for every figure, so a Brier rise is negative)."""
    estimated = bool(decay["estimated"])
    figures = decay["estimate" if estimated else "realised"]
    promised = decay["promised"]
    rows = []
    for name in DECAY_FIGURES:
        value, (low, high) = figures[name]["value"], figures[name]["ci"]
        target = promised.get(name)
        change = None if value is None or target is None else value - target
        if change is not None and name in LOWER_IS_BETTER:
            change = -change
        rows.append(
            {
                "figure": name,
                "promised": target,
                "promised_ci": promised.get(f"{name}_ci"),
                "value": value,
                "ci": [low, high],
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
        "bootstrap": figures.get("bootstrap", {}),
    }


def _side(side: dict[str, Any]) -> dict[str, Any]:
    return {key: side.get(key) for key in ("source", "kind", "n_customers", "n_labelled", "data_fingerprint")}


def _customers(customers: dict[str, Any]) -> dict[str, Any]:
    return {
        "n_old": customers["n_old"],
        "n_new": customers["n_new"],
        "n_both": customers["n_both"],
        "n_left": customers["left"]["n"],
        "share_left": customers["left"]["share_of_old"],
        "n_joined": customers["joined"]["n"],
        "share_joined": customers["joined"]["share_of_new"],
    }


def _feature(feature: dict[str, Any]) -> dict[str, Any]:
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
        "bins": distribution["bins"],
        "share_old": distribution["share_old"],
        "share_new": distribution["share_new"],
    }


def _matrix(matrix: dict[str, Any]) -> dict[str, Any]:
    counts = matrix["counts"]
    shares = [[n / sum(row) if sum(row) else None for n in row] for row in counts]
    return {
        "rows": matrix["rows_old"],
        "columns": matrix["columns_new"],
        "counts": counts,
        "row_shares": shares,
        "n_customers": matrix["n_customers"],
        "share_in_same": matrix["share_in_same"],
    }
