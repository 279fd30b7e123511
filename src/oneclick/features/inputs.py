"""One customer as a caller sends it (the site, the CRM, a what-if): the fields, their checks, the features.

The fields are the kept customer's months as ingest hands them to the feature SQL
(``ingest.MONTHS_COLUMNS``), each with the type and bounds of the pandera schema its table is
checked by, so a value refused in an export is refused here, with the same bound. The derived
features (``revenue_change``, ``minutes_change``) may be sent too; they are computed by
``features.derived`` either way, and a sent value must agree with that.

>>> [f.name for f in input_fields()][:3]
['customer_id', 'service_type', 'allows_messages']
>>> table = customer_rows(pd.DataFrame([{...}]))  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from oneclick.errors import InputDataError
from oneclick.features.build import PROFIT, typed_customer_table
from oneclick.features.derived import CHANGES, DERIVED_FEATURES
from oneclick.features.groups import FEATURE_NAMES, FEATURES, feature_label
from oneclick.ingest import MONTHS_COLUMNS
from oneclick.ingest.cells import LARGEST_WHOLE
from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, MARKET_TIME, MONEY
from oneclick.ingest.schemas import SCHEMAS

InputKind = Literal["integer", "number", "boolean", "category"]
# Derived features a caller may send: their value must equal the SQL's within this (rounding of a client).
DERIVED_TOLERANCE = 1e-6
_LABEL_SOURCE = "activity_level"  # the label's column: not an input
# The feature SQL casts minutes to DOUBLE (so their changes are too); a test holds the two types together.
MINUTES_AS_NUMBERS = ("minutes_previous_month", "minutes_current_month")


@dataclass(frozen=True)
class InputField:
    """One field of a customer sent for scoring: its type, the schema's bounds and allowed values."""

    name: str
    kind: InputKind
    required: bool
    description: str
    minimum: float | None = None  # inclusive
    exclusive_minimum: float | None = None
    maximum: float | None = None  # inclusive
    allowed: tuple[str, ...] | None = None
    derived: bool = False  # computed from other fields when absent


def _source(column: str) -> tuple[str, str]:
    """The (table, column) of the pandera schema that checks a months column."""
    if column.startswith("revenue_"):
        return MARKET_MONEY.name, "revenue"
    if column.startswith("minutes_"):
        return MARKET_TIME.name, "minutes"
    if column == PROFIT:
        return MONEY.name, "profit"
    return MARKET_FILE.name, column


_KINDS: dict[str, InputKind] = {"int64": "integer", "float64": "number", "bool": "boolean"}
_DESCRIPTIONS = {
    "customer_id": "The customer's id (optional; echoed back).",
    PROFIT: "Average monthly profit from the customer over the last three months, as money.csv (optional: "
    "without it there is no offer and no profit-based segment).",
}


@cache
def input_fields() -> tuple[InputField, ...]:
    """Every field of a customer sent for scoring, in the feature table's order of sources."""
    fields = []
    for column in MONTHS_COLUMNS:
        if column == _LABEL_SOURCE:
            continue
        table, source = _source(column)
        schema_column = SCHEMAS[table].to_schema().columns[source]
        bounds: dict[str, Any] = {}
        for check in schema_column.checks:
            stats = check.statistics
            if check.name == "greater_than":
                bounds["exclusive_minimum"] = stats["min_value"]
            elif check.name == "greater_than_or_equal_to":
                bounds["minimum"] = stats["min_value"]
            elif check.name == "less_than_or_equal_to":
                bounds["maximum"] = stats["max_value"]
            elif check.name == "isin":
                bounds["allowed"] = tuple(stats["allowed_values"])
            else:
                raise NotImplementedError(f"pandera check {check.name!r} of {table}.{source}: no input bound for it")
        dtype = str(schema_column.dtype)
        kind: InputKind = "category" if "allowed" in bounds else _KINDS[dtype]
        if kind == "integer" and "maximum" not in bounds:
            bounds["maximum"] = LARGEST_WHOLE  # as an export's cell is read: beyond it a number is not exact
        fields.append(
            InputField(
                column,
                kind,
                required=column not in _DESCRIPTIONS,
                description=_DESCRIPTIONS.get(column) or _describe(column),
                **bounds,
            )
        )
    for name in DERIVED_FEATURES:
        fields.append(InputField(name, "number", required=False, description=_describe(name), derived=True))
    return tuple(fields)


def _describe(name: str) -> str:
    unit = next((f.unit for f in FEATURES if f.name == name), "")
    return feature_label(name, "en") + (f" ({unit})" if unit else "")


_DTYPES = {"integer": "int64", "number": "float64", "boolean": "bool"}


def customer_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The customer table (features and ``profit``, indexed by ``customer_id``) of customers sent one per row.

    ``rows`` holds the input fields, already checked against :func:`input_fields` (``profit``
    and ``customer_id`` may be missing: NaN profit, ids numbered from 1), one customer per row in
    order. The columns come as ``build_customer_table`` gives them. Raises :class:`InputDataError`
    when a derived feature sent disagrees with the one computed from the other fields.
    """
    n_rows = len(rows)
    months: dict[str, Any] = {}  # arrays, not Series: on one customer pandas' own cost is most of the cost
    for field in input_fields():
        if field.derived:
            continue
        if field.name == "customer_id" and field.name in rows:
            # an id may be missing in some rows of a list: those are numbered by position
            values = rows[field.name].fillna(pd.Series(np.arange(1, len(rows) + 1), index=rows.index))
            months[field.name] = values.to_numpy(dtype="int64")
        elif field.name in rows:
            values = rows[field.name]
            months[field.name] = values.to_numpy(dtype=_DTYPES[field.kind]) if field.kind in _DTYPES else values.array
        elif field.name == "customer_id":
            months[field.name] = np.arange(1, n_rows + 1, dtype="int64")
        else:
            months[field.name] = np.full(n_rows, np.nan)
    for name in MINUTES_AS_NUMBERS:
        months[name] = months[name].astype(float)
    for change in CHANGES:
        months[change.name] = change.of(months)
        if change.name in rows:
            _check_sent(change.name, rows[change.name], months[change.name])
    columns = ["customer_id", *FEATURE_NAMES, PROFIT]
    return typed_customer_table(pd.DataFrame({name: months[name] for name in columns}, columns=columns))


def _check_sent(name: str, sent: pd.Series, computed: np.ndarray) -> None:
    given = pd.to_numeric(sent, errors="coerce").to_numpy(dtype=float)
    wrong = ~np.isnan(given) & ~np.isclose(given, computed, rtol=0, atol=DERIVED_TOLERANCE)
    if wrong.any():
        at = int(np.flatnonzero(wrong)[0])
        raise InputDataError(
            f"customer {at}: {name}={float(given[at])!r} disagrees with the other fields, which give "
            f"{float(computed[at])!r}; send it as computed, or leave it out"
        )
