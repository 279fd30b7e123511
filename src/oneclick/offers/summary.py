"""The plain summary of segments, offers and campaign a report renders, and offer columns for profiles."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from oneclick.offers.campaign import CampaignPlan
from oneclick.offers.catalogue import NO_OFFER, OfferCatalogue
from oneclick.offers.reasons import Lang
from oneclick.segments import SegmentAssignment, SegmentProfiles, Thresholds

ASSUMPTION_NOTE = {
    "ru": "Затраты и эффект (uplift) предложений — допущения каталога; магазин может заменить их своими "
    "данными (прошлые кампании, A/B-тест).",
    "en": "Offer costs and uplifts are the catalogue's assumptions; the store can replace them with its own "
    "figures (past campaigns, an A/B test).",
}
UNITS = {
    "ru": "единицы прибыли: как в money.csv — средняя прибыль с клиента в месяц (тыс. руб.)",
    "en": "profit units: as in money.csv, the average monthly profit per customer (thousand roubles)",
}
_SEGMENT_FIELDS = [
    "segment",
    "title",
    "kind",
    "rule",
    "n_customers",
    "share_of_customers",
    "share_declined",
    "mean_profit",
    "profit_at_risk",
    "share_of_profit_at_risk",
    "top_offer",
    "offer_mix",
    "expected_saved_profit",
    "n_in_campaign",
]


def with_offer_mix(profiles: SegmentProfiles, membership: pd.DataFrame, offers: pd.DataFrame) -> SegmentProfiles:
    """Segment profiles with each segment's offers: the mix, the most frequent, savings and campaign size."""
    by_customer = offers.set_index("customer_id")
    extra = []
    for name in profiles.summary["segment"]:
        members = by_customer[membership[name].reindex(by_customer.index, fill_value=False).to_numpy(dtype=bool)]
        extra.append(
            offer_mix_row(
                members["offer"].value_counts(sort=False),
                n_with_offer=int((members["offer"] != NO_OFFER).sum()),
                expected_saved_profit=float(members["expected_saved_profit"].sum()),
                n_in_campaign=int(members["in_campaign"].sum()),
                campaign_expected_saved_profit=float(members["campaign_expected_saved_profit"].sum()),
            )
        )
    return add_offer_mix(profiles, extra)


def offer_mix_row(
    counts: pd.Series,
    *,
    n_with_offer: int,
    expected_saved_profit: float,
    n_in_campaign: int,
    campaign_expected_saved_profit: float,
) -> dict[str, Any]:
    """A segment's offer columns; ``counts``: offer -> customers, in the order the offers first appear."""
    mix = counts / counts.sum() if len(counts) else counts.astype(float)
    mix = mix[mix > 0].sort_values(ascending=False, kind="stable")
    return {
        "top_offer": str(mix.index[0]) if len(mix) else "",
        "offer_mix": ", ".join(f"{offer} {share:.0%}" for offer, share in mix.items()),
        "n_with_offer": n_with_offer,
        "expected_saved_profit": expected_saved_profit,
        "n_in_campaign": n_in_campaign,
        "campaign_expected_saved_profit": campaign_expected_saved_profit,
    }


def add_offer_mix(profiles: SegmentProfiles, extra: list[dict[str, Any]]) -> SegmentProfiles:
    """The profiles with the offer columns of each segment (:func:`offer_mix_row`) before ``top_drivers``."""
    summary = profiles.summary.copy()
    position = summary.columns.get_loc("top_drivers")
    for offset, column in enumerate(extra[0] if extra else {}):
        summary.insert(int(position) + offset, column, [row[column] for row in extra])  # type: ignore[arg-type]
    return dataclasses.replace(profiles, summary=summary)


def offers_summary(
    offers: pd.DataFrame,
    profiles: SegmentProfiles,
    assignment: SegmentAssignment,
    campaign: CampaignPlan,
    catalogue: OfferCatalogue,
    lang: Lang,
) -> dict[str, Any]:
    """Sizes, profit at risk, the top segment, the offer mix, the campaign and the assumptions."""
    return summary_of(offer_totals(offers), profiles, assignment.thresholds, campaign.as_dict(), catalogue, lang)


def offer_totals(offers: pd.DataFrame) -> dict[str, Any]:
    """The counts and sums of offers.csv the summary reports (see :func:`summary_of`)."""
    high_risk = offers["is_high_risk"].to_numpy(dtype=bool)
    without = offers["offer"] == NO_OFFER
    by_segment = offers.groupby("primary_segment", sort=True)["offer"].value_counts().unstack(fill_value=0)
    return {
        "n_customers": len(offers),
        "n_high_risk": int(high_risk.sum()),
        "profit_at_risk": float(offers["profit_at_risk"].sum()),
        "profit_at_risk_high_risk": float(offers.loc[high_risk, "profit_at_risk"].sum()),
        "mix": {str(k): int(v) for k, v in offers["offer"].value_counts().sort_index().items()},
        "n_without_offer": int(without.sum()),
        "n_high_risk_without_offer": int((without & high_risk).sum()),
        "expected_saved_profit": float(offers["expected_saved_profit"].sum()),
        "cost": float(offers["offer_cost"].sum()),
        "by_primary_segment": {
            str(seg): {str(o): int(n) for o, n in row.items() if n} for seg, row in by_segment.iterrows()
        },
    }


def summary_of(
    totals: dict[str, Any],
    profiles: SegmentProfiles,
    thresholds: Thresholds,
    campaign: dict[str, object],
    catalogue: OfferCatalogue,
    lang: Lang,
) -> dict[str, Any]:
    """offers_summary.json from the offers' totals (:func:`offer_totals`), the profiles and the campaign."""
    segments = profiles.summary[[c for c in _SEGMENT_FIELDS if c in profiles.summary]]
    named = segments[segments["kind"] == "named"]
    top = named.sort_values("profit_at_risk", ascending=False, kind="stable").head(1)
    return {
        "lang": lang,
        "n_customers": totals["n_customers"],
        "units": UNITS[lang],
        "horizon_months": catalogue.horizon_months,
        "thresholds": dataclasses.asdict(thresholds),
        "n_high_risk": totals["n_high_risk"],
        "profit_at_risk": totals["profit_at_risk"],
        "profit_at_risk_high_risk": totals["profit_at_risk_high_risk"],
        "segments": segments.to_dict("records"),
        "top_segment": top.iloc[0].to_dict() if len(top) else None,
        "offers": {
            "mix": totals["mix"],
            "n_without_offer": totals["n_without_offer"],
            "n_high_risk_without_offer": totals["n_high_risk_without_offer"],
            "expected_saved_profit": totals["expected_saved_profit"],
            "cost": totals["cost"],
        },
        "offer_mix_by_primary_segment": totals["by_primary_segment"],
        "campaign": campaign,
        "assumptions": {
            "note": ASSUMPTION_NOTE[lang],
            "horizon_months": catalogue.horizon_months,
            "revenue_column": catalogue.revenue_column,
            "revenue_to_profit_units": catalogue.revenue_to_profit_units,
            "min_expected_saved_profit": catalogue.min_expected_saved_profit,
            "offers": catalogue.assumptions(lang),
        },
    }


def plain(value: Any) -> Any:
    """``value`` with numpy scalars made Python and NaN made ``None``, ready for JSON."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
