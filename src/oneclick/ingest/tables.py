"""Load the store's four tables: read, check, cross-check, apply the cleaning policy."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from oneclick.config import BadRowPolicy, InactivePolicy, OutlierPolicy
from oneclick.errors import InputDataError
from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, TABLES, russian_value
from oneclick.ingest.outliers import flag_revenue_outliers
from oneclick.ingest.quality import DataQuality, SourceFile
from oneclick.ingest.read import find_table_file, read_raw_table
from oneclick.ingest.validate import CheckedTable, check_table

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreTables:
    """The four validated tables (English names) and what loading them found.

    Rows of excluded customers stay in the tables; ``kept_customers`` says who goes on.
    """

    market_file: pd.DataFrame
    market_money: pd.DataFrame
    market_time: pd.DataFrame
    money: pd.DataFrame
    quality: DataQuality

    @property
    def kept_customers(self) -> pd.Index:
        excluded = set(self.quality.excluded["customer_id"])
        ids = self.market_file["customer_id"]
        return pd.Index(ids[~ids.isin(excluded)], name="customer_id")


def load_tables(
    path: str | Path,
    *,
    inactive_policy: InactivePolicy = "exclude",
    outlier_policy: OutlierPolicy = "cap",
    outlier_iqr_factor: float = 3.0,
    bad_rows: BadRowPolicy = "quarantine",
    max_bad_row_share: float = 0.5,
) -> StoreTables:
    """Read and validate the store's four tables from a folder.

    Raises :class:`InputDataError` when a file cannot be read at all, when more than
    ``max_bad_row_share`` of its rows fail, or (with ``bad_rows="fail"``) on any bad row.

    >>> tables = load_tables("../shared/data/one_click")  # doctest: +SKIP
    >>> tables.quality.customers_kept  # doctest: +SKIP
    1297
    """
    folder = Path(path)
    checked = {
        name: check_table(read_raw_table(find_table_file(folder, layout), layout)) for name, layout in TABLES.items()
    }
    for table in checked.values():
        if table.rows_read == 0:
            raise InputDataError(f"{table.file}: the file has a header but no data rows")
        _refuse_broken(table, bad_rows, max_bad_row_share)
    frames = {name: table.frame for name, table in checked.items()}
    excluded = [_incomplete_customers(frames, checked)]
    inactive = _inactive_customers(frames[MARKET_MONEY.name], excluded[0])
    if inactive_policy == "exclude" and len(inactive):
        excluded.append(inactive)
    money, outliers = flag_revenue_outliers(frames[MARKET_MONEY.name], outlier_iqr_factor, outlier_policy)
    frames[MARKET_MONEY.name] = money
    if outlier_policy == "exclude" and len(outliers):
        excluded.append(_outlier_exclusions(outliers))
    excluded_frame = pd.concat(excluded, ignore_index=True).drop_duplicates("customer_id")
    quality = _quality(
        checked,
        frames,
        excluded_frame,
        inactive,
        outliers,
        {
            "inactive": inactive_policy,
            "outliers": outlier_policy,
            "outlier_iqr_factor": outlier_iqr_factor,
            "bad_rows": bad_rows,
        },
    )
    if quality.customers_kept == 0:
        raise InputDataError(f"{folder}: no customer is left after the checks; see the reasons:\n" + quality.describe())
    _announce(quality)
    return StoreTables(quality=quality, **frames)


def _refuse_broken(table: CheckedTable, bad_rows: BadRowPolicy, max_share: float) -> None:
    n_bad = len(table.quarantine)
    if n_bad == 0:
        return
    share = n_bad / max(table.rows_read, 1)
    if bad_rows == "quarantine" and share <= max_share and len(table.frame):
        return
    examples = "\n".join(f"  - line {row.line}: {row.reason}" for row in table.quarantine.head(5).itertuples())
    why = (
        f", more than {max_share:.0%} of its rows"
        if share > max_share or not len(table.frame)
        else " (bad_rows='fail' stops at any bad row)"
    )
    raise InputDataError(
        f"{table.file} failed checks in {n_bad} of {table.rows_read} rows{why}:\n{examples}\n"
        "Fix the file, or see `oneclick validate --help` for the expected format."
    )


def _all_customer_ids(frames: dict[str, pd.DataFrame]) -> pd.Index:
    ids = np.unique(np.concatenate([f["customer_id"].to_numpy(dtype="int64") for f in frames.values()]))
    return pd.Index(ids, name="customer_id")


def _incomplete_customers(frames: dict[str, pd.DataFrame], checked: dict[str, CheckedTable]) -> pd.DataFrame:
    ids = _all_customer_ids(frames)
    gaps: list[pd.DataFrame] = []
    for layout in TABLES.values():
        table = checked[layout.name]
        note = " (a row of it was quarantined)" if len(table.quarantine) else ""
        frame = frames[layout.name]
        wanted = (
            [(None, f"no row in {table.file}{note}")]
            if not layout.periods
            else [
                (period, f"no row for period '{russian_value('period', period)}' in {table.file}{note}")
                for period in layout.periods
            ]
        )
        for period, reason in wanted:
            present = frame["customer_id"] if period is None else frame.loc[frame["period"] == period, "customer_id"]
            missing = ids[~ids.isin(present)]
            gaps.append(pd.DataFrame({"customer_id": missing.to_numpy(dtype="int64"), "reason": reason}))
    found = pd.concat(gaps, ignore_index=True)
    joined = found.groupby("customer_id", sort=True)["reason"].agg("; ".join)
    return pd.DataFrame({"customer_id": joined.index.to_numpy(dtype="int64"), "reason": joined.to_numpy(dtype=object)})


def _inactive_customers(money: pd.DataFrame, already_excluded: pd.DataFrame) -> pd.DataFrame:
    zero = money[(money["revenue"] == 0) & ~money["customer_id"].isin(already_excluded["customer_id"])]
    months = zero.groupby("customer_id")["period"].agg(
        lambda periods: ", ".join(russian_value("period", p) for p in sorted(periods))
    )
    return pd.DataFrame(
        {
            "customer_id": months.index.to_numpy(dtype="int64"),
            "reason": [f"inactive: zero revenue in {m}" for m in months],
        }
    )


def _outlier_exclusions(outliers: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": outliers["customer_id"].to_numpy(dtype="int64"),
            "reason": [
                f"revenue outlier {r.revenue:,.1f} in '{russian_value('period', r.period)}' (above {r.threshold:,.1f})"
                for r in outliers.itertuples()
            ],
        }
    )


def _quality(
    checked: dict[str, CheckedTable],
    frames: dict[str, pd.DataFrame],
    excluded: pd.DataFrame,
    inactive: pd.DataFrame,
    outliers: pd.DataFrame,
    policy: dict[str, object],
) -> DataQuality:
    sources = [
        SourceFile(t.name, t.file, t.sha256, t.encoding, t.separator, t.rows_read, len(t.quarantine))
        for t in checked.values()
    ]
    ids = _all_customer_ids(frames)
    labels = frames[MARKET_FILE.name]
    kept = labels[~labels["customer_id"].isin(excluded["customer_id"])]
    declined = int((kept["activity_level"] == "declined").sum())
    balance = {
        "declined": declined,
        "unchanged": len(kept) - declined,
        "declined_share": round(declined / len(kept), 4) if len(kept) else None,
    }
    quarantine = pd.concat([t.quarantine for t in checked.values()], ignore_index=True)
    fixes = [fix for t in checked.values() for fix in t.fixes]
    return DataQuality(
        sources,
        fixes,
        quarantine,
        excluded.reset_index(drop=True),
        sorted(int(i) for i in inactive["customer_id"]),
        outliers,
        policy,
        len(ids),
        len(kept),
        balance,
    )


def _announce(quality: DataQuality) -> None:
    for fix in quality.fixes:
        logger.warning("%s: %s %r -> %r in %d cells", fix.table, fix.column, fix.before, fix.after, fix.count)
    for row in quality.outliers.itertuples():
        logger.warning(
            "revenue outlier %s of customer %s in %s (above %s): %s",
            row.revenue,
            row.customer_id,
            row.period,
            row.threshold,
            row.action,
        )
    if len(quality.quarantine):
        logger.warning("%d rows quarantined with their reasons", len(quality.quarantine))
    if len(quality.excluded):
        logger.warning(
            "%d customers excluded: %s",
            len(quality.excluded),
            "; ".join(f"{r.customer_id} ({r.reason})" for r in quality.excluded.head(5).itertuples()),
        )
