"""The store's campaigns (``/campaigns``) and one campaign's plan and results (``/campaigns/{id}``).

Read from the snapshot's copy of the store's campaign tables (:mod:`oneclick.store.snapshot`), with the
store's own readers (``list_campaigns``, ``load_campaign``, ``latest_evaluation``). A campaign's page
shows the plan's strata, with the minimum detectable uplift the plan stated for each and its warning,
then the latest evaluation exactly as the report's "Campaign results" section shows it: the same
:func:`summarise` and :func:`view`, so the same words, tables and charts. Nothing is computed here but
the counts of the plan's customers by stratum and arm.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from oneclick.errors import StoreError
from oneclick.language import Lang
from oneclick.report import i18n, names
from oneclick.report.campaign_file import catalogue_update_in
from oneclick.report.sections.campaign_results_data import summarise
from oneclick.report.sections.campaign_results_view import view
from oneclick.serve.dashboard.pages import lang_of, moment, not_found, page, signed_in, snapshot_of, titles_of
from oneclick.serve.dashboard.words import w
from oneclick.serve.snapshot import Snapshot
from oneclick.store import latest_evaluation, list_campaigns, load_campaign

router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
_LONGEST_ID = 120


@router.get("/campaigns")
def campaigns(request: Request) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    with snapshot.reading() as connection:
        found = list_campaigns(connection)
    rows = [
        {
            "campaign_id": row["campaign_id"],
            "created_at": moment(row["created_at"], lang),
            "starts_on": _day(row["starts_on"], lang),
            "run_id": row["run_id"],
            "budget": i18n.money(row["budget"], lang, 1),
            "catalogue_version": int(row["catalogue_version"]),
            "n_treatment": i18n.integer(row["n_treatment"], lang),
            "n_control": i18n.integer(row["n_control"], lang),
            "n_evaluations": int(row["n_evaluations"]),
        }
        for row in found.to_dict("records")
    ]
    return page(request, "campaigns.html.j2", {"lang": lang, "campaigns": rows})


@router.get("/campaigns/{campaign_id}")
def campaign(request: Request, campaign_id: str) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    asked = campaign_id[:_LONGEST_ID]
    try:
        with snapshot.reading() as connection:
            stored = load_campaign(connection, asked)
            result = latest_evaluation(connection, stored.campaign_id)
            update = catalogue_update_in(connection, stored.campaign_id) if result is not None else None
    except StoreError:  # unknown, ambiguous or too short an id
        return not_found(request, w("campaign_missing", lang, id=asked))
    titles = titles_of(snapshot)
    results = None
    if result is not None:
        if update is not None and not result.get("catalogue_update"):
            result = {**result, "catalogue_update": update}
        results = view(summarise(result, titles, source=f"evaluation of {stored.campaign_id}"), lang)
    record = stored.record
    return page(
        request,
        "campaign_results.html.j2",
        {
            "lang": lang,
            "campaign_id": stored.campaign_id,
            "facts": [
                (w("col_created", lang), moment(record.created_at, lang)),
                (w("col_starts", lang), _day(record.starts_on, lang)),
                (w("col_run", lang), record.run_id),
                (w("col_budget", lang), i18n.money(record.budget, lang, 1)),
                (w("col_seed", lang), str(record.seed)),
                (w("col_catalogue", lang), str(record.catalogue_version)),
            ],
            "strata": _strata(
                snapshot, stored.campaign_id, _planned_strata(record.control, record.summary), titles, lang
            ),
            "results": results,
            "evaluated_at": None if result is None else moment(result.get("evaluated_at"), lang),
        },
    )


def _strata(
    snapshot: Snapshot,
    campaign_id: str,
    planned: dict[str, Mapping[str, Any]],
    titles: dict[str, names.Titles],
    lang: Lang,
) -> list[dict[str, Any]]:
    """Each stratum's customers by arm (counted from the campaign's customers) beside what the plan stated."""
    counts = snapshot.query(
        "SELECT stratum, any_value(segment) AS segment, any_value(offer_id) AS offer_id, "
        "count(*) FILTER (WHERE arm = 'treatment') AS n_treatment, "
        "count(*) FILTER (WHERE arm = 'control') AS n_control "
        "FROM campaign_customers WHERE campaign_id = ? GROUP BY stratum ORDER BY stratum",
        [campaign_id],
    )
    rows = []
    for row in counts.to_dict("records"):
        stated = planned.get(str(row["stratum"]), {})
        mde, assumed = stated.get("minimum_detectable_uplift"), stated.get("assumed_uplift")
        rows.append(
            {
                "segment": names.title(titles["segments"], str(row["segment"]), lang),
                "offer": names.title(titles["offers"], str(row["offer_id"]), lang),
                "n_treatment": i18n.integer(row["n_treatment"], lang),
                "n_control": i18n.integer(row["n_control"], lang),
                "base_decline_rate": _share(stated.get("base_decline_rate"), lang),
                "assumed_uplift": _share(assumed, lang),
                "minimum_detectable_uplift": _share(mde, lang),
                "power": _share(stated.get("power"), lang),
                # the plan's warning, said in the reader's words from the figures it rests on
                "warning": w("stratum_too_small", lang, mde=_share(mde, lang), assumed=_share(assumed, lang))
                if stated.get("warning")
                else None,
                "warning_detail": str(stated["warning"]) if isinstance(stated.get("warning"), str) else None,
            }
        )
    return rows


def _planned_strata(*records: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The plan's strata by name (``campaign plan --json``'s ``strata``), from where the plan kept them."""
    for record in records:
        strata = record.get("strata")
        if isinstance(strata, list):
            return {str(s["stratum"]): s for s in strata if isinstance(s, Mapping) and "stratum" in s}
    return {}


def _share(value: Any, lang: Lang) -> str:
    return "—" if value is None else i18n.percent(float(value), lang, 1)


def _day(value: Any, lang: Lang) -> str:
    if value is None:
        return "—"
    return value.strftime("%d.%m.%Y" if lang == "ru" else "%Y-%m-%d") if hasattr(value, "strftime") else str(value)
