"""The runs in the store (``/runs``): their metrics and data quality, and each run's report.

A run's report is the ``report.html`` (or ``report.en.html``) its command wrote into the run's
folder, as the store recorded it (``runs.out_dir``); a run folder without one (``--lang`` left
it out, or the run wrote none) is rendered by ``oneclick.report`` from the folder's files, once.
The request names a run id, never a path, and only a run of the store is looked up. The report is
self-contained (inline CSS and ``data:`` images); it is sent with a policy that lets it fetch
nothing and run no script.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from oneclick.analysis import data_quality, model_quality
from oneclick.errors import OneClickError
from oneclick.language import Lang
from oneclick.layout import REPORT_FILES, RUN_FILE
from oneclick.report import build_summary, render_report
from oneclick.serve.dashboard.pages import lang_of, not_found, page, signed_in, snapshot_of
from oneclick.serve.dashboard.words import w
from oneclick.serve.snapshot import Snapshot

router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
REPORT_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@router.get("/runs")
def runs(request: Request) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    frame = snapshot.query(
        "SELECT run_id, kind, created_at, out_dir, model_id, n_customers, metrics, quality "
        "FROM runs ORDER BY created_at DESC, run_id DESC"
    )
    rows = [_row(row, snapshot, lang) for row in frame.to_dict("records")]
    return page(request, "runs.html.j2", {"lang": lang, "runs": rows})


def _row(row: dict[str, Any], snapshot: Snapshot, lang: Lang) -> dict[str, Any]:
    # the figures of the report's sections 1 and 4, from the same functions
    metrics, quality = json.loads(row["metrics"] or "{}"), json.loads(row["quality"] or "{}")
    model = model_quality(metrics) if metrics.get("holdout") else {"holdout": {}, "cv": {}}
    checked = data_quality(quality) if quality.get("sources") is not None else {}
    cv = model.get("cv") or {}
    return {
        "run_id": row["run_id"],
        "kind": row["kind"],
        "created_at": row["created_at"].strftime("%d.%m.%Y %H:%M" if lang == "ru" else "%Y-%m-%d %H:%M"),
        "model_id": row["model_id"],
        "is_champion": row["model_id"] is not None and row["model_id"] == snapshot.model_id,
        "is_served": row["run_id"] == snapshot.run_id,
        "n_customers": row["n_customers"],
        "holdout_roc_auc": (model.get("holdout") or {}).get("roc_auc"),
        "cv_roc_auc": cv.get("roc_auc_mean"),
        "cv_roc_auc_std": cv.get("roc_auc_std"),
        "customers_read": checked.get("customers_read"),
        "customers_kept": checked.get("customers_kept"),
        "rows_quarantined": checked.get("quarantined_rows"),
        "has_report": report_file(row["out_dir"], lang) is not None or _renderable(row["out_dir"]),
    }


def _renderable(out_dir: str | None) -> bool:
    return bool(out_dir) and (Path(str(out_dir)) / RUN_FILE).is_file()


def report_file(out_dir: str | None, lang: Lang) -> Path | None:
    """The run's report in ``lang``, else in the other language; None when the folder holds neither."""
    if not out_dir:
        return None
    for name in (REPORT_FILES[lang], *REPORT_FILES.values()):
        path = Path(out_dir) / name
        if path.is_file():
            return path
    return None


@router.get("/runs/{run_id}/report")
def report(request: Request, run_id: str) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    found = snapshot.query("SELECT out_dir FROM runs WHERE run_id = ?", [run_id[:200]])
    out_dir = None if found.empty else found.iloc[0, 0]
    path = report_file(out_dir, lang)
    if path is not None:
        return FileResponse(path, media_type="text/html; charset=utf-8", headers=REPORT_HEADERS)
    if not _renderable(out_dir):
        return not_found(request, w("no_report", lang))
    cache = request.app.state.dashboard_cache
    try:
        html = cache.get(
            snapshot, ("report", run_id, lang), lambda: render_report(build_summary(Path(str(out_dir))), lang)
        )
    except OneClickError:  # the folder changed since the run (files removed, another version's files)
        return not_found(request, w("no_report", lang))
    return HTMLResponse(html, headers=REPORT_HEADERS)
