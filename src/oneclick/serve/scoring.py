"""Score customers sent to the service, and read one customer of the served run: library calls only.

A sent customer goes the batch engine's way (``oneclick.batch.score_batch``): the features of
``oneclick.features.customer_rows``, the champion's probability and exact contributions, the
segments and the best offer by the served run's rules, the texts in the language asked for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from oneclick.batch import BatchOptions, score_batch
from oneclick.features import FEATURE_GROUPS, customer_rows
from oneclick.offers import NO_OFFER
from oneclick.serve.snapshot import Snapshot

Lang = Literal["ru", "en"]
N_DRIVERS = 3


def score_sent(snapshot: Snapshot, customers: Sequence[dict[str, Any]], lang: Lang = "ru") -> list[dict[str, Any]]:
    """One answer per customer sent (fields: ``oneclick.features.input_fields``), in the order sent.

    Without ``profit`` a customer has no offer and no risk x profit cell.
    """
    rows = pd.DataFrame.from_records(list(customers))
    table = customer_rows(rows)
    options = BatchOptions(with_offers=True, drivers="all", reasons=True, lang=lang, n_drivers=N_DRIVERS)
    output = score_batch(table.reset_index(drop=True), snapshot.model, snapshot.rules, options)
    scores, offers = output.scores, output.offers
    assert offers is not None
    # column by column, as Python values: a row of a frame (``iloc``) costs more than its customer's numbers
    score, offer = _columns(scores), _columns(offers)
    titles = {entry.id: entry.label(lang) for entry in snapshot.rules.catalogue.offers}
    sent = rows["customer_id"] if "customer_id" in rows else pd.Series([None] * len(table))
    ids = [None if pd.isna(value) else int(value) for value in sent]
    answers = []
    for position, customer_id in enumerate(ids):
        profit = offer["profit"][position]
        known_profit = not math.isnan(profit)
        chosen = offer["offer"][position]
        drivers = []
        for k in range(1, N_DRIVERS + 1):
            feature = score[f"driver_{k}_feature"][position]
            if isinstance(feature, str):
                drivers.append(
                    {
                        "feature": feature,
                        "group": FEATURE_GROUPS[feature],
                        "contribution": score[f"driver_{k}_contribution"][position],
                        "text": str(score[f"driver_{k}"][position]),
                    }
                )
        answers.append(
            {
                "customer_id": customer_id,
                "decline_probability": score["decline_probability"][position],
                "is_high_risk": score["is_high_risk"][position],
                "drivers": drivers,
                "primary_segment": offer["primary_segment"][position] if known_profit else None,
                "segments": [s for s in offer["segments"][position].split(";") if s],
                "risk_profit_cell": offer["risk_profit_cell"][position] if known_profit else None,
                "profit": profit if known_profit else None,
                "profit_at_risk": offer["profit_at_risk"][position] if known_profit else None,
                "offer": None
                if not known_profit or chosen == NO_OFFER
                else {
                    "offer": chosen,
                    "title": titles[chosen],
                    "reason": str(offer["reason"][position]),
                    "cost": offer["offer_cost"][position],
                    "uplift_assumed": offer["offer_uplift_assumed"][position],
                    "expected_saved_profit": offer["expected_saved_profit"][position],
                },
            }
        )
    return answers


def _columns(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """Each column of ``frame`` as a list of Python values (floats, bools, texts)."""
    return {str(name): column.tolist() for name, column in frame.items()}


def stored_customer(snapshot: Snapshot, customer_id: int) -> dict[str, Any] | None:
    """One customer of the served run as the run scored it: probability, drivers by group, segment, offer."""
    if snapshot.run_id is None:
        return None
    scores = snapshot.query("SELECT * FROM scores WHERE customer_id = ?", [customer_id])
    offers = snapshot.query("SELECT * FROM offers WHERE customer_id = ?", [customer_id])
    if scores.empty:
        return None
    score = scores.iloc[0]
    contributions = {f: float(score[f"contribution_{f}"]) for f in FEATURE_GROUPS if f"contribution_{f}" in score}
    groups: dict[str, float] = {}
    for feature, value in contributions.items():
        groups[FEATURE_GROUPS[feature]] = groups.get(FEATURE_GROUPS[feature], 0.0) + value
    offer = offers.iloc[0] if not offers.empty else None
    return {
        "customer_id": int(customer_id),
        "run_id": snapshot.run_id,
        "decline_probability": float(score["decline_probability"]),
        "is_high_risk": bool(score["is_high_risk"]),
        "drivers": [str(score[f"driver_{k}"]) for k in range(1, N_DRIVERS + 1) if _text(score.get(f"driver_{k}"))],
        "drivers_by_group": [
            {"group": group, "contribution": round(value, 5)}
            for group, value in sorted(groups.items(), key=lambda item: -abs(item[1]))
        ],
        "contributions": contributions,
        "primary_segment": None if offer is None else str(offer["primary_segment"]),
        "segments": [] if offer is None else [s for s in str(offer["segments"] or "").split(";") if s],
        "risk_profit_cell": None if offer is None else str(offer["risk_profit_cell"]),
        "profit": None if offer is None else float(offer["profit"]),
        "profit_at_risk": None if offer is None else float(offer["profit_at_risk"]),
        "offer": None if offer is None or offer["offer"] == NO_OFFER else str(offer["offer"]),
        "offer_title": None if offer is None or offer["offer"] == NO_OFFER else str(offer["offer_title"]),
        "expected_saved_profit": None if offer is None else float(offer["expected_saved_profit"]),
        "reason": None if offer is None else _text(offer["reason"]),
        "in_campaign": None if offer is None else bool(offer["in_campaign"]),
    }


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)
