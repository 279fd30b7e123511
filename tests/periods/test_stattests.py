"""The tests on value counts give what scipy (and Evidently's formulas) give on the rows themselves."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

from oneclick.periods.stattests import (
    Counts,
    benjamini_hochberg,
    chi_square_test,
    choose_test,
    jensen_shannon_test,
    ks_test,
    psi,
    psi_band,
    psi_bins,
    wasserstein_test,
    z_test,
)


def _counts(reference: np.ndarray, current: np.ndarray) -> Counts:
    values = np.unique(np.concatenate([reference, current]))
    count = lambda rows: np.array([(rows == v).sum() for v in values])  # noqa: E731
    return Counts(values, count(reference), count(current))


@pytest.fixture
def samples() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.integers(1, 21, 700).astype(float), rng.integers(2, 22, 650).astype(float)


@pytest.mark.parametrize(
    ("kind", "n_reference", "n_values", "expected"),
    [
        ("numeric", 1_000, 6, "ks"),
        ("numeric", 1_000, 5, "chi_square"),
        ("numeric", 1_000, 2, "z"),
        ("categorical", 800, 6, "chi_square"),
        ("categorical", 800, 2, "z"),
        ("numeric", 1_001, 6, "wasserstein"),
        ("numeric", 1_001, 3, "jensen_shannon"),
        ("categorical", 5_000, 2, "jensen_shannon"),
    ],
)
def test_the_test_is_chosen_as_evidently_chooses(kind, n_reference: int, n_values: int, expected: str) -> None:
    assert choose_test(kind, n_reference, n_values) == expected


def test_ks_on_counts_is_scipys_on_rows(samples) -> None:
    reference, current = samples
    found = ks_test(_counts(reference, current))
    expected = stats.ks_2samp(reference, current)
    assert found.statistic == pytest.approx(expected.statistic)
    assert found.p_value == pytest.approx(expected.pvalue)


def test_wasserstein_is_normed_by_the_reference_sd(samples) -> None:
    reference, current = samples
    found = wasserstein_test(_counts(reference, current))
    assert found.statistic == pytest.approx(stats.wasserstein_distance(reference, current) / np.std(reference))
    assert found.p_value is None and found.drift == (found.statistic >= 0.1)


def test_chi_square_compares_current_counts_with_reference_shares() -> None:
    reference = np.repeat(["a", "b", "c"], [50, 30, 20])
    current = np.repeat(["a", "b", "c"], [40, 40, 40])
    found = chi_square_test(_counts(reference, current))
    expected = stats.chisquare([40, 40, 40], [60, 36, 24])
    assert found.p_value == pytest.approx(expected.pvalue)


def test_a_value_the_reference_never_had_is_drift() -> None:
    found = chi_square_test(_counts(np.array(["a", "b"] * 10), np.array(["a", "b", "c"] * 10)))
    assert found.p_value == 0.0 and found.drift


def test_z_test_is_the_pooled_two_proportion_test() -> None:
    reference = np.array([True] * 30 + [False] * 70)
    current = np.array([True] * 45 + [False] * 55)
    found = z_test(_counts(reference, current))
    p1, p2, pooled = 0.30, 0.45, 0.375
    z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (2 / 100))
    assert abs(found.statistic) == pytest.approx(abs(z))
    assert found.p_value == pytest.approx(2 * stats.norm.sf(abs(z)))


def test_jensen_shannon_of_the_shares_natural_log() -> None:
    counts = _counts(np.repeat(["a", "b"], [70, 30]), np.repeat(["a", "b"], [40, 60]))
    assert jensen_shannon_test(counts).statistic == pytest.approx(jensenshannon([0.7, 0.3], [0.4, 0.6]))


def test_psi_of_reference_deciles(samples) -> None:
    reference, current = samples
    bins, old, new = psi_bins(_counts(reference, current), "numeric")
    assert old.sum() == pytest.approx(1) and new.sum() == pytest.approx(1)
    assert len(bins) <= 10 and bins[-1] == float("inf")
    assert psi(old, old) == 0.0
    assert psi_band(0.05) == "stable" and psi_band(0.2) == "moderate" and psi_band(0.3) == "major"


def test_benjamini_hochberg() -> None:
    adjusted = benjamini_hochberg([0.01, 0.04, 0.03, 0.5])
    assert adjusted == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])
    assert benjamini_hochberg([]) == []
