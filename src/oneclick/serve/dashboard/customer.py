"""A customer's card (``/customers/{id}``, search at ``/customers?id=``) and its what-if.

The card shows the customer as the served run scored them (``serve.scoring.stored_customer``).
The what-if takes the customer's stored row, changes the actionable features
(``oneclick.features.ACTIONABLE_FEATURES``), checks it as the API checks a customer sent
(``serve.schemas.Customer``: the ingest schemas' bounds) and scores it with ``score_sent``: the
champion and the served run's rules, the same call as ``POST /v1/score``. It answers as JSON at
``/customers/{id}/what-if`` (the page's script) and inside the page for a form sent without it.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from oneclick.errors import InputDataError
from oneclick.features import ACTIONABLE_FEATURES, FEATURE_GROUPS, FEATURES, input_fields
from oneclick.language import Lang
from oneclick.offers import NO_OFFER
from oneclick.report import i18n, names
from oneclick.serve.api import records
from oneclick.serve.dashboard.pages import (
    PAGE_HEADERS,
    bar,
    lang_of,
    log_request,
    not_found,
    page,
    signed,
    signed_in,
    signed_in_or_key,
    snapshot_of,
    titles_of,
)
from oneclick.serve.dashboard.words import w
from oneclick.serve.request_log import WHAT_IF_ROUTE
from oneclick.serve.schemas import Customer
from oneclick.serve.scoring import score_sent, stored_customer
from oneclick.serve.snapshot import Snapshot

router = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in)])
answers = APIRouter(include_in_schema=False, dependencies=[Depends(signed_in_or_key)])  # JSON: 401, not a redirect
FIELDS = {field.name: field for field in input_fields()}
_KINDS = {feature.name: feature.kind for feature in FEATURES}


@router.get("/customers")
def search(request: Request, asked: Annotated[str, Query(alias="id", max_length=64)] = "") -> Response:
    lang = lang_of(request)
    wanted = asked.strip()
    if not wanted.isdigit() or len(wanted) > 18:
        return page(
            request,
            "message.html.j2",
            {"lang": lang, "title": w("not_found", lang), "message": w("bad_id", lang)},
            status_code=400,
        )
    return RedirectResponse(f"/customers/{int(wanted)}", status_code=303)


@router.get("/customers/{customer_id}")
def card(request: Request, customer_id: str) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    found = _stored(snapshot, customer_id)
    if found is None:
        return not_found(request, w("customer_missing", lang, id=customer_id[:20]))
    stored, row = found
    asked, started = _asked(request), time.perf_counter()
    answers, problems = _what_if(snapshot, row, asked, lang)
    if asked:
        log_request(request, WHAT_IF_ROUTE, len(answers), started, 422 if problems else 200)
    titles = titles_of(snapshot)
    same_words = _run_lang(snapshot) == lang
    now = answers[0] if answers else None
    return page(
        request,
        "customer.html.j2",
        {
            "lang": lang,
            "customer": stored,
            "risk": w("risk_high" if stored["is_high_risk"] else "risk_low", lang),
            "segments": [
                {"name": s, "title": names.title(titles["segments"], s, lang)}
                for s in [*stored["segments"], stored["risk_profit_cell"]]
                if s
            ],
            "primary_title": names.title(titles["segments"], stored["primary_segment"] or "", lang),
            "offer_title": names.title(titles["offers"], stored["offer"] or NO_OFFER, lang),
            "drivers": stored["drivers"] if same_words or now is None else now["drivers"],
            "reason": stored["reason"] if same_words or now is None else now["reason"],
            "texts_rescored": not same_words and now is not None,
            "by_group": _by_group(stored, lang),
            "features": _features(stored, row, lang),
            "form": _form(row, asked, lang),
            "now": now,
            "after": answers[1] if len(answers) > 1 else None,
            "change": _change(answers, lang),
            "problems": problems,
        },
    )


@answers.get("/customers/{customer_id}/what-if")
def what_if(request: Request, customer_id: str) -> Response:
    lang, snapshot = lang_of(request), snapshot_of(request)
    found = _stored(snapshot, customer_id)
    if found is None:
        return JSONResponse({"detail": w("customer_missing", lang, id=customer_id[:20])}, 404, headers=PAGE_HEADERS)
    started = time.perf_counter()
    answers, problems = _what_if(snapshot, found[1], _asked(request), lang)
    log_request(request, WHAT_IF_ROUTE, len(answers), started, 422 if problems else 200)
    if problems:
        return JSONResponse({"detail": problems}, 422, headers=PAGE_HEADERS)
    body = {"now": answers[0], "after": answers[-1], "change": _change(answers, lang)}
    return JSONResponse(body, headers=PAGE_HEADERS)


def _stored(snapshot: Snapshot, customer_id: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The customer as the run scored them, and their stored row of features; None if not in the run."""
    if not customer_id.isdigit() or len(customer_id) > 18 or snapshot.run_id is None:
        return None
    stored = stored_customer(snapshot, int(customer_id))
    rows = records(snapshot.query("SELECT * FROM customers WHERE customer_id = ?", [int(customer_id)]))
    if stored is None or not rows:
        return None
    return stored, rows[0]


def _asked(request: Request) -> dict[str, str]:
    """The actionable features the request changes (query parameters named as the features)."""
    return {name: request.query_params[name][:32] for name in ACTIONABLE_FEATURES if name in request.query_params}


