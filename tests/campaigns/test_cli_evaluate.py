"""`oneclick campaign evaluate` as a user runs it: a stored campaign, the next export with a known effect."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from fast_settings import FAST
from oneclick.cli import app
from oneclick.features import build_customer_table
from oneclick.layout import CAMPAIGN_RESULTS_FILE
from oneclick.pipeline import load_with
from oneclick.report import build_summary, render_report
from oneclick.store import CampaignRecord, latest_evaluation, list_uplift_models, reading, register_campaign
from oneclick.synth import write_synthetic_dataset

runner = CliRunner()


def _campaign_on(data_dir: Path, store: Path) -> str:
    ids = build_customer_table(load_with(FAST, data_dir)).index.to_numpy()
    arm = np.where(np.random.default_rng(0).random(len(ids)) < 0.5, "treatment", "control")
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "segment": "promo_hunters_at_risk",
            "offer_id": "promo_code_favourite",
            "stratum": "promo_hunters_at_risk|promo_code_favourite",
            "arm": arm,
            "decline_probability": 0.4,
            "profit": 4.0,
            "cost": 0.5,
            "assumed_uplift": 0.08,
            "expected_saved_profit": 0.46,
        }
    )
    none = pd.DataFrame(columns=["customer_id", "offer_id", "rule", "detail"])
    record = CampaignRecord(
        run_id="run-hand-made", budget=1e6, seed=0, catalogue_version=1, starts_on=date(2026, 11, 1)
    )
    return register_campaign(store, record, customers, none)


def test_evaluate_reads_the_known_effect_keeps_it_and_writes_the_reports_file(tmp_path: Path) -> None:
    write_synthetic_dataset(tmp_path / "p1", 600, seed=4)
    store = tmp_path / "s.duckdb"
    campaign_id = _campaign_on(tmp_path / "p1", store)
    made = runner.invoke(
        app,
        ["synth", "--next-period", "--from", str(tmp_path / "p1"), "--out", str(tmp_path / "p2"), "--seed", "4",
         "--campaign", campaign_id, "--store", str(store), "--true-uplift", "promo_code_favourite=0.9"],
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    done = runner.invoke(
        app,
        ["campaign", "evaluate", campaign_id[:20], str(tmp_path / "p2"), "--store", str(store), "--json",
         "--out", str(tmp_path / "r2"), "--lang", "en"],
        env={"ONECLICK_UPLIFT_MODEL_MIN_PER_ARM": "100"},
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    # the hand-made campaign's run is not in the store: the model learns from the campaign table's columns
    model = result["uplift_model"]
    assert model["min_per_arm"] == 100 and model["feature_source"] == "campaign" and model["qini_model"] is not None
    # a model is kept beside the evaluation exactly when it was used
    with reading(store) as connection:
        kept = list_uplift_models(connection)
    assert [k.uplift_model_id for k in kept] == ([model["kept_model_id"]] if model["used"] else [])
    assert ("kept_model_id" in model) == model["used"]
    offer = next(r for r in result["offers"] if r["offer"] == "promo_code_favourite" and r["segment"] == "all")
    assert offer["verdict"] == "works" and offer["uplift_ci_low"] > 0.3
    for key in ("offer", "segment", "uplift", "uplift_ci_low", "uplift_ci_high", "verdict"):
        assert key in offer
    assert result["n"]["left"] > 0  # a few customers leave between two exports
    # the second outcome, from the next export's revenue_change, and the ranking's deciles and Qini curve
    assert isinstance(offer["revenue_change_diff"], float) and offer["revenue_change_ci_low"] is not None
    assert [row["decile"] for row in result["by_decile"]] == list(range(1, 11))
    assert result["qini"]["score"] == "assumed uplift x decline probability"
    n = result["n"]
    assert n["matched_treatment"] + n["matched_control"] + n["left"] == n["planned"]
    written = json.loads((tmp_path / "r2" / CAMPAIGN_RESULTS_FILE).read_text(encoding="utf-8"))
    assert written["campaign_id"] == campaign_id
    assert latest_evaluation(store, campaign_id)["offers"] == result["offers"]
    # the report's "Campaign results" section reads what evaluate wrote
    record = {"seed": 1, "settings": {}, "inputs": {}, "data_fingerprint": result["data_fingerprint"]}
    (tmp_path / "r2" / "run.json").write_text(json.dumps(record), encoding="utf-8")
    html = render_report(build_summary(tmp_path / "r2"), "en")
    section = html[html.index('id="s-campaign_results"') :]
    section = section[: section.index("</section>")]
    assert "works" in section and section.count("<img") == 3  # the forest plot, the Qini curve, the deciles
    assert "Revenue change, RUB" in section


def test_an_unknown_campaign_exits_1_with_the_message(tmp_path: Path) -> None:
    write_synthetic_dataset(tmp_path / "p1", 60, seed=1)
    store = tmp_path / "s.duckdb"
    _campaign_on(tmp_path / "p1", store)
    done = runner.invoke(app, ["campaign", "evaluate", "campaign-nope", str(tmp_path / "p1"), "--store", str(store)])
    assert done.exit_code == 1 and "no campaign 'campaign-nope'" in done.output


def test_catalogue_update_moves_the_measured_uplift_and_keeps_the_old_version(tmp_path: Path) -> None:
    from oneclick.store import current_catalogue, reading

    write_synthetic_dataset(tmp_path / "p1", 600, seed=4)
    store = tmp_path / "s.duckdb"
    campaign_id = _campaign_on(tmp_path / "p1", store)
    refused = runner.invoke(app, ["catalogue", "update", campaign_id, "--store", str(store)])
    assert refused.exit_code == 1 and "has no evaluation yet" in refused.output
    runner.invoke(
        app,
        ["synth", "--next-period", "--from", str(tmp_path / "p1"), "--out", str(tmp_path / "p2"), "--seed", "4",
         "--campaign", campaign_id, "--store", str(store), "--true-uplift", "promo_code_favourite=0.9"],
    )  # fmt: skip
    said = runner.invoke(
        app, ["campaign", "evaluate", campaign_id, str(tmp_path / "p2"), "--store", str(store), "--lang", "en"]
    )
    assert "revenue change over the month after the campaign, RUB: " in said.stdout and "Qini AUC" in said.stdout
    assert "no uplift model:" in said.stdout and "500 needed in each arm" in said.stdout
    done = runner.invoke(app, ["catalogue", "update", campaign_id, "--store", str(store), "--json"])
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    change = next(c for c in result["changes"] if c["offer"] == "promo_code_favourite" and c["segment"] == "all")
    assert change["prior_uplift"] < change["uplift"] < change["measured_uplift"]
    with reading(store) as connection:
        newest = current_catalogue(connection)
    offer = next(o for o in newest.catalogue["offers"] if o["id"] == "promo_code_favourite")
    assert newest.version == result["version"] == 2 and offer["uplift"] == change["uplift"]
    assert offer["uplift_evidence"]["all"]["campaign_id"] == campaign_id
    listed = runner.invoke(app, ["catalogue", "versions", "--store", str(store), "--json"])
    versions = json.loads(listed.stdout)
    assert [v["version"] for v in versions] == [1, 2] and versions[1]["measured"]["promo_code_favourite"] == [
        "all",
        "promo_hunters_at_risk",
    ]


def test_an_uplift_model_that_beats_the_rule_is_kept_refitted_on_every_customer(tmp_path: Path) -> None:
    # The offer helps low-profit customers and harms high-profit ones; the rule ranks by profit, the wrong way.
    write_synthetic_dataset(tmp_path / "p1", 800, seed=2)
    store = tmp_path / "s.duckdb"
    ids = build_customer_table(load_with(FAST, tmp_path / "p1")).index.to_numpy()
    rng = np.random.default_rng(3)
    arm = np.where(rng.random(len(ids)) < 0.5, "treatment", "control")
    profit = rng.uniform(1.0, 7.0, len(ids))
    customers = pd.DataFrame(
        {"customer_id": ids, "segment": "promo_hunters_at_risk", "offer_id": "promo_code_favourite",
         "stratum": "promo_hunters_at_risk|promo_code_favourite", "arm": arm, "decline_probability": 0.4,
         "profit": profit, "cost": 0.5, "assumed_uplift": 0.08, "expected_saved_profit": 0.0}
    )  # fmt: skip
    record = CampaignRecord(
        run_id="run-hand-made", budget=1e6, seed=0, catalogue_version=1, starts_on=date(2026, 11, 1)
    )
    none = pd.DataFrame(columns=["customer_id", "offer_id", "rule", "detail"])
    campaign_id = register_campaign(store, record, customers, none)
    rate = np.where(arm == "treatment", np.where(profit < 4.0, 0.1, 0.9), 0.5)
    declined = pd.Series(rng.random(len(ids)) < rate, index=ids)
    shutil.copytree(tmp_path / "p1", tmp_path / "p2")
    market = pd.read_csv(tmp_path / "p2" / "market_file.csv")
    label = declined.reindex(market["id"], fill_value=False).to_numpy(dtype=bool)
    market["Покупательская активность"] = np.where(label, "Снизилась", "Прежний уровень")
    market.to_csv(tmp_path / "p2" / "market_file.csv", index=False)
    done = runner.invoke(
        app,
        ["campaign", "evaluate", campaign_id, str(tmp_path / "p2"), "--store", str(store), "--lang", "en"],
        env={"ONECLICK_UPLIFT_MODEL_MIN_PER_ARM": "150"},
    )
    assert done.exit_code == 0, done.output
    assert "uplift model used" in done.stdout
    with reading(store) as connection:
        kept = list_uplift_models(connection)
    assert len(kept) == 1 and kept[0].offers == ("promo_code_favourite",)
    assert kept[0].metadata["n_customers"] == len(ids)  # all matched customers, not the fitted half
    assert f"is kept as {kept[0].uplift_model_id}: plans for promo_code_favourite" in done.stdout
    evaluation = latest_evaluation(store, campaign_id)
    assert evaluation["uplift_model"]["kept_model_id"] == kept[0].uplift_model_id
    assert kept[0].evaluation_id == evaluation["evaluation_id"]
