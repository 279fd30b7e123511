"""Revenue no real month could produce: the monthly fences, the values above them, the policy.

A revenue above Q3 + factor x IQR of its month's active (non-zero) revenues is an outlier
(factor 3 is Tukey's "far out"); quartiles are linear, as pandas computes them. With fewer than
``MIN_VALUES_FOR_FENCE`` active customers a month says too little to call anything absurd.
The policy: ``cap`` (the value becomes the fence), ``exclude`` (the customer is left out) or
``keep``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from oneclick.config import OutlierPolicy
from oneclick.ingest.columns import MARKET_MONEY
from oneclick.ingest.sqltext import literal

MIN_VALUES_FOR_FENCE = 20
OUTLIER_COLUMNS = ["customer_id", "period", "revenue", "threshold", "action"]
ACTIONS: dict[str, str] = {"cap": "capped", "exclude": "customer excluded", "keep": "kept as is"}


def revenue_fences(connection: duckdb.DuckDBPyConnection, factor: float) -> dict[str, float]:
    """Per month, the revenue above which a value is an outlier (over the view ``customer_status``)."""
    parts = ", ".join(
        f"quantile_cont(revenue_{p}, [0.25, 0.75]) FILTER (WHERE revenue_{p} > 0), "
        f"count(revenue_{p}) FILTER (WHERE revenue_{p} > 0)"
        for p in MARKET_MONEY.periods
    )
    row = connection.execute(f"SELECT {parts} FROM customer_status").fetchall()[0]
    fences = {}
    for k, period in enumerate(MARKET_MONEY.periods):
        quartiles, n = row[2 * k], row[2 * k + 1]
        if n >= MIN_VALUES_FOR_FENCE:
            q1, q3 = quartiles
            fences[period] = q3 + factor * (q3 - q1)
    return fences


def revenue_outliers(
    connection: duckdb.DuckDBPyConnection, fences: dict[str, float], policy: OutlierPolicy
) -> pd.DataFrame:
    """Every revenue above its month's fence, by customer then month, with what the policy does to it."""
    if not fences:
        return pd.DataFrame(columns=OUTLIER_COLUMNS)
    parts = " UNION ALL ".join(
        f"SELECT customer_id, {literal(p)} AS period, revenue_{p} AS revenue, {literal(f)} AS threshold, {k} AS k "
        f"FROM customer_status WHERE revenue_{p} > {literal(f)}"
        for k, (p, f) in enumerate(fences.items())
    )
    found = connection.sql(f"SELECT * FROM ({parts}) ORDER BY customer_id, k").df()
    found["threshold"] = found["threshold"].round(1)
    found["customer_id"] = found["customer_id"].astype("int64")
    return found.assign(action=ACTIONS[policy])[OUTLIER_COLUMNS].reset_index(drop=True)


def capped(column: str, fence: float | str | None) -> str:
    """SQL for a revenue ``column`` capped at ``fence`` (a number, or SQL; None: no fence, as it is)."""
    if fence is None:
        return column
    bound = literal(fence) if isinstance(fence, float | int) else f"({fence})"
    return f"CASE WHEN {column} > {bound} THEN {bound} ELSE {column} END"


def fence_of_period(fences: dict[str, float], period: str = "period") -> str | None:
    """SQL for the fence of each row's month (``period``: its column); None when no month has one."""
    if not fences:
        return None
    return f"CASE {period} " + " ".join(f"WHEN {literal(p)} THEN {literal(f)}" for p, f in fences.items()) + " END"
