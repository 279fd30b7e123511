"""The features derived from others: month-on-month changes, defined once for SQL and for pandas.

The feature SQL (``sql/customer_features.sql``) writes ``{revenue_change}``, and a customer
sent to the service is derived in pandas (a DuckDB query per request would cost more than
the model): both take the expression from :data:`CHANGES`, as pandera keeps one check with one
implementation per engine.

>>> CHANGES[0].sql
'(revenue_current_month - revenue_previous_month)'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Change:
    """A feature that is this month's value minus last month's."""

    name: str
    current: str
    previous: str

    @property
    def sql(self) -> str:
        return f"({self.current} - {self.previous})"

    def of(self, columns: Mapping[str, Any]) -> np.ndarray:
        """The feature's values from a frame's columns, or from arrays by name, as floats."""
        return np.asarray(columns[self.current] - columns[self.previous]).astype(float)


CHANGES: tuple[Change, ...] = (
    Change("revenue_change", "revenue_current_month", "revenue_previous_month"),
    Change("minutes_change", "minutes_current_month", "minutes_previous_month"),
)
DERIVED_FEATURES: tuple[str, ...] = tuple(change.name for change in CHANGES)
