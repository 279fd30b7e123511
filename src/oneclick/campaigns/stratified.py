"""The uplift of a row that spans several strata: a stratified (post-stratified) estimate.

A campaign's control group is drawn inside each stratum (segment x offer) with a share of its own
(power sizing gives a well-measured stratum a smaller control group), so only customers of the same
stratum are randomised against each other. Pooling every treated customer against every control
customer would mix the strata's base rates: a stratum with a high decline rate and a small control
share weighs more among the treated than among the controls, and the pooled difference is biased.

So an offer over its segments, and the campaign overall, are estimated stratum by stratum and
standardised to the treated customers (the effect on the treated, which saved profit is about):

- weights ``w_s`` = the stratum's matched treated count;
- standardised decline rates ``R_t = sum w_s r_ts / sum w_s`` and ``R_c = sum w_s r_cs / sum w_s``;
  the uplift is ``1 - R_t / R_c``, in the catalogue's unit (share of decline removed);
- its 95 % interval from the interval of ``log(R_t / R_c)`` by the delta method, with
  ``Var(sum w r) = sum w^2 r (1 - r) / n`` per arm, and the p-value of that Wald z;
- saved profit ``sum_s [(r_cs - r_ts) x treated profit_s x horizon - cost_s]``, its variance
  ``sum (profit_s x horizon)^2 (var_ts + var_cs)`` with ``var = r (1 - r) / n``, its normal 95 % interval.

A stratum that cannot be measured (an empty arm) is left out of the estimate, counted
(``n_strata``, ``n_strata_measured``) and named in ``reason``; the row's ``n_treatment``,
``n_control`` and ``cost`` stay those of all its strata. The verdict rule is the single stratum's
(:data:`oneclick.campaigns.uplift.VERDICT_RULE`).

Why not statsmodels: ``StratifiedTable.riskratio_pooled`` is the Mantel-Haenszel risk ratio, with no
interval, and its weights (``n_t n_c / n``) target another quantity than the effect on the treated
when the effect differs between strata; its ``oddsratio_pooled_confint`` is about odds, not the
catalogue's share of decline removed.

>>> strata = [Stratum("a", 100, 20, 100, 40), Stratum("b", 100, 5, 50, 5)]
>>> round(measure_stratified(strata)["uplift"], 3)
0.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy.stats import norm

from oneclick.campaigns.uplift import ALPHA, check_counts, verdict_of

STRATIFIED_TEST = (
    "stratified over the campaign's strata (segment x offer), standardised to the treated: Wald z and 95 % CI "
    "of log(R_t / R_c) by the delta method; saved profit: the strata's sum with its normal 95 % CI"
)
STRATIFIED_DEFINITION = (
    "rows over several strata: 1 - R_t / R_c, R = the strata's decline rates weighted by their treated counts"
)


@dataclass(frozen=True)
class Stratum:
    """One stratum's matched counts: customers and declines per arm, the treated customers' profit and cost."""

    name: str
    n_treatment: int
    declined_treatment: int
    n_control: int
    declined_control: int
    treated_profit: float = 0.0
    treated_cost: float = 0.0


def measure_stratified(strata: Sequence[Stratum], horizon_months: float = 3.0) -> dict[str, Any]:
    """The stratified row (see the module): the keys of ``measure_uplift`` plus ``n_strata``, ``n_strata_measured``.

    Missing figures are ``None`` (never NaN), with ``reason`` saying why.
    """
    for stratum in strata:
        check_counts(stratum.n_treatment, stratum.declined_treatment, f"{stratum.name}, treatment")
        check_counts(stratum.n_control, stratum.declined_control, f"{stratum.name}, control")
    measured = [s for s in strata if s.n_treatment and s.n_control]
    left_out = [s.name for s in strata if not (s.n_treatment and s.n_control)]
    row: dict[str, Any] = {
        "n_treatment": sum(s.n_treatment for s in strata),
        "n_control": sum(s.n_control for s in strata),
        "n_strata": len(strata),
        "n_strata_measured": len(measured),
        "decline_rate_treatment": None,
        "decline_rate_control": None,
        "uplift": None,
        "uplift_ci_low": None,
        "uplift_ci_high": None,
        "p_value": None,
        "saved_profit": None,
        "saved_profit_ci_low": None,
        "saved_profit_ci_high": None,
        "cost": float(sum(s.treated_cost for s in strata)),
        "test": STRATIFIED_TEST,
        "verdict": "no_evidence",
        "reason": None,
    }
    reasons = []
    if left_out:
        reasons.append(
            f"{len(left_out)} of {len(strata)} strata left out, an arm empty: {', '.join(left_out)} "
            "(saved profit is that of the measured strata)"
        )
    if not measured:
        row["reason"] = "; ".join(reasons)
        return row
    row |= _saved_profit(measured, horizon_months)
    row |= _uplift(measured, reasons)
    row["reason"] = "; ".join(reasons) or None
    return row


def _uplift(measured: Sequence[Stratum], reasons: list[str]) -> dict[str, Any]:
    """Standardised rates, the uplift, its delta-method interval on the log ratio and the Wald p-value."""
    weight = [s.n_treatment for s in measured]
    total = sum(weight)
    rate_t = [s.declined_treatment / s.n_treatment for s in measured]
    rate_c = [s.declined_control / s.n_control for s in measured]
    sum_t = sum(w * r for w, r in zip(weight, rate_t, strict=True))
    sum_c = sum(w * r for w, r in zip(weight, rate_c, strict=True))
    out: dict[str, Any] = {"decline_rate_treatment": sum_t / total, "decline_rate_control": sum_c / total}
    if sum_c == 0:
        reasons.append("no declines among the control customers of the measured strata: no share of decline to remove")
        return out
    out["uplift"] = 1.0 - sum_t / sum_c
    if sum_t == 0:
        reasons.append("the interval has no lower end (no declines among the treated)")
        return out | {"uplift_ci_high": 1.0}
    var_t = sum(w**2 * r * (1 - r) / s.n_treatment for w, r, s in zip(weight, rate_t, measured, strict=True))
    var_c = sum(w**2 * r * (1 - r) / s.n_control for w, r, s in zip(weight, rate_c, measured, strict=True))
    se = math.sqrt(var_t / sum_t**2 + var_c / sum_c**2)
    if se == 0:
        reasons.append("every measured stratum's decline rates are 0 or 1: no spread to build an interval on")
        return out
    log_ratio, z = math.log(sum_t / sum_c), norm.ppf(1 - ALPHA / 2)
    low, high = 1.0 - math.exp(log_ratio + z * se), 1.0 - math.exp(log_ratio - z * se)
    return out | {
        "uplift_ci_low": low,
        "uplift_ci_high": high,
        "p_value": float(2 * norm.sf(abs(log_ratio) / se)),
        "verdict": verdict_of(low, high),
    }


def _saved_profit(measured: Sequence[Stratum], horizon_months: float) -> dict[str, float]:
    """The strata's saved profit net of cost, summed, with its normal 95 % interval."""
    saved, variance = 0.0, 0.0
    for s in measured:
        rate_t, rate_c = s.declined_treatment / s.n_treatment, s.declined_control / s.n_control
        scale = s.treated_profit * horizon_months
        saved += (rate_c - rate_t) * scale - s.treated_cost
        variance += scale**2 * (rate_t * (1 - rate_t) / s.n_treatment + rate_c * (1 - rate_c) / s.n_control)
    half = norm.ppf(1 - ALPHA / 2) * math.sqrt(variance)
    return {"saved_profit": saved, "saved_profit_ci_low": saved - half, "saved_profit_ci_high": saved + half}
