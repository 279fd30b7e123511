"""Campaigns in the store: the plan (customers, strata, arms, exclusions) and its evaluations.

A campaign is written once, in one transaction, and never rewritten: its evaluation (the outcome
read from the next export) is a separate record, so a campaign can be evaluated again on a later
export without losing the first reading.

>>> campaign_id = register_campaign(store, record, customers, exclusions)  # doctest: +SKIP
>>> load_campaign(store, campaign_id[:6]).customers.groupby("arm").size()  # doctest: +SKIP
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from oneclick.errors import StoreError
from oneclick.store.connect import reading, writing
from oneclick.store.uplift_models import UpliftModelRecord, insert_uplift_model

TREATMENT = "treatment"
CONTROL = "control"
ARMS = (TREATMENT, CONTROL)
# The columns of campaign_customers after campaign_id, in the table's order.
CUSTOMER_COLUMNS = (
    "customer_id",
    "segment",
    "offer_id",
    "stratum",
    "arm",
    "decline_probability",
    "profit",
    "cost",
    "assumed_uplift",
    "expected_saved_profit",
)
EXCLUSION_COLUMNS = ("customer_id", "offer_id", "rule", "detail")
_SHORTEST_PREFIX = 4


@dataclass(frozen=True)
class CampaignRecord:
    """What the store keeps about a campaign beside its customers.

    ``control``: how the control groups were drawn (share or power, alpha, per-stratum sizes and
    minimum detectable effects); ``rules``: the contact rules and their settings; ``summary``: the
    plan's figures (spent, expected saved profit, counts per arm).
    """

    run_id: str
    budget: float
    seed: int
    catalogue_version: int
    starts_on: date
    model_id: str | None = None
    control: Mapping[str, Any] = field(default_factory=dict)
    rules: Mapping[str, Any] = field(default_factory=dict)
    summary: Mapping[str, Any] = field(default_factory=dict)
    campaign_id: str | None = None  # set by the store
    created_at: str | None = None  # set by the store


@dataclass(frozen=True)
class StoredCampaign:
    """A campaign read back: its record, its customers (one row each, with stratum and arm) and
    the customers the contact rules removed (one row per customer and rule)."""

    record: CampaignRecord
    customers: pd.DataFrame
    exclusions: pd.DataFrame

    @property
    def campaign_id(self) -> str:
        return str(self.record.campaign_id)


def new_campaign_id(now: datetime | None = None) -> str:
    """A campaign id that sorts by time: ``campaign-20261201T214600Z-3f9a1c``."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"campaign-{moment}-{secrets.token_hex(3)}"


def register_campaign(
    store: Path,
    record: CampaignRecord,
    customers: pd.DataFrame,
    exclusions: pd.DataFrame,
) -> str:
    """Write a planned campaign in one transaction; returns its id.

    ``customers`` has :data:`CUSTOMER_COLUMNS` (``arm`` in :data:`ARMS`); ``exclusions`` has
    :data:`EXCLUSION_COLUMNS`. A customer appears once in ``customers``.
    """
    _check_frame(customers, CUSTOMER_COLUMNS, "customers")
    _check_frame(exclusions, EXCLUSION_COLUMNS, "exclusions")
    bad_arms = sorted(set(customers["arm"]) - set(ARMS))
    if bad_arms:
        raise StoreError(f"campaign customers: arm must be one of {list(ARMS)}, found {bad_arms}")
    repeated = customers["customer_id"][customers["customer_id"].duplicated()]
    if len(repeated):
        raise StoreError(
            f"campaign customers: a customer appears once per campaign; {repeated.nunique()} appear more "
            f"than once, e.g. {repeated.unique()[:5].tolist()}"
        )
    campaign_id = record.campaign_id or new_campaign_id()
    with writing(store) as connection:
        connection.execute(
            "INSERT INTO campaigns (campaign_id, created_at, run_id, model_id, budget, seed, catalogue_version, "
            "control, rules, summary, starts_on) VALUES (?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                campaign_id,
                record.run_id,
                record.model_id,
                float(record.budget),
                int(record.seed),
                int(record.catalogue_version),
                _json(record.control),
                _json(record.rules),
                _json(record.summary),
                record.starts_on,
            ],
        )
        _insert_frame(connection, "campaign_customers", campaign_id, customers[list(CUSTOMER_COLUMNS)])
        _insert_frame(connection, "campaign_exclusions", campaign_id, exclusions[list(EXCLUSION_COLUMNS)])
    return campaign_id


