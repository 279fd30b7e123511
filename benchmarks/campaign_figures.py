"""The figures of ``benchmarks/campaign.py``: the truth, the targets, the rates with their intervals, the text.

Kept apart from the simulation so that each file holds one job; ``campaign.py`` imports it (run from
the repository, ``python benchmarks/campaign.py``, the folder is on the import path).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

# The truth the simulations are measured against; the shipped catalogue assumes 0.03-0.12 overall.
TRUE_UPLIFT = {
    "promo_code_favourite": 0.40,  # clearly works (assumed 0.08, 0.20 in promo_hunters_at_risk)
    "premium_trial": 0.25,
    "free_delivery": 0.15,
    "cart_reminder_discount": 0.10,
    "tailored_newsletter": 0.05,  # small (assumed 0.03)
    "cross_category_bundle": 0.0,  # does nothing (assumed 0.07)
    "apology_bonus": 0.0,
}
TARGETS = {"coverage": 0.90, "false_works": 0.05}


def summarise(simulations: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The figures over all simulations, each target with its threshold and PASS / FAIL."""
    coverage = {offer: _coverage(simulations, offer) for offer in TRUE_UPLIFT}
    covered = sum(c["covered"] for c in coverage.values())
    with_interval = sum(c["n"] for c in coverage.values())
    zero = [offer for offer, uplift in TRUE_UPLIFT.items() if uplift == 0]
    works = [s["offers"][o]["verdict"] == "works" for s in simulations for o in zero if o in s["offers"]]
    mae_assumed = [_mae(s["assumed_uplift"]) for s in simulations]
    mae_updated = [_mae(s["updated_uplift"]) for s in simulations]
    overall = _rate(covered, with_interval)
    false_works = _rate(sum(works), len(works))
    overall_row, by_strata = _paired(simulations, "saved_profit"), _paired(simulations, "strata_sum_saved_profit")
    return {
        "true_uplift": TRUE_UPLIFT,
        "coverage": {
            "per_offer": coverage,
            "overall": overall | {"threshold": TARGETS["coverage"], "verdict": _pass(overall["rate"], ">=")},
        },
        "false_works": {
            "offers": zero,
            **false_works,
            "threshold": TARGETS["false_works"],
            "verdict": _pass(false_works["rate"], "<=", TARGETS["false_works"]),
        },
        "catalogue": {
            "mae_assumed": float(np.mean(mae_assumed)),
            "mae_updated": float(np.mean(mae_updated)),
            "updated_closer": int(sum(u < a for u, a in zip(mae_updated, mae_assumed, strict=True))),
            "n": len(simulations),
            "verdict": "PASS" if np.mean(mae_updated) < np.mean(mae_assumed) else "FAIL",
        },
        "second_campaign": {
            "overall_row": overall_row,
            "by_strata": by_strata,
            "unmeasured_strata_first": int(sum(s["unmeasured_strata_first"] for s in simulations)),
            "unmeasured_strata_second": int(sum(s["unmeasured_strata_second"] for s in simulations)),
            "strata_without_figure_first": int(sum(s["strata_without_figure_first"] for s in simulations)),
            "strata_without_figure_second": int(sum(s["strata_without_figure_second"] for s in simulations)),
            "expected_saved_profit_first": float(np.mean([s["expected_saved_profit_first"] for s in simulations])),
            "expected_saved_profit_second": float(np.mean([s["expected_saved_profit_second"] for s in simulations])),
            "spent_first": float(np.mean([s["spent_first"] for s in simulations])),
            "spent_second": float(np.mean([s["spent_second"] for s in simulations])),
            "verdict": overall_row["verdict"],
        },
    }


def _paired(simulations: Sequence[Mapping[str, Any]], key: str) -> dict[str, Any]:
    """Both campaigns' mean ``key``, the paired difference with its t interval, the share the second beats."""
    # A campaign without any measurement has no saved profit: such a simulation is left out of the pair.
    paired = [s for s in simulations if s[f"{key}_first"] is not None and s[f"{key}_second"] is not None]
    first = np.array([s[f"{key}_first"] for s in paired], dtype=float)
    second = np.array([s[f"{key}_second"] for s in paired], dtype=float)
    difference = _mean_interval(second - first)
    return {
        "first": float(first.mean()) if len(paired) else None,
        "second": float(second.mean()) if len(paired) else None,
        "difference": difference,
        "second_beats_first": _rate(int((second > first).sum()), len(paired)),
        "not_measured": len(simulations) - len(paired),
        "verdict": "PASS" if difference["ci_low"] is not None and difference["ci_low"] > 0 else "FAIL",
    }


def _coverage(simulations: Sequence[Mapping[str, Any]], offer: str) -> dict[str, Any]:
    truth = TRUE_UPLIFT[offer]
    rows = [s["offers"][offer] for s in simulations if offer in s["offers"]]
    measured = [r for r in rows if r["uplift_ci_low"] is not None and r["uplift_ci_high"] is not None]
    covered = sum(r["uplift_ci_low"] <= truth <= r["uplift_ci_high"] for r in measured)
    rate = _rate(covered, len(measured))
    return {
        "true_uplift": truth,
        "covered": covered,
        **rate,
        "not_in_campaign": len(simulations) - len(rows),
        "without_interval": len(rows) - len(measured),
        "mean_n_treatment": float(np.mean([r["n_treatment"] for r in rows])) if rows else 0.0,
        "mean_n_control": float(np.mean([r["n_control"] for r in rows])) if rows else 0.0,
        "mean_uplift": float(np.mean([r["uplift"] for r in measured])) if measured else None,
        "verdict": _pass(rate["rate"], ">="),
    }


