"""Load the store's four tables at the store's size: the checks of ``ingest.check``, then pandas.

The tables are checked exactly as the batch engine checks millions of rows (one DuckDB pass, in a
temporary folder); only the result is brought into memory.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from oneclick.config import BadRowPolicy, InactivePolicy, OutlierPolicy
from oneclick.ingest.cells import schema_columns
from oneclick.ingest.check import CheckedExport, Policy, check_export
from oneclick.ingest.columns import MARKET_MONEY, TABLES, VALUES
from oneclick.ingest.months import create_customer_months
from oneclick.ingest.outliers import capped, fence_of_period
from oneclick.ingest.quality import DataQuality
from oneclick.ingest.schemas import SCHEMAS
from oneclick.ingest.sqltext import ident, literal

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreTables:
    """The four validated tables (English names, with each row's ``line``) and what loading them found.

    Rows of excluded customers stay in the four tables; ``kept_customers`` says who goes on, and
    ``customer_months`` holds the kept customers' months side by side (outliers capped by the policy).
    """

    market_file: pd.DataFrame
    market_money: pd.DataFrame
    market_time: pd.DataFrame
    money: pd.DataFrame
    customer_months: pd.DataFrame
    quality: DataQuality

    @property
    def kept_customers(self) -> pd.Index:
        return pd.Index(self.customer_months["customer_id"], name="customer_id")


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
    policy = Policy(inactive_policy, outlier_policy, outlier_iqr_factor, bad_rows, max_bad_row_share)
    with tempfile.TemporaryDirectory(prefix="oneclick-") as work, duckdb.connect() as connection:
        connection.execute("SET enable_progress_bar = false")
        checked = check_export(Path(path), Path(work), policy, connection)
        frames = {name: _table(connection, checked, name) for name in TABLES}
        create_customer_months(connection, checked.months)
        months = connection.sql("SELECT * FROM customer_months ORDER BY customer_id").df()
    announce(checked.quality)
    return StoreTables(customer_months=_texts(months), quality=checked.quality, **frames)


def _table(connection: duckdb.DuckDBPyConnection, checked: CheckedExport, name: str) -> pd.DataFrame:
    """A table's valid rows in line order; an exact repeat of a row is left out (its first copy stays)."""
    file = checked.raws[name].file
    columns = []
    for column in schema_columns(name):
        if column == "revenue" and name == MARKET_MONEY.name and checked.months.cap_outliers:
            columns.append(f"{capped('revenue', fence_of_period(dict(checked.months.fences)))} AS revenue")
        elif column in VALUES and column != "allows_messages":
            columns.append(f"CAST({ident(column)} AS VARCHAR) AS {ident(column)}")
        else:
            columns.append(ident(column))
    frame = connection.sql(
        f"SELECT {', '.join(columns)}, line FROM checked_{name} WHERE line NOT IN "
        f"(SELECT line FROM read_parquet({literal(checked.quarantine_path)}) WHERE file = {literal(file)}) "
        f"ORDER BY line"
    ).df()
    dtypes = {c: str(spec.dtype) for c, spec in SCHEMAS[name].to_schema().columns.items()}
    return frame.astype({c: ("str" if d.startswith("str") else d) for c, d in dtypes.items()} | {"line": "int64"})


def _texts(months: pd.DataFrame) -> pd.DataFrame:
    """The text columns as plain strings (DuckDB hands its ENUMs over as categories)."""
    for column in months.columns:
        if isinstance(months[column].dtype, pd.CategoricalDtype):
            months[column] = months[column].astype("str")
    return months


def announce(quality: DataQuality) -> None:
    """Repairs, outliers, quarantined rows and exclusions as warnings with counts."""
    for fix in quality.fixes:
        logger.warning("%s: %s %r -> %r in %d cells", fix.table, fix.column, fix.before, fix.after, fix.count)
    if len(quality.outliers):
        logger.warning(
            "%d revenue outliers above the monthly fences: %s",
            len(quality.outliers),
            quality.outliers["action"].iloc[0],
        )
    if len(quality.quarantine):
        logger.warning("%d rows quarantined with their reasons", len(quality.quarantine))
    if len(quality.excluded):
        logger.warning(
            "%d customers excluded: %s",
            len(quality.excluded),
            "; ".join(f"{r.customer_id} ({r.reason})" for r in quality.excluded.head(5).itertuples()),
        )
