"""The last campaign's results carried into the next period's run folder: found by the data's fingerprint,
with the catalogue's old and new figures when the campaign updated it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from campaign_results import CAMPAIGN_ID, DATA_FINGERPRINT, campaign_result, updated_catalogue
from oneclick.layout import CAMPAIGN_RESULTS_FILE
from oneclick.offers.catalogue import shipped_catalogue_mapping
from oneclick.report import build_summary, render_report
from oneclick.report.campaign_file import catalogue_update_of, write_campaign_results
from oneclick.store import (
    CampaignRecord,
    list_catalogue_versions,
    register_campaign,
    register_catalogue_version,
    register_evaluation,
    writing,
)


def campaign_in_store(store: Path, *, updated: bool) -> str:
    """A store holding one campaign, its evaluation on DATA_FINGERPRINT and, if ``updated``, catalogue v2."""
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "segment": "promo_hunters_at_risk",
            "offer_id": "promo_code_favourite",
            "stratum": "promo_hunters_at_risk|promo_code_favourite",
            "arm": ["treatment", "treatment", "treatment", "control"],
            "decline_probability": 0.6,
            "profit": 4.0,
            "cost": 0.5,
            "assumed_uplift": 0.2,
            "expected_saved_profit": 0.94,
        }
    )
    record = CampaignRecord(
        run_id="run-1", budget=10.0, seed=7, catalogue_version=1, starts_on=date(2026, 11, 1), campaign_id=CAMPAIGN_ID
    )
    no_exclusions = pd.DataFrame(columns=["customer_id", "offer_id", "rule", "detail"])
    register_campaign(store, record, customers, no_exclusions)
    register_evaluation(
        store,
        CAMPAIGN_ID,
        campaign_result(with_catalogue_update=False),
        data_dir="exports/12",
        data_fingerprint=DATA_FINGERPRINT,
    )
    if updated:
        with writing(store) as connection:
            register_catalogue_version(
                connection,
                updated_catalogue(dict(shipped_catalogue_mapping())),
                parent_version=1,
                source_campaign_id=CAMPAIGN_ID,
                method={"name": "precision-weighted shrinkage", "prior_sd": 0.10},
            )
    return CAMPAIGN_ID


def test_the_evaluation_on_this_data_is_written_with_the_catalogues_figures(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    campaign_in_store(store, updated=True)
    out = tmp_path / "run"
    out.mkdir()
    path = write_campaign_results(store, out, DATA_FINGERPRINT)
    assert path == out / CAMPAIGN_RESULTS_FILE
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["campaign_id"] == CAMPAIGN_ID and written["data_dir"] == "exports/12"
    assert [row["verdict"] for row in written["offers"]] == [row["verdict"] for row in campaign_result()["offers"]]
    update = written["catalogue_update"]
    assert (update["old_version"], update["new_version"]) == (1, 2)
    rows = {(row["offer"], row["segment"]): row for row in update["offers"]}
    assert rows["promo_code_favourite", "all"] == {
        "offer": "promo_code_favourite",
        "segment": "all",
        "prior_uplift": 0.08,
        "measured_uplift": 0.33,
        "uplift": 0.21,
        "is_measured": True,
    }
    kids = rows["free_delivery", "kids_goods_buyers"]
    assert (kids["prior_uplift"], kids["measured_uplift"], kids["uplift"]) == (0.15, 0.05, 0.12)
    # free_delivery's own figure was not measured: the same in both versions, still an assumption
    own = rows["free_delivery", "all"]
    assert own["prior_uplift"] == own["uplift"] == 0.08 and own["measured_uplift"] is None and not own["is_measured"]
    # and the report of that folder shows it
    (out / "run.json").write_text(json.dumps({"data_fingerprint": DATA_FINGERPRINT}), encoding="utf-8")
    html = render_report(build_summary(out), "en")
    assert "Campaign results" in html and "version 1 and version 2" in html


def test_nothing_is_written_for_other_data_or_without_a_store(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    campaign_in_store(store, updated=False)
    out = tmp_path / "run"
    out.mkdir()
    assert write_campaign_results(store, out, "0" * 64) is None
    assert write_campaign_results(tmp_path / "none.duckdb", out, DATA_FINGERPRINT) is None
    assert not (out / CAMPAIGN_RESULTS_FILE).exists()
    # evaluated but no catalogue update yet: the results alone
    path = write_campaign_results(store, out, DATA_FINGERPRINT)
    assert path is not None and "catalogue_update" not in json.loads(path.read_text(encoding="utf-8"))


def test_no_update_is_found_for_a_campaign_that_made_none(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    campaign_in_store(store, updated=True)
    assert catalogue_update_of(list_catalogue_versions(store), "campaign-other") is None