def _rate(k: int, n: int) -> dict[str, Any]:
    """A share with its 95 % Wilson interval (None when there is nothing to count)."""
    if n == 0:
        return {"k": 0, "n": 0, "rate": None, "ci_low": None, "ci_high": None}
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    return {"k": int(k), "n": int(n), "rate": k / n, "ci_low": float(low), "ci_high": float(high)}


def _mean_interval(values: np.ndarray) -> dict[str, Any]:
    """The mean with its 95 % t interval (paired differences: one per simulation)."""
    if len(values) < 2:
        return {"mean": float(values.mean()) if len(values) else None, "ci_low": None, "ci_high": None}
    low, high = stats.t.interval(0.95, len(values) - 1, loc=values.mean(), scale=stats.sem(values))
    return {"mean": float(values.mean()), "ci_low": float(low), "ci_high": float(high)}


def _mae(uplifts: Mapping[str, float]) -> float:
    return float(np.mean([abs(uplifts[offer] - truth) for offer, truth in TRUE_UPLIFT.items()]))


def _pass(rate: float | None, op: str, threshold: float = TARGETS["coverage"]) -> str:
    if rate is None:
        return "NO DATA"
    return "PASS" if (rate >= threshold if op == ">=" else rate <= threshold) else "FAIL"


def render(result: Mapping[str, Any]) -> str:
    """The figures as text, one target a line with PASS / FAIL."""
    run, machine = result["settings"], result["machine"]
    lines = [
        f"{run['sims']} simulations, {run['customers']:,} customers, seed {run['seed']}, budget {run['budget']:g}, "
        f"control {'share ' + str(run['control']['share']) if run['control']['share'] else 'by power'}",
        f"load average {machine['load_average_before']} -> {machine['load_average_after']} on {machine['cpus']} "
        f"CPUs; wall {machine['wall_seconds']} s (setup {machine['wall_seconds_setup']} s)",
        "",
        "coverage of the true uplift by the 95 % CI (segment all), target >= 90 %:",
    ]
    for offer, row in result["coverage"]["per_offer"].items():
        lines.append(
            f"  {offer:<24} true {row['true_uplift']:.2f}  {_share(row)}  mean measured "
            f"{_number(row['mean_uplift'])}, n {row['mean_n_treatment']:.0f} + {row['mean_n_control']:.0f}; "
            f"no interval {row['without_interval']}, not offered {row['not_in_campaign']}  {row['verdict']}"
        )
    overall = result["coverage"]["overall"]
    lines.append(f"  {'overall':<24}            {_share(overall)}  {overall['verdict']}")
    false = result["false_works"]
    lines.append(
        f"\nfalse 'works' (true uplift 0: {', '.join(false['offers'])}), target <= 5 %: {_share(false)}  "
        f"{false['verdict']}"
    )
    catalogue = result["catalogue"]
    lines.append(
        f"\ncatalogue, mean absolute error against the truth: assumed {catalogue['mae_assumed']:.4f}, updated "
        f"{catalogue['mae_updated']:.4f}; updated closer in {catalogue['updated_closer']}/{catalogue['n']}  "
        f"{catalogue['verdict']}"
    )
    second = result["second_campaign"]
    lines.append(
        f"\nthe second campaign (updated catalogue) against the first: expected at planning "
        f"{second['expected_saved_profit_first']:.2f} and {second['expected_saved_profit_second']:.2f}, spent "
        f"{second['spent_first']:.2f} and {second['spent_second']:.2f}; measured saved profit, target: the "
        "difference's 95 % CI above 0:"
    )
    for name, label in (("overall_row", "overall row all/all"), ("by_strata", "summed over strata")):
        row = second[name]
        difference = row["difference"]
        lines.append(
            f"  {label:<19} first {_number(row['first'], 2)}, second {_number(row['second'], 2)}; second - first "
            f"{_number(difference['mean'], 2)} [{_number(difference['ci_low'], 2)}; "
            f"{_number(difference['ci_high'], 2)}]; second beats first in {_share(row['second_beats_first'])}  "
            f"{row['verdict']}"
        )
    lines.append(
        f"  (over all simulations, strata left out of the overall row, an arm empty: "
        f"{second['unmeasured_strata_first']} and {second['unmeasured_strata_second']}; strata rows without a "
        f"saved profit, left out of the sum: {second['strata_without_figure_first']} and "
        f"{second['strata_without_figure_second']})"
    )
    return "\n".join(lines)


def _share(rate: Mapping[str, Any]) -> str:
    if rate["rate"] is None:
        return "no data"
    return f"{rate['k']}/{rate['n']} = {rate['rate']:.1%} [{rate['ci_low']:.1%}; {rate['ci_high']:.1%}]"


def _number(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
