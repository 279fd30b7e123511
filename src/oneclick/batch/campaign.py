"""The campaign under a budget, for any number of customers: the LP greedy of the multiple-choice knapsack.

Each batch cuts every customer's offers worth their cost into the upper hull of (cost, saving)
from "no offer": a chain of steps, each buying more saving at a falling rate (:func:`hull_segments`).
Over all customers, DuckDB then takes the steps best rate first while the budget lasts
(``sql/campaign.sql``). That is the exact optimum of the linear relaxation but for the one
step cut by the budget, so the plan is within one customer's step of the proven upper bound
it reports. ``oneclick.offers.plan_campaign`` solves the same problem exactly (MILP) for the
store's usual sizes; this is the labelled method for millions of customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from oneclick.batch.queries import load_sql
from oneclick.errors import ConfigError
from oneclick.ingest.sqltext import literal

METHOD = "LP greedy over each customer's upper hull of offers (within one step of the LP bound)"


@dataclass(frozen=True)
class CampaignSummary:
    """The plan's totals; the plan itself is in ``OUT/campaign/``."""

    budget: float
    spent: float
    expected_saved_profit: float
    upper_bound: float
    n_customers: int
    method: str = METHOD

    def as_dict(self) -> dict[str, object]:
        return {
            "budget": self.budget,
            "spent": self.spent,
            "expected_saved_profit": self.expected_saved_profit,
            "upper_bound": self.upper_bound,
            "n_customers": self.n_customers,
            "method": self.method,
        }


def hull_segments(saved: np.ndarray, cost: np.ndarray, minimum: float) -> tuple[np.ndarray, ...]:
    """Steps of each row's upper concave hull of (cost, saving), from (0, 0) to its best offer.

    ``saved``/``cost``: customers x offers (NaN saving = not eligible). Returns ``rows``,
    ``step`` (0, 1, ... along the hull), the offer ``position`` reached, ``step_cost``,
    ``step_saved``: one entry per step, steps of a row in order.
    """
    value = np.where(np.isfinite(saved) & (saved > minimum), saved, -np.inf)
    n = len(value)
    at_cost, at_value = np.zeros(n), np.zeros(n)
    found: list[tuple[np.ndarray, ...]] = []
    for step in range(value.shape[1]):
        gain = value - at_value[:, None]
        extra = cost - at_cost[:, None]
        usable = (gain > 0) & (extra >= 0)
        rate = np.where(usable, np.divide(gain, extra, out=np.full_like(gain, np.inf), where=extra > 0), -np.inf)
        best_rate = rate.max(axis=1, initial=-np.inf)
        # On a tie of rate, the farther point: the steps in between would add nothing.
        position = np.argmax(np.where(rate == best_rate[:, None], value, -np.inf), axis=1)
        rows = np.nonzero(best_rate > -np.inf)[0]
        if not len(rows):
            break
        chosen = position[rows]
        found.append(
            (
                rows,
                np.full(len(rows), step),
                chosen,
                cost[rows, chosen] - at_cost[rows],
                value[rows, chosen] - at_value[rows],
            )
        )
        at_cost[rows], at_value[rows] = cost[rows, chosen], value[rows, chosen]
    if not found:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty, np.array([]), np.array([])
    parts = [np.concatenate(column) for column in zip(*found, strict=True)]
    order = np.lexsort((parts[1], parts[0]))
    return tuple(part[order] for part in parts)


def plan_campaign_at_scale(
    connection: duckdb.DuckDBPyConnection,
    candidates: str,
    budget: float,
    out_path: Path,
) -> CampaignSummary:
    """Take the steps in ``candidates`` (a Parquet glob) best first within ``budget``; write the plan."""
    if not np.isfinite(budget) or budget < 0:
        raise ConfigError(f"budget={budget}: expected a number >= 0, or no budget")
    values = {"candidates": literal(candidates), "budget": literal(float(budget))}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    connection.execute(f"COPY ({load_sql('campaign').format(**values)}) TO {literal(str(out_path))} (FORMAT parquet)")
    spent, saved, partial = connection.execute(load_sql("campaign_bound").format(**values)).fetchall()[0]
    n = connection.execute(f"SELECT count(*) FROM read_parquet({literal(str(out_path))})").fetchall()[0][0]
    return CampaignSummary(float(budget), float(spent), float(saved), float(saved) + float(partial or 0.0), int(n))
