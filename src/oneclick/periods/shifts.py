"""What moved between two scored periods besides the features: the label, the predictions, the customers.

- **Label shift**: the share of declined customers, OLD against NEW: the difference with its 95 %
  interval (unpooled normal approximation) and a pooled two-proportion z-test.
- **Prediction drift**: the model's probabilities, OLD against NEW, tested as a numeric feature
  (Kolmogorov–Smirnov up to 1,000 reference rows, normed Wasserstein above), with the share of
  customers at high risk.
- **Migration**: customers of both periods counted by their risk x profit cell, and by their
  primary segment, in OLD (rows) and NEW (columns), on the grid learned on OLD.
- **Movements**: who left, who joined, with the left customers' last figures and the new ones' first.

Each reads the scored periods, the DuckDB views ``old_scores`` and ``new_scores``
(:mod:`oneclick.periods.scoring`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np

from oneclick.periods.drift import column_drift, load_query
from oneclick.periods.stattests import ALPHA
from oneclick.segments import CELLS
from oneclick.segments.conditions import RISK


def label_shift(connection: duckdb.DuckDBPyConnection, threshold: float) -> dict[str, Any]:
    """Declined shares of both periods, their difference, its interval and test; model's mean probability too."""
    from scipy.stats import norm

    rows = connection.execute(load_query("labels").format(threshold=repr(float(threshold)))).fetchall()
    found = {period: (n, declined, mean, high) for period, n, declined, mean, high in rows}
    (n1, d1, mean1, high1), (n2, d2, mean2, high2) = found["old"], found["new"]
    result: dict[str, Any] = {
        "mean_probability_old": _round(mean1),
        "mean_probability_new": _round(mean2),
        "high_risk_share_old": _round(high1),
        "high_risk_share_new": _round(high2),
        "n_labelled_old": int(n1),
        "n_labelled_new": int(n2),
    }
    if not n1 or not n2:
        return result | {"shifted": None, "test": None, "reason": "a period has no labels"}
    p1, p2 = d1 / n1, d2 / n2
    pooled = (d1 + d2) / (n1 + n2)
    se_pooled = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (p2 - p1) / se_pooled if se_pooled > 0 else 0.0
    p_value = float(2 * norm.sf(abs(z)))
    se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return result | {
        "declined_share_old": _round(p1),
        "declined_share_new": _round(p2),
        "difference": _round(p2 - p1),
        "difference_ci": [_round(p2 - p1 - 1.96 * se), _round(p2 - p1 + 1.96 * se)],
        "test": "two-proportion z-test (pooled)",
        "statistic": _round(z),
        "p_value": p_value,
        "threshold": ALPHA,
        "shifted": p_value < ALPHA,
    }


def prediction_drift(connection: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The model's probabilities, OLD against NEW, tested as a numeric feature (no correction: one test)."""
    return column_drift(connection, RISK, "numeric", "old_scores", "new_scores").as_dict()


def migration(connection: duckdb.DuckDBPyConnection, segment_names: Sequence[str]) -> dict[str, Any]:
    """The customers of both periods between risk x profit cells, and between primary segments."""
    return {
        "risk_profit_cell": _matrix(connection, "risk_profit_cell", list(CELLS)),
        "primary_segment": _matrix(connection, "primary_segment", list(segment_names)),
    }


def movements(connection: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """How many customers are in each period, in both, left and joined; examples and figures of each."""
    cursor = connection.execute(load_query("movements"))
    names = [column[0] for column in cursor.description]
    row = dict(zip(names, cursor.fetchall()[0], strict=True))
    n_old, n_new, n_both = int(row["n_old"]), int(row["n_new"]), int(row["n_both"])
    return {
        "n_old": n_old,
        "n_new": n_new,
        "n_both": n_both,
        "left": {
            "n": n_old - n_both,
            "share_of_old": _round((n_old - n_both) / n_old),
            "examples": [int(i) for i in row["left_examples"] or []],
            "mean_probability": _round(row["left_mean_probability"]),
            "declined_share": _round(row["left_declined_share"]),
            "mean_profit": _round(row["left_mean_profit"]),
        },
        "joined": {
            "n": n_new - n_both,
            "share_of_new": _round((n_new - n_both) / n_new),
            "examples": [int(i) for i in row["joined_examples"] or []],
            "mean_probability": _round(row["joined_mean_probability"]),
            "declined_share": _round(row["joined_declined_share"]),
            "mean_profit": _round(row["joined_mean_profit"]),
        },
    }


def _matrix(connection: duckdb.DuckDBPyConnection, column: str, names: list[str]) -> dict[str, Any]:
    rows = connection.execute(load_query("migration").format(column=column)).fetchall()
    found = dict.fromkeys(names) | {value: None for value, _, _ in rows} | {value: None for _, value, _ in rows}
    order = [name for name in found if name is not None]
    index = {name: k for k, name in enumerate(order)}
    counts = np.zeros((len(order), len(order)), dtype=np.int64)
    for old, new, n in rows:
        counts[index[old], index[new]] = n
    total = int(counts.sum())
    return {
        "rows_old": order,
        "columns_new": order,
        "counts": counts.tolist(),
        "n_customers": total,
        "share_in_same": _round(np.trace(counts) / total) if total else None,
    }


def _round(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 6)
