"""The store's four tables for synthetic customers, drawn in chunks of customers.

Customers are drawn in fixed chunks, each from its own random stream derived from the
seed, so a data set of any size is reproducible and can be streamed to disk chunk by
chunk without holding it in memory.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from oneclick.errors import ConfigError
from oneclick.ingest.columns import TABLES, russian_value
from oneclick.synth import profile
from oneclick.synth.customers import CATEGORIES, draw_customers
from oneclick.synth.quirks import QuirkPlan, apply_value_quirks, misspelled, plan_quirks

FIRST_CUSTOMER_ID = 215348  # the first id of the real export
CHUNK_SIZE = 200_000  # customers per chunk; part of the seed's meaning, do not change lightly
TABLE_NAMES = tuple(TABLES)

_TEXT = pa.string()
_ARROW_TYPES = {
    "customer_id": pa.int64(),
    "activity_level": _TEXT,
    "service_type": _TEXT,
    "allows_messages": _TEXT,
    "marketing_contacts_6m_avg": pa.float64(),
    "marketing_contacts_current_month": pa.int64(),
    "days_since_registration": pa.int64(),
    "promo_purchase_share": pa.float64(),
    "favourite_category": _TEXT,
    "categories_viewed_per_visit": pa.int64(),
    "unpaid_items_quarter": pa.int64(),
    "n_service_errors": pa.int64(),
    "pages_per_visit": pa.int64(),
    "period": _TEXT,
    "revenue": pa.float64(),
    "minutes": pa.int64(),
    "profit": pa.float64(),
}


def table_schema(name: str) -> pa.Schema:
    """Russian headers and value types of one of the store's tables, in export order."""
    return pa.schema([(ru, _ARROW_TYPES[en]) for ru, en in TABLES[name].columns.items()])


def rows_per_customer(name: str) -> int:
    """How many rows one customer has in a table (one per period, else one)."""
    return max(1, len(TABLES[name].periods))


def generate_tables(n_customers: int, *, seed: int = 0, quirks: bool = True) -> dict[str, pd.DataFrame]:
    """Draw the store's four tables for ``n_customers`` synthetic customers.

    Parameters
    ----------
    n_customers : how many customers (ids run from 215348 up).
    seed : a whole number >= 0; the same seed always gives the same tables.
    quirks : reproduce the real exports' defects (typos, inactive customers, one revenue
        outlier); the customers themselves are the same either way.

    Returns
    -------
    ``{"market_file", "market_money", "market_time", "money"}`` -> DataFrame with the
    store's Russian headers and values, as the export reads back (numbers as numbers).

    Raises
    ------
    ConfigError : ``n_customers`` < 1 or ``seed`` < 0.

    >>> generate_tables(2)["market_money"].shape
    (6, 3)
    """
    chunks = list(iter_table_chunks(n_customers, seed=seed, quirks=quirks))
    return {name: pa.concat_tables([chunk[name] for chunk in chunks]).to_pandas() for name in TABLE_NAMES}


def iter_table_chunks(n_customers: int, *, seed: int = 0, quirks: bool = True) -> Iterator[dict[str, pa.Table]]:
    """The four tables as Arrow tables, ``CHUNK_SIZE`` customers at a time.

    Checks the arguments at once, before anything is drawn or written.
    """
    _check_arguments(n_customers, seed)
    plan = plan_quirks(_stream(seed, 0), n_customers)
    return _chunks(n_customers, seed, plan, quirks)


def _chunks(n_customers: int, seed: int, plan: QuirkPlan, quirks: bool) -> Iterator[dict[str, pa.Table]]:
    for index, start in enumerate(range(0, n_customers, CHUNK_SIZE)):
        size = min(CHUNK_SIZE, n_customers - start)
        yield _chunk_tables(_stream(seed, 1, index), start, size, plan, quirks)


