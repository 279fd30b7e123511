"""The uplift model against the catalogue's rule over many seeds: how often it is used, per kind of effect.

Usage: python benchmarks/uplift_model.py [--seeds 20] [--customers 2400] [--min-per-arm 200]

For each seed, a constructed campaign of ``--customers`` (60 % treated; decline probability, profit and a
feature ``promo_purchase_share`` drawn independently; the rule assumes a 30 % uplift) and its outcome
under three kinds of effect:

- ``by_feature``: promo hunters (share > 0.5) lose 40 points of decline, the others decline 15 more:
  the rule cannot see it, the model should be used (target: nearly always);
- ``as_assumed``: 30 % of every customer's decline removed, exactly the rule's form: the rule ranks
  right, the model should not be used (target: rarely);
- ``none``: no effect: nothing to rank, the model should not be used (target: rarely).

Printed per kind: how often the model is used, how often it beat the rule on both figures before the
bootstrap check, and the median Qini and saved profit of model and rule. The seed seeds both the data
and the model.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from oneclick.campaigns import compare_uplift_model

KINDS = ("by_feature", "as_assumed", "none")


def _campaign(n: int, kind: str, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = np.arange(1, n + 1)
    treated = rng.random(n) < 0.6
    base = rng.uniform(0.2, 0.7, n)
    promo = rng.random(n)
    when_treated = {
        "by_feature": np.where(promo > 0.5, base - 0.4, base + 0.15),
        "as_assumed": base * 0.7,
        "none": base,
    }[kind]
    rate = np.clip(np.where(treated, when_treated, base), 0.0, 1.0)
    matched = pd.DataFrame(
        {
            "customer_id": ids,
            "segment": "promo_hunters_at_risk",
            "offer_id": "discount_10",
            "arm": np.where(treated, "treatment", "control"),
            "decline_probability": base,
            "profit": rng.uniform(2.0, 6.0, n),
            "cost": 0.5,
            "assumed_uplift": 0.3,
            "declined": (rng.random(n) < rate).astype(int),
        }
    )
    features = pd.DataFrame({"promo_purchase_share": promo}, index=pd.Index(ids, name="customer_id"))
    return matched, features


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--customers", type=int, default=2400)
    parser.add_argument("--min-per-arm", type=int, default=200)
    args = parser.parse_args()
    print(f"{args.seeds} seeds, {args.customers} customers, held-out half, horizon 3 months")
    print(f"{'effect':<12}{'used':>8}{'won both':>10}{'qini model':>12}{'qini rule':>11}{'saved model':>13}"
          f"{'saved rule':>12}{'s/fit':>7}")  # fmt: skip
    for kind in KINDS:
        results, seconds = [], []
        for seed in range(args.seeds):
            matched, features = _campaign(args.customers, kind, np.random.default_rng(seed))
            started = time.perf_counter()
            results.append(
                compare_uplift_model(matched, features, horizon_months=3.0, min_per_arm=args.min_per_arm, seed=seed)
            )
            seconds.append(time.perf_counter() - started)
        used = sum(r["used"] for r in results)
        won = sum(r["reason"] in ("beats_rule", "gain_not_clear") for r in results)

        def median(key: str, found: list[dict] = results) -> float:
            return statistics.median(r[key] for r in found if r[key] is not None)

        print(
            f"{kind:<12}{used:>5}/{args.seeds:<2}{won:>7}/{args.seeds:<2}{median('qini_model'):>12.3f}"
            f"{median('qini_rule'):>11.3f}{median('saved_profit_model'):>13,.0f}{median('saved_profit_rule'):>12,.0f}"
            f"{statistics.median(seconds):>7.2f}"
        )


if __name__ == "__main__":
    main()
