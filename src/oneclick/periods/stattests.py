"""Drift tests and distances on value counts, anchored on Evidently's defaults (scipy does the statistics).

Every function takes one column's distinct values with how often each occurs in the reference
(the last period) and in the current period, as DuckDB counts them at any size; nothing needs
the rows themselves. The choice of test follows Evidently's ``get_default_stattest`` (0.7):

=======================  ==========================  ==============================================
reference rows           numeric, > 5 values          categorical, or numeric with <= 5 values
=======================  ==========================  ==============================================
<= 1,000                 Kolmogorov–Smirnov, p<0.05  chi² (> 2 values) or two-proportion z, p<0.05
> 1,000                  Wasserstein / sd >= 0.1     Jensen–Shannon distance (natural log) >= 0.1
=======================  ==========================  ==============================================

The p-values are Evidently's (``ks_2samp``; ``chisquare`` of the current counts against the
reference's shares; the pooled two-proportion z); the distances too (Wasserstein normed by the
reference's standard deviation, at least 0.001; Jensen–Shannon of the value shares, unsmoothed).
PSI (population stability index, reference deciles) is added for the marketers, who read it
with the credit-risk bands: below 0.1 stable, 0.1–0.25 moderate, above 0.25 major.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np

ColumnKind = Literal["numeric", "categorical"]
TestName = Literal["ks", "chi_square", "z", "wasserstein", "jensen_shannon"]

SMALL_SAMPLE = 1_000  # reference rows up to which the p-value tests are used (Evidently)
MAX_CATEGORIES_FOR_NUMERIC = 5  # a numeric column with this few values is tested as categories (Evidently)
ALPHA = 0.05  # significance of the p-value tests (Evidently's threshold)
DISTANCE_THRESHOLD = 0.1  # normed Wasserstein and Jensen–Shannon (Evidently's thresholds)
PSI_BINS = 10  # reference deciles
PSI_BANDS = ((0.1, "stable"), (0.25, "moderate"), (float("inf"), "major"))
_PSI_FLOOR = 1e-4  # share given to an empty bin, so the logarithm is defined
_WASSERSTEIN_MIN_SD = 0.001  # Evidently's floor of the norm
P_VALUE_TESTS: frozenset[str] = frozenset({"ks", "chi_square", "z"})


@dataclass(frozen=True)
class Counts:
    """One column's distinct values (sorted) and how often each occurs in each period."""

    values: np.ndarray
    reference: np.ndarray
    current: np.ndarray

    @property
    def n_reference(self) -> int:
        return int(self.reference.sum())

    @property
    def n_current(self) -> int:
        return int(self.current.sum())


@dataclass(frozen=True)
class TestResult:
    """A test's statistic, its p-value (None for a distance) and the threshold it is read against."""

    test: TestName
    statistic: float
    p_value: float | None
    threshold: float

    @property
    def drift(self) -> bool:
        """Evidently's reading: a p-value below the threshold, or a distance at or above it."""
        if self.p_value is not None:
            return self.p_value < self.threshold
        return self.statistic >= self.threshold


def choose_test(kind: ColumnKind, n_reference: int, n_values: int) -> TestName:
    """The test Evidently's defaults pick for a column of this kind, reference size and number of values."""
    numeric = kind == "numeric" and n_values > MAX_CATEGORIES_FOR_NUMERIC
    if n_reference <= SMALL_SAMPLE:
        if numeric:
            return "ks"
        return "chi_square" if n_values > 2 else "z"
    return "wasserstein" if numeric else "jensen_shannon"


def run_test(test: TestName, counts: Counts) -> TestResult:
    """Run ``test`` on ``counts``."""
    return _TESTS[test](counts)


def ks_test(counts: Counts) -> TestResult:
    """Two-sample Kolmogorov–Smirnov (scipy's ``ks_2samp``, as Evidently), on the rows the counts stand for."""
    from scipy.stats import ks_2samp

    reference = np.repeat(counts.values, counts.reference)
    current = np.repeat(counts.values, counts.current)
    with warnings.catch_warnings():
        # scipy tries the exact p-value first and falls back to the asymptotic one when the exact
        # recursion fails (many ties): the fallback is the answer Evidently gets too, so the
        # warning says nothing a user can act on.
        warnings.filterwarnings("ignore", message="ks_2samp: Exact calculation unsuccessful")
        result = ks_2samp(reference, current)
    return TestResult("ks", float(result.statistic), float(result.pvalue), ALPHA)


