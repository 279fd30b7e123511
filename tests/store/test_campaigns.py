"""The store's campaigns: written once, read back as written, found by a prefix, cool-down input."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from oneclick.errors import StoreError
from oneclick.store import (
    CampaignRecord,
    latest_evaluation,
    list_campaigns,
    load_campaign,
    reading,
    register_campaign,
    register_evaluation,
    treated_since,
    writing,
)


def _customers(ids: list[int], arms: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ids,
            "segment": "premium_at_risk",
            "offer_id": "discount_10",
            "stratum": "premium_at_risk|discount_10",
            "arm": arms,
            "decline_probability": 0.6,
            "profit": 4.0,
            "cost": 0.5,
            "assumed_uplift": 0.2,
            "expected_saved_profit": 0.6 * 4.0 * 3 * 0.2 - 0.5,
        }
    )


_NO_EXCLUSIONS = pd.DataFrame(columns=["customer_id", "offer_id", "rule", "detail"])


def _record(starts_on: date, seed: int = 7) -> CampaignRecord:
    return CampaignRecord(
        run_id="run-1",
        budget=100.0,
        seed=seed,
        catalogue_version=1,
        starts_on=starts_on,
        control={"method": "share", "share": 0.5},
        rules={"cooldown_months": 2},
        summary={"spent": 1.0},
    )


def test_a_campaign_reads_back_as_written(tmp_path):
    store = tmp_path / "s.duckdb"
    exclusions = pd.DataFrame(
        {"customer_id": [9], "offer_id": ["sms_reminder"], "rule": ["consent"], "detail": ["allows_messages = no"]}
    )
    campaign_id = register_campaign(
        store, _record(date(2026, 11, 1)), _customers([1, 2, 3], ["treatment", "control", "treatment"]), exclusions
    )
    stored = load_campaign(store, campaign_id[:14])
    assert stored.campaign_id == campaign_id
    assert stored.record.seed == 7 and stored.record.control == {"method": "share", "share": 0.5}
    assert stored.record.starts_on == date(2026, 11, 1)
    assert stored.customers["arm"].tolist() == ["treatment", "control", "treatment"]
    assert stored.exclusions[["customer_id", "rule"]].values.tolist() == [[9, "consent"]]
    listed = list_campaigns(store)
    assert listed.loc[0, "n_treatment"] == 2 and listed.loc[0, "n_control"] == 1


def test_a_customer_appears_once_and_arms_are_named(tmp_path):
    store = tmp_path / "s.duckdb"
    with pytest.raises(StoreError, match="appear more than once"):
        register_campaign(
            store, _record(date(2026, 11, 1)), _customers([1, 1], ["treatment", "control"]), _NO_EXCLUSIONS
        )
    with pytest.raises(StoreError, match="arm must be one of"):
        register_campaign(store, _record(date(2026, 11, 1)), _customers([1], ["holdout"]), _NO_EXCLUSIONS)


def test_unknown_and_ambiguous_ids_are_refused(tmp_path):
    store = tmp_path / "s.duckdb"
    register_campaign(store, _record(date(2026, 11, 1)), _customers([1], ["treatment"]), _NO_EXCLUSIONS)
    register_campaign(store, _record(date(2026, 12, 1)), _customers([1], ["treatment"]), _NO_EXCLUSIONS)
    with pytest.raises(StoreError, match="ambiguous"):
        load_campaign(store, "campaign-")
    with pytest.raises(StoreError, match="no campaign 'nope'"):
        load_campaign(store, "nope")


def test_treated_since_lists_only_the_treatment_arm_inside_the_window(tmp_path):
    store = tmp_path / "s.duckdb"
    register_campaign(store, _record(date(2026, 8, 1)), _customers([1, 2], ["treatment", "treatment"]), _NO_EXCLUSIONS)
    recent = register_campaign(
        store, _record(date(2026, 11, 1)), _customers([2, 3], ["treatment", "control"]), _NO_EXCLUSIONS
    )
    with reading(store) as connection:
        treated = treated_since(connection, date(2026, 10, 1), date(2026, 12, 1))
    assert treated["customer_id"].tolist() == [2]
    assert treated["campaign_id"].tolist() == [recent]


def test_evaluations_are_kept_and_the_latest_is_read(tmp_path):
    store = tmp_path / "s.duckdb"
    campaign_id = register_campaign(store, _record(date(2026, 11, 1)), _customers([1], ["treatment"]), _NO_EXCLUSIONS)
    assert latest_evaluation(store, campaign_id) is None
    register_evaluation(store, campaign_id, {"offers": [], "n": 1}, data_dir="exports/12", data_fingerprint="abc")
    result = latest_evaluation(store, campaign_id)
    assert result["n"] == 1 and result["data_dir"] == "exports/12"
    with pytest.raises(StoreError, match="no campaign"):
        register_evaluation(store, "campaign-none", {}, data_dir=None, data_fingerprint=None)


def test_a_store_of_schema_6_gains_an_empty_uplift_model_table_and_keeps_its_evaluations(tmp_path):
    import duckdb

    from oneclick.store.schema import migrate
    from oneclick.store.uplift_models import list_uplift_models

    store = tmp_path / "s.duckdb"
    with duckdb.connect(str(store)) as connection:
        migrate(connection, str(store), target=6)
        connection.execute(
            "INSERT INTO campaign_evaluations VALUES ('evaluation-1', now(), 'campaign-1', NULL, NULL, '{}')"
        )
    with writing(store) as connection:
        assert list_uplift_models(connection) == []
        assert connection.execute("SELECT evaluation_id FROM campaign_evaluations").fetchall() == [("evaluation-1",)]
