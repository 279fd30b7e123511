"""The plan for a stored run: budget, arms, seeds, exclusions, the JSON, and the command line."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from fast_settings import FAST
from oneclick.campaigns import RULE_NAMES, ContactRules, ControlSettings, make_plan, write_exports
from oneclick.cli import app
from oneclick.layout import CAMPAIGN_CONTROL_FILE, CAMPAIGN_EXCLUSIONS_FILE, CAMPAIGN_TREATED_FILE
from oneclick.store import load_campaign

RULES = ContactRules(contact_cap=6, cooldown_months=3)
SHARE = ControlSettings(share=0.3, power=0.8, alpha=0.05, max_share=0.5, min_per_arm=30, mde_warning_ratio=2.0)
POWER = ControlSettings(share=None, power=0.8, alpha=0.05, max_share=0.5, min_per_arm=30, mde_warning_ratio=2.0)
START = date(2026, 12, 1)
KEYS = {"campaign_id", "strata", "exclusions", "spent", "budget", "expected_saved_profit", "catalogue_version"}
KEYS |= {"measured_figures", "rules", "seed"}


@pytest.fixture(scope="module")
def stored_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one `oneclick run` on 300 synthetic customers (trained once for the module)."""
    from oneclick.pipeline import run_pipeline
    from oneclick.synth import write_synthetic_dataset

    root = tmp_path_factory.mktemp("plan")
    write_synthetic_dataset(root / "data", 300, seed=11)
    store = root / "store.duckdb"
    run_pipeline(root / "data", root / "out", FAST, languages=("en",), store=store)
    return store


@pytest.fixture
def store(stored_run: Path, tmp_path: Path) -> Path:
    """A copy of the stored run, so one test's campaigns do not cool down another's customers."""
    copy = tmp_path / "store.duckdb"
    shutil.copy(stored_run, copy)
    return copy


def test_plan_stays_within_budget_and_never_contacts_the_control_group(store: Path, tmp_path: Path) -> None:
    result = make_plan(store, "latest", budget=6.0, control=SHARE, rules=RULES, seed=1, starts_on=START)
    customers = result.customers
    treated = customers[customers["arm"] == "treatment"]
    assert len(treated) > 0 and (customers["arm"] == "control").any()
    assert treated["cost"].sum() <= 6.0 + 1e-9
    assert result.as_json["spent"] == pytest.approx(treated["cost"].sum())
    paths = write_exports(tmp_path / "crm", customers, result.exclusions, result.catalogue, lang="en", no_action="x")
    written = pd.read_csv(paths["treated"])
    control = pd.read_csv(paths["control"])
    assert set(written["customer_id"]) == set(treated["customer_id"])
    assert not set(written["customer_id"]) & set(control["customer_id"])
    stored = load_campaign(store, result.campaign_id)
    assert stored.customers.groupby("arm").size().to_dict() == customers.groupby("arm").size().to_dict()
    assert stored.record.budget == 6.0 and stored.record.catalogue_version == result.as_json["catalogue_version"]


def test_same_seed_same_control_group_another_seed_another(stored_run: Path, tmp_path: Path) -> None:
    def control(seed: int, name: str) -> set[int]:
        copy = tmp_path / f"{name}.duckdb"
        shutil.copy(stored_run, copy)
        plan = make_plan(copy, "latest", budget=0.0, control=SHARE, rules=RULES, seed=seed, starts_on=START)
        return set(plan.customers.loc[plan.customers["arm"] == "control", "customer_id"])

    first, again, other = control(7, "a"), control(7, "b"), control(8, "c")
    assert first and first == again
    assert other != first


