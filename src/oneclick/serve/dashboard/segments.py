"""The overview (``/``) and a segment's card (``/segments/{name}``): the served run's tables, rendered.

Every number is read from the run's stored tables: ``offers`` (one row per customer),
``segments`` (each segment against the rest), ``segment_features`` and ``segment_drivers``;
the pages only select, sort and write them in the reader's language.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from oneclick.analysis import by_profit_at_risk, map_points
from oneclick.language import Lang
from oneclick.report import i18n, names
from oneclick.serve.dashboard.charts import risk_profit_map
from oneclick.serve.dashboard.pages import bar, lang_of, not_found, page, signed, signed_in, snapshot_of, titles_of
from oneclick.serve.dashboard.words import w
from oneclick.serve.snapshot import Snapshot

PAGE_SIZE = 25
MAX_PAGE = 1_000_000
N_DRIVERS = 8
router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])


def sql(name: str) -> str:
    return files("oneclick.serve.dashboard").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


@router.get("/")
def overview(request: Request) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    if snapshot.run_id is None:
        return page(request, "message.html.j2", {"lang": lang, "title": w("app", lang), "message": w("no_run", lang)})
    # the served run's offers summary (offers.offers_summary): the numbers of the report's sections 6 and 7
    summary = json.loads(
        snapshot.query("SELECT summary FROM runs WHERE run_id = ?", [snapshot.run_id])["summary"].iloc[0] or "{}"
    )
    totals = {
        "n_customers": summary["n_customers"],
        "profit_at_risk": summary["profit_at_risk"],
        "n_high_risk": summary["n_high_risk"],
        "expected_saved_profit": summary["offers"]["expected_saved_profit"],
    }
    titles = titles_of(snapshot)
    segments = pd.DataFrame(
        by_profit_at_risk(snapshot.query("SELECT * FROM segments ORDER BY segment").to_dict("records"))
    )
    cache = request.app.state.dashboard_cache
    chart = cache.get(
        snapshot, ("map", lang), lambda: _map(snapshot, segments, titles, int(totals["n_customers"]), lang)
    )
    thresholds = snapshot.rules.thresholds
    return page(
        request,
        "overview.html.j2",
        {
            "lang": lang,
            "n_customers": int(totals["n_customers"]),
            "profit_at_risk": float(totals["profit_at_risk"] or 0.0),
            "n_high_risk": int(totals["n_high_risk"]),
            "expected_saved_profit": float(totals["expected_saved_profit"] or 0.0),
            "at_risk_note": w(
                "at_risk_note",
                lang,
                unit=i18n.money_unit(lang, per_month=True),
                risk=i18n.percent(thresholds.high_risk, lang, 1),
                months=i18n.number(snapshot.rules.catalogue.horizon_months, lang, 0),
            ),
            "unit_month": i18n.money_unit(lang, per_month=True),
            "unit": i18n.money_unit(lang),
            "map": chart,
            "segments": [_segment_row(row, titles, lang) for row in segments.to_dict("records")],
        },
    )


def _map(
    snapshot: Snapshot, segments: pd.DataFrame, titles: dict[str, names.Titles], n_customers: int, lang: Lang
) -> Any:
    # the report's map (section 6) draws the same customers: analysis.map_points' seeded sample
    offers = snapshot.query("SELECT decline_probability, profit, primary_segment FROM offers ORDER BY customer_id")
    drawn = map_points(offers, n_customers)
    points = pd.DataFrame({k: drawn[k] for k in ("decline_probability", "profit", "primary_segment")})
    sample = drawn.get("sample")
    order = [str(s) for s in segments.sort_values("kind", key=lambda k: k != "named", kind="stable")["segment"]]
    return risk_profit_map(
        points, order, titles["segments"], snapshot.rules.thresholds, lang, i18n.sample_note(sample, lang)
    )


def _segment_row(row: dict[str, Any], titles: dict[str, names.Titles], lang: Lang) -> dict[str, Any]:
    top = row.get("top_offer")
    return {
        "segment": row["segment"],
        "title": names.title(titles["segments"], str(row["segment"]), lang),
        "kind": w("kind_named" if row["kind"] == "named" else "kind_cell", lang),
        "n_customers": row["n_customers"],
        "share_of_customers": row["share_of_customers"],
        "mean_decline_probability": row["mean_decline_probability"],
        "profit_at_risk": row["profit_at_risk"],
        "share_of_profit_at_risk": row["share_of_profit_at_risk"],
        "expected_saved_profit": row["expected_saved_profit"],
        "top_offer": names.title(titles["offers"], str(top), lang) if isinstance(top, str) else w("dash", lang),
    }


@router.get("/segments/{name}")
def segment(
    request: Request, name: str, page_number: Annotated[int, Query(alias="page", ge=1, le=MAX_PAGE)] = 1
) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    found = snapshot.query("SELECT * FROM segments WHERE segment = ?", [name]) if snapshot.run_id else pd.DataFrame()
    if found.empty:
        return not_found(request, w("segment_missing", lang, name=name))
    row = found.iloc[0].to_dict()
    titles = titles_of(snapshot)
    n_pages = max(1, -(-int(row["n_customers"] or 0) // PAGE_SIZE))
    page_number = min(page_number, n_pages)
    customers = snapshot.query(sql("segment_customers"), [name, PAGE_SIZE, (page_number - 1) * PAGE_SIZE])
    offers = snapshot.query(sql("segment_offers"), [name])
    return page(
        request,
        "segment.html.j2",
        {
            "lang": lang,
            "segment": row,
            "title": names.title(titles["segments"], name, lang),
            "kind": w("kind_named" if row["kind"] == "named" else "kind_cell", lang),
            "profile": _profile(snapshot, name, lang),
            "drivers": _drivers(snapshot, name, "feature", lang)[:N_DRIVERS],
            "groups": _drivers(snapshot, name, "group", lang),
            "offers": [
                r | {"title": names.title(titles["offers"], str(r["offer"]), lang)} for r in offers.to_dict("records")
            ],
            "customers": customers.to_dict("records"),
            "offer_titles": {k: names.title(titles["offers"], k, lang) for k in titles["offers"]},
            "page_number": page_number,
            "n_pages": n_pages,
        },
    )


def _profile(snapshot: Snapshot, name: str, lang: Lang) -> list[dict[str, str]]:
    """The segment's features against the rest, the largest differences first.

    A numeric feature is compared by its means and Cohen's d, a category's level by its shares.
    """
    rows = snapshot.query("SELECT * FROM segment_features WHERE segment = ?", [name])
    rows = rows.assign(order=rows["effect_size"].abs()).sort_values("order", ascending=False, kind="stable")
    out = []
    for row in rows.to_dict("records"):
        feature, effect = str(row["feature"]), float(row["effect_size"])
        label = i18n.feature(feature, lang)
        if isinstance(row["level"], str) and row["level"]:
            label = f"{label}: {i18n.value(feature, row['level'], lang)}"
        if row["effect_measure"] == "cohen_d":
            means = [i18n.with_unit(float(row[k]), feature, lang) for k in ("mean_segment", "mean_rest")]
            difference = w("measure_cohen_d", lang, value=signed(effect, lang, 2))
        else:
            means = [i18n.percent(float(row[k]), lang, 1) for k in ("mean_segment", "mean_rest")]
            difference = w("measure_share_difference", lang, value=signed(100 * effect, lang, 1))
        group = i18n.group(str(row["group"]), lang)
        out.append({"feature": label, "group": group, "segment": means[0], "rest": means[1], "effect": difference})
    return out


def _drivers(snapshot: Snapshot, name: str, scope: str, lang: Lang) -> list[dict[str, Any]]:
    """The segment's mean contributions to risk (by feature or by group), largest first."""
    rows = snapshot.query(
        "SELECT * FROM segment_drivers WHERE segment = ? AND scope = ? ORDER BY mean_contribution_segment DESC, name",
        [name, scope],
    )
    label = i18n.feature if scope == "feature" else i18n.group
    top = float(rows["mean_contribution_segment"].abs().max()) if len(rows) else 0.0
    return [
        {
            "label": label(str(row["name"]), lang),
            "segment": signed(float(row["mean_contribution_segment"]), lang, 2),
            "rest": signed(float(row["mean_contribution_rest"]), lang, 2),
            "bar": bar(float(row["mean_contribution_segment"]), top),
        }
        for row in rows.to_dict("records")
    ]
