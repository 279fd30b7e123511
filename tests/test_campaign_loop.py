"""The campaign loop as the README walks it, in commands, on synthetic data with a known effect.

run -> campaign plan (CRM files) -> the next export (the treated customers' decline cut by a known
uplift) -> campaign evaluate -> catalogue update -> run on the next export -> the next plan, which
is made on the measured figures. One store under tmp_path, the fast model settings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml
from typer.testing import CliRunner

from fast_settings import FAST_ENV
from oneclick.cli import app
from oneclick.layout import CAMPAIGN_CONTROL_FILE, CAMPAIGN_TREATED_FILE, CATALOGUE_FILE, OFFERS_SUMMARY_FILE

runner = CliRunner()
N_CUSTOMERS = 1500
TRUE_UPLIFT = 0.6


def _ok(*args: str | Path | float):
    result = runner.invoke(app, [str(arg) for arg in args], env=FAST_ENV)
    assert result.exit_code == 0, result.output
    return result


def test_the_readme_loop_measures_the_known_effect_and_plans_the_next_campaign_on_it(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    _ok("synth", "--customers", N_CUSTOMERS, "--out", tmp_path / "exports/11", "--seed", 3)
    _ok("run", tmp_path / "exports/11", "--out", tmp_path / "out/11", "--store", store, "--lang", "en")

    planned = json.loads(
        _ok(
            "campaign", "plan", "latest", "--budget", 400, "--control-share", 0.4, "--seed", 7,
            "--store", store, "--out", tmp_path / "crm", "--json",
        ).stdout
    )  # fmt: skip
    assert planned["spent"] <= 400 and planned["catalogue_version"] == 1 and planned["measured_figures"] == []
    treated = pd.read_csv(tmp_path / "crm" / CAMPAIGN_TREATED_FILE)
    control = pd.read_csv(tmp_path / "crm" / CAMPAIGN_CONTROL_FILE)
    assert not set(treated["customer_id"]) & set(control["customer_id"])  # the control group is not contacted
    offer = treated["offer_id"].value_counts().index[0]  # the offer sent to most customers gets the known effect

    _ok(
        "synth", "--next-period", "--from", tmp_path / "exports/11", "--out", tmp_path / "exports/12", "--seed", 3,
        "--campaign", planned["campaign_id"], "--store", store, "--true-uplift", f"{offer}={TRUE_UPLIFT}",
    )  # fmt: skip
    evaluated = json.loads(
        _ok(
            "campaign", "evaluate", planned["campaign_id"], tmp_path / "exports/12", "--store", store,
            "--out", tmp_path / "out/12", "--json",
        ).stdout
    )  # fmt: skip
    measured = next(r for r in evaluated["offers"] if r["offer"] == offer and r["segment"] == "all")
    assert measured["uplift_ci_low"] <= TRUE_UPLIFT <= measured["uplift_ci_high"], measured
    assert measured["verdict"] == "works", measured
    others = [r for r in evaluated["offers"] if r["offer"] not in (offer, "all") and r["segment"] == "all"]
    assert all(r["verdict"] != "works" or r["uplift_ci_low"] > 0 for r in others)

    updated = json.loads(_ok("catalogue", "update", planned["campaign_id"], "--store", store, "--json").stdout)
    change = next(c for c in updated["changes"] if c["offer"] == offer and c["segment"] == "all")
    assert change["prior_uplift"] < change["uplift"] <= measured["uplift"]  # shrunk toward the prior

    _ok("run", tmp_path / "exports/12", "--out", tmp_path / "out/12", "--store", store, "--lang", "en")
    assert not (tmp_path / "out/11" / CATALOGUE_FILE).exists()  # the store had no version of its own then
    # the run on the next export values its offers by the store's updated catalogue, and keeps it
    kept = yaml.safe_load((tmp_path / "out/12" / CATALOGUE_FILE).read_text(encoding="utf-8"))
    assert next(o for o in kept["offers"] if o["id"] == offer)["uplift"] == change["uplift"]
    summary = json.loads((tmp_path / "out/12" / OFFERS_SUMMARY_FILE).read_text(encoding="utf-8"))
    assert summary["sources"]["catalogue"].endswith(CATALOGUE_FILE)
    report = (tmp_path / "out/12" / "report.en.html").read_text(encoding="utf-8")
    assert 'id="s-campaign_results"' in report
    second = json.loads(
        _ok("campaign", "plan", "latest", "--budget", 400, "--store", store, "--out", tmp_path / "c2", "--json").stdout
    )
    assert second["catalogue_version"] == updated["version"] == 2
    assert {"offer_id": offer, "segment": "all"} in second["measured_figures"]
    # The first campaign's treated customers are in their cool-down: none is treated again.
    again = pd.read_csv(tmp_path / "c2" / CAMPAIGN_TREATED_FILE)
    assert not set(again["customer_id"]) & set(treated["customer_id"])
