"""A new catalogue version from a campaign's measured uplifts, shrunk toward the prior.

Method (normal-normal, precision-weighted): the prior is the version's own uplift u0 with a
standard deviation ``prior_sd`` (how far the store believes its assumption may be off); the
measurement is the campaign's uplift u with its standard error se = (ci_high - ci_low) / (2 x 1.96).
The new uplift is ``(u0 / prior_sd² + u / se²) / (1 / prior_sd² + 1 / se²)``, clipped to [0, 1]
(the catalogue's range for a share of decline removed): a precise measurement moves the figure
almost to itself, a noisy one barely moves it. Only rows with a finite interval are used; an offer
is updated overall (segment "all") and inside each segment the catalogue can name.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from oneclick.offers import ALL_CUSTOMERS

Z_95 = 1.959963984540054
METHOD = (
    "precision-weighted mean of the prior (the version's uplift, sd {prior_sd}) and the measured uplift "
    "(se from its 95 % CI), clipped to [0, 1]"
)


def shrunk_uplift(prior: float, measured: float, standard_error: float, prior_sd: float) -> float:
    """The posterior mean of the uplift (see the module's method).

    >>> round(shrunk_uplift(0.10, 0.30, 0.10, 0.10), 3)
    0.2
    """
    weight_prior, weight_measured = 1 / prior_sd**2, 1 / standard_error**2
    value = (prior * weight_prior + measured * weight_measured) / (weight_prior + weight_measured)
    return min(max(value, 0.0), 1.0)


def updated_catalogue(
    catalogue: Mapping[str, Any],
    evaluation: Mapping[str, Any],
    *,
    prior_sd: float,
    segment_names: Sequence[str],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The next version's mapping and one change record per figure updated.

    ``segment_names``: the segments the catalogue may name (the scheme's and the risk x profit cells);
    a measurement in another segment is listed with ``skipped``.
    """
    new = copy.deepcopy(dict(catalogue))
    offers = {offer["id"]: offer for offer in new["offers"]}
    changes: list[dict[str, Any]] = []
    for row in evaluation["offers"]:
        offer = offers.get(row["offer"])
        if offer is None or row["uplift"] is None or row["uplift_ci_low"] is None or row["uplift_ci_high"] is None:
            continue
        segment = row["segment"]
        if segment != ALL_CUSTOMERS and segment not in segment_names:
            changes.append({"offer": row["offer"], "segment": segment, "skipped": "not a segment the catalogue names"})
            continue
        by_segment = offer.setdefault("uplift_in_segments", {}) or {}
        prior = float(offer["uplift"] if segment == ALL_CUSTOMERS else by_segment.get(segment, offer["uplift"]))
        se = (row["uplift_ci_high"] - row["uplift_ci_low"]) / (2 * Z_95)
        posterior = shrunk_uplift(prior, float(row["uplift"]), se, prior_sd) if se > 0 else prior
        record = {
            "campaign_id": evaluation["campaign_id"],
            "measured_uplift": row["uplift"],
            "ci_low": row["uplift_ci_low"],
            "ci_high": row["uplift_ci_high"],
            "standard_error": se,
            "n_treatment": row["n_treatment"],
            "n_control": row["n_control"],
            "prior_uplift": prior,
            "uplift": posterior,
            "method": METHOD.format(prior_sd=prior_sd),
        }
        if segment == ALL_CUSTOMERS:
            offer["uplift"] = posterior
        else:
            by_segment[segment] = posterior
            offer["uplift_in_segments"] = by_segment
        offer.setdefault("uplift_evidence", {})
        offer["uplift_evidence"] = {**(offer["uplift_evidence"] or {}), segment: record}
        changes.append({"offer": row["offer"], "segment": segment, **record})
    return new, changes


def offer_changes(changes: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The changes that updated a figure (not the skipped ones)."""
    return [c for c in changes if "skipped" not in c]
