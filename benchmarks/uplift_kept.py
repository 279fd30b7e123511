"""What the kept uplift model is worth to the next campaign: true saved profit of targeting new customers by it.

Usage: python benchmarks/uplift_kept.py [--seeds 10] [--customers 2400] [--min-per-arm 200]

For each seed, a constructed campaign (``benchmarks/uplift_model.py``'s ``by_feature`` effect: promo hunters
lose 40 points of decline, the others decline 15 more, which the rule's 30 % of every decline cannot see) is
evaluated; when the model is used, it is kept as ``campaign evaluate`` keeps it (refitted on every matched
customer, written to skops and read back with the trusted types). Then ``--customers`` new customers of the
same kind are valued, as ``campaign plan`` values them, by the kept model (predicted uplift x profit x horizon
- cost) and by the rule; each ranking treats the customers it values above 0, and the *true* saved profit of
that choice (known here: the true drop in decline x profit x horizon - cost, summed) is printed beside the
best possible choice's. The seed seeds the data and the model.
"""

from __future__ import annotations

import argparse
import statistics

import numpy as np
import pandas as pd

from oneclick.campaigns import evaluate_campaign
from oneclick.campaigns.uplift_kept import keep_if_used, load_uplift_model, predict_uplift

HORIZON = 3.0
COST = 0.5
ASSUMED = 0.3


def _customers(n: int, rng: np.random.Generator, first_id: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """Customers (decline probability, profit, promo share) and each one's true drop in decline if treated."""
    ids = np.arange(first_id, first_id + n)
    base = rng.uniform(0.2, 0.7, n)
    promo = rng.random(n)
    table = pd.DataFrame(
        {"decline_probability": base, "profit": rng.uniform(2.0, 6.0, n), "promo_purchase_share": promo},
        index=pd.Index(ids, name="customer_id"),
    )
    when_treated = np.clip(np.where(promo > 0.5, base - 0.4, base + 0.15), 0.0, 1.0)
    return table, base - when_treated


def _kept(n: int, min_per_arm: int, seed: int):
    rng = np.random.default_rng(seed)
    table, drop = _customers(n, rng)
    treated = rng.random(n) < 0.6
    campaign = pd.DataFrame(
        {
            "customer_id": table.index,
            "segment": "promo_hunters_at_risk",
            "offer_id": "discount_10",
            "stratum": "promo_hunters_at_risk|discount_10",
            "arm": np.where(treated, "treatment", "control"),
            "decline_probability": table["decline_probability"].to_numpy(),
            "profit": table["profit"].to_numpy(),
            "cost": COST,
            "assumed_uplift": ASSUMED,
            "expected_saved_profit": 0.0,
        }
    )
    rate = table["decline_probability"].to_numpy() - np.where(treated, drop, 0.0)
    outcomes = pd.DataFrame({"declined": (rng.random(n) < rate).astype(int)}, index=table.index)
    features = table[["promo_purchase_share"]]
    result = evaluate_campaign(
        campaign, outcomes, campaign_id="c", horizon_months=HORIZON, features=features,
        uplift_model_min_per_arm=min_per_arm, seed=seed,
    )  # fmt: skip
    return keep_if_used(result, campaign, outcomes, features, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--customers", type=int, default=2400)
    parser.add_argument("--min-per-arm", type=int, default=200)
    args = parser.parse_args()
    rows = []
    for seed in range(args.seeds):
        record = _kept(args.customers, args.min_per_arm, seed)
        table, drop = _customers(args.customers, np.random.default_rng(10_000 + seed), first_id=10**6)
        true_value = drop * table["profit"].to_numpy() * HORIZON - COST
        rule = ASSUMED * table["decline_probability"].to_numpy() * table["profit"].to_numpy() * HORIZON - COST
        row = {"kept": record is not None, "rule": true_value[rule > 0].sum(), "best": true_value.clip(0).sum()}
        if record is not None:
            kept = load_uplift_model(record.skops, record.metadata, where=record.uplift_model_id)
            segment = pd.Series("promo_hunters_at_risk", index=table.index)
            uplift = predict_uplift(kept, table, segment, "discount_10").to_numpy()
            by_model = uplift * table["profit"].to_numpy() * HORIZON - COST
            row["model"] = true_value[by_model > 0].sum()
        rows.append(row)
    n_kept = sum(r["kept"] for r in rows)
    print(f"{args.seeds} seeds, campaigns of {args.customers}, new customers {args.customers}, horizon {HORIZON:g}")
    print(f"model kept: {n_kept}/{args.seeds}")
    for name in ("model", "rule", "best"):
        found = [r[name] for r in rows if name in r]
        print(f"true saved profit targeting by {name:<5}: median {statistics.median(found):,.0f} "
              f"(min {min(found):,.0f}, max {max(found):,.0f})" if found else f"{name}: none")  # fmt: skip


if __name__ == "__main__":
    main()
