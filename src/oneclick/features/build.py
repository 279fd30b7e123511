"""Build the customer table with DuckDB, so the same SQL runs on millions of rows.

The tables go in as relations named after the store's exports (pandas frames here;
Parquet views in the batch engine), and the queries in ``sql/`` do the rest.
"""

from __future__ import annotations

from importlib.resources import files

import duckdb
import pandas as pd

from oneclick.features.groups import FEATURE_NAMES
from oneclick.ingest import StoreTables

LABEL = "declined"
PROFIT = "profit"
_STEPS = ("revenue_by_month", "minutes_by_month", "customer_months")


def load_query(name: str) -> str:
    """The text of one query in ``oneclick/features/sql``."""
    return files("oneclick.features").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def customer_table_sql(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """The customer table as a lazy DuckDB relation over relations already registered, by customer id.

    ``connection`` must know ``market_file``, ``market_money``, ``market_time``, ``money``
    and ``kept_customers`` (one column ``customer_id``).
    """
    for step in _STEPS:
        connection.execute(f"CREATE OR REPLACE TEMP VIEW {step} AS {load_query(step)}")
    return customer_features_sql(connection).order("customer_id")


def customer_features_sql(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """The customer table over a relation ``customer_months`` already registered, in its row order.

    The batch engine builds ``customer_months`` from its own per-customer files, so the
    features are derived by this one query whichever way the months were put side by side.
    """
    return connection.sql(load_query("customer_features"))


def build_customer_table(tables: StoreTables) -> pd.DataFrame:
    """One row per kept customer: features, the label ``declined`` and ``profit``.

    >>> table = build_customer_table(load_tables("../shared/data/one_click"))  # doctest: +SKIP
    >>> table.shape  # doctest: +SKIP
    (1297, 20)
    """
    with duckdb.connect() as connection:
        for name in ("market_file", "market_money", "market_time", "money"):
            connection.register(name, getattr(tables, name).drop(columns="line"))
        connection.register("kept_customers", tables.kept_customers.to_frame(index=False))
        table = customer_table_sql(connection).df()
    table = table.set_index("customer_id")
    for column in table.columns:
        if table[column].dtype == object or str(table[column].dtype).startswith("str"):
            table[column] = table[column].astype("category")
    return table


def build_features(tables: StoreTables) -> tuple[pd.DataFrame, pd.Series]:
    """The model's inputs ``X`` (indexed by customer id) and label ``y`` (1 = activity declined)."""
    table = build_customer_table(tables)
    return table[FEATURE_NAMES], table[LABEL].astype("int64").rename(LABEL)
