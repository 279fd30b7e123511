"""Build the customer table with DuckDB, so the same SQL runs on millions of rows.

The kept customers' months, side by side, come from ``oneclick.ingest`` (a pandas frame here; a
view over the first pass's Parquet files in the batch engine); ``sql/customer_features.sql``
derives the features from them, for both.
"""

from __future__ import annotations

from importlib.resources import files

import duckdb
import pandas as pd

from oneclick.features.derived import CHANGES
from oneclick.features.groups import FEATURE_NAMES
from oneclick.ingest import StoreTables

LABEL = "declined"
PROFIT = "profit"


def load_query(name: str) -> str:
    """The text of one query in ``oneclick/features/sql``."""
    return files("oneclick.features").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def customer_features_sql(connection: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """The customer table over a relation ``customer_months`` already registered, in its row order.

    ``customer_months``: see :func:`oneclick.ingest.create_customer_months`.
    """
    changes = {change.name: change.sql for change in CHANGES}
    return connection.sql(load_query("customer_features").format(**changes))


def build_customer_table(tables: StoreTables) -> pd.DataFrame:
    """One row per kept customer: features, the label ``declined`` and ``profit``.

    >>> table = build_customer_table(load_tables("../shared/data/one_click"))  # doctest: +SKIP
    >>> table.shape  # doctest: +SKIP
    (1297, 20)
    """
    with duckdb.connect() as connection:
        connection.register("customer_months", tables.customer_months)
        table = customer_features_sql(connection).order("customer_id").df()
    return typed_customer_table(table)


def typed_customer_table(table: pd.DataFrame) -> pd.DataFrame:
    """The customer table as the model sees it: indexed by ``customer_id``, text columns categorical."""
    table = table.set_index("customer_id")
    for column, dtype in table.dtypes.items():
        if pd.api.types.is_object_dtype(dtype) or str(dtype).startswith("str"):
            table[column] = table[column].astype("category")
    return table


def build_features(tables: StoreTables) -> tuple[pd.DataFrame, pd.Series]:
    """The model's inputs ``X`` (indexed by customer id) and label ``y`` (1 = activity declined)."""
    table = build_customer_table(tables)
    return table[FEATURE_NAMES], table[LABEL].astype("int64").rename(LABEL)