def _stream(seed: int, *key: int) -> np.random.Generator:
    """An independent random stream per purpose and chunk, derived from the seed."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _check_arguments(n_customers: int, seed: int) -> None:
    if isinstance(n_customers, bool) or not isinstance(n_customers, int) or n_customers < 1:
        raise ConfigError(f"n_customers must be a whole number >= 1, found {n_customers!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"seed must be a whole number >= 0, found {seed!r}")


def _chunk_tables(
    rng: np.random.Generator, start: int, size: int, plan: QuirkPlan, quirks: bool
) -> dict[str, pa.Table]:
    customers = draw_customers(rng, size)
    ids = FIRST_CUSTOMER_ID + start + np.arange(size, dtype=np.int64)
    return customer_tables(rng, customers, ids, start, plan, quirks)


def customer_tables(
    rng: np.random.Generator,
    customers: dict[str, np.ndarray],
    ids: np.ndarray,
    start: int,
    plan: QuirkPlan,
    quirks: bool,
) -> dict[str, pa.Table]:
    """The four tables of customers already drawn (as :func:`draw_customers` returns them), with ``ids``.

    ``start`` is the position of the first of them in the whole data set (the quirk plan counts
    positions); the export's quirks are applied to ``customers`` in place when ``quirks``.
    """
    size = ids.shape[0]
    # Drawn whether or not quirks are on, so both ways give the same customers.
    is_typo = rng.random(size) < profile.STANDARD_TYPO_SHARE
    if quirks:
        apply_value_quirks(customers, start, plan)
    return {
        "market_file": _market_file(customers, ids, np.logical_and(is_typo, quirks), quirks),
        "market_money": _per_period(rng, "market_money", customers, ids, quirks),
        "market_time": _per_period(rng, "market_time", customers, ids, quirks),
        "money": _table("money", {"customer_id": ids, "profit": customers["profit"]}),
    }


def _table(name: str, columns: dict[str, np.ndarray | pa.Array]) -> pa.Table:
    schema = table_schema(name)
    english = TABLES[name].columns.values()
    return pa.table([pa.array(columns[en], field.type) for en, field in zip(english, schema, strict=True)], schema)


def _text(column: str, english_values: tuple[str, ...], codes: np.ndarray, quirks: bool) -> pa.Array:
    """Codes -> the Russian values of a column, misspelled as the exports do if quirks."""
    russian = [russian_value(column, value) for value in english_values]
    if quirks:
        russian = [misspelled(column, value) for value in russian]
    return pa.array(russian, _TEXT).take(pa.array(codes))


def _market_file(customers: dict[str, np.ndarray], ids: np.ndarray, is_typo: np.ndarray, quirks: bool) -> pa.Table:
    declined = customers["is_declined"].astype(np.int8)
    refuses = (~customers["allows_messages"]).astype(np.int8)
    columns = {
        **customers,
        "customer_id": ids,
        "activity_level": _text("activity_level", ("unchanged", "declined"), declined, False),
        "service_type": _service_text(customers["is_premium"], is_typo),
        "allows_messages": _text("allows_messages", ("yes", "no"), refuses, False),
        "favourite_category": _text("favourite_category", CATEGORIES, customers["category_code"], quirks),
    }
    return _table("market_file", columns)


def _service_text(is_premium: np.ndarray, is_typo: np.ndarray) -> pa.Array:
    """Service type, "стандарт" misspelled on the rows marked as typos."""
    standard = russian_value("service_type", "standard")
    vocabulary = [russian_value("service_type", "premium"), standard, misspelled("service_type", standard)]
    codes = np.where(is_premium, 0, np.where(is_typo, 2, 1))
    return pa.array(vocabulary, _TEXT).take(pa.array(codes))


def _period_orders(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Row orders of a customer's periods (as period indexes) and their shares."""
    orders = {
        "market_money": profile.REVENUE_PERIOD_ORDERS,
        "market_time": profile.MINUTES_PERIOD_ORDERS,
    }[name]
    periods = TABLES[name].periods
    index = np.array([[periods.index(period) for period in order] for order, _ in orders])
    counts = np.array([count for _, count in orders], dtype=float)
    return index, counts / counts.sum()


def _per_period(
    rng: np.random.Generator, name: str, customers: dict[str, np.ndarray], ids: np.ndarray, quirks: bool
) -> pa.Table:
    """A long table with one row per customer and period, a customer's rows together.

    Only market_time misspells a period ("предыдцщий_месяц"); market_money spells it right.
    """
    layout = TABLES[name]
    value_column = next(en for en in layout.columns.values() if en not in ("customer_id", "period"))
    values = np.column_stack([customers[f"{value_column}_{period}"] for period in layout.periods])
    orders, shares = _period_orders(name)
    order = orders[rng.choice(len(orders), size=ids.shape[0], p=shares)]
    columns = {
        "customer_id": np.repeat(ids, len(layout.periods)),
        "period": _text("period", layout.periods, order.ravel(), quirks and name == "market_time"),
        value_column: np.take_along_axis(values, order, axis=1).ravel(),
    }
    return _table(name, columns)
