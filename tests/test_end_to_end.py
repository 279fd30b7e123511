"""The README's main command, run as a user runs it on a fresh checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from oneclick.store import list_runs

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_readme_main_command_runs_on_the_built_in_synthetic_data(tmp_path: Path) -> None:
    out = tmp_path / "run"
    env = os.environ | {"PYTHON": sys.executable}
    done = subprocess.run(
        ["bash", "scripts/run.sh", "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"outputs in {out.resolve()}" in done.stdout
    assert "synthetic customers" in done.stderr
    quality = json.loads((out / "quality.json").read_text(encoding="utf-8"))
    features = pd.read_parquet(out / "customer_features.parquet")
    assert quality["customers_kept"] == len(features) > 0.9 * quality["customers_read"]
    assert {f["from"] for f in quality["fixes"]} >= {"стандартт", "предыдцщий_месяц", "Косметика и аксесуары"}
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["seed"] == 0
    metrics = json.loads((out / "model" / "metrics.json").read_text(encoding="utf-8"))
    assert 0.8 < metrics["holdout"]["roc_auc"] <= 1.0
    offers = pd.read_csv(out / "offers.csv")
    assert len(offers) == len(features)
    assert offers["reason"].notna().all()
    assert (out / "segments.csv").is_file()
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "<html" in report and "http://" not in report and "https://" not in report
    runs = list_runs(Path(os.environ["ONECLICK_STORE"]))
    assert runs["kind"].tolist() == ["run"]
    assert set(runs["tables"].iloc[0]) >= {"customers", "scores", "offers", "segments", "profit_curve"}
