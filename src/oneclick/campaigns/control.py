"""Control groups inside each stratum (segment x offer) of a plan: sized by a share or by power.

Power is statsmodels' normal approximation for two independent proportions (``NormalIndPower``
on Cohen's h, ``proportion_effectsize``): the base decline rate p0 (the stratum's mean decline
probability) against p0 x (1 - uplift). The minimum detectable uplift is the share of decline an
offer must remove to be found with the target power at the chosen sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

TOO_FEW_PER_ARM = "fewer_than_min_per_arm"
MDE_TOO_LARGE = "minimum_detectable_uplift_too_large"


@dataclass(frozen=True)
class ControlSettings:
    """How control groups are sized: ``share`` of each stratum, or the smallest size reaching ``power``."""

    share: float | None
    power: float
    alpha: float
    max_share: float
    min_per_arm: int
    mde_warning_ratio: float

    @property
    def method(self) -> str:
        return "share" if self.share is not None else "power"

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "share": self.share,
            "power": self.power,
            "alpha": self.alpha,
            "max_share": self.max_share,
            "min_per_arm": self.min_per_arm,
            "mde_warning_ratio": self.mde_warning_ratio,
            "test": "two-sided z-test of two proportions (statsmodels NormalIndPower, Cohen's h)",
        }


def achieved_power(p0: float, uplift: float, n_treatment: int, n_control: int, alpha: float) -> float:
    """Power to detect ``uplift`` (share of decline removed) at base rate ``p0`` with these arm sizes."""
    if n_treatment < 1 or n_control < 1 or uplift <= 0 or p0 <= 0:
        return float("nan") if n_treatment < 1 or n_control < 1 else alpha
    h = proportion_effectsize(p0, p0 * (1 - uplift))
    return float(NormalIndPower().power(h, n_treatment, alpha, ratio=n_control / n_treatment))


def minimum_detectable_uplift(p0: float, n_treatment: int, n_control: int, alpha: float, power: float) -> float:
    """The smallest uplift found with ``power`` at these sizes; 1.0 when even removing all decline is not."""
    if n_treatment < 1 or n_control < 1 or p0 <= 0:
        return float("nan")
    if achieved_power(p0, 1.0, n_treatment, n_control, alpha) < power:
        return 1.0
    return float(brentq(lambda u: achieved_power(p0, u, n_treatment, n_control, alpha) - power, 1e-9, 1.0))


def control_size(n: int, p0: float, uplift: float, settings: ControlSettings) -> int:
    """The control group's size in a stratum of ``n`` customers."""
    if n < 2:
        return 0
    if settings.share is not None:
        return int(min(max(math.floor(settings.share * n + 0.5), 1), n - 1))
    largest = max(1, min(math.floor(settings.max_share * n), n - 1))
    for size in range(1, largest + 1):  # power grows with the control group up to half the stratum
        if achieved_power(p0, uplift, n - size, size, settings.alpha) >= settings.power:
            return size
    return largest


def size_strata(plan: pd.DataFrame, settings: ControlSettings) -> pd.DataFrame:
    """One row per stratum of ``plan`` (columns segment, offer_id, stratum, decline_probability,
    assumed_uplift): sizes, base decline rate, assumed uplift, MDE, achieved power, warning code."""
    rows = []
    for stratum, group in plan.groupby("stratum", sort=True):
        n = len(group)
        p0, uplift = float(group["decline_probability"].mean()), float(group["assumed_uplift"].mean())
        n_control = control_size(n, p0, uplift, settings)
        n_treatment = n - n_control
        mde = minimum_detectable_uplift(p0, n_treatment, n_control, settings.alpha, settings.power)
        warning = None
        if min(n_treatment, n_control) < settings.min_per_arm:
            warning = TOO_FEW_PER_ARM
        elif not mde <= settings.mde_warning_ratio * uplift:
            warning = MDE_TOO_LARGE
        power = achieved_power(p0, uplift, n_treatment, n_control, settings.alpha)
        rows.append(
            {
                "stratum": stratum,
                "segment": group["segment"].iloc[0],
                "offer_id": group["offer_id"].iloc[0],
                "n": n,
                "n_treatment": n_treatment,
                "n_control": n_control,
                "base_decline_rate": p0,
                "assumed_uplift": uplift,
                "minimum_detectable_uplift": None if math.isnan(mde) else mde,
                "power": None if math.isnan(power) else power,
                "warning": warning,
            }
        )
    return pd.DataFrame(rows)


def draw_control(plan: pd.DataFrame, strata: pd.DataFrame, seed: int) -> pd.Series:
    """The arm of each planned customer: strata in sorted order, customers by id, ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    arm = pd.Series("treatment", index=plan["customer_id"].to_numpy(), dtype=object)
    sizes = dict(zip(strata["stratum"], strata["n_control"], strict=True))
    for stratum in sorted(sizes):
        ids = np.sort(plan.loc[plan["stratum"] == stratum, "customer_id"].to_numpy())
        if sizes[stratum] > 0:
            arm[rng.choice(ids, size=int(sizes[stratum]), replace=False)] = "control"
    return arm