def test_exclusions_name_the_rules_and_the_cooldown_keeps_earlier_treated_out(store: Path) -> None:
    first = make_plan(store, "latest", budget=0.0, control=SHARE, rules=RULES, seed=1, starts_on=START)
    assert set(first.exclusions["rule"]) <= set(RULE_NAMES)
    assert first.as_json["exclusions"]["consent"] > 0  # the synthetic data has customers without consent
    second = make_plan(store, "latest", budget=0.0, control=SHARE, rules=RULES, seed=1, starts_on=date(2027, 1, 15))
    treated_before = set(first.customers.loc[first.customers["arm"] == "treatment", "customer_id"])
    cooled = set(second.exclusions.loc[second.exclusions["rule"] == "cooldown", "customer_id"])
    assert cooled and cooled <= treated_before
    assert not cooled & set(second.customers["customer_id"])
    assert second.as_json["exclusions"]["cooldown"] == len(cooled)
    details = second.exclusions.loc[second.exclusions["rule"] == "cooldown", "detail"]
    assert all(f"treated in {first.campaign_id} starting 2026-12-01," in d for d in details)
    # Four months on, the first campaign's customers may be treated again.
    later = make_plan(store, "latest", budget=0.0, control=SHARE, rules=RULES, seed=1, starts_on=date(2028, 6, 1))
    assert later.as_json["exclusions"]["cooldown"] == 0


def test_power_sizing_reports_each_stratum(store: Path) -> None:
    result = make_plan(store, "latest", budget=0.0, control=POWER, rules=RULES, seed=1, starts_on=START)
    plan = result.as_json
    assert set(plan) >= KEYS
    assert plan["control"]["method"] == "power"
    for row in plan["strata"]:
        assert row["n_treatment"] + row["n_control"] == row["n"]
        assert row["n_control"] <= 0.5 * row["n"]
        assert row["stratum"] == f"{row['segment']}|{row['offer_id']}"
    sizes = result.customers.groupby("stratum").size().to_dict()
    assert sizes == {row["stratum"]: row["n"] for row in plan["strata"]}
    json.dumps(plan)  # plain JSON, no numpy numbers


