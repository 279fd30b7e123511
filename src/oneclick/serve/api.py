"""The service's routes under ``/v1``: scoring, one customer, segments, the campaign, the runs.

Each route reads the current snapshot once, so an answer comes from one run and one model even
when a refresh swaps the snapshot meanwhile.
"""

from __future__ import annotations

import json
import time
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from oneclick.errors import InputDataError
from oneclick.serve.batching import ScoringQueue
from oneclick.serve.campaign import campaign_at
from oneclick.serve.schemas import (
    CampaignAnswer,
    Customers,
    Problem,
    ScoreResponse,
    StoredCustomer,
    Table,
)
from oneclick.serve.scoring import score_sent, stored_customer
from oneclick.serve.security import api_key_header, require_key
from oneclick.serve.snapshot import Snapshot

Lang = Literal["ru", "en"]


async def caller(request: Request, key: Annotated[str | None, Depends(api_key_header)]) -> str:
    """The key id of the caller (401 without a valid key).

    ``async``: FastAPI runs a plain function dependency in its thread pool, a hop per request
    that costs more than the check (a few key comparisons).
    """
    return require_key(request, key)


router = APIRouter(prefix="/v1", dependencies=[Depends(caller)], responses={401: {"model": Problem}})


def snapshot_of(request: Request) -> Snapshot:
    return request.app.state.snapshots.current


@router.post(
    "/score",
    response_model=ScoreResponse,
    responses={413: {"model": Problem}, 422: {"description": "A field missing, of the wrong type or out of range"}},
    summary="Score one customer (an object) or up to 10,000 (a list)",
)
async def score(
    request: Request,
    customers: Customers,
    key_id: Annotated[str, Depends(caller)],
    lang: Lang = "ru",
) -> dict[str, Any]:
    started = time.perf_counter()
    sent = customers if isinstance(customers, list) else [customers]
    limit = request.app.state.settings.max_customers
    if len(sent) > limit:
        raise HTTPException(422, f"{len(sent)} customers sent; at most {limit} per request")
    snapshot = snapshot_of(request)
    scoring: ScoringQueue = request.app.state.scoring
    try:
        if len(sent) <= scoring.max_customers:  # scored with the other small requests waiting, on the scoring thread
            answers = await scoring.score(snapshot, [c.model_dump(exclude_none=True) for c in sent], lang)
        else:  # a large request alone, in the thread pool: the small ones do not wait for all of it
            answers = await run_in_threadpool(_score_large, snapshot, sent, lang)
    except InputDataError as err:
        raise HTTPException(422, str(err)) from err
    request.app.state.request_log.record(key_id, len(sent), (time.perf_counter() - started) * 1000, 200)
    return {"model_id": snapshot.model_id, "run_id": snapshot.run_id, "customers": answers}


def _score_large(snapshot: Snapshot, sent: list[Any], lang: Lang) -> list[dict[str, Any]]:
    return score_sent(snapshot, [c.model_dump(exclude_none=True) for c in sent], lang)


@router.get(
    "/customers/{customer_id}",
    response_model=StoredCustomer,
    responses={404: {"model": Problem}},
    summary="One customer of the latest run: probability, drivers by group, segment, offer, reason",
)
def customer(request: Request, customer_id: int) -> dict[str, Any]:
    found = stored_customer(snapshot_of(request), customer_id)
    if found is None:
        raise HTTPException(404, f"customer {customer_id} is not in the latest run")
    return found


@router.get("/segments", response_model=Table, summary="The latest run's segments, ranked by profit at risk")
def segments(request: Request) -> dict[str, Any]:
    snapshot = snapshot_of(request)
    if not snapshot.has_table("segments"):
        return {"run_id": snapshot.run_id, "rows": []}
    rows = snapshot.query("SELECT * FROM segments ORDER BY profit_at_risk DESC NULLS LAST")
    return {"run_id": snapshot.run_id, "rows": records(rows)}


@router.get(
    "/campaign",
    response_model=CampaignAnswer,
    responses={404: {"model": Problem}},
    summary="The optimal campaign within a budget, its segments and the profit curve",
)
def campaign(
    request: Request,
    budget: Annotated[float | None, Query(ge=0, le=1e12, description="Profit units; absent = no limit")] = None,
) -> dict[str, Any]:
    snapshot = snapshot_of(request)
    if snapshot.run_id is None:
        raise HTTPException(404, "the store has no run with offers yet")
    found = campaign_at(snapshot, budget)
    return {
        "run_id": snapshot.run_id,
        "plan": found["plan"],
        "by_segment": records(found["by_segment"]),
        "profit_curve": records(found["profit_curve"]) if found["profit_curve"] is not None else [],
    }


@router.get("/runs", response_model=Table, summary="Every run in the store, newest first, with its metrics")
def runs(request: Request) -> dict[str, Any]:
    snapshot = snapshot_of(request)
    frame = snapshot.query(
        "SELECT run_id, kind, created_at, data_fingerprint, model_id, n_customers, metrics, quality "
        "FROM runs ORDER BY created_at DESC, run_id DESC"
    )
    rows = []
    for row in records(frame):
        metrics, quality = json.loads(row.pop("metrics") or "{}"), json.loads(row.pop("quality") or "{}")
        holdout = metrics.get("holdout", {})
        row["holdout_roc_auc"] = holdout.get("roc_auc")
        row["cv_roc_auc"] = metrics.get("cv", {}).get("roc_auc_mean")
        row["customers_read"] = quality.get("customers_read")
        row["customers_kept"] = quality.get("customers_kept")
        row["is_champion_run"] = row["model_id"] == snapshot.model_id
        rows.append(row)
    return {"run_id": snapshot.run_id, "rows": rows}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready records (NaN as null, times as ISO text)."""
    clean = frame.astype(object).where(frame.notna(), None)
    out = []
    for row in clean.to_dict(orient="records"):
        out.append({k: (v.isoformat() if hasattr(v, "isoformat") else _plain(v)) for k, v in row.items()})
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value
