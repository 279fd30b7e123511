"""A period comparison in the reader's words: what ``/changes/{id}`` renders.

The figures are :func:`oneclick.analysis.changes.period_changes` of the comparison the store kept;
here they are only written out (numbers in the reader's format, names in business words) and laid
out (the charts, :mod:`.changes_charts`). Each clause of the verdict's rule is said with the
figures it was decided on: the tests against the model's own expectation come from the kept
result's ``decay.against_expected``, which ``period_changes`` does not arrange.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oneclick.language import Lang
from oneclick.report import i18n, names
from oneclick.serve.dashboard.changes_charts import decay_intervals, distribution
from oneclick.serve.dashboard.changes_words import cw
from oneclick.serve.dashboard.words import w

MIGRATION = "risk_profit_cell"  # the matrix shown: the four cells every run has


def comparison_view(
    data: Mapping[str, Any], tests: Mapping[str, Any], titles: Mapping[str, names.Titles], lang: Lang
) -> dict[str, Any]:
    """The page's context from ``data`` (``period_changes``) and ``tests`` (the kept ``decay.against_expected``)."""
    return {
        "facts": _facts(data, lang),
        "verdict": {
            "name": data["verdict"],
            "word": cw(f"verdict_{data['verdict']}", lang),
            "meaning": cw(f"meaning_{data['verdict']}", lang),
        },
        "clauses": [_clause(reason, data, tests, lang) for reason in data["reasons"]],
        "drifted": [
            distribution(feature, i18n.feature(feature["feature"], lang), lang) | {"feature": feature["feature"]}
            for feature in data["drifted"]
        ],
        "features": [_feature_row(f, i18n.feature(f["feature"], lang), lang) for f in data["features"]]
        + [_feature_row(data["prediction_drift"], cw("probabilities", lang), lang)],
        "features_note": cw(
            "features_note",
            lang,
            share=i18n.percent(float(data["settings"].get("dataset_drift_share", 0.5)), lang, 0),
            answer=w("yes" if data["dataset_drift"]["dataset_drift"] else "no", lang),
        ),
        "decay": _decay(data["decay"], lang),
        "migration": _migration(data["migration"].get(MIGRATION), titles["segments"], lang),
        "customers": _customers(data["customers"], lang),
    }


def figure(value: float | None, lang: Lang, digits: int = 3) -> str:
    return "—" if value is None else i18n.number(float(value), lang, digits)


def interval(low: float | None, high: float | None, lang: Lang, digits: int = 3) -> str:
    return "—" if low is None or high is None else f"{figure(low, lang, digits)} … {figure(high, lang, digits)}"