def load_campaign(store: Path | duckdb.DuckDBPyConnection, campaign_id: str) -> StoredCampaign:
    """A campaign by its id or an unambiguous prefix of it (4+ characters)."""
    if isinstance(store, duckdb.DuckDBPyConnection):
        return _load(store, campaign_id)
    with reading(store) as connection:
        return _load(connection, campaign_id)


def list_campaigns(store: Path | duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every campaign, newest first, with its counts per arm and the plan's figures."""
    if not isinstance(store, duckdb.DuckDBPyConnection):
        with reading(store) as connection:
            return list_campaigns(connection)
    return store.execute(
        "SELECT c.campaign_id, c.created_at, c.starts_on, c.run_id, c.model_id, c.budget, c.seed, "
        "c.catalogue_version, "
        "count(*) FILTER (WHERE k.arm = 'treatment') AS n_treatment, "
        "count(*) FILTER (WHERE k.arm = 'control') AS n_control, "
        "(SELECT count(*) FROM campaign_evaluations e WHERE e.campaign_id = c.campaign_id) AS n_evaluations "
        "FROM campaigns c LEFT JOIN campaign_customers k USING (campaign_id) "
        "GROUP BY ALL ORDER BY c.created_at DESC, c.campaign_id DESC"
    ).df()


def treated_since(connection: duckdb.DuckDBPyConnection, since: date, until: date) -> pd.DataFrame:
    """Customers in the treatment arm of a campaign starting in ``[since, until]``, with the latest
    such campaign and its start (``customer_id, campaign_id, starts_on``): the cool-down's input."""
    return connection.execute(
        "SELECT customer_id, arg_max(campaign_id, starts_on) AS campaign_id, max(starts_on) AS starts_on "
        "FROM campaign_customers JOIN campaigns USING (campaign_id) "
        "WHERE arm = 'treatment' AND starts_on BETWEEN ? AND ? GROUP BY customer_id ORDER BY customer_id",
        [since, until],
    ).df()


def register_evaluation(
    store: Path,
    campaign_id: str,
    result: Mapping[str, Any],
    *,
    data_dir: str | None,
    data_fingerprint: str | None,
    uplift_model: UpliftModelRecord | None = None,
) -> str:
    """Keep an evaluation of a campaign (the JSON ``campaign evaluate`` prints); returns its id.

    ``uplift_model``: the uplift model the evaluation found better than the rule, kept beside it in
    the same transaction (:mod:`oneclick.store.uplift_models`).
    """
    evaluation_id = f"evaluation-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"
    with writing(store) as connection:
        full_id = _load(connection, campaign_id).campaign_id  # the campaign must exist
        connection.execute(
            "INSERT INTO campaign_evaluations VALUES (?, now(), ?, ?, ?, ?)",
            [evaluation_id, full_id, data_dir, data_fingerprint, _json(result)],
        )
        if uplift_model is not None:
            insert_uplift_model(connection, uplift_model, evaluation_id=evaluation_id, campaign_id=full_id)
    return evaluation_id


def latest_evaluation(store: Path | duckdb.DuckDBPyConnection, campaign_id: str) -> dict[str, Any] | None:
    """The newest evaluation's result of a campaign (id or prefix), or None if it has none."""
    if not isinstance(store, duckdb.DuckDBPyConnection):
        with reading(store) as connection:
            return latest_evaluation(connection, campaign_id)
    full_id = _resolve(store, campaign_id)
    row = store.execute(
        "SELECT evaluation_id, created_at, data_dir, result FROM campaign_evaluations WHERE campaign_id = ? "
        "ORDER BY created_at DESC, evaluation_id DESC LIMIT 1",
        [full_id],
    ).fetchall()
    if not row:
        return None
    evaluation_id, created_at, data_dir, result = row[0]
    return {
        **json.loads(result),
        "evaluation_id": evaluation_id,
        "evaluated_at": str(created_at),
        "data_dir": data_dir,
    }


def planned_on_customers(store: Path | duckdb.DuckDBPyConnection, campaign_id: str) -> pd.DataFrame:
    """The customer table of the run a campaign was planned on (``run_customers``), one row per customer.

    These are the customers' features *before* the campaign, as the plan saw them: what an uplift model
    may learn from (the next export's features are already the campaign's outcome). Empty when that run
    stored no customers.
    """
    if not isinstance(store, duckdb.DuckDBPyConnection):
        with reading(store) as connection:
            return planned_on_customers(connection, campaign_id)
    run_id = _load(store, campaign_id).record.run_id
    stored = store.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'run_customers'"
    ).fetchall()[0][0]
    if not stored:
        return pd.DataFrame(columns=["customer_id"])
    return store.execute(
        "SELECT * EXCLUDE (run_id) FROM run_customers WHERE run_id = ? ORDER BY customer_id", [run_id]
    ).df()


