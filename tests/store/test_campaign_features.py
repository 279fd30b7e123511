"""A campaign's pre-campaign features: the customer table of the run it was planned on, and only that run's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from oneclick.store import CampaignRecord, RunRecord, planned_on_customers, register_campaign, register_run

_NO_EXCLUSIONS = pd.DataFrame(columns=["customer_id", "offer_id", "rule", "detail"])


def _campaign(store: Path, run_id: str) -> str:
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2],
            "segment": "premium_at_risk",
            "offer_id": "discount_10",
            "stratum": "premium_at_risk|discount_10",
            "arm": ["treatment", "control"],
            "decline_probability": 0.6,
            "profit": 4.0,
            "cost": 0.5,
            "assumed_uplift": 0.2,
            "expected_saved_profit": 0.94,
        }
    )
    record = CampaignRecord(run_id=run_id, budget=10.0, seed=1, catalogue_version=1, starts_on=date(2026, 11, 1))
    return register_campaign(store, record, customers, _NO_EXCLUSIONS)


def _table(share: float) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [2, 1, 3], "promo_purchase_share": share, "declined": [0, 1, 0]})


def test_the_features_are_the_planned_runs_customers(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    planned_on = register_run(store, RunRecord(kind="run"), {"customers": _table(0.25)})
    register_run(store, RunRecord(kind="run"), {"customers": _table(0.75)})  # a later period's run
    found = planned_on_customers(store, _campaign(store, planned_on))
    assert found["customer_id"].tolist() == [1, 2, 3]
    assert set(found["promo_purchase_share"]) == {0.25} and "run_id" not in found.columns


def test_a_run_that_stored_no_customers_gives_an_empty_table(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    assert planned_on_customers(store, _campaign(store, "run-not-stored")).empty
