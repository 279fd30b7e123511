"""A comparison of two periods arranged for showing: drifted features, decay beside the promise, migration, verdict."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from oneclick.analysis import decay_rows, period_changes
from oneclick.errors import InputDataError


@pytest.fixture(scope="module")
def realised(period_comparisons: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return period_changes(period_comparisons["realised"])


def test_the_moved_feature_leads_the_drifted_ones_with_both_distributions(
    realised: dict[str, Any], period_comparisons: dict[str, dict[str, Any]]
) -> None:
    raw = period_comparisons["realised"]
    assert len(realised["features"]) == len(raw["features"]) == 18
    drifted = realised["drifted"]
    assert drifted[0]["feature"] == "pages_per_visit"  # moved by one standard deviation: the largest PSI
    assert {f["feature"] for f in drifted} == set(raw["dataset_drift"]["drifted_features"])
    assert [f["psi"] for f in drifted] == sorted((f["psi"] for f in drifted), reverse=True)
    for feature in drifted:
        assert len(feature["bins"]) == len(feature["share_old"]) == len(feature["share_new"])
        assert sum(feature["share_old"]) == pytest.approx(1, abs=1e-4)
        assert sum(feature["share_new"]) == pytest.approx(1, abs=1e-4)
    moved = drifted[0]
    # fewer pages per visit: the new period puts more of its customers in the lowest bin
    assert moved["share_new"][0] > moved["share_old"][0]


def test_the_realised_decay_stands_beside_the_promise_and_the_expectation(
    realised: dict[str, Any], period_comparisons: dict[str, dict[str, Any]]
) -> None:
    decay, raw = realised["decay"], period_comparisons["realised"]["decay"]
    assert not decay["estimated"]
    assert [row["figure"] for row in decay["rows"]] == ["roc_auc", "brier", "precision", "recall"]
    for row in decay["rows"]:
        name = row["figure"]
        assert row["value"] == raw["realised"][name]["value"]
        low, high = row["ci"]
        assert low <= row["value"] <= high
        assert row["promised"] == raw["promised"][name]
        assert row["expected"] == raw["expected"][name]["value"]
    auc, brier = decay["rows"][0], decay["rows"][1]
    assert auc["promised_ci"] == raw["promised"]["roc_auc_ci"]
    assert auc["improvement"] == pytest.approx(auc["value"] - auc["promised"])
    assert brier["improvement"] == pytest.approx(brier["promised"] - brier["value"])  # a lower Brier is better
    assert decay["n_customers"] == realised["customers"]["n_both"]
    assert decay["against_expected"]["roc_auc"]["expected"] is not None


def test_without_labels_the_figures_are_the_estimate_and_say_so(period_comparisons: dict[str, dict[str, Any]]) -> None:
    raw = period_comparisons["estimated"]
    decay = period_changes(raw)["decay"]
    assert decay["estimated"]
    assert decay["rows"][0]["value"] == raw["decay"]["estimate"]["roc_auc"]["value"]
    assert all(row["expected"] is None for row in decay["rows"])  # the estimate is the expectation itself
    assert decay["against_expected"] is None


def test_a_brier_rise_counts_against_the_model() -> None:
    figure = {"value": 0.2, "ci": [0.18, 0.22]}
    decay = {
        "estimated": False,
        "n_customers": 10,
        "promised": {"roc_auc": 0.8, "brier": 0.15, "precision": 0.6, "recall": 0.7, "n_customers": 4},
        "realised": {"roc_auc": figure, "brier": figure, "precision": figure, "recall": figure},
    }
    rows = {row["figure"]: row for row in decay_rows(decay)["rows"]}
    assert rows["brier"]["improvement"] == pytest.approx(-0.05)
    assert rows["roc_auc"]["improvement"] == pytest.approx(-0.6)


def test_migration_rows_are_shares_of_the_old_cell(realised: dict[str, Any]) -> None:
    cells = realised["migration"]["risk_profit_cell"]
    assert cells["rows"] == cells["columns"] and len(cells["rows"]) == 4
    assert sum(map(sum, cells["counts"])) == cells["n_customers"] == realised["customers"]["n_both"]
    for counts, shares in zip(cells["counts"], cells["row_shares"], strict=True):
        if sum(counts):
            assert sum(shares) == pytest.approx(1)
    assert "primary_segment" in realised["migration"]


def test_customers_left_and_joined_add_up(realised: dict[str, Any]) -> None:
    customers = realised["customers"]
    assert customers["n_left"] + customers["n_both"] == customers["n_old"]
    assert customers["n_joined"] + customers["n_both"] == customers["n_new"]
    assert customers["n_left"] > 0 and customers["left_mean_probability"] is not None


def test_the_verdict_follows_its_holding_clauses(realised: dict[str, Any]) -> None:
    holding = {r["leads_to"] for r in realised["reasons"] if r["holds"]}
    expected = "retrain" if "retrain" in holding else "watch" if "watch" in holding else "keep"
    assert realised["verdict"] == expected
    assert realised["comparison_id"].startswith("comparison-")
    assert any(r["rule"] == "feature_drift" and r["holds"] for r in realised["reasons"])


def _without(result: dict[str, Any], *path: str | int) -> dict[str, Any]:
    broken = copy.deepcopy(result)
    found: Any = broken
    for key in path[:-1]:
        found = found[key]
    del found[path[-1]]
    return broken


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        (("decay",), r"missing entries \['decay'\]"),
        (("features", 3, "distribution"), r"features\[3\]: \('\w+'\) lacks \['distribution'\]"),
        (("decay", "realised"), "decay: lacks 'realised'"),
        (("customers", "left"), r"customers: lacks \['left.n', 'left.share_of_old'\]"),
        (("migration", "risk_profit_cell", "counts"), r"migration.risk_profit_cell: lacks \['counts'\]"),
    ],
)
def test_a_broken_comparison_is_named_with_its_problem(
    period_comparisons: dict[str, dict[str, Any]], path: tuple[str | int, ...], problem: str
) -> None:
    broken = _without(period_comparisons["realised"], *path)
    with pytest.raises(InputDataError, match=r"out/changes\.json: not a comparison of two periods") as raised:
        period_changes(broken, source="out/changes.json")
    assert raised.match(problem)


@pytest.mark.parametrize(
    ("found", "problem"),
    [
        ([1, 2], "expected a JSON object, found list"),
        ({"format": "oneclick-campaign/1"}, "entry 'format' is 'oneclick-campaign/1'"),
    ],
)
def test_a_foreign_file_is_refused(found: Any, problem: str) -> None:
    with pytest.raises(InputDataError, match=problem):
        period_changes(found, source="changes.json")
