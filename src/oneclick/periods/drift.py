"""Data drift per feature between two periods, and whether the data set as a whole drifted.

DuckDB counts each feature's values in both periods (``sql/value_counts.sql``), at any size; the
test is chosen and run on the counts (:mod:`oneclick.periods.stattests`, Evidently's defaults).

Where oneclick differs from Evidently, and why:

- **Multiple testing.** With 18 features tested at 5 % each, a period without any drift shows at
  least one "drifted" feature more often than not (1 - 0.95^18 = 60 % for independent tests).
  oneclick adjusts the p-values of the p-value tests of one comparison by Benjamini–Hochberg
  (false discovery rate 5 %) and ``drift`` — which the dataset-drift share and the verdict use —
  reads the adjusted p-value. Evidently applies no correction; its reading is kept beside, as
  ``drift_evidently``, with ``p_value`` unadjusted. The distances (above 1,000 reference rows)
  have no p-value and are read the same way by both.
- **PSI** of reference deciles is added for the marketers; it decides nothing.
- A numeric column with more than :data:`MAX_DISTINCT` distinct values is counted on
  :data:`N_BINS` equal bins (``binned: true``); the store's exports, rounded to kopecks and whole
  minutes, never come near it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import duckdb
import numpy as np

from oneclick.features.groups import FEATURES
from oneclick.ingest.sqltext import ident
from oneclick.periods.stattests import (
    ALPHA,
    ColumnKind,
    Counts,
    TestName,
    benjamini_hochberg,
    choose_test,
    psi,
    psi_band,
    psi_bins,
    run_test,
)

DATASET_DRIFT_SHARE = 0.5  # the data set drifted when at least this share of its features did (Evidently)
MAX_DISTINCT = 100_000
N_BINS = 65_536
CORRECTION = "benjamini_hochberg"
# The feature table's kinds as the tests see them: a binary column is a category of two values.
FEATURE_KINDS: dict[str, ColumnKind] = {f.name: "numeric" if f.kind == "numeric" else "categorical" for f in FEATURES}


@dataclass(frozen=True)
class FeatureDrift:
    """One feature's comparison: test, statistic, threshold, p-values and verdicts, the two distributions."""

    feature: str
    kind: ColumnKind
    test: TestName
    statistic: float
    threshold: float
    p_value: float | None
    p_value_adjusted: float | None
    drift: bool  # oneclick's reading (adjusted p-value, or the distance)
    drift_evidently: bool  # Evidently's reading (unadjusted p-value, or the distance)
    n_values: int
    psi: float
    bins: tuple[Any, ...]  # reference deciles' upper edges (numeric) or the values (categorical)
    share_old: tuple[float, ...]
    share_new: tuple[float, ...]
    binned: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "kind": self.kind,
            "test": self.test,
            "statistic": _finite(self.statistic),
            "threshold": self.threshold,
            "p_value": self.p_value,
            "p_value_adjusted": self.p_value_adjusted,
            "drift": self.drift,
            "drift_evidently": self.drift_evidently,
            "n_values": self.n_values,
            "psi": round(self.psi, 6),
            "psi_band": psi_band(self.psi),
            "distribution": {
                "bins": [_finite(b) if isinstance(b, float) else b for b in self.bins],
                "share_old": [round(s, 6) for s in self.share_old],
                "share_new": [round(s, 6) for s in self.share_new],
            },
            "binned": self.binned,
        }


@dataclass(frozen=True)
class DataDrift:
    """Every feature's drift, and the data set's."""

    features: tuple[FeatureDrift, ...]

    @property
    def drifted(self) -> list[str]:
        return [f.feature for f in self.features if f.drift]

    @property
    def share_drifted(self) -> float:
        return len(self.drifted) / len(self.features) if self.features else 0.0

    @property
    def dataset_drift(self) -> bool:
        return bool(self.features) and self.share_drifted >= DATASET_DRIFT_SHARE

    def as_dict(self) -> dict[str, Any]:
        evidently = [f.feature for f in self.features if f.drift_evidently]
        share = len(evidently) / len(self.features) if self.features else 0.0
        return {
            "dataset_drift": self.dataset_drift,
            "n_features": len(self.features),
            "n_drifted": len(self.drifted),
            "share_drifted": round(self.share_drifted, 4),
            "drifted_features": self.drifted,
            "threshold_share": DATASET_DRIFT_SHARE,
            "correction": CORRECTION,
            "alpha": ALPHA,
            "rule": (
                f"the data set drifted when at least {DATASET_DRIFT_SHARE:.0%} of its features drifted; a feature "
                f"drifted when its test's p-value, adjusted by Benjamini–Hochberg over the p-value tests, is below "
                f"{ALPHA}, or when its distance is at or above its threshold"
            ),
            "evidently": {"dataset_drift": share >= DATASET_DRIFT_SHARE, "n_drifted": len(evidently)},
        }


