"""The store's tables as the feature SQL expects them, for all customers or one id range.

``oneclick.features.build.customer_table_sql`` builds the customer table from relations named
``market_file``, ``market_money``, ``market_time``, ``money`` and ``kept_customers``; here they
are views over the checked Parquet/CSV rows: exact repeats dropped, revenue outliers capped
when the policy says so, and the kept customers read from the plan's Parquet file.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

from oneclick.batch.sources import TableSource, ValueMap, create_views, literal
from oneclick.features.build import customer_table_sql
from oneclick.ingest.columns import MARKET_MONEY


def create_customer_views(connection: duckdb.DuckDBPyConnection, sources: Mapping[str, TableSource],
                          value_maps: Mapping[tuple[str, str], ValueMap], *, fences: Mapping[str, float],
                          cap_outliers: bool, deduplicate: tuple[str, ...] = (),
                          kept_path: str | None = None, id_range: tuple[int, int] | None = None) -> None:
    """Create the five relations the feature SQL reads (``kept_customers`` only with ``kept_path``).

    ``deduplicate``: tables with exact repeats of a row, of which the first copy is kept.
    """
    create_views(connection, sources, value_maps, id_range=id_range)
    for name in sources:
        query = f"SELECT * EXCLUDE (line) FROM checked_{name}"
        if name in deduplicate:
            key = ", ".join(sources[name].layout.key)
            query += f" QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY line) = 1"
        if name == MARKET_MONEY.name and cap_outliers and fences:
            capped = " ".join(f"WHEN period = {literal(p)} AND revenue > {literal(f)} THEN {literal(f)}"
                              for p, f in fences.items())
            query = f"SELECT * REPLACE (CASE {capped} ELSE revenue END AS revenue) FROM ({query})"
        connection.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {query}")
    if kept_path is not None:
        query = f"SELECT customer_id FROM read_parquet({literal(kept_path)})"
        if id_range is not None:
            query += f" WHERE customer_id BETWEEN {int(id_range[0])} AND {int(id_range[1])}"
        connection.execute(f"CREATE OR REPLACE TEMP VIEW kept_customers AS {query}")


def customer_table(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """The customer table (features, ``declined``, ``profit``) over the views, ordered by customer id."""
    return customer_table_sql(connection)