def chi_square_test(counts: Counts) -> TestResult:
    """Current counts against the reference's shares (scipy's ``chisquare``, as Evidently).

    A value the reference never had makes its expected count 0: the statistic is infinite and
    the p-value 0 (the current period has something the last one had not).
    """
    from scipy.stats import chisquare

    expected = counts.reference * (counts.n_current / counts.n_reference)
    if np.any((expected == 0) & (counts.current > 0)):
        return TestResult("chi_square", float("inf"), 0.0, ALPHA)
    keep = expected > 0
    result = chisquare(counts.current[keep], expected[keep])
    return TestResult("chi_square", float(result.statistic), float(result.pvalue), ALPHA)


def z_test(counts: Counts) -> TestResult:
    """Pooled two-proportion z-test of the share of the first value (Evidently's ``z_stat_test``)."""
    from scipy.stats import norm

    n1, n2 = counts.n_reference, counts.n_current
    if len(counts.values) <= 1:
        return TestResult("z", 0.0, 1.0, ALPHA)
    # Evidently counts the rows that are not the first value.
    p1 = 1 - counts.reference[0] / n1
    p2 = 1 - counts.current[0] / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return TestResult("z", float(z), float(2 * norm.sf(abs(z))), ALPHA)


def wasserstein_test(counts: Counts) -> TestResult:
    """Wasserstein distance between the periods divided by the reference's standard deviation."""
    from scipy.stats import wasserstein_distance

    weights = counts.reference / counts.n_reference
    mean = float(weights @ counts.values)
    sd = float(np.sqrt(weights @ (counts.values - mean) ** 2))
    distance = wasserstein_distance(counts.values, counts.values, counts.reference, counts.current)
    return TestResult("wasserstein", float(distance) / max(sd, _WASSERSTEIN_MIN_SD), None, DISTANCE_THRESHOLD)


def jensen_shannon_test(counts: Counts) -> TestResult:
    """Jensen–Shannon distance of the value shares, natural logarithm (scipy, as Evidently)."""
    from scipy.spatial.distance import jensenshannon

    distance = jensenshannon(counts.reference / counts.n_reference, counts.current / counts.n_current)
    return TestResult("jensen_shannon", float(distance), None, DISTANCE_THRESHOLD)


_TESTS = {
    "ks": ks_test,
    "chi_square": chi_square_test,
    "z": z_test,
    "wasserstein": wasserstein_test,
    "jensen_shannon": jensen_shannon_test,
}


def psi_bins(counts: Counts, kind: ColumnKind) -> tuple[list[float] | list[str], np.ndarray, np.ndarray]:
    """The bins PSI compares: reference deciles of a numeric column, or the values of a categorical one.

    Returns the bins' labels (a numeric bin is labelled by its upper edge, the last by +inf), and
    the share of each period in each bin. The same bins draw the two distributions side by side.
    """
    reference = counts.reference / counts.n_reference
    current = counts.current / counts.n_current
    if kind == "categorical" or len(counts.values) <= PSI_BINS:
        return [_label(v) for v in counts.values], reference, current
    cumulative = np.cumsum(reference)
    quantiles = np.arange(1, PSI_BINS) / PSI_BINS
    positions = np.minimum(np.searchsorted(cumulative, quantiles - 1e-12), len(counts.values) - 1)
    edges = np.unique(counts.values[positions])
    edges = edges[edges < counts.values[-1]]
    bins = np.searchsorted(edges, counts.values, side="left")
    n_bins = len(edges) + 1
    upper = [float(edge) for edge in edges] + [float("inf")]
    return upper, np.bincount(bins, reference, n_bins), np.bincount(bins, current, n_bins)


def psi(reference_shares: np.ndarray, current_shares: np.ndarray) -> float:
    """Population stability index: sum of (current - reference) x ln(current / reference) over the bins."""
    reference = np.where(reference_shares > 0, reference_shares, _PSI_FLOOR)
    current = np.where(current_shares > 0, current_shares, _PSI_FLOOR)
    return float(np.sum((current - reference) * np.log(current / reference)))


def psi_band(value: float) -> str:
    """``stable``, ``moderate`` or ``major``, by the credit-risk convention."""
    return next(band for limit, band in PSI_BANDS if value < limit)


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), in the order given."""
    from scipy.stats import false_discovery_control

    if not p_values:
        return []
    return [float(q) for q in false_discovery_control(np.asarray(p_values, dtype=float), method="bh")]


def _label(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)