def test_cli_plan_prints_json_and_writes_the_crm_files(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "crm"
    args = ["campaign", "plan", "latest", "--budget", "5", "--store", str(store), "--out", str(out), "--json"]
    result = CliRunner().invoke(app, [*args, "--control-share", "0.25", "--seed", "3", "--lang", "en"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert set(plan) >= KEYS and plan["budget"] == 5.0 and plan["seed"] == 3
    for name in (CAMPAIGN_TREATED_FILE, CAMPAIGN_CONTROL_FILE, CAMPAIGN_EXCLUSIONS_FILE):
        assert (out / name).is_file()
    assert set(pd.read_csv(out / CAMPAIGN_CONTROL_FILE)["action"]) <= {"no action"}
    assert load_campaign(store, plan["campaign_id"]).record.seed == 3


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--budget", "-1"], "--budget -1: expected 0 or more"),
        (["--budget", "5", "--control-share", "0.2", "--power", "0.8"], "not both"),
        (["--budget", "5", "--control-share", "1.5"], "strictly between 0 and 1"),
        (["--budget", "5", "--starts-on", "tomorrow"], "YYYY-MM-DD"),
    ],
)
def test_cli_plan_refuses_bad_options(store: Path, tmp_path: Path, extra: list[str], message: str) -> None:
    args = ["campaign", "plan", "latest", "--store", str(store), "--out", str(tmp_path / "crm"), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "crm").exists()


def test_cli_plan_names_an_unknown_run(store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["campaign", "plan", "run-nope", "--budget", "5", "--store", str(store)])
    assert result.exit_code == 1
    assert "run 'run-nope': no run in the store" in result.output


def test_plan_uses_the_stores_newer_catalogue_version_and_says_what_was_measured(store: Path) -> None:
    from oneclick.offers import shipped_catalogue_mapping
    from oneclick.store import register_catalogue_version, writing

    mapping = copy.deepcopy(dict(shipped_catalogue_mapping()))
    for offer in mapping["offers"]:  # only free delivery still saves anything in the new version
        offer.pop("uplift_in_segments", None)
        offer["uplift"] = 0.5 if offer["id"] == "free_delivery" else 0.0
        if offer["id"] == "free_delivery":
            offer["uplift_evidence"] = {"all": {"campaign_id": "campaign-x", "measured_uplift": 0.5, "uplift": 0.5}}
    with writing(store) as connection:
        version = register_catalogue_version(
            connection, mapping, parent_version=1, source_campaign_id="campaign-x", method={"name": "test"}
        )
    result = make_plan(store, "latest", budget=0.0, control=SHARE, rules=RULES, seed=1, starts_on=START)
    assert version == 2 and result.as_json["catalogue_version"] == 2
    assert set(result.customers["offer_id"]) == {"free_delivery"}
    assert result.as_json["measured_figures"] == [{"offer_id": "free_delivery", "segment": "all"}]
    assert load_campaign(store, result.campaign_id).record.catalogue_version == 2


def test_a_run_is_found_by_its_id_or_a_prefix(store: Path) -> None:
    from oneclick.campaigns import find_run
    from oneclick.errors import StoreError
    from oneclick.store import latest_run, reading

    with reading(store) as connection:
        run_id = latest_run(connection)
        assert run_id is not None
        assert find_run(connection, run_id) == run_id
        assert find_run(connection, run_id[:12]) == run_id
        assert find_run(connection, "latest") == run_id
        with pytest.raises(StoreError, match="no run in the store"):
            find_run(connection, "run-1999")


@pytest.mark.parametrize(
    ("env", "lang", "words"),
    [
        ({}, "en", "fewer than 30 per arm: nothing can be learnt"),
        ({"ONECLICK_CAMPAIGN_MIN_PER_ARM": "1"}, "ru", "наименьший эффект, который эта страта может обнаружить, 0,"),
    ],
)
def test_cli_plan_says_its_stratum_warnings_in_words_and_json_keeps_the_codes(
    store: Path, tmp_path: Path, env: dict[str, str], lang: str, words: str
) -> None:
    # 300 customers split over strata: every arm is small, and with no floor the uplifts are too fine to see
    args = ["campaign", "plan", "latest", "--budget", "0", "--store", str(store), "--out", str(tmp_path / "crm")]
    args += ["--control-share", "0.3", "--lang", lang]
    said = CliRunner().invoke(app, args, env=env)
    assert said.exit_code == 0, said.output
    assert words in said.stdout and "warning:" not in said.stdout and "предупреждение:" not in said.stdout
    if "MIN_PER_ARM" in str(env):
        assert ("× the assumed 0." if lang == "en" else "больше допущения 0,") in said.stdout
    as_json = CliRunner().invoke(app, [*args, "--json"], env=env)
    codes = {row["warning"] for row in json.loads(as_json.stdout)["strata"]}
    assert codes & {"fewer_than_min_per_arm", "minimum_detectable_uplift_too_large"}


def _keep_an_uplift_model(store: Path, offer_id: str) -> str:
    """Plan a campaign, refit an uplift model on its customers as if all got ``offer_id``, keep it; its id.

    The outcome is made up: the offer helps customers with many promo purchases and harms the others,
    so the model's values differ from the rule's. (Whether a model is used is test_uplift_model's.)
    """
    from oneclick.campaigns.uplift_kept import refit_uplift_model, uplift_model_bytes, uplift_model_id
    from oneclick.features.build import typed_customer_table
    from oneclick.store import UpliftModelRecord, planned_on_customers, register_evaluation

    first = make_plan(store, "latest", budget=0.0, control=SHARE, rules=RULES, seed=1, starts_on=START)
    features = typed_customer_table(planned_on_customers(store, first.campaign_id))
    rng = np.random.default_rng(0)
    matched = first.customers.assign(offer_id=offer_id)
    promo = features["promo_purchase_share"].reindex(matched["customer_id"]).to_numpy()
    rate = np.where(matched["arm"] == "treatment", np.where(promo > 0.3, 0.1, 0.8), 0.5)
    matched["declined"] = (rng.random(len(matched)) < rate).astype(int)
    kept = refit_uplift_model(matched, features, seed=0)
    data = uplift_model_bytes(kept)
    record = UpliftModelRecord(uplift_model_id(data), tuple(kept.offers), dict(kept.metadata), data)
    register_evaluation(store, first.campaign_id, {}, data_dir=None, data_fingerprint=None, uplift_model=record)
    return record.uplift_model_id


def _by_rule(customers: pd.DataFrame, horizon: float) -> pd.Series:
    rule = customers["assumed_uplift"] * customers["decline_probability"] * customers["profit"] * horizon
    return rule - customers["cost"]


def test_a_kept_uplift_model_values_its_offer_only_and_the_flag_turns_it_off(store: Path) -> None:
    model_id = _keep_an_uplift_model(store, "free_delivery")
    later = date(2028, 6, 1)  # past the first campaign's cool-down
    by_model = make_plan(store, "latest", budget=0.0, control=SHARE, rules=RULES, seed=1, starts_on=later)
    horizon = by_model.catalogue.horizon_months
    scored = by_model.as_json["scored_by_uplift_model"]
    assert [(row["offer_id"], row["model_id"]) for row in scored] == [("free_delivery", model_id)]
    assert load_campaign(store, by_model.campaign_id).record.summary["scored_by_uplift_model"] == scored
    customers = by_model.customers
    is_modelled = customers["offer_id"] == "free_delivery"
    assert is_modelled.any() and (~is_modelled).any()
    rule = _by_rule(customers, horizon)
    assert customers.loc[~is_modelled, "expected_saved_profit"].to_numpy() == pytest.approx(rule[~is_modelled])
    assert not np.allclose(customers.loc[is_modelled, "expected_saved_profit"], rule[is_modelled])

    alone = make_plan(
        store, "latest", budget=0.0, control=SHARE, rules=RULES, seed=1, starts_on=later, use_uplift_model=False
    )
    assert alone.as_json["scored_by_uplift_model"] == []
    assert alone.customers["expected_saved_profit"].to_numpy() == pytest.approx(_by_rule(alone.customers, horizon))


def test_cli_plan_says_which_offers_the_uplift_model_valued(store: Path, tmp_path: Path) -> None:
    model_id = _keep_an_uplift_model(store, "free_delivery")
    args = ["campaign", "plan", "latest", "--budget", "0", "--store", str(store), "--out", str(tmp_path / "crm")]
    args += ["--starts-on", "2028-06-01", "--lang", "en"]
    said = CliRunner().invoke(app, args)
    assert said.exit_code == 0, said.output
    assert f"free_delivery: expected saved profit by the uplift model {model_id}" in said.stdout
    off = CliRunner().invoke(app, [*args, "--no-uplift-model", "--json"])
    assert off.exit_code == 0, off.output
    assert json.loads(off.stdout)["scored_by_uplift_model"] == []
    ru = CliRunner().invoke(app, [*args[:-1], "ru", "--no-uplift-model"])
    assert "Все предложения оценены по правилу каталога" in ru.stdout


def test_a_store_of_the_previous_schema_is_migrated_by_the_plan_not_refused(tmp_path: Path) -> None:
    import duckdb

    from oneclick.errors import StoreError
    from oneclick.store import SCHEMA_VERSION, reading
    from oneclick.store.schema import migrate, stored_version

    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as connection:
        migrate(connection, str(old), target=SCHEMA_VERSION - 1)
    with pytest.raises(StoreError, match="no run with customers yet"):
        make_plan(old, "latest", budget=0.0, control=SHARE, rules=RULES, seed=1, starts_on=START)
    with reading(old) as connection:
        assert stored_version(connection) == SCHEMA_VERSION
