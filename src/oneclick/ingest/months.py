"""The kept customers' months side by side: what ``oneclick.features`` derives the features from.

The view ``customer_months`` reads the first pass's per-customer files (:mod:`oneclick.ingest.status`):
the customers left out are dropped, the text values are typed again (Parquet keeps them as text)
and revenue outliers are capped when the policy says so. A kept customer's rows agree, so a
month's value is its rows' value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from oneclick.ingest.cells import IdRange, create_enum_types, enum_type
from oneclick.ingest.columns import MARKET_MONEY, MARKET_TIME, VALUES
from oneclick.ingest.outliers import capped
from oneclick.ingest.sqltext import literal
from oneclick.ingest.status import FILE_VALUES

MONTHS_COLUMNS = (
    "customer_id",
    *FILE_VALUES,
    *(f"revenue_{p}" for p in MARKET_MONEY.periods),
    *(f"minutes_{p}" for p in MARKET_TIME.periods),
    "profit",
)


@dataclass(frozen=True)
class CustomerFiles:
    """Where the first pass put each customer's months, who it left out, and how revenue is capped."""

    customers_path: str  # one row per customer id (a glob of Parquet files, sorted by id)
    excluded_path: str  # the customers left out, with the reason (Parquet)
    fences: Mapping[str, float]  # period -> revenue above which a value is an outlier
    cap_outliers: bool


def create_customer_months(
    connection: duckdb.DuckDBPyConnection, files: CustomerFiles, *, id_range: IdRange | None = None
) -> None:
    """Create the view ``customer_months`` of the kept customers (ids in ``id_range``), in id order.

    On one DuckDB thread the rows come in the files' order, by id.
    """
    fences, cap_outliers = files.fences, files.cap_outliers
    create_enum_types(connection)
    columns = []
    for column in MONTHS_COLUMNS:
        period = column.removeprefix("revenue_")
        if column in VALUES and column != "allows_messages":
            columns.append(f"CAST(s.{column} AS {enum_type(column)}) AS {column}")
        elif column.startswith("revenue_") and cap_outliers:
            columns.append(f"{capped(f's.{column}', fences.get(period))} AS {column}")
        else:
            columns.append(f"s.{column}")
    bounds = [
        f"s.customer_id {op} {int(bound)}"
        for op, bound in zip((">=", "<="), id_range or (None, None), strict=True)
        if bound is not None
    ]
    connection.execute(
        f"CREATE OR REPLACE TEMP VIEW customer_months AS SELECT {', '.join(columns)} "
        f"FROM read_parquet({literal(files.customers_path)}) AS s "
        f"ANTI JOIN read_parquet({literal(files.excluded_path)}) AS e "
        f"ON s.customer_id = e.customer_id WHERE {' AND '.join(bounds or ['TRUE'])}"
    )
