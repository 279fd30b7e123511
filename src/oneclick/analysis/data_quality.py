"""Data quality: what was read, fixed, quarantined and excluded, from the ingest stage's ``quality.json``."""

from __future__ import annotations

from typing import Any

import pandas as pd

EXCLUSION_KINDS = ("inactive", "outlier", "incomplete", "other")
N_QUARANTINE_EXAMPLES = 5


def data_quality(quality: dict[str, Any], quarantine: pd.DataFrame | None = None) -> dict[str, Any]:
    """The figures of a run's data quality: customers read and kept, sources, fixes, quarantine, exclusions.

    ``quality`` is the dict of ``quality.json``; ``quarantine`` the rows of ``quarantine.csv``, whose
    first rows become the examples (only when some rows were quarantined). Each excluded customer
    gets the ``kind`` of :func:`exclusion_kind`, and ``excluded_by_kind`` counts them.
    """
    excluded = [
        {"id": int(row["id"]), "reason": str(row["reason"]), "kind": exclusion_kind(str(row["reason"]))}
        for row in quality["excluded"]
    ]
    by_kind = {kind: sum(1 for row in excluded if row["kind"] == kind) for kind in EXCLUSION_KINDS}
    examples: list[dict[str, Any]] = []
    if quality["quarantined_rows"] and quarantine is not None:
        head = quarantine.head(N_QUARANTINE_EXAMPLES).astype(object)
        examples = head.where(head.notna(), "").astype(str).to_dict("records")
    return {
        "customers_read": int(quality["customers_read"]),
        "customers_kept": int(quality["customers_kept"]),
        "sources": [
            {k: source[k] for k in ("file", "rows_read", "rows_quarantined", "separator", "encoding")}
            for source in quality["sources"]
        ],
        "fixes": [{k: fix[k] for k in ("table", "column", "from", "to", "count")} for fix in quality["fixes"]],
        "quarantined_rows": int(quality["quarantined_rows"]),
        "quarantine_by_file": quality["quarantine_by_file"],
        "quarantine_examples": examples,
        "excluded": excluded,
        "excluded_by_kind": by_kind,
        "revenue_outliers": quality["revenue_outliers"],
        "policy": quality["policy"],
        "class_balance": quality["class_balance"],
    }


def exclusion_kind(reason: str) -> str:
    """The kind of an exclusion (one of :data:`EXCLUSION_KINDS`), from the reason the ingest stage wrote."""
    if reason.startswith("inactive"):
        return "inactive"
    if reason.startswith("revenue outlier"):
        return "outlier"
    if reason.startswith("no row"):
        return "incomplete"
    return "other"
