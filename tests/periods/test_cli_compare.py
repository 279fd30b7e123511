"""``oneclick compare`` as a user runs it: JSON with the documented keys, a summary, clear errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oneclick import build_customer_table, load_tables
from oneclick.cli import app
from oneclick.store import RunRecord, register_run

runner = CliRunner()


def test_compare_prints_json_with_the_documented_keys(last_period, next_period, model_dir, tmp_path) -> None:
    new = next_period(last_period, "pages_per_visit:-0.5sd", 1)
    result = runner.invoke(app, ["compare", str(last_period), str(new), "--json", "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["verdict"] in ("keep", "watch", "retrain")
    for feature in summary["features"]:
        assert {"feature", "test", "statistic", "threshold", "drift"} <= set(feature)
        assert isinstance(feature["drift"], bool)
    flagged = {f["feature"] for f in summary["features"] if f["drift"]}
    assert flagged == {"pages_per_visit"}
    assert summary["verdict"] == "watch"
    assert {"dataset_drift", "label_shift", "prediction_drift", "customers", "migration", "decay"} <= set(summary)
    truth = json.loads((new / "drift_truth.json").read_text(encoding="utf-8"))
    assert summary["customers"]["joined"]["n"] <= truth["customers"]["joined"]
    cells = summary["migration"]["risk_profit_cell"]
    assert sum(map(sum, cells["counts"])) == summary["customers"]["n_both"]


def test_compare_without_json_prints_a_summary(last_period, next_period, model_dir) -> None:
    result = runner.invoke(
        app, ["compare", str(last_period), str(next_period(last_period, "", 1)), "--model", str(model_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "Data drift" in result.stdout and "verdict: keep" in result.stdout and "roc_auc" in result.stdout


def test_a_bad_path_is_named(last_period, model_dir, tmp_path) -> None:
    missing = tmp_path / "no_such_export"
    result = runner.invoke(app, ["compare", str(last_period), str(missing), "--model", str(model_dir)])
    assert result.exit_code == 1
    assert f"NEW '{missing}': not a data folder" in result.stderr


def test_without_a_model_it_says_how_to_give_one(last_period, tmp_path) -> None:
    store = tmp_path / "empty.duckdb"
    result = runner.invoke(app, ["compare", str(last_period), str(last_period), "--store", str(store)])
    assert result.exit_code == 1
    assert "--model MODELDIR" in result.stderr


def test_a_run_in_the_store_is_a_period(last_period, next_period, model_dir, tmp_path) -> None:
    store = tmp_path / "store.duckdb"
    customers = build_customer_table(load_tables(last_period))
    run_id = register_run(store, RunRecord(kind="run"), {"customers": customers})
    new = next_period(last_period, "", 1)
    by_run = runner.invoke(
        app, ["compare", run_id, str(new), "--json", "--store", str(store), "--model", str(model_dir)]
    )
    by_folder = runner.invoke(app, ["compare", str(last_period), str(new), "--json", "--model", str(model_dir)])
    assert by_run.exit_code == 0, by_run.output
    from_run, from_folder = json.loads(by_run.stdout), json.loads(by_folder.stdout)
    assert from_run["old"]["kind"] == "run" and from_run["old"]["source"] == run_id
    assert from_run["features"] == from_folder["features"]
    assert from_run["decay"] == from_folder["decay"]


def test_compare_keeps_its_result_in_the_store(last_period, next_period, model_dir, tmp_path) -> None:
    from oneclick.store import load_period_comparison

    store = tmp_path / "kept.duckdb"
    new = next_period(last_period, "pages_per_visit:-0.5sd", 1)
    result = runner.invoke(
        app, ["compare", str(last_period), str(new), "--json", "--store", str(store), "--model", str(model_dir)]
    )
    assert result.exit_code == 0, result.output
    comparison_id = result.stderr.split("comparison kept as ")[1].split()[0]
    stored = load_period_comparison(store, comparison_id)
    assert stored.result == json.loads(result.stdout)
    assert stored.verdict == "watch" and stored.old_source == str(last_period)
    assert stored.old_fingerprint is not None and stored.old_fingerprint != stored.new_fingerprint
