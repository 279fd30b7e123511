"""The catalogue update's shrinkage: between prior and measurement, closer to the measurement as it sharpens."""

from __future__ import annotations

import pytest

from oneclick.campaigns import shrunk_uplift, updated_catalogue
from oneclick.offers import catalogue_from_mapping, shipped_catalogue_mapping


def test_the_shrunk_uplift_lies_between_and_follows_precision() -> None:
    noisy = shrunk_uplift(0.08, 0.40, 0.20, 0.10)
    sharp = shrunk_uplift(0.08, 0.40, 0.02, 0.10)
    assert 0.08 < noisy < sharp < 0.40
    assert sharp == pytest.approx(0.40, abs=0.02)
    assert shrunk_uplift(0.08, -0.9, 0.01, 0.10) == 0.0  # clipped to the catalogue's range


def test_an_update_writes_evidence_keeps_unmeasured_offers_and_stays_a_valid_catalogue() -> None:
    shipped = dict(shipped_catalogue_mapping())
    first, second = shipped["offers"][0]["id"], shipped["offers"][1]["id"]
    evaluation = {
        "campaign_id": "campaign-1",
        "offers": [
            {"offer": first, "segment": "all", "uplift": 0.3, "uplift_ci_low": 0.1, "uplift_ci_high": 0.5,
             "n_treatment": 300, "n_control": 300},
            {"offer": first, "segment": "no_such_segment", "uplift": 0.3, "uplift_ci_low": 0.1,
             "uplift_ci_high": 0.5, "n_treatment": 30, "n_control": 30},
            {"offer": second, "segment": "all", "uplift": None, "uplift_ci_low": None, "uplift_ci_high": None,
             "n_treatment": 3, "n_control": 0},
        ],
    }  # fmt: skip
    mapping, changes = updated_catalogue(shipped, evaluation, prior_sd=0.1, segment_names=[])
    catalogue = catalogue_from_mapping(mapping, "test")
    assert catalogue.offer(first).is_measured() and not catalogue.offer(second).is_measured()
    assert catalogue.offer(second).uplift == next(o for o in shipped["offers"] if o["id"] == second)["uplift"]
    assert [c.get("skipped") for c in changes] == [None, "not a segment the catalogue names"]
    assert shipped["offers"][0].get("uplift_evidence") is None  # the old version's mapping is untouched