def _facts(data: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    def side(found: Mapping[str, Any]) -> str:
        kind = cw(f"kind_{found['kind']}", lang) if found.get("kind") in ("run", "folder") else str(found.get("kind"))
        n, labelled = found.get("n_customers"), found.get("n_labelled")
        return cw(
            "side",
            lang,
            source=found["source"],
            kind=kind,
            n="—" if n is None else i18n.integer(n, lang),
            labelled="—" if labelled is None else i18n.integer(labelled, lang),
        )

    model = data["model"]
    return [
        (cw("fact_old", lang), side(data["old"])),
        (cw("fact_new", lang), side(data["new"])),
        (
            cw("fact_model", lang),
            cw("model_fact", lang, id=model.get("model_id") or "—", threshold=figure(model.get("threshold"), lang, 4)),
        ),
    ]


def _clause(reason: Mapping[str, Any], data: Mapping[str, Any], tests: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    return {
        "rule": reason["rule"],
        "holds": reason["holds"],
        "holds_word": w("yes" if reason["holds"] else "no", lang),
        "leads_to": cw(f"verdict_{reason['leads_to']}", lang),
        "text": _clause_text(str(reason["rule"]), data, tests, lang),
    }


def _clause_text(rule: str, data: Mapping[str, Any], tests: Mapping[str, Any], lang: Lang) -> str:
    """The clause ``rule`` in words, filled with the comparison's figures and the thresholds it used."""
    settings, decay = data["settings"], data["decay"]
    auc = next(row for row in decay["rows"] if row["figure"] == "roc_auc")
    brier = next(row for row in decay["rows"] if row["figure"] == "brier")
    tolerance = settings.get("auc_tolerance")
    limit = None if auc["promised"] is None or tolerance is None else auc["promised"] - tolerance
    drift, shift, predictions = data["dataset_drift"], data["label_shift"], data["prediction_drift"]
    test_auc, test_brier = tests.get("roc_auc") or {}, tests.get("brier") or {}
    fall = {
        "fall_z": figure(settings.get("auc_fall_z"), lang, 3),
        "fall": figure(decay.get("auc_fall"), lang, 3),
        "z": figure(decay.get("auc_fall_z"), lang, 2),
    }
    values: dict[str, dict[str, str]] = {
        "auc_below_expected": {
            "tolerance": figure(tolerance, lang, 2),
            "realised": figure(test_auc.get("realised"), lang),
            "expected": figure(test_auc.get("expected"), lang),
            "p": figure(test_auc.get("p_value"), lang),
        },
        "auc_short_of_expected": {
            "realised": figure(test_auc.get("realised"), lang),
            "expected": figure(test_auc.get("expected"), lang),
            "p": figure(test_auc.get("p_value"), lang),
        },
        "brier_above_expected": {
            "realised": figure(test_brier.get("realised"), lang),
            "expected": figure(test_brier.get("expected"), lang),
            "z": figure(test_brier.get("z"), lang, 2),
            "p": figure(test_brier.get("p_value"), lang),
        },
        "auc_below_tolerance": {
            "tolerance": figure(tolerance, lang, 2),
            "limit": figure(limit, lang),
            "value": figure(auc["value"], lang),
            "low": figure(auc["ci"][0], lang),
            "high": figure(auc["ci"][1], lang),
        },
        "expected_auc_below_tolerance": {
            "tolerance": figure(tolerance, lang, 2),
            "limit": figure(limit, lang),
            "value": figure(auc["value"], lang),
        },
        "drift_and_auc_fall": {"dataset": w("yes" if drift.get("dataset_drift") else "no", lang), **fall},
        "auc_fall": fall,
        "brier_rise": {
            "promised": figure(brier["promised"], lang),
            "tolerance": figure(settings.get("brier_tolerance"), lang, 2),
            "low": figure(brier["ci"][0], lang),
        },
        "dataset_drift": {
            "threshold": i18n.percent(float(drift.get("threshold_share", 0.5)), lang, 0),
            "n": str(drift.get("n_drifted", len(data["drifted"]))),
            "total": str(drift.get("n_features", len(data["features"]))),
        },
        "feature_drift": {
            "names": ", ".join(i18n.feature(f["feature"], lang) for f in data["drifted"]) or cw("none", lang)
        },
        "label_shift": {
            "alpha": figure(shift.get("threshold"), lang, 2),
            "old": _share(shift.get("declined_share_old"), lang),
            "new": _share(shift.get("declined_share_new"), lang),
            "p": figure(shift.get("p_value"), lang),
        },
        "prediction_drift": {
            "test": cw(f"test_{predictions['test']}", lang),
            "statistic": figure(predictions["statistic"], lang),
            "threshold": figure(predictions["threshold"], lang, 2),
        },
    }
    if rule == "label_shift" and shift.get("declined_share_new") is None:
        return cw("rule_label_shift_none", lang)
    if rule not in values:  # a clause of a later version: named, not guessed at
        return cw("rule_unknown", lang, rule=rule)
    return cw(f"rule_{rule}", lang, **values[rule])


def _feature_row(feature: Mapping[str, Any], title: str, lang: Lang) -> dict[str, Any]:
    return {
        "feature": feature["feature"],
        "title": title,
        "test": cw(f"test_{feature['test']}", lang),
        "statistic": figure(feature["statistic"], lang, 4),
        "p_value_adjusted": figure(feature.get("p_value_adjusted") or feature.get("p_value"), lang, 4),
        "threshold": figure(feature["threshold"], lang, 2),
        "psi": figure(feature["psi"], lang, 3),
        "band": cw(f"band_{feature['psi_band']}", lang),
        "drift": feature["drift"],
        "drift_word": w("yes" if feature["drift"] else "no", lang),
    }


def _decay(decay: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    estimated = bool(decay["estimated"])
    n = i18n.integer(decay["n_customers"], lang) if decay.get("n_customers") is not None else "—"
    replicates = (decay.get("bootstrap") or {}).get("replicates")
    rows = [
        {
            "figure": row["figure"],
            "label": cw(f"figure_{row['figure']}", lang),
            "promised": figure(row["promised"], lang),
            "value": figure(row["value"], lang),
            "interval": interval(row["ci"][0], row["ci"][1], lang),
            "change": "—" if row["improvement"] is None else _signed(row["improvement"], lang),
            "worse": row["improvement"] is not None and row["improvement"] < 0,
        }
        for row in decay["rows"]
    ]
    return {
        "estimated": estimated,
        "lead": cw("decay_estimated", lang, n=n)
        if estimated
        else cw("decay_realised", lang, n=n, replicates="—" if replicates is None else str(replicates)),
        "rows": rows,
        "chart": decay_intervals(decay["rows"], lang),
    }


def _migration(matrix: Mapping[str, Any] | None, titles: names.Titles, lang: Lang) -> dict[str, Any] | None:
    if matrix is None:
        return None
    return {
        "columns": [names.title(titles, str(c), lang) for c in matrix["columns"]],
        "rows": [
            {
                "title": names.title(titles, str(name), lang),
                "cells": [
                    {
                        "n": i18n.integer(n, lang),
                        "share": _share(share, lang),
                        "same": k == j,
                    }
                    for j, (n, share) in enumerate(zip(counts, shares, strict=True))
                ],
            }
            for k, (name, counts, shares) in enumerate(
                zip(matrix["rows"], matrix["counts"], matrix["row_shares"], strict=True)
            )
        ],
        "note": cw(
            "migration_note",
            lang,
            share=_share(matrix["share_in_same"], lang),
            n=i18n.integer(matrix["n_customers"], lang),
        ),
    }


def _customers(customers: Mapping[str, Any], lang: Lang) -> list[dict[str, str]]:
    rows = [
        ("left", customers["n_left"], customers["share_left"]),
        ("joined", customers["n_joined"], customers["share_joined"]),
        ("both", customers["n_both"], None),
    ]
    return [
        {"key": key, "group": cw(f"group_{key}", lang), "n": i18n.integer(n, lang), "share": _share(share, lang)}
        for key, n, share in rows
    ]


def _share(value: float | None, lang: Lang) -> str:
    return "—" if value is None else i18n.percent(float(value), lang, 1)


def _signed(value: float, lang: Lang) -> str:
    return ("+" if round(value, 3) > 0 else "") + i18n.number(value, lang, 3)
