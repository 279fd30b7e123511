"""`oneclick run` against the last period: found in the store by itself, kept there, written beside the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fast_settings import FAST
from oneclick.errors import ConfigError
from oneclick.layout import CHANGES_FILE, REPORT_FILES
from oneclick.periods import PreviousPeriod
from oneclick.pipeline import run_pipeline
from oneclick.store import latest_period_comparison
from oneclick.synth import write_next_period, write_synthetic_dataset


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("periods")
    write_synthetic_dataset(root / "p1", 400, seed=11)
    write_next_period(root / "p1", root / "p2", drift="pages_per_visit:-1sd", seed=11)
    return root / "p1", root / "p2"


def test_the_second_run_is_compared_with_the_first_by_itself(two_periods, tmp_path: Path) -> None:
    p1, p2 = two_periods
    store = tmp_path / "s.duckdb"
    first = run_pipeline(p1, tmp_path / "r1", FAST, languages=("en",), store=store)
    assert first.changes is None and not (tmp_path / "r1" / CHANGES_FILE).exists()
    second = run_pipeline(p2, tmp_path / "r2", FAST, languages=("en",), store=store)
    assert second.changes is not None and second.changes.path == tmp_path / "r2" / CHANGES_FILE
    written = json.loads(second.changes.path.read_text(encoding="utf-8"))
    assert written["verdict"] == second.changes.verdict in ("keep", "watch", "retrain")
    drifted = {f["feature"] for f in written["features"] if f["drift"]}
    assert "pages_per_visit" in drifted
    stored = latest_period_comparison(store)
    assert stored is not None and stored.comparison_id == second.changes.comparison_id
    # the run's report shows the comparison, made on this run's own data
    report = (tmp_path / "r2" / REPORT_FILES["en"]).read_text(encoding="utf-8")
    assert 'id="s-changes"' in report and second.changes.comparison_id in report
    assert "other data than this run" not in report
    first_report = (tmp_path / "r1" / REPORT_FILES["en"]).read_text(encoding="utf-8")
    assert 'id="s-changes"' not in first_report


def test_no_previous_compares_with_nothing(two_periods, tmp_path: Path) -> None:
    p1, p2 = two_periods
    store = tmp_path / "s.duckdb"
    run_pipeline(p1, tmp_path / "r1", FAST, languages=("en",), store=store)
    second = run_pipeline(
        p2, tmp_path / "r2", FAST, languages=("en",), store=store, previous=PreviousPeriod(find=False)
    )
    assert second.changes is None and not (tmp_path / "r2" / CHANGES_FILE).exists()


def test_both_options_are_refused() -> None:
    with pytest.raises(ConfigError, match="give one of them"):
        PreviousPeriod.of("exports/2026-11", True)
