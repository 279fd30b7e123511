"""The last campaign's results carried into the next period's run folder: found by the data's fingerprint,
with the catalogue's old and new figures when the campaign updated it."""

from __future__ import annotations

import json
from pathlib import Path

from campaign_results import CAMPAIGN_ID, DATA_FINGERPRINT, campaign_in_store, campaign_result
from oneclick.layout import CAMPAIGN_RESULTS_FILE
from oneclick.report import build_summary, render_report
from oneclick.report.campaign_file import catalogue_update_of, write_campaign_results
from oneclick.store import list_catalogue_versions


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


def test_run_with_a_store_carries_the_evaluation_on_its_data_into_its_report(tmp_path: Path) -> None:
    from fast_settings import FAST
    from oneclick.pipeline import data_fingerprint, load_with, run_pipeline
    from oneclick.synth import write_synthetic_dataset

    data_dir = tmp_path / "next_export"
    write_synthetic_dataset(data_dir, 200, seed=5)
    store = tmp_path / "s.duckdb"
    campaign_in_store(store, updated=True, data_fingerprint=data_fingerprint(load_with(FAST, data_dir)))
    result = run_pipeline(data_dir, tmp_path / "run", FAST, languages=("en",), store=store)
    assert result.outputs["campaign_results"] == tmp_path / "run" / CAMPAIGN_RESULTS_FILE
    html = result.outputs["report_en"].read_text(encoding="utf-8")
    assert 'id="s-campaign_results"' in html and "version 1 and version 2" in html
    assert "evaluated on other data" not in html
