"""Period comparisons kept in the store and read back as they were written; the previous period's run."""

from __future__ import annotations

import copy
import time

import pandas as pd
import pytest

from oneclick.errors import StoreError
from oneclick.store import (
    RunRecord,
    latest_period_comparison,
    list_period_comparisons,
    load_period_comparison,
    previous_period_run,
    register_period_comparison,
    register_run,
)

# The parts of `oneclick compare --json` the store indexes, and a nested part it keeps as it is.
RESULT = {
    "format": "oneclick-comparison/1",
    "old": {"source": "exports/2026-10", "kind": "folder", "n_customers": 3, "data_fingerprint": "aa11"},
    "new": {"source": "run-20261203T070000Z-abc123", "kind": "run", "n_customers": 3, "data_fingerprint": "bb22"},
    "model": {"model_id": "86f52cbe95f6484d", "threshold": 0.43},
    "features": [{"feature": "pages_per_visit", "drift": True, "distribution": {"bins": [3.0, None]}}],
    "dataset_drift": {"dataset_drift": False, "drifted_features": ["pages_per_visit"]},
    "decay": {"realised": {"roc_auc": {"value": 0.887, "ci": [0.859, 0.913]}}},
    "verdict": "watch",
}


def test_a_comparison_is_read_back_as_it_was_kept(tmp_path) -> None:
    store = tmp_path / "store.duckdb"
    comparison_id = register_period_comparison(store, RESULT)
    stored = load_period_comparison(store, comparison_id)
    assert stored.comparison_id == comparison_id and comparison_id.startswith("periods-")
    assert stored.result == RESULT
    assert (stored.old_source, stored.new_source) == ("exports/2026-10", "run-20261203T070000Z-abc123")
    assert (stored.old_fingerprint, stored.new_fingerprint) == ("aa11", "bb22")
    assert (stored.model_id, stored.verdict) == ("86f52cbe95f6484d", "watch")
    assert load_period_comparison(store, comparison_id[:-3]).comparison_id == comparison_id


def test_the_latest_and_the_list_are_newest_first(tmp_path) -> None:
    store = tmp_path / "store.duckdb"
    first = register_period_comparison(store, RESULT)
    time.sleep(0.01)
    retrain = copy.deepcopy(RESULT) | {"verdict": "retrain"}
    second = register_period_comparison(store, retrain)
    latest = latest_period_comparison(store)
    assert latest is not None and latest.comparison_id == second and latest.verdict == "retrain"
    listed = list_period_comparisons(store)
    assert listed["comparison_id"].tolist() == [second, first]
    assert listed["drifted_features"].map(list).tolist() == [["pages_per_visit"], ["pages_per_visit"]]


def test_an_empty_store_has_no_latest(tmp_path) -> None:
    store = tmp_path / "store.duckdb"
    register_run(store, RunRecord(kind="score"))
    assert latest_period_comparison(store) is None
    assert list_period_comparisons(store).empty


@pytest.mark.parametrize(
    ("result", "message"),
    [
        ({k: v for k, v in RESULT.items() if k != "old"}, "lacks 'old'"),
        (RESULT | {"verdict": "panic"}, "verdict must be one of"),
    ],
)
def test_a_result_that_is_not_a_comparison_is_refused(tmp_path, result, message) -> None:
    with pytest.raises(StoreError, match=message):
        register_period_comparison(tmp_path / "store.duckdb", result)


def test_an_unknown_or_short_id_is_named(tmp_path) -> None:
    store = tmp_path / "store.duckdb"
    register_period_comparison(store, RESULT)
    with pytest.raises(StoreError, match="no period comparison 'periods-1999'"):
        load_period_comparison(store, "periods-1999")
    with pytest.raises(StoreError, match="at least 4"):
        load_period_comparison(store, "pe")


def test_the_previous_period_is_the_newest_run_of_another_export(tmp_path) -> None:
    store = tmp_path / "store.duckdb"
    customers = pd.DataFrame({"customer_id": [1, 2]})

    def run(fingerprint: str, kind: str = "run", tables: bool = True) -> str:
        time.sleep(0.01)  # created_at orders the runs
        return register_run(
            store, RunRecord(kind=kind, data_fingerprint=fingerprint), {"customers": customers} if tables else None
        )

    october = run("oct")
    run("oct-scored", kind="score")  # not a run of the main job
    run("oct-no-table", tables=False)  # nothing to compare with
    november = run("nov")
    november_again = run("nov")  # the same export run again is not a period
    assert previous_period_run(store, "nov", before=november_again) == october
    assert previous_period_run(store, "nov", before=november) == october
    assert previous_period_run(store, "dec") == november_again
    assert previous_period_run(store, "oct", before=october) is None
