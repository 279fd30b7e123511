"""The uplift an offer measured: treatment against control, with its interval, test and verdict.

The uplift is in the catalogue's own unit, the share of decline the offer removes:
``1 - decline_rate_treatment / decline_rate_control``. Its 95 % interval and p-value are
statsmodels' score interval and score test for the ratio of two independent proportions (treatment
over control), turned into uplift as ``1 - ratio``. Saved profit, net of the treated customers'
cost, is ``(rate_control - rate_treatment) x sum of treated profit x horizon - sum of cost``, its
interval from Newcomb's interval of the difference of the two rates.

Verdict rule: **works** when the uplift's 95 % interval lies above 0, **harms** when it lies below 0,
otherwise **no_evidence**; also no_evidence, with the reason, when an arm is empty or the control
group has no declines (no ratio to measure).

>>> measure_uplift(n_treatment=200, declined_treatment=40, n_control=200, declined_control=80)["verdict"]
'works'
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import numpy as np
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

Verdict = Literal["works", "no_evidence", "harms"]
VERDICT_RULE = (
    "works: the 95 % CI of the uplift lies above 0; harms: below 0; otherwise no evidence "
    "(also when an arm is empty or the control group has no declines)"
)
UPLIFT_DEFINITION = "1 - decline_rate_treatment / decline_rate_control (share of decline removed)"
TEST = "score test and score interval of the ratio of two proportions (statsmodels); saved profit: Newcomb's interval"
TEST_FALLBACK = (
    "score test of the ratio of two proportions; its interval missed the estimate at these tiny counts, so the "
    "log interval with 0.5 added to each cell (statsmodels 'log-adjusted'); saved profit: Newcomb's interval"
)
ALPHA = 0.05


def measure_uplift(
    *,
    n_treatment: int,
    declined_treatment: int,
    n_control: int,
    declined_control: int,
    treated_profit: float = 0.0,
    treated_cost: float = 0.0,
    horizon_months: float = 3.0,
) -> dict[str, Any]:
    """One comparison of treatment and control: rates, uplift with CI and p-value, saved profit, verdict.

    Missing figures are ``None`` (never NaN), with ``reason`` saying why.
    """
    check_counts(n_treatment, declined_treatment, "treatment")
    check_counts(n_control, declined_control, "control")
    row: dict[str, Any] = {
        "n_treatment": n_treatment,
        "n_control": n_control,
        "decline_rate_treatment": declined_treatment / n_treatment if n_treatment else None,
        "decline_rate_control": declined_control / n_control if n_control else None,
        "uplift": None,
        "uplift_ci_low": None,
        "uplift_ci_high": None,
        "p_value": None,
        "saved_profit": None,
        "saved_profit_ci_low": None,
        "saved_profit_ci_high": None,
        "cost": treated_cost,
        "test": TEST,
        "verdict": "no_evidence",
        "reason": None,
    }
    if not n_treatment or not n_control:
        row["reason"] = f"an empty arm ({n_treatment} treated, {n_control} control customers)"
        return row
    if declined_control == 0:
        row["reason"] = f"no declines among the {n_control} control customers: no share of decline to remove"
        return row
    counts = (declined_treatment, n_treatment, declined_control, n_control)
    with warnings.catch_warnings():
        # statsmodels divides by zero inside the score interval when the treated arm has no
        # declines, and its cubic's roots can come out complex for tiny groups: both are handled by
        # _real below, so the warnings say nothing the result does not.
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        ratio_low, ratio_high = confint_proportions_2indep(*counts, compare="ratio", method="score", alpha=ALPHA)
        test = test_proportions_2indep(*counts, compare="ratio", method="score")
        diff_low, diff_high = confint_proportions_2indep(*counts, compare="diff", method="newcomb", alpha=ALPHA)
    rate_t, rate_c = row["decline_rate_treatment"], row["decline_rate_control"]
    uplift = 1.0 - rate_t / rate_c
    ratio_low, ratio_high, p_value = _real(ratio_low), _real(ratio_high), _real(test.pvalue)
    if not _holds(ratio_low, ratio_high, rate_t / rate_c):
        # At a boundary of tiny groups (an arm that declined to the last customer) the score
        # interval can miss its own estimate: 3 of 4 against 3 of 3 gives [0.86; 2.03] around 0.75.
        # The log interval with 0.5 added to each cell is the fallback, and the row says so.
        ratio_low, ratio_high = (
            _real(end)
            for end in confint_proportions_2indep(*counts, compare="ratio", method="log-adjusted", alpha=ALPHA)
        )
        row["test"] = TEST_FALLBACK
        if not _holds(ratio_low, ratio_high, rate_t / rate_c) or ratio_low == ratio_high:
            row["reason"] = "too few customers for an interval (every customer of both arms declined, or none)"
            return row
    row |= {
        "uplift": uplift,
        "uplift_ci_low": None if ratio_high is None else 1.0 - ratio_high,
        "uplift_ci_high": 1.0 - max(ratio_low or 0.0, 0.0),
        "p_value": p_value,
    }
    scale = treated_profit * horizon_months
    # treatment minus control, negated: the declines the offer removed
    row |= {
        "saved_profit": (rate_c - rate_t) * scale - treated_cost,
        "saved_profit_ci_low": -float(diff_high) * scale - treated_cost,
        "saved_profit_ci_high": -float(diff_low) * scale - treated_cost,
    }
    row["verdict"] = verdict_of(row["uplift_ci_low"], row["uplift_ci_high"])
    if row["uplift_ci_low"] is None:
        row["reason"] = "the interval has no lower end (no declines among the treated)"
    return row


def verdict_of(ci_low: float | None, ci_high: float | None) -> Verdict:
    """The verdict rule (:data:`VERDICT_RULE`) on an uplift's 95 % interval."""
    # An interval end a rounding error away from 0 (the score interval's root at a boundary) touches 0.
    if ci_low is not None and ci_low > _TOUCHES_ZERO:
        return "works"
    if ci_high is not None and ci_high < -_TOUCHES_ZERO:
        return "harms"
    return "no_evidence"


# The score interval's roots at a boundary land up to ~1e-7 off (1 of 1 against 1 of 1: -2.8e-8).
_ROOT_TOLERANCE = 1e-6
_TOUCHES_ZERO = _ROOT_TOLERANCE


def _holds(low: float | None, high: float | None, ratio: float) -> bool:
    """The interval contains its own estimate (up to the score roots' rounding)."""
    tolerance = _ROOT_TOLERANCE * max(1.0, ratio)
    return low is not None and high is not None and low - tolerance <= ratio <= high + tolerance


def _real(value: complex | float) -> float | None:
    """A statsmodels figure as a float; None where it has none (NaN, infinite, or a complex root that
    the score interval's cubic gives at the boundaries of tiny groups)."""
    number = complex(value)
    if abs(number.imag) > 1e-9 * max(1.0, abs(number.real)) or not math.isfinite(number.real):
        return None
    return float(number.real)


def check_counts(n: int, declined: int, arm: str) -> None:
    """Refuse counts that cannot be: declines below 0 or above the arm's customers."""
    if n < 0 or declined < 0 or declined > n:
        raise ValueError(f"{arm}: expected 0 <= declined <= customers, found {declined} declined of {n}")