def _what_if(
    snapshot: Snapshot, row: dict[str, Any], asked: dict[str, str], lang: Lang
) -> tuple[list[dict[str, Any]], str | None]:
    """[the customer now, and with the changes asked (when any)] as ``score_sent`` answers, in words.

    The derived features (``revenue_change``, ``minutes_change``) are left out: ``score_sent``
    computes them again from the changed row.
    """
    inputs = {name: row[name] for name, field in FIELDS.items() if not field.derived and name in row}
    sent = [inputs] + ([inputs | asked] if asked else [])
    try:
        checked = [Customer(**customer).model_dump(exclude_none=True) for customer in sent]  # type: ignore[operator]
        answers = score_sent(snapshot, checked, lang)
    except ValidationError as err:
        return [], _problems(err, lang)
    except InputDataError as err:
        return [], w("whatif_invalid", lang, problems=str(err))
    titles = titles_of(snapshot)
    return [_answer(a, titles, lang) for a in answers], None


def _answer(answer: dict[str, Any], titles: dict[str, names.Titles], lang: Lang) -> dict[str, Any]:
    offer = answer["offer"] or {}
    probability = float(answer["decline_probability"])
    return {
        "decline_probability": probability,
        "probability": i18n.percent(probability, lang, 1),
        "risk": w("risk_high" if answer["is_high_risk"] else "risk_low", lang),
        "segment": names.title(titles["segments"], answer["primary_segment"] or "", lang),
        "offer": offer.get("offer", NO_OFFER),
        "offer_title": names.title(titles["offers"], offer.get("offer", NO_OFFER), lang),
        "expected_saved_profit": i18n.money(offer.get("expected_saved_profit", 0.0), lang, 2),
        "reason": offer.get("reason") or w("dash", lang),
        "drivers": [d["text"] for d in answer["drivers"]],
    }


def _change(answers: list[dict[str, Any]], lang: Lang) -> str | None:
    if len(answers) < 2:
        return None
    points = 100 * (answers[1]["decline_probability"] - answers[0]["decline_probability"])
    return w("measure_share_difference", lang, value=signed(points, lang, 1))


def _problems(err: ValidationError, lang: Lang) -> str:
    """What was wrong with the values sent, by feature and the bounds ingest accepts."""
    fields = sorted({str(e["loc"][0]) for e in err.errors() if e.get("loc")})
    bounds = []
    for name in fields:
        spec = FIELDS.get(name)
        low = spec.minimum if spec and spec.minimum is not None else spec.exclusive_minimum if spec else None
        high = spec.maximum if spec else None
        bounds.append(
            w(
                "whatif_bound",
                lang,
                feature=i18n.feature(name, lang),
                low=i18n.number(low, lang, 2, trim=True) if low is not None else "−∞",
                high=i18n.number(high, lang, 2, trim=True) if high is not None else "∞",
            )
        )
    return w("whatif_invalid", lang, problems="; ".join(bounds))


def _form(row: dict[str, Any], asked: dict[str, str], lang: Lang) -> list[dict[str, Any]]:
    fields = []
    for name in ACTIONABLE_FEATURES:
        spec = FIELDS[name]
        whole = spec.kind == "integer"
        value = float(row[name])
        fields.append(
            {
                "name": name,
                "label": i18n.feature(name, lang),
                "unit": i18n.unit(name, lang),
                "value": asked.get(name, str(int(value)) if whole else f"{value:g}"),
                "now": i18n.with_unit(value, name, lang),
                "min": spec.minimum if spec.minimum is not None else 0,
                "max": spec.maximum,
                "step": 1 if whole else 0.01,
            }
        )
    return fields


def _by_group(stored: dict[str, Any], lang: Lang) -> list[dict[str, Any]]:
    groups = stored["drivers_by_group"]
    top = max((abs(g["contribution"]) for g in groups), default=0.0)
    return [
        {
            "label": i18n.group(g["group"], lang),
            "value": signed(g["contribution"], lang, 2),
            "bar": bar(g["contribution"], top),
        }
        for g in groups
    ]


def _features(stored: dict[str, Any], row: dict[str, Any], lang: Lang) -> list[dict[str, str]]:
    """Every feature with the customer's value and contribution, by group, the largest |contribution| first."""
    contributions = stored["contributions"]
    values = row
    ordered = sorted(contributions, key=lambda f: (FEATURE_GROUPS[f], -abs(contributions[f])))
    return [
        {
            "group": i18n.group(FEATURE_GROUPS[f], lang),
            "feature": i18n.feature(f, lang),
            "value": _value(f, values.get(f), lang),
            "contribution": signed(contributions[f], lang, 2),
        }
        for f in ordered
    ]


def _value(feature: str, value: Any, lang: Lang) -> str:
    if value is None:
        return w("dash", lang)
    if _KINDS.get(feature) == "numeric":
        return i18n.with_unit(float(value), feature, lang)
    return i18n.value(feature, value, lang)


def _run_lang(snapshot: Snapshot) -> str | None:
    """The language the served run wrote its texts (drivers, reasons) in."""
    found = snapshot.query(
        "SELECT json_extract_string(summary, '$.lang') AS lang FROM runs WHERE run_id = ?", [snapshot.run_id]
    )
    return None if found.empty else found.iloc[0, 0]
