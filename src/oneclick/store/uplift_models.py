"""Uplift models in the store: the one an evaluation found better than the rule, kept beside it.

The store keeps the bytes (a skops archive) and the metadata; reading the archive, and refusing
what cannot be trusted, is :mod:`oneclick.campaigns.uplift_kept`'s job. The model a plan uses for
an offer is the one of the newest evaluation that kept a model covering that offer, until a later
evaluation of that offer keeps none (its model did not beat the rule: the rule is back).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb


@dataclass(frozen=True)
class UpliftModelRecord:
    """A kept uplift model: its id (sha256 prefix of ``skops``), offers, metadata and archive."""

    uplift_model_id: str
    offers: tuple[str, ...]
    metadata: Mapping[str, Any]
    skops: bytes
    evaluation_id: str | None = None  # set by the store
    campaign_id: str | None = None  # set by the store
    created_at: str | None = None  # set by the store


def insert_uplift_model(
    connection: duckdb.DuckDBPyConnection, record: UpliftModelRecord, *, evaluation_id: str, campaign_id: str
) -> None:
    """Keep ``record`` beside its evaluation (inside the caller's transaction)."""
    connection.execute(
        "INSERT INTO uplift_models VALUES (?, ?, now(), ?, ?, ?, ?)",
        [
            evaluation_id,
            record.uplift_model_id,
            campaign_id,
            json.dumps(list(record.offers)),
            json.dumps(dict(record.metadata), ensure_ascii=False, default=str),
            record.skops,
        ],
    )


def list_uplift_models(connection: duckdb.DuckDBPyConnection) -> list[UpliftModelRecord]:
    """Every kept uplift model, newest first."""
    rows = connection.execute(
        "SELECT evaluation_id, uplift_model_id, created_at, campaign_id, offers, metadata, model_skops "
        "FROM uplift_models ORDER BY created_at DESC, evaluation_id DESC"
    ).fetchall()
    return [
        UpliftModelRecord(
            uplift_model_id=row[1],
            offers=tuple(json.loads(row[4])),
            metadata=json.loads(row[5]),
            skops=bytes(row[6]),
            evaluation_id=row[0],
            campaign_id=row[3],
            created_at=str(row[2]),
        )
        for row in rows
    ]


def uplift_models_by_offer(connection: duckdb.DuckDBPyConnection) -> dict[str, UpliftModelRecord]:
    """For each offer some kept model covers, the newest such model, unless a later evaluation
    measured the offer again and its uplift model did not beat the rule there (then the rule is back)."""
    newest: dict[str, UpliftModelRecord] = {}
    for record in list_uplift_models(connection):
        for offer in record.offers:
            newest.setdefault(offer, record)
    later = _offers_measured_without_a_kept_model(connection)

    def retired(offer: str, record: UpliftModelRecord) -> bool:
        kept_at = datetime.fromisoformat(str(record.created_at))
        return any(created > kept_at and offer in offers for created, offers in later)

    return {offer: record for offer, record in newest.items() if not retired(offer, record)}


def _offers_measured_without_a_kept_model(connection: duckdb.DuckDBPyConnection) -> list[tuple[datetime, set[str]]]:
    """(time, offers) of each evaluation that kept no uplift model."""
    rows = connection.execute(
        "SELECT e.created_at, e.result FROM campaign_evaluations e "
        "WHERE NOT EXISTS (SELECT 1 FROM uplift_models m WHERE m.evaluation_id = e.evaluation_id)"
    ).fetchall()
    found = []
    for created, result in rows:
        offers = {str(row["offer"]) for row in json.loads(result).get("offers", []) if row.get("offer") != "all"}
        found.append((created, offers))
    return found
