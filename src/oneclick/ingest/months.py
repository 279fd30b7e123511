"""The kept customers' months side by side: what ``oneclick.features`` derives the features from.

The view ``customer_months`` reads the first pass's per-customer files (:mod:`oneclick.ingest.status`):
the customers left out are dropped, the text values are typed again (Parquet keeps them as text)
and revenue outliers are capped when the policy says so. A kept customer's rows agree, so a
month's value is its rows' value.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def create_customer_months(
    connection: duckdb.DuckDBPyConnection,
    customers: str,
    excluded: str,
    *,
    fences: Mapping[str, float],
    cap_outliers: bool,
    id_range: IdRange | None = None,
) -> None:
    """Create the view ``customer_months`` of the kept customers (ids in ``id_range``), in id order.

    ``customers``: the first pass's files (a glob); ``excluded``: the Parquet file of the customers
    left out (both in :class:`~oneclick.ingest.check.CheckedExport`). On one DuckDB thread the rows
    come in the files' order, by id.
    """
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
        f"FROM read_parquet({literal(customers)}) AS s "
        f"ANTI JOIN read_parquet({literal(excluded)}) AS e "
        f"ON s.customer_id = e.customer_id WHERE {' AND '.join(bounds or ['TRUE'])}"
    )