def _load(connection: duckdb.DuckDBPyConnection, campaign_id: str) -> StoredCampaign:
    full_id = _resolve(connection, campaign_id)
    row = connection.execute(
        "SELECT campaign_id, created_at, run_id, model_id, budget, seed, catalogue_version, control, rules, "
        "summary, starts_on FROM campaigns WHERE campaign_id = ?",
        [full_id],
    ).fetchall()[0]
    record = CampaignRecord(
        campaign_id=row[0],
        created_at=str(row[1]),
        run_id=row[2],
        model_id=row[3],
        budget=float(row[4]),
        seed=int(row[5]),
        catalogue_version=int(row[6]),
        control=json.loads(row[7]),
        rules=json.loads(row[8]),
        summary=json.loads(row[9]),
        starts_on=row[10],
    )
    columns = ", ".join(CUSTOMER_COLUMNS)
    customers = connection.execute(
        f"SELECT {columns} FROM campaign_customers WHERE campaign_id = ? ORDER BY customer_id", [full_id]
    ).df()
    exclusions = connection.execute(
        f"SELECT {', '.join(EXCLUSION_COLUMNS)} FROM campaign_exclusions WHERE campaign_id = ? "
        "ORDER BY customer_id, rule",
        [full_id],
    ).df()
    return StoredCampaign(record, customers, exclusions)


def _resolve(connection: duckdb.DuckDBPyConnection, campaign_id: str) -> str:
    if len(campaign_id) < _SHORTEST_PREFIX:
        raise StoreError(f"campaign id {campaign_id!r}: give the id or at least {_SHORTEST_PREFIX} of its characters")
    found = [
        r[0]
        for r in connection.execute(
            "SELECT campaign_id FROM campaigns WHERE starts_with(campaign_id, ?) ORDER BY 1", [campaign_id]
        ).fetchall()
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        known = [
            r[0] for r in connection.execute("SELECT campaign_id FROM campaigns ORDER BY 1 DESC LIMIT 5").fetchall()
        ]
        raise StoreError(f"no campaign {campaign_id!r} in the store; the latest are {known or 'none'}")
    raise StoreError(f"campaign id {campaign_id!r} is ambiguous: it starts {found[:5]}; give more characters")


def _check_frame(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise StoreError(f"campaign {what}: missing columns {missing}; expected {list(columns)}")


def _insert_frame(connection: duckdb.DuckDBPyConnection, table: str, campaign_id: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    rows = frame.assign(campaign_id=campaign_id)[["campaign_id", *frame.columns]]
    connection.register("_campaign_rows", rows)
    try:
        connection.execute(f"INSERT INTO {table} SELECT * FROM _campaign_rows")
    finally:
        connection.unregister("_campaign_rows")


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
