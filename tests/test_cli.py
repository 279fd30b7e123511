"""The command line: exit codes and messages a user sees."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from oneclick.cli import app

runner = CliRunner()


def test_validate_json_has_the_documented_keys(store_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(store_dir), "--json", "--out", str(tmp_path / "v")])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {"customers_read", "customers_kept", "fixes", "quarantined_rows", "excluded", "class_balance"} <= set(
        summary
    )
    assert {"column": "Тип сервиса", "from": "стандартт", "to": "стандарт", "count": 1}.items() <= summary["fixes"][
        0
    ].items()
    assert (tmp_path / "v" / "quarantine.csv").is_file()


def test_validate_reports_quarantine_and_exclusion(store_dir: Path, tmp_path: Path) -> None:
    path = store_dir / "market_time.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("1003,текущий_месяц,13", "1003,текущий_месяц,-1"), encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", str(store_dir), "--out", str(tmp_path / "v")])
    assert result.exit_code == 0, result.output
    assert "excluded 1003" in result.stdout
    quarantine = (tmp_path / "v" / "quarantine.csv").read_text(encoding="utf-8")
    assert "column 'минут': expected a value >= 0, found '-1'" in quarantine


def test_bad_input_exits_1_with_the_message_and_no_traceback(store_dir: Path, tmp_path: Path) -> None:
    (store_dir / "money.csv").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(store_dir), "--out", str(tmp_path / "v")])
    assert result.exit_code == 1
    assert "InputDataError: money.csv: the file is empty" in result.stderr
    assert "Traceback" not in result.output


def test_bad_policy_is_refused(store_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(store_dir), "--outliers", "drop", "--out", str(tmp_path / "v")])
    assert result.exit_code == 1
    assert "outlier_policy='drop'" in result.stderr


def test_help_is_the_manual() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "run", "synth"):
        assert command in result.stdout


def test_python_dash_m_is_the_same_command_line() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "oneclick", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage: oneclick" in done.stdout and "validate" in done.stdout


def test_offers_and_report_commands_on_a_trained_model(real_data: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    fast = ["--families", "logreg", "--iterations", "2", "--cv-repeats", "0"]
    trained = runner.invoke(app, ["train", str(real_data), "--out", str(model), *fast])
    assert trained.exit_code == 0, trained.output
    out = tmp_path / "offers"
    result = runner.invoke(app, ["offers", str(real_data), "--model", str(model), "--out", str(out), "--budget", "30"])
    assert result.exit_code == 0, result.output
    assert "campaign:" in result.stderr
    offers = pd.read_csv(out / "offers.csv")
    assert len(offers) == 1297
    assert offers["campaign_cost"].fillna(0).sum() <= 30 + 1e-6
    segments = pd.read_csv(out / "segments.csv")
    assert {"valuable_at_risk", "promo_hunters_at_risk"} <= set(segments.iloc[:, 0])


def test_report_command_refuses_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 1
    assert "InputDataError" in result.stderr


def test_unknown_language_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path), "--lang", "de"])
    assert result.exit_code == 1
    assert "--lang 'de': expected ru or en" in result.stderr


@pytest.mark.slow
def test_score_and_offers_run_out_of_core_on_parquet(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert (
        runner.invoke(app, ["synth", "--customers", "3000", "--out", str(data), "--format", "parquet"]).exit_code == 0
    )
    model = tmp_path / "model"
    fast = ["--families", "logreg", "--iterations", "2", "--cv-repeats", "0"]
    assert runner.invoke(app, ["train", str(data), "--out", str(model), *fast]).exit_code == 0
    in_memory = runner.invoke(app, ["score", str(data), "--model", str(model), "--out", str(tmp_path / "s.csv")])
    assert in_memory.exit_code == 0, in_memory.output
    out = tmp_path / "batch"
    args = ["offers", str(data), "--model", str(model), "--out", str(out), "--engine", "local", "--batch-size", "500"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "local engine" in result.stderr
    batch_scores = pd.read_parquet(out / "scores").set_index("customer_id").sort_index()
    memory_scores = pd.read_csv(tmp_path / "s.csv", index_col="customer_id").sort_index()
    assert list(batch_scores.index) == list(memory_scores.index)
    assert (batch_scores["decline_probability"] - memory_scores["decline_probability"]).abs().max() < 1e-6
    offers = pd.read_parquet(out / "offers")
    assert len(offers) == len(memory_scores)
    assert offers["reason"].notna().all()
    # At millions of customers the words are most of the time: --no-reasons leaves them out.
    quick = tmp_path / "quick"
    assert runner.invoke(app, [*args[:5], str(quick), *args[6:], "--no-reasons"]).exit_code == 0
    assert "reason" not in pd.read_parquet(quick / "offers").columns
    # The out-of-core job honours the same data policies as the in-memory one.
    args = ["score", str(data), "--model", str(model), "--out", str(tmp_path / "kept"), "--engine", "local"]
    assert runner.invoke(app, [*args, "--inactive", "keep", "--outliers", "exclude"]).exit_code == 0
    policy = json.loads((tmp_path / "kept" / "batch.json").read_text(encoding="utf-8"))["quality"]["policy"]
    assert (policy["inactive"], policy["outliers"]) == ("keep", "exclude")


def test_unknown_engine_is_refused(store_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(store_dir), "--model", str(tmp_path), "--engine", "spark"])
    assert result.exit_code == 1
    assert "--engine 'spark': expected memory, local or dask" in result.stderr
