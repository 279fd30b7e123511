"""Customer-id ranges: the unit of work of both engines (one DuckDB query, one part file each)."""

from __future__ import annotations

from collections.abc import Sequence

from oneclick.errors import ConfigError

# About a million customers per range: part files of a sensible size, and ranges short enough
# that the workers finish close together.
CUSTOMERS_PER_PARTITION = 1_000_000


def default_partitions(n_customers: int, n_workers: int = 1) -> int:
    """Enough ranges to bound memory, and at least two per worker so none waits idle at the end."""
    by_size = -(-n_customers // CUSTOMERS_PER_PARTITION)
    return max(by_size, 2 * n_workers if n_workers > 1 else 1)


def id_ranges(bounds: Sequence[int], n_partitions: int) -> list[tuple[int, int]]:
    """``n_partitions`` inclusive id ranges covering ``bounds[0]..bounds[-1]``, cut at the given quantiles.

    ``bounds``: increasing quantiles of the kept ids (first = smallest, last = largest), so ranges
    hold about as many customers each whatever gaps the ids have. Fewer ranges come back when
    there are fewer distinct bounds than asked.

    >>> id_ranges([1, 50, 100], 2)
    [(1, 49), (50, 100)]
    """
    if n_partitions < 1:
        raise ConfigError(f"n_partitions={n_partitions}: expected at least 1")
    if not bounds:
        return []
    low, high = int(bounds[0]), int(bounds[-1])
    steps = len(bounds) - 1
    cuts = sorted({int(bounds[round(k * steps / n_partitions)]) for k in range(1, n_partitions)} - {low})
    starts = [low, *cuts]
    ends = [start - 1 for start in cuts] + [high]
    return list(zip(starts, ends, strict=True))
