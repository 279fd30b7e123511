"""The summary holds the run's numbers, section by section, and agrees with the run's files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from oneclick.errors import InputDataError
from oneclick.features.groups import FEATURE_NAMES, NUMERIC_FEATURES
from oneclick.report import build_summary
from oneclick.report.sections import SECTIONS


def _status(summary: dict[str, Any]) -> dict[str, str]:
    return {entry["key"]: entry["status"] for entry in summary["sections"]}


def test_summary_is_plain_json_with_one_key_per_section(synth_summary: dict[str, Any]) -> None:
    text = json.dumps(synth_summary, allow_nan=False)
    assert json.loads(text) == synth_summary
    # the campaign results are optional: a run without a campaign evaluated on its data leaves them out
    shown = [section.key for section in SECTIONS if not section.optional]
    assert [entry["key"] for entry in synth_summary["sections"]] == shown
    assert [entry["number"] for entry in synth_summary["sections"]] == list(range(1, 9))
    assert set(synth_summary) == {"meta", "sections"} | {section.key for section in SECTIONS}


def test_every_section_is_built_from_a_complete_run(synth_summary: dict[str, Any]) -> None:
    assert set(_status(synth_summary).values()) == {"ok"}
    assert all(synth_summary[section.key] is not None for section in SECTIONS if not section.optional)


def test_a_run_with_records_only_has_quality_and_conclusions(records_only_run: Path) -> None:
    summary = build_summary(records_only_run)
    status = _status(summary)
    assert status["quality"] == status["conclusions"] == "ok"
    assert {status[key] for key in ("exploration", "correlation", "model", "explanation", "segments", "offers")} == {
        "missing"
    }
    offers = next(entry for entry in summary["sections"] if entry["key"] == "offers")
    assert offers["missing"] == ["offers.csv", "profit_curve.csv", "offers_summary.json"]
    assert summary["model"] is None
    assert [f["key"] for f in summary["conclusions"]["findings"]] == [
        "segments_missing",
        "class_balance",
        "data_quality",
    ]


def test_a_section_this_version_cannot_show_says_so(records_only_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    import oneclick.report.summary

    unfinished = tuple(
        dataclasses.replace(section, build=None, view=None) if section.key == "model" else section
        for section in SECTIONS
    )
    monkeypatch.setattr(oneclick.report.summary, "SECTIONS", unfinished)
    (records_only_run / "model").mkdir()
    (records_only_run / "model" / "metrics.json").write_text("{}", encoding="utf-8")
    summary = build_summary(records_only_run)
    # Its file is there but this version has no view for it: said as such, not hidden.
    assert _status(summary)["model"] == "pending"
    assert summary["model"] is None


def test_a_metrics_file_without_its_entries_is_named(records_only_run: Path) -> None:
    (records_only_run / "model").mkdir()
    (records_only_run / "model" / "metrics.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"section 'model': model/metrics\.json lack the entry 'holdout'"):
        build_summary(records_only_run)


def test_quality_agrees_with_quality_json(synth_run: Path, synth_summary: dict[str, Any]) -> None:
    quality = json.loads((synth_run / "quality.json").read_text(encoding="utf-8"))
    section = synth_summary["quality"]
    assert section["customers_read"] == quality["customers_read"] == 600
    assert section["customers_kept"] == quality["customers_kept"]
    assert [row["id"] for row in section["excluded"]] == [row["id"] for row in quality["excluded"]]
    assert sum(section["excluded_by_kind"].values()) == len(quality["excluded"])
    assert [fix["count"] for fix in section["fixes"]] == [fix["count"] for fix in quality["fixes"]]
    assert section["class_balance"] == quality["class_balance"]


def test_exploration_agrees_with_the_customer_table(synth_run: Path, synth_summary: dict[str, Any]) -> None:
    table = pd.read_parquet(synth_run / "customer_features.parquet")
    section = synth_summary["exploration"]
    assert section["n_customers"] == len(table)
    assert section["n_declined"] == int(table["declined"].sum())
    means = table.groupby("declined")["minutes_current_month"].mean()
    minutes = next(f for f in section["features"] if f["name"] == "minutes_current_month")
    assert minutes["mean"] == pytest.approx({"declined": means[True], "unchanged": means[False]})
    assert section["months"]["minutes"]["declined"]["mean"][-1] == pytest.approx(means[True])
    for feature in section["features"]:
        for shares in feature["shares"].values():
            assert sum(shares) == pytest.approx(100, abs=0.01)
        assert 0 <= feature["separation"] <= 1
    assert [f["name"] for f in section["features"]] == FEATURE_NAMES


def test_correlation_matrix_is_a_symmetric_phik_matrix(synth_summary: dict[str, Any]) -> None:
    section = synth_summary["correlation"]
    matrix = np.array(section["matrix"], dtype=float)
    assert section["names"] == [*FEATURE_NAMES, "declined"]
    assert matrix.shape == (19, 19)
    np.testing.assert_allclose(matrix, matrix.T)
    np.testing.assert_allclose(np.diag(matrix), 1.0)
    assert np.nanmin(matrix) >= 0 and np.nanmax(matrix) <= 1
    phik = [row["phik"] for row in section["with_label"]]
    assert phik == sorted(phik, reverse=True)
    assert section["with_label"][0]["phik"] == pytest.approx(matrix[-1, :-1].max(), abs=1e-3)


def test_vif_finds_the_change_features_duplicate_the_months(synth_summary: dict[str, Any]) -> None:
    vif = synth_summary["correlation"]["vif"]
    assert set(vif["all"]) == set(NUMERIC_FEATURES)
    assert {item["name"] for item in vif["removed"] if item["exact"]} == {"revenue_change", "minutes_change"}
    revenue = next(item for item in vif["removed"] if item["name"] == "revenue_change")
    terms = {term["name"]: term["coef"] for term in revenue["combination"]}
    assert terms == pytest.approx({"revenue_current_month": 1.0, "revenue_previous_month": -1.0}, abs=1e-3)
    assert vif["all"]["revenue_change"] is None  # infinite
    assert max(vif["after"].values()) <= 5


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "nowhere", "no such run folder"),
        (lambda tmp: tmp, "not the output folder of a oneclick run"),
    ],
)
def test_a_folder_that_is_not_a_run_is_refused(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(InputDataError, match=message):
        build_summary(make(tmp_path))


def test_an_unreadable_file_is_named(records_only_run: Path) -> None:
    (records_only_run / "quality.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"quality\.json: cannot read this output of the run"):
        build_summary(records_only_run)
