"""The uplift model kept by an evaluation that used it: refitted on all customers, stored safely, reproducible."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pandas as pd
import pytest
import skops.io

from oneclick.campaigns.outcome import evaluate_campaign
from oneclick.campaigns.uplift_kept import (
    TRUSTED_TYPES,
    keep_if_used,
    load_uplift_model,
    predict_uplift,
    refit_uplift_model,
)
from oneclick.errors import InputDataError, ModelArtifactError
from oneclick.store import (
    CampaignRecord,
    reading,
    register_campaign,
    register_evaluation,
    uplift_models_by_offer,
)
from uplift_campaigns import HORIZON, campaign_with_outcome


def _campaign(effect: str, n: int = 2400, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Campaign customers, their next-export outcome (indexed by customer id) and pre-campaign features."""
    matched, features = campaign_with_outcome(effect, n=n, seed=seed)
    outcomes = pd.DataFrame({"declined": matched["declined"].to_numpy()}, index=features.index)
    return matched.drop(columns="declined"), outcomes, features


def _kept(effect: str, seed: int = 1):
    campaign, outcomes, features = _campaign(effect)
    result = evaluate_campaign(
        campaign,
        outcomes,
        campaign_id="campaign-x",
        horizon_months=HORIZON,
        features=features,
        uplift_model_min_per_arm=200,
        seed=seed,
    )
    return result, keep_if_used(result, campaign, outcomes, features, seed=seed)


@pytest.fixture(scope="module")
def used() -> tuple[dict, object]:
    return _kept("by_feature")


def test_a_used_model_is_refitted_on_every_customer_and_says_what_it_covers(used) -> None:
    result, record = used
    assert result["uplift_model"]["used"] is True
    assert record is not None and record.offers == ("discount_10",)
    meta = record.metadata
    assert meta["n_customers"] == 2400 > result["uplift_model"]["n_fit"]
    assert meta["seed"] == 1 and meta["horizon_months"] == HORIZON and meta["campaign_id"] == "campaign-x"
    assert {"scikit-uplift", "scikit-learn", "skops"} <= set(meta["versions"])
    names = [entry["name"] for entry in meta["feature_schema"]]
    assert names == result["uplift_model"]["features"]
    offer = next(entry for entry in meta["feature_schema"] if entry["name"] == "offer_id")
    assert offer["dtype"] == "category" and offer["categories"] == ["discount_10"]


def test_an_unused_model_is_not_kept() -> None:
    result, record = _kept("none")
    assert result["uplift_model"]["used"] is False
    assert record is None


def test_the_kept_file_loads_with_the_trusted_types_only_and_predicts_who_the_offer_helps(used) -> None:
    _, record = used
    assert set(skops.io.get_untrusted_types(data=record.skops)) <= set(TRUSTED_TYPES)
    kept = load_uplift_model(record.skops, record.metadata, where="test")
    table = pd.DataFrame(
        {"promo_purchase_share": [0.9, 0.1], "pages_per_visit": [5.0, 5.0], "decline_probability": 0.5, "profit": 4.0},
        index=pd.Index([1, 2], name="customer_id"),
    )
    uplift = predict_uplift(kept, table, pd.Series("promo_hunters_at_risk", index=table.index), "discount_10")
    assert uplift.loc[1] > 0.1 > uplift.loc[2]  # the promo hunter is helped, the other harmed


def test_a_file_with_another_type_or_format_is_refused(used) -> None:
    _, record = used
    from sklearn.preprocessing import FunctionTransformer

    foreign = skops.io.dumps(FunctionTransformer(json.dumps))  # a function no uplift model holds
    with pytest.raises(ModelArtifactError, match="does not contain"):
        load_uplift_model(foreign, record.metadata, where="uplift model u1")
    with pytest.raises(ModelArtifactError, match="format"):
        load_uplift_model(record.skops, {**record.metadata, "format": "pickle"}, where="uplift model u1")


def test_same_seed_same_bytes(used) -> None:
    _, record = used
    _, again = _kept("by_feature")
    assert again.skops == record.skops and again.uplift_model_id == record.uplift_model_id
    with zipfile.ZipFile(io.BytesIO(record.skops)) as archive:
        assert "schema.json" in archive.namelist()


def test_a_run_without_the_models_features_is_refused_by_name(used) -> None:
    _, record = used
    kept = load_uplift_model(record.skops, record.metadata, where="test")
    table = pd.DataFrame({"decline_probability": [0.5], "profit": [4.0]}, index=pd.Index([1], name="customer_id"))
    with pytest.raises(ModelArtifactError, match="promo_purchase_share"):
        predict_uplift(kept, table, pd.Series("s", index=table.index), "discount_10")


def test_the_store_keeps_it_beside_its_evaluation_and_the_newest_covers_an_offer(used, tmp_path) -> None:
    _, record = used
    store = tmp_path / "s.duckdb"
    campaign, _, _ = _campaign("none", n=10)
    plan = CampaignRecord(run_id="run-1", budget=1.0, seed=0, catalogue_version=1, starts_on=date(2026, 12, 1))
    campaign_id = register_campaign(
        store, plan, campaign, pd.DataFrame(columns=["customer_id", "offer_id", "rule", "detail"])
    )
    first = register_evaluation(store, campaign_id[:12], {}, data_dir=None, data_fingerprint=None, uplift_model=record)
    register_evaluation(store, campaign_id, {}, data_dir=None, data_fingerprint=None)  # kept no model
    with reading(store) as connection:
        newest = uplift_models_by_offer(connection)
    assert list(newest) == ["discount_10"]
    stored = newest["discount_10"]
    assert stored.evaluation_id == first and stored.campaign_id == campaign_id
    assert stored.skops == record.skops and stored.metadata["seed"] == 1
    # a later evaluation that measured the offer again and kept no model brings the rule back
    again = {"offers": [{"offer": "discount_10", "segment": "all"}], "uplift_model": {"used": False}}
    register_evaluation(store, campaign_id, again, data_dir=None, data_fingerprint=None)
    with reading(store) as connection:
        assert uplift_models_by_offer(connection) == {}


def test_refit_without_the_outcome_is_refused_by_name() -> None:
    campaign, _, features = _campaign("none", n=50)
    with pytest.raises(InputDataError, match="lack \\['declined'\\]"):
        refit_uplift_model(campaign, features, seed=0)
