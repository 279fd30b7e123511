"""The campaign's second outcome: the change of its customers' revenue, treated against control.

The next export's ``revenue_change`` is its current month's revenue minus its previous month's, and
that previous month is the campaign's month: the change over the month after the offer. Per group of
customers, the mean change of the treated and of the control customers, and their difference
(treated minus control: above 0, the offer's customers spent more) with the 95 % interval of Welch's
t-test (scipy, unequal variances). Figures that cannot be had are ``None``, never NaN: no
``revenue_change`` in the export, an arm without a known change, fewer than two per arm, or no spread
at all in either arm for the interval.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

REVENUE_CHANGE = "revenue_change"
REVENUE_TEST = "Welch's t-test of the mean revenue change, treated minus control (scipy), 95 % CI"
ALPHA = 0.05
NO_REVENUE: dict[str, float | None] = {
    "revenue_change_treatment": None,
    "revenue_change_control": None,
    "revenue_change_diff": None,
    "revenue_change_ci_low": None,
    "revenue_change_ci_high": None,
}


def revenue_change_of(treated: pd.Series | None, control: pd.Series | None) -> dict[str, float | None]:
    """Mean revenue change of the treated and of control, the difference and its 95 % Welch interval.

    ``treated``/``control``: each arm's ``revenue_change`` (NaN where a customer's is unknown), or
    ``None`` when the export has no such column.

    >>> revenue_change_of(pd.Series([1.0, 2.0, 3.0]), pd.Series([0.0, 1.0, 2.0]))["revenue_change_diff"]
    1.0
    """
    if treated is None or control is None:
        return dict(NO_REVENUE)
    t = treated.dropna().to_numpy(dtype=float)
    c = control.dropna().to_numpy(dtype=float)
    row = dict(NO_REVENUE)
    row["revenue_change_treatment"] = float(t.mean()) if len(t) else None
    row["revenue_change_control"] = float(c.mean()) if len(c) else None
    if not len(t) or not len(c):
        return row
    row["revenue_change_diff"] = float(t.mean() - c.mean())
    if len(t) < 2 or len(c) < 2 or (np.ptp(t) == 0 and np.ptp(c) == 0):
        return row
    with warnings.catch_warnings():
        # scipy warns of precision loss when an arm's changes are all but equal; the interval is still read
        warnings.simplefilter("ignore", RuntimeWarning)
        interval = stats.ttest_ind(t, c, equal_var=False).confidence_interval(1 - ALPHA)
    low, high = float(interval.low), float(interval.high)
    if math.isfinite(low) and math.isfinite(high):
        row |= {"revenue_change_ci_low": low, "revenue_change_ci_high": high}
    return row
