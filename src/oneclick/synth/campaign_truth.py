"""A campaign's known truth in the next period: treated customers decline less (or more) by a known share.

``--true-uplift discount_10=0.2,free_delivery=0@kids_goods_buyers`` gives each offer (inside one segment,
when ``@SEGMENT`` is given) a true uplift U: a treated customer's decline probability is multiplied by
(1 − U) before the next period's label is drawn. Control customers, customers outside the campaign and
offers not named keep their probability (true uplift 0). The label's random draw is the same with or
without the truth, so only treated customers' labels change, and only from declined to kept (U > 0).

U lies in [-1, 1): a negative U is a harmful offer (the probability rises, capped at 1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oneclick.errors import ConfigError

CAMPAIGN_TRUTH_FILE = "campaign_truth.json"
CAMPAIGN_TRUTH_FORMAT = "oneclick-campaign-truth/1"
_FLAG = "--true-uplift"
_TREATMENT = "treatment"  # the arm's name in campaign_customers (store.TREATMENT)


@dataclass(frozen=True)
class TrueUplift:
    """One offer's true uplift, inside ``segment`` only when given."""

    offer_id: str
    uplift: float
    segment: str | None = None


def parse_true_uplift(spec: str) -> tuple[TrueUplift, ...]:
    """``OFFER=U[@SEGMENT],...`` -> the true uplifts; every malformed item is named at once."""
    entries, problems = [], []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        offer, equals, rest = item.partition("=")
        value, at, segment = rest.partition("@")
        try:
            uplift = float(value)
        except ValueError:
            uplift = float("nan")
        if not equals or not offer.strip() or (at and not segment.strip()):
            problems.append(f"{item!r}: expected OFFER=U or OFFER=U@SEGMENT")
        elif not -1 <= uplift < 1:
            problems.append(f"{item!r}: U must be a number in [-1, 1) (the share of declines removed), found {value!r}")
        else:
            entries.append(TrueUplift(offer.strip(), uplift, segment.strip() or None))
    keys = [(e.offer_id, e.segment) for e in entries]
    repeated = sorted({f"{o}@{s}" if s else o for o, s in keys if keys.count((o, s)) > 1})
    if repeated:
        problems.append(f"given more than once: {repeated}")
    if not entries and not problems:
        problems.append(
            "empty: expected OFFER=U[@SEGMENT],... (e.g. discount_10=0.2,free_delivery=0@kids_goods_buyers)"
        )
    if problems:
        raise ConfigError(f"{_FLAG}: " + "; ".join(problems))
    return tuple(entries)


def treated_uplift(customers: pd.DataFrame, entries: tuple[TrueUplift, ...]) -> pd.Series:
    """The true uplift of each treated customer of a campaign (indexed by customer_id).

    ``customers``: the campaign's customers (``customer_id, segment, offer_id, arm``). A segment's entry
    overrides the offer's campaign-wide one. Offers or segments the campaign does not have are refused.
    """
    offers, segments = sorted(set(customers["offer_id"])), sorted(set(customers["segment"]))
    problems = [
        f"offer {e.offer_id!r} is not in the campaign; its offers: {offers}"
        for e in entries
        if e.offer_id not in offers
    ]
    problems += [
        f"segment {e.segment!r} is not in the campaign; its segments: {segments}"
        for e in entries
        if e.segment is not None and e.segment not in segments
    ]
    if problems:
        raise ConfigError(f"{_FLAG}: " + "; ".join(dict.fromkeys(problems)))
    treated = customers[customers["arm"] == _TREATMENT]
    uplift = pd.Series(0.0, index=pd.Index(treated["customer_id"].astype(np.int64), name="customer_id"))
    for entry in sorted(entries, key=lambda e: e.segment is not None):  # offer-wide first, segments override
        chosen = treated["offer_id"].eq(entry.offer_id)
        if entry.segment is not None:
            chosen &= treated["segment"].eq(entry.segment)
        uplift[chosen.to_numpy()] = entry.uplift
    return uplift


def apply_uplift(probability: np.ndarray, ids: np.ndarray, uplift: pd.Series | None) -> np.ndarray:
    """Decline probabilities with treated customers' multiplied by (1 − U), capped at 1."""
    if uplift is None:
        return probability
    factor = 1.0 - uplift.reindex(pd.Index(ids)).fillna(0.0).to_numpy(float)
    return np.minimum(probability * factor, 1.0)


def write_campaign_truth(
    out_dir: Path, campaign_id: str, entries: tuple[TrueUplift, ...], uplift: pd.Series, ids: np.ndarray, seed: int
) -> tuple[Path, dict[str, Any]]:
    """``campaign_truth.json`` beside the next period's tables: what the campaign truly did."""
    present = uplift.index.isin(ids)
    truth = {
        "format": CAMPAIGN_TRUTH_FORMAT,
        "campaign_id": campaign_id,
        "seed": seed,
        "uplift_definition": "the treated customer's decline probability is multiplied by (1 - uplift)",
        "true_uplift": [{"offer": e.offer_id, "segment": e.segment or "all", "uplift": e.uplift} for e in entries],
        "offers_not_named": "true uplift 0",
        "n_treated": len(uplift),
        "n_treated_in_next_period": int(present.sum()),
        "treated_ids": [int(i) for i in uplift.index],
    }
    path = Path(out_dir) / CAMPAIGN_TRUTH_FILE
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path, truth
