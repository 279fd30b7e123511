"""A period comparison in the reader's words: what ``/changes/{id}`` renders.

The figures are :func:`oneclick.analysis.changes.period_changes` of the comparison the store kept;
here they are only written out and laid out (the charts, :mod:`.changes_charts`). The words are the
report's section's (:mod:`oneclick.report.sections.changes_view`, ``changes_verdict``,
``changes_tests``, ``changes_decay``, ``changes_charts``), so the page and the report say a
comparison the same way; only the page's own facts and table headings are in :mod:`.changes_words`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oneclick.language import Lang
from oneclick.report import i18n, names
from oneclick.report.sections import changes_charts as plots
from oneclick.report.sections import changes_decay as decay_words
from oneclick.report.sections import changes_tests as tests
from oneclick.report.sections import changes_verdict as verdict_words
from oneclick.report.sections import changes_view as report
from oneclick.serve.dashboard.changes_charts import decay_intervals, distribution
from oneclick.serve.dashboard.changes_words import cw
from oneclick.serve.dashboard.words import w

# Each migration matrix shown, the id of its section on the page.
SECTIONS = {"risk_profit_cell": "migration", "primary_segment": "migration-segments"}


def comparison_view(data: dict[str, Any], titles: Mapping[str, names.Titles], lang: Lang) -> dict[str, Any]:
    """The page's context from ``data``, the comparison as ``period_changes`` arranged it."""
    return {
        "facts": _facts(data, lang),
        "verdict": {
            "name": data["verdict"],
            "word": verdict_words.verdict_word(data["verdict"], lang),
            "meaning": verdict_words.verdict_meaning(data["verdict"], lang),
            "clauses_title": verdict_words.word("clauses_title", lang),
            "note": verdict_words.word("rule_note", lang),
        },
        "clauses": [_clause(reason, data, lang) for reason in data["reasons"]],
        "drift_title": report.word("drift_title", lang),
        "drift_lead": report.drift_lead(data, lang),
        "drifted": [
            distribution(feature, plots.feature_title(feature["feature"], lang), lang) | {"feature": feature["feature"]}
            for feature in data["drifted"]
        ],
        "features_title": report.word("features_title", lang),
        "features_header": [
            report.word(key, lang)
            for key in ("col_feature", "col_test", "col_statistic", "col_p", "col_threshold", "col_psi", "col_drift")
        ],
        "features": [_feature_row(f, lang) for f in [*data["features"], data["prediction_drift"]]],
        "features_note": report.word("features_note", lang),
        "decay": _decay(data, lang),
        "migration_title": report.word("migration_title", lang),
        "migration": [
            _migration(data, name, title, titles["segments"], lang)
            for name, title in report.MIGRATIONS
            if name in data["migration"]
        ],
        "customers_title": report.word("customers_title", lang),
        "customers": _customers(data["customers"], lang),
        "customers_note": report.customers_sentence(data["customers"], lang),
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


def _clause(reason: dict[str, Any], data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    return {
        "rule": reason["rule"],
        "holds": reason["holds"],
        "holds_word": verdict_words.word("holds" if reason["holds"] else "does_not_hold", lang),
        "leads_to": verdict_words.verdict_word(reason["leads_to"], lang),
        "text": verdict_words.clause(data, reason, lang),
    }


def _feature_row(feature: dict[str, Any], lang: Lang) -> dict[str, Any]:
    return {
        "feature": feature["feature"],
        "title": plots.feature_title(feature["feature"], lang),
        "test": tests.test_word(feature["test"], lang),
        "statistic": tests.statistic(feature, lang),
        "p_value_adjusted": tests.p_value(feature.get("p_value_adjusted") or feature.get("p_value"), lang),
        "threshold": tests.threshold(feature, lang),
        "psi": figure(feature["psi"], lang, 3),
        "band": plots.band_word(feature["psi_band"], lang),
        "drift": feature["drift"],
        "drift_word": w("yes" if feature["drift"] else "no", lang),
    }


def _decay(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    decay = data["decay"]
    table = decay_words.table(data, lang)
    return {
        "estimated": bool(decay["estimated"]),
        "title": decay_words.word("decay_title", lang),
        "lead": decay_words.lead(decay, lang),
        "header": table["header"],
        "rows": [
            {
                "figure": row["figure"],
                "cells": cells,
                "worse": row["improvement"] is not None and row["improvement"] < 0,
            }
            for row, cells in zip(decay["rows"], table["rows"], strict=True)
        ],
        "note": table["note"],
        "chart": decay_intervals(decay["rows"], lang),
    }


def _migration(data: dict[str, Any], name: str, title: str, titles: names.Titles, lang: Lang) -> dict[str, Any]:
    matrix = data["migration"][name]
    columns = [str(c) for c in matrix["columns"]]
    return {
        "id": SECTIONS.get(name, f"migration-{name}"),
        "title": report.word(title, lang),
        "corner": report.word("col_from", lang),
        "columns": [names.title(titles, c, lang) for c in columns],
        "rows": [
            {
                "title": names.title(titles, str(row), lang),
                "cells": [
                    {"n": i18n.integer(n, lang), "share": _share(share, lang), "same": str(row) == columns[j]}
                    for j, (n, share) in enumerate(zip(counts, shares, strict=True))
                ],
            }
            for row, counts, shares in zip(matrix["rows"], matrix["counts"], matrix["row_shares"], strict=True)
        ],
        "note": report.migration_note(data, name, lang),
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
