"""Control groups: sized by the power calculation (recomputed here), drawn reproducibly by seed."""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from oneclick.campaigns.control import ControlSettings, draw_control, size_strata

POWER = ControlSettings(share=None, power=0.8, alpha=0.05, max_share=0.5, min_per_arm=30, mde_warning_ratio=2.0)


def _plan(n: int, p: float, uplift: float, stratum: str = "s|o") -> pd.DataFrame:
    segment, offer = stratum.split("|")
    return pd.DataFrame(
        {
            "customer_id": range(n),
            "segment": segment,
            "offer_id": offer,
            "stratum": stratum,
            "decline_probability": p,
            "assumed_uplift": uplift,
        }
    )


def test_the_control_size_is_the_smallest_reaching_the_power() -> None:
    strata = size_strata(_plan(2000, 0.5, 0.3), POWER)
    c = int(strata["n_control"].iloc[0])
    h = proportion_effectsize(0.5, 0.5 * 0.7)
    power = NormalIndPower().power
    assert power(h, 2000 - c, 0.05, ratio=c / (2000 - c)) >= 0.8
    assert power(h, 2000 - c + 1, 0.05, ratio=(c - 1) / (2000 - c + 1)) < 0.8
    assert strata["warning"].iloc[0] is None


def test_a_small_stratum_is_capped_and_warned() -> None:
    strata = size_strata(_plan(40, 0.4, 0.08), POWER)
    assert strata["n_control"].iloc[0] == 20  # max share 0.5
    assert strata["warning"].iloc[0] == "fewer_than_min_per_arm"
    assert strata["power"].iloc[0] < 0.8
    assert strata["minimum_detectable_uplift"].iloc[0] > 0.08


def test_a_share_sizes_every_stratum() -> None:
    share = ControlSettings(0.25, 0.8, 0.05, 0.5, 30, 2.0)
    assert size_strata(_plan(100, 0.4, 0.1), share)["n_control"].iloc[0] == 25


def test_the_same_seed_gives_the_same_draw_and_another_seed_another() -> None:
    plan = _plan(200, 0.5, 0.3)
    strata = size_strata(plan, ControlSettings(0.3, 0.8, 0.05, 0.5, 30, 2.0))
    first, again, other = (draw_control(plan, strata, seed) for seed in (1, 1, 2))
    assert (first == "control").sum() == 60
    pd.testing.assert_series_equal(first, again)
    assert not first.equals(other)
