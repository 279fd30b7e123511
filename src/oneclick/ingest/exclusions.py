"""Who is left out, and why: a customer missing from a table or a month, an inactive customer,
a revenue outlier, as the policies say.

One reason per customer, the first that applies, in this order: missing rows (every table and
month it lacks, in table order), inactivity (zero revenue in some month; when the policy
excludes inactive customers), a revenue outlier (when the policy excludes them). Inactive
customers are listed whatever the policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from oneclick.config import InactivePolicy, OutlierPolicy
from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, TABLES, russian_value
from oneclick.ingest.sqltext import literal, load_sql

EXCLUDED_COLUMNS = ["customer_id", "reason"]


@dataclass(frozen=True)
class Exclusions:
    """The customers read and kept, and who was left out (``path``: Parquet, by customer id)."""

    path: Path
    customers_read: int
    customers_kept: int
    inactive: list[int]
    excluded: pd.DataFrame  # customer_id, reason


def find_exclusions(
    connection: duckdb.DuckDBPyConnection,
    files: Mapping[str, str],
    quarantined: Mapping[str, int],
    outliers: pd.DataFrame,
    *,
    inactive_policy: InactivePolicy,
    outlier_policy: OutlierPolicy,
    path: Path,
) -> Exclusions:
    """Judge every customer of the view ``customer_status``; write who is left out to ``path``.

    ``files``: each table's file name; ``quarantined``: quarantined rows per file name.
    """
    connection.register("outlier_exclusions", _outlier_reasons(outliers if outlier_policy == "exclude" else None))
    query = load_sql("exclusions").format(
        missing_reasons=_missing_reasons(files, quarantined),
        inactive_months=_inactive_months(),
        exclude_inactive=literal(inactive_policy == "exclude"),
    )
    connection.execute(f"CREATE OR REPLACE TEMP TABLE exclusions AS {query}")
    connection.unregister("outlier_exclusions")
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.execute(
        f"COPY (SELECT customer_id, reason FROM exclusions WHERE reason IS NOT NULL ORDER BY customer_id) "
        f"TO {literal(str(path))} (FORMAT parquet)"
    )
    read, kept = connection.execute(
        "SELECT count(*), count(*) FILTER (WHERE reason IS NULL) FROM exclusions"
    ).fetchall()[0]
    inactive = [
        int(i)
        for (i,) in connection.execute("SELECT customer_id FROM exclusions WHERE is_inactive ORDER BY 1").fetchall()
    ]
    excluded = connection.sql(f"SELECT * FROM read_parquet({literal(str(path))})").df()
    excluded = excluded.astype({"customer_id": "int64"}).reset_index(drop=True)
    return Exclusions(path, int(read), int(kept), inactive, excluded)


def _outlier_reasons(outliers: pd.DataFrame | None) -> pd.DataFrame:
    """The reason of each customer excluded for an outlier: their first outlying month."""
    if outliers is None or not len(outliers):
        return pd.DataFrame({"customer_id": pd.Series([], dtype="int64"), "reason": pd.Series([], dtype=object)})
    first = outliers.drop_duplicates("customer_id")
    return pd.DataFrame(
        {
            "customer_id": first["customer_id"].to_numpy(dtype="int64"),
            "reason": [
                f"revenue outlier {r.revenue:,.1f} in '{russian_value('period', r.period)}' (above {r.threshold:,.1f})"
                for r in first.itertuples()
            ],
        }
    )


def _missing_reasons(files: Mapping[str, str], quarantined: Mapping[str, int]) -> str:
    """SQL for the "no row in ..." reasons, one per table and month, in table order."""
    parts = []
    for name, layout in TABLES.items():
        file = files[name]
        note = " (a row of it was quarantined)" if quarantined.get(file) else ""
        if not layout.periods:
            count = "n_market_file_rows" if name == MARKET_FILE.name else "n_money_rows"
            parts.append(f"CASE WHEN {count} = 0 THEN {literal(f'no row in {file}{note}')} END")
            continue
        for period in layout.periods:
            present = f"revenue_{period} IS NOT NULL" if name == MARKET_MONEY.name else f"has_minutes_{period}"
            reason = f"no row for period '{russian_value('period', period)}' in {file}{note}"
            parts.append(f"CASE WHEN NOT ({present}) THEN {literal(reason)} END")
    return ", ".join(parts)


def _inactive_months() -> str:
    """SQL for the months of zero revenue, listed in Russian (in the order of their English names)."""
    months = sorted(MARKET_MONEY.periods)
    parts = ", ".join(f"CASE WHEN revenue_{p} = 0 THEN {literal(russian_value('period', p))} END" for p in months)
    return f"concat_ws(', ', {parts})"
