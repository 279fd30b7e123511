"""The campaign builder (``/campaign``): a budget, the optimal plan, the profit curve, the CSV for the CRM.

The plan is ``serve.campaign.campaign_at`` (the library's exact plan over the served run's
offer values), the same as ``GET /v1/campaign``. The page's slider asks ``/campaign.json`` for
the plan at each budget; ``/campaign.csv`` is that plan's customers with the offer's title and
message in the reader's language, written as every CSV for people is (``exports.spreadsheet_safe``).
"""

from __future__ import annotations

import json
import math
import time
from typing import Annotated, Any
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from oneclick.exports import spreadsheet_safe
from oneclick.language import Lang
from oneclick.offers.campaign import NOT_BINDING
from oneclick.report import i18n, names
from oneclick.serve.campaign import campaign_at
from oneclick.serve.dashboard.charts import CurveBox, profit_curve
from oneclick.serve.dashboard.pages import (
    PAGE_HEADERS,
    lang_of,
    log_request,
    page,
    signed_in,
    signed_in_or_key,
    snapshot_of,
    titles_of,
)
from oneclick.serve.dashboard.words import w
from oneclick.serve.request_log import CRM_DOWNLOAD_ROUTE
from oneclick.serve.snapshot import Snapshot

Budget = Annotated[float | None, Query(ge=0, le=1e12, allow_inf_nan=False, description="Profit units")]
SLIDER_STEPS = 200
CSV_COLUMNS = [
    "customer_id",
    "offer",
    "offer_title",
    "offer_message",
    "cost",
    "expected_saved_profit",
    "segment",
    "segment_title",
]
pages = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
downloads = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in_or_key)])


@pages.get("/campaign")
def builder(request: Request, budget: Budget = None) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    if snapshot.run_id is None:
        return page(
            request, "message.html.j2", {"lang": lang, "title": w("campaign_title", lang), "message": w("no_run", lang)}
        )
    top = _top_budget(request, snapshot)
    chosen = _run_budget(snapshot, top) if budget is None else min(budget, top)
    found = plan_at(request, snapshot, chosen, lang)
    curve = _curve(snapshot)
    return page(
        request,
        "campaign.html.j2",
        {
            "lang": lang,
            "lead": w(
                "campaign_lead",
                lang,
                months=i18n.number(snapshot.rules.catalogue.horizon_months, lang, 0),
                unit=i18n.money_unit(lang),
            ),
            "hint": w("budget_hint", lang, max=i18n.number(top, lang, 1)),
            "top": top,
            "step": _step(top),
            "plan": found,
            "curve": None
            if curve is None
            else profit_curve(curve, chosen, found["plan"]["expected_saved_profit"], lang),
            "found_json": json.dumps(found["point"]),
        },
    )


@downloads.get("/campaign.json")
def plan_json(request: Request, budget: Budget = None) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    if snapshot.run_id is None:
        return JSONResponse({"detail": w("no_run", lang)}, 404, headers=PAGE_HEADERS)
    top = _top_budget(request, snapshot)
    found = plan_at(request, snapshot, top if budget is None else min(budget, top), lang)
    return JSONResponse(found, headers=PAGE_HEADERS)


@downloads.get("/campaign.csv")
def plan_csv(request: Request, budget: Budget = None) -> Response:
    """The plan's customers: id, offer (id, title, message), cost, expected saved profit, segment."""
    lang, snapshot, started = lang_of(request), snapshot_of(request), time.perf_counter()
    if snapshot.run_id is None:
        return JSONResponse({"detail": w("no_run", lang)}, 404, headers=PAGE_HEADERS)
    rows = planned(request, snapshot, budget)["customers"]
    catalogue, titles = snapshot.rules.catalogue, titles_of(snapshot)
    offers = {offer.id: offer for offer in catalogue.offers}
    table = rows.assign(
        offer_title=rows["offer"].map(lambda o: offers[o].label(lang)),
        offer_message=rows["offer"].map(lambda o: offers[o].message_text(lang)),
        segment_title=rows["segment"].map(lambda s: names.title(titles["segments"], str(s), lang)),
    )[CSV_COLUMNS]
    log_request(request, CRM_DOWNLOAD_ROUTE, len(table), started, 200)
    name = f"campaign-{snapshot.run_id}-{'all' if budget is None else f'{budget:g}'}.csv"
    return Response(
        spreadsheet_safe(table).to_csv(index=False),
        media_type="text/csv; charset=utf-8",
        headers=PAGE_HEADERS | {"Content-Disposition": f'attachment; filename="{name}"'},
    )


