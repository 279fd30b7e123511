"""The store's period comparisons (``/changes``) and one comparison (``/changes/{id}``).

Read from the snapshot's copy of the store's ``period_comparisons`` (:mod:`oneclick.store.snapshot`):
the list with ``sql/period_comparisons.sql`` (the columns and, from each kept result, its dataset
drift and ROC-AUC), one comparison with the store's own reader (``load_period_comparison``, which
also takes an unambiguous prefix). A comparison's page is its kept result as
:func:`oneclick.analysis.changes.period_changes` arranges it, in the report's words
(:mod:`.changes_view`); nothing is recomputed. A kept result this version cannot arrange (another
format) is said so under its id, with what it lacks.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from oneclick.analysis.changes import period_changes
from oneclick.errors import StoreError
from oneclick.language import Lang
from oneclick.report.sections.changes_verdict import verdict_word
from oneclick.serve.dashboard.changes_view import comparison_view, figure, interval
from oneclick.serve.dashboard.changes_words import cw
from oneclick.serve.dashboard.pages import lang_of, moment, not_found, page, signed_in, snapshot_of, titles_of
from oneclick.serve.dashboard.words import w
from oneclick.store import load_period_comparison

router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
_LONGEST_ID = 120
TABLE = "period_comparisons"


@router.get("/changes")
def changes(request: Request) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    found = snapshot.query(_sql("period_comparisons")) if snapshot.has_table(TABLE) else None
    rows = [] if found is None else [_row(row, lang) for row in found.to_dict("records")]
    return page(request, "changes.html.j2", {"lang": lang, "comparisons": rows, "cw": _words(lang)})


@router.get("/changes/{comparison_id}")
def change(request: Request, comparison_id: str) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    asked = comparison_id[:_LONGEST_ID]
    if not snapshot.has_table(TABLE):
        return not_found(request, cw("change_missing", lang, id=asked))
    try:
        with snapshot.reading() as connection:
            stored = load_period_comparison(connection, asked)
    except StoreError:  # unknown, ambiguous or too short an id
        return not_found(request, cw("change_missing", lang, id=asked))
    try:
        data = period_changes(stored.result, source=stored.comparison_id)
    except (KeyError, TypeError, ValueError) as err:  # kept by another version of oneclick: said, not a 500
        detail = str(err).splitlines()[0][:200]
        message = cw("change_unreadable", lang, id=stored.comparison_id, detail=detail)
        return page(request, "message.html.j2", {"lang": lang, "title": cw("change_kicker", lang), "message": message})
    return page(
        request,
        "change.html.j2",
        {
            "lang": lang,
            "cw": _words(lang),
            "comparison_id": stored.comparison_id,
            "created_at": moment(stored.created_at, lang),
            "view": comparison_view(data, titles_of(snapshot), lang),
        },
    )


def _row(row: dict[str, Any], lang: Lang) -> dict[str, Any]:
    estimated = bool(row["estimated"])
    side = "estimated" if estimated else "realised"
    n_features = row["n_features"]
    return {
        "comparison_id": row["comparison_id"],
        "created_at": moment(row["created_at"], lang),
        "old_source": row["old_source"],
        "new_source": row["new_source"],
        "verdict": row["verdict"],
        "verdict_word": verdict_word(row["verdict"], lang),
        "dataset_drift": bool(row["dataset_drift"]),
        "drift": "—"
        if n_features is None
        else cw(
            "drift_cell",
            lang,
            answer=w("yes" if row["dataset_drift"] else "no", lang),
            n=int(row["n_drifted"] or 0),
            total=int(n_features),
        ),
        "auc": figure(_number(row[f"{side}_auc"]), lang),
        "auc_interval": interval(_number(row[f"{side}_auc_low"]), _number(row[f"{side}_auc_high"]), lang),
        "estimated": estimated,
    }


def _number(value: Any) -> float | None:
    return None if value is None or value != value else float(value)  # NaN: the figure was null


def _words(lang: Lang) -> Any:
    return lambda key, **values: cw(key, lang, **values)


def _sql(name: str) -> str:
    return files("oneclick.serve.dashboard").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