def load_query(name: str) -> str:
    """The text of one query in ``oneclick/periods/sql``."""
    return files("oneclick.periods").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def data_drift(
    connection: duckdb.DuckDBPyConnection,
    old: str,
    new: str,
    features: Sequence[str] | None = None,
) -> DataDrift:
    """Drift of each feature (default: the model's features) between the relations ``old`` and ``new``."""
    names = list(features) if features is not None else [f.name for f in FEATURES]
    found = [column_drift(connection, name, FEATURE_KINDS.get(name, "numeric"), old, new) for name in names]
    tested = [k for k, f in enumerate(found) if f.p_value is not None]
    adjusted = benjamini_hochberg([found[k].p_value for k in tested])  # type: ignore[misc]
    for k, q in zip(tested, adjusted, strict=True):
        found[k] = _replace(found[k], p_value_adjusted=q, drift=q < found[k].threshold)
    return DataDrift(tuple(found))


def column_drift(
    connection: duckdb.DuckDBPyConnection, column: str, kind: ColumnKind, old: str, new: str
) -> FeatureDrift:
    """One column's drift, unadjusted (``drift`` is Evidently's reading until :func:`data_drift` adjusts it)."""
    counts, binned = column_counts(connection, column, kind, old, new)
    if counts.n_reference == 0 or counts.n_current == 0:
        raise ValueError(f"column {column!r}: no values in one of the periods")
    test = choose_test(kind, counts.n_reference, len(counts.values))
    result = run_test(test, counts)
    as_categories = test not in ("ks", "wasserstein")
    bins, share_old, share_new = psi_bins(counts, "categorical" if as_categories else "numeric")
    return FeatureDrift(
        feature=column,
        kind=kind,
        test=test,
        statistic=result.statistic,
        threshold=result.threshold,
        p_value=result.p_value,
        p_value_adjusted=None,
        drift=result.drift,
        drift_evidently=result.drift,
        n_values=len(counts.values),
        psi=psi(share_old, share_new),
        bins=tuple(bins),
        share_old=tuple(float(s) for s in share_old),
        share_new=tuple(float(s) for s in share_new),
        binned=binned,
    )


def column_counts(
    connection: duckdb.DuckDBPyConnection, column: str, kind: ColumnKind, old: str, new: str
) -> tuple[Counts, bool]:
    """The column's counts per distinct value in both periods (binned when there are too many values)."""
    quoted = ident(column)
    if kind == "numeric":
        distinct, low, high = connection.execute(
            f"SELECT approx_count_distinct(x), min(x), max(x) FROM (SELECT CAST({quoted} AS DOUBLE) AS x FROM {old} "
            f"UNION ALL SELECT CAST({quoted} AS DOUBLE) FROM {new})"
        ).fetchall()[0]
        if distinct is not None and distinct > MAX_DISTINCT and high > low:
            width = (high - low) / N_BINS
            query = load_query("binned_counts").format(
                column=quoted, old=old, new=new, low=repr(float(low)), width=repr(float(width)), n_bins=N_BINS
            )
            return _counts(connection.execute(query)), True
    value = f"CAST({quoted} AS {'DOUBLE' if kind == 'numeric' else 'VARCHAR'})"
    return _counts(connection.execute(load_query("value_counts").format(value=value, old=old, new=new))), False


def _counts(cursor: duckdb.DuckDBPyConnection) -> Counts:
    found = cursor.fetchnumpy()
    values = np.asarray(found["value"])
    if values.dtype == object:
        values = values.astype(str)
    return Counts(values, np.asarray(found["n_old"], dtype=np.int64), np.asarray(found["n_new"], dtype=np.int64))


def _replace(found: FeatureDrift, **changes: Any) -> FeatureDrift:
    from dataclasses import replace

    return replace(found, **changes)


def _finite(value: float) -> float | None:
    """A number for JSON: an infinite statistic (a value the reference never had) becomes None."""
    return float(value) if np.isfinite(value) else None
