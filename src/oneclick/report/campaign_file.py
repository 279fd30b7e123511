"""The last campaign's results carried into the next period's run folder, for its report.

A campaign planned on period N is evaluated on period N+1's export (``oneclick campaign evaluate``),
which the store keeps with that export's data fingerprint. When ``oneclick run --store`` then runs on
period N+1, :func:`write_campaign_results` finds that evaluation by the fingerprint and writes it into
the run folder as ``campaign_results.json``, with the catalogue's old and new figures when the
campaign updated the catalogue: the report's "Campaign results" section shows it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from oneclick.layout import CAMPAIGN_RESULTS_FILE
from oneclick.offers.catalogue import ALL_CUSTOMERS
from oneclick.store import CatalogueVersion, catalogue_version, list_catalogue_versions, reading


def evaluation_for_data(store: Path, data_fingerprint: str) -> dict[str, Any] | None:
    """The newest evaluation in ``store`` made on the data with ``data_fingerprint``; None without one (or store)."""
    if not Path(store).is_file():
        return None
    with reading(store) as connection:
        found = connection.execute(
            "SELECT evaluation_id, created_at, data_dir, result FROM campaign_evaluations "
            "WHERE data_fingerprint = ? ORDER BY created_at DESC, evaluation_id DESC LIMIT 1",
            [data_fingerprint],
        ).fetchall()
    if not found:
        return None
    evaluation_id, created_at, data_dir, result = found[0]
    return {
        **json.loads(result),
        "data_fingerprint": data_fingerprint,  # the store's record of which data it was made on
        "evaluation_id": evaluation_id,
        "evaluated_at": str(created_at),
        "data_dir": data_dir,
    }


def catalogue_update_of(versions: Sequence[CatalogueVersion], campaign_id: str) -> dict[str, Any] | None:
    """The old and new figures of the catalogue version learned from ``campaign_id`` (the result's optional
    ``catalogue_update``): ``{old_version, new_version, offers: [{offer, segment, prior_uplift,
    measured_uplift, uplift, is_measured}]}``, or None when no version came from that campaign.

    One row per offer (segment ``"all"``) and one per segment the campaign measured; an offer's
    ``is_measured`` says whether its figure now rests on any campaign's measurement.
    """
    learned = [v for v in versions if v.source_campaign_id == campaign_id]
    if not learned:
        return None
    new = max(learned, key=lambda v: v.version)
    parent = new.parent_version if new.parent_version is not None else new.version - 1
    old = next((v for v in versions if v.version == parent), None)
    old_offers = {o["id"]: o for o in old.catalogue.get("offers", [])} if old is not None else {}
    rows: list[dict[str, Any]] = []
    for offer in new.catalogue.get("offers", []):
        evidence: Mapping[str, Mapping[str, Any]] = offer.get("uplift_evidence") or {}
        before = old_offers.get(offer["id"], {})
        segments = [ALL_CUSTOMERS] + [
            s for s, record in evidence.items() if s != ALL_CUSTOMERS and record.get("campaign_id") == campaign_id
        ]
        for segment in segments:
            record = evidence.get(segment) or {}
            from_this = record.get("campaign_id") == campaign_id
            rows.append(
                {
                    "offer": offer["id"],
                    "segment": segment,
                    "prior_uplift": record.get("prior_uplift") if from_this else _uplift(before, segment),
                    "measured_uplift": record.get("measured_uplift") if from_this else None,
                    "uplift": _uplift(offer, segment),
                    "is_measured": bool(record),
                }
            )
    return {"old_version": parent, "new_version": new.version, "offers": rows}


def catalogue_update_in(connection: duckdb.DuckDBPyConnection, campaign_id: str) -> dict[str, Any] | None:
    """:func:`catalogue_update_of` over the catalogue versions of an open store (or of a copy of it)."""
    numbers = [r[0] for r in connection.execute("SELECT version FROM catalogue_versions ORDER BY 1").fetchall()]
    return catalogue_update_of([catalogue_version(connection, n) for n in numbers], campaign_id)


def write_campaign_results(store: Path, out_dir: Path, data_fingerprint: str) -> Path | None:
    """Write the store's evaluation made on this data into ``out_dir/campaign_results.json``; its path,
    or None (the folder left as it was) when the store has none."""
    result = evaluation_for_data(store, data_fingerprint)
    if result is None:
        return None
    update = catalogue_update_of(list_catalogue_versions(store), str(result["campaign_id"]))
    if update is not None:
        result["catalogue_update"] = update
    path = Path(out_dir) / CAMPAIGN_RESULTS_FILE
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return path


def _uplift(offer: Mapping[str, Any], segment: str) -> float | None:
    if not offer:
        return None
    if segment != ALL_CUSTOMERS and segment in (offer.get("uplift_in_segments") or {}):
        return float(offer["uplift_in_segments"][segment])
    return float(offer["uplift"]) if offer.get("uplift") is not None else None