def plan_at(request: Request, snapshot: Snapshot, budget: float, lang: Lang) -> dict[str, Any]:
    """The plan at ``budget``: its numbers (as sent and in words), by segment, by offer, its point on the curve."""
    found = planned(request, snapshot, budget)
    plan, rows = found["plan"], found["customers"]
    titles = titles_of(snapshot)
    by_offer = (
        rows.groupby("offer", observed=True)
        .agg(
            n_customers=("customer_id", "size"),
            cost=("cost", "sum"),
            expected_saved_profit=("expected_saved_profit", "sum"),
        )
        .reset_index()
        .sort_values(["expected_saved_profit", "offer"], ascending=[False, True])
    )
    curve = _curve(snapshot)
    box = (
        CurveBox()
        if curve is None
        else CurveBox(
            x_max=float(curve["budget"].max()) or 1.0,
            y_max=float(max(curve["expected_saved_profit"].max(), plan["expected_saved_profit"])) * 1.05 or 1.0,
        )
    )
    return {
        "budget": budget,
        "plan": {
            k: plan[k] for k in ("budget", "spent", "expected_saved_profit", "upper_bound", "n_customers", "status")
        },
        "text": {
            "budget": i18n.number(budget, lang, 1),
            "spent": i18n.money(plan["spent"], lang, 1),
            "expected_saved_profit": i18n.money(plan["expected_saved_profit"], lang, 1),
            "n_customers": i18n.integer(plan["n_customers"], lang),
            "status": _status(plan, lang),
        },
        "by_segment": _rows(found["by_segment"], "segment", titles["segments"], lang),
        "by_offer": _rows(by_offer, "offer", titles["offers"], lang),
        "point": {"cx": box.x(budget), "cy": box.y(plan["expected_saved_profit"])},
        "csv": "/campaign.csv?" + urlencode({"budget": repr(float(budget)), "lang": lang}),
    }


def planned(request: Request, snapshot: Snapshot, budget: float | None) -> dict[str, Any]:
    """``campaign_at(snapshot, budget)``, kept for the snapshot: the slider comes back to a budget, the CSV
    follows the page (an exact plan takes from milliseconds to seconds)."""
    cache = request.app.state.dashboard_cache
    return cache.get(snapshot, ("plan", budget), lambda: campaign_at(snapshot, budget))  # type: ignore[no-any-return]


def _rows(frame: pd.DataFrame, key: str, titles: names.Titles, lang: Lang) -> list[dict[str, str]]:
    return [
        {
            "title": names.title(titles, str(row[key]), lang),
            "n_customers": i18n.integer(row["n_customers"], lang),
            "cost": i18n.number(row["cost"], lang, 2),
            "expected_saved_profit": i18n.number(row["expected_saved_profit"], lang, 2),
        }
        for row in frame.to_dict("records")
    ]


def _status(plan: dict[str, Any], lang: Lang) -> str:
    if plan["status"] == NOT_BINDING:
        return w("status_not_binding", lang)
    if str(plan["status"]).startswith("optimal"):
        return w("status_optimal", lang)
    bound = float(plan["upper_bound"] or 0.0)
    share = 1.0 - plan["expected_saved_profit"] / bound if bound > 0 else 0.0
    return w("status_bound", lang, share=i18n.percent(share, lang, 1))


def _curve(snapshot: Snapshot) -> pd.DataFrame | None:
    if not snapshot.has_table("profit_curve"):
        return None
    curve = snapshot.query("SELECT budget, expected_saved_profit FROM profit_curve ORDER BY budget")
    return curve if len(curve) else None


def _top_budget(request: Request, snapshot: Snapshot) -> float:
    """The slider's end: the budget past which no more is spent (the run's curve ends there)."""

    def make() -> float:
        curve = _curve(snapshot)
        if curve is not None and float(curve["budget"].max()) > 0:
            return float(curve["budget"].max())
        return float(campaign_at(snapshot, None)["plan"]["spent"]) or 1.0

    return float(request.app.state.dashboard_cache.get(snapshot, ("top_budget",), make))


def _run_budget(snapshot: Snapshot, top: float) -> float:
    """The budget the served run planned with (its summary), or the slider's end when it had none."""
    found = snapshot.query(
        "SELECT json_extract(summary, '$.campaign.budget')::DOUBLE AS budget FROM runs WHERE run_id = ?",
        [snapshot.run_id],
    )
    value = None if found.empty else found.iloc[0, 0]
    return top if value is None or not math.isfinite(value) else min(float(value), top)


def _step(top: float) -> float:
    raw = top / SLIDER_STEPS
    return float(f"{raw:.2g}") if raw > 0 else 0.01
