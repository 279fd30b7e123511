"""How well the campaign's own score ranked its customers: uplift by decile and the Qini curve (scikit-uplift).

The score is the rule the plan chose offers by, :data:`SCORE`: the offer's assumed uplift times the
customer's decline probability (a control customer's assumed uplift is its stratum's offer's, so both
arms are ranked alike). Customers are split into ten deciles of that score over both arms together
(scikit-uplift's ``strategy="overall"``), decile 1 the highest.

Direction: the label ``declined`` = 1 is bad, so scikit-uplift is given the *response* ``1 - declined``
(the customer kept their activity). Its uplift, kept rate of the treated minus kept rate of control, is
then positive when the offer helps, as the evaluation's ``uplift`` is. The decile rows' rates are
turned back into **shares who declined** (``response_rate_treatment``/``_control``, what the report's
axis shows), so in every decile ``uplift = response_rate_control - response_rate_treatment``.
The Qini curve counts, among the first customers by score, the treated who kept their activity beyond
what control's rate predicts: the declines prevented.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from pandas.errors import Pandas4Warning

SCORE = "assumed uplift x decline probability"
N_DECILES = 10
MAX_QINI_POINTS = 101


def campaign_score(customers: pd.DataFrame) -> pd.Series:
    """The plan's score of each customer: assumed uplift x decline probability."""
    return customers["assumed_uplift"].astype(float) * customers["decline_probability"].astype(float)


def rank_quality(matched: pd.DataFrame, outcome: str) -> dict[str, Any]:
    """``by_decile`` and ``qini`` of the matched campaign customers (``arm``, the score's columns, ``outcome``).

    Both are empty (``[]`` and ``None``) when an arm is empty or there are no more customers than
    deciles: there is nothing to rank against.
    """
    ordered = matched.sort_values("customer_id", kind="mergesort")  # ties in the score keep one order
    is_treated = (ordered["arm"] == "treatment").to_numpy(dtype="int64")
    if is_treated.sum() == 0 or is_treated.sum() == len(is_treated) or len(ordered) <= N_DECILES:
        return {"by_decile": [], "qini": None}
    kept = 1 - ordered[outcome].to_numpy(dtype="int64")  # the response: 1 = kept activity, so uplift > 0 helps
    score = campaign_score(ordered).to_numpy()
    return {"by_decile": _by_decile(kept, score, is_treated), "qini": _qini(kept, score, is_treated)}


def _by_decile(kept: np.ndarray, score: np.ndarray, is_treated: np.ndarray) -> list[dict[str, Any]]:
    from sklift.metrics import uplift_by_percentile

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Pandas4Warning)  # sklift 0.5.1's set_index(inplace=...)
        # a decile without one of the arms: numpy's mean of an empty slice, read below as no figure
        warnings.simplefilter("ignore", RuntimeWarning)
        table = uplift_by_percentile(kept, score, is_treated, strategy="overall", bins=N_DECILES)
    rows = []
    for decile, (_, row) in enumerate(table.iterrows(), start=1):
        kept_t, kept_c = _figure(row["response_rate_treatment"]), _figure(row["response_rate_control"])
        rows.append(
            {
                "decile": decile,
                "n_treatment": int(row["n_treatment"]),
                "n_control": int(row["n_control"]),
                "response_rate_treatment": None if kept_t is None else 1.0 - kept_t,
                "response_rate_control": None if kept_c is None else 1.0 - kept_c,
                "uplift": _figure(row["uplift"]),
            }
        )
    return rows


def _qini(kept: np.ndarray, score: np.ndarray, is_treated: np.ndarray) -> dict[str, Any]:
    from sklift.metrics import qini_auc_score, qini_curve

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # sklift 0.5.1 calls sklearn's deprecated stable_cumsum
        # no declines prevented at all even by the perfect ranking: 0 / 0, read below as no figure
        warnings.simplefilter("ignore", RuntimeWarning)
        x, y = qini_curve(kept, score, is_treated)
        auc = qini_auc_score(kept, score, is_treated)
    keep = np.unique(np.round(np.linspace(0, len(x) - 1, min(len(x), MAX_QINI_POINTS))).astype(int))
    x, y = np.asarray(x, dtype=float)[keep], np.asarray(y, dtype=float)[keep]
    # random targeting: the whole campaign's gain, reached in proportion to the customers targeted
    random_y = y[-1] * x / x[-1] if x[-1] else np.zeros_like(x)
    return {
        "auc": _figure(auc),
        "x": [int(v) for v in x],
        "y": [float(v) for v in y],
        "random_y": [float(v) for v in random_y],
        "score": SCORE,
    }


def _figure(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None
