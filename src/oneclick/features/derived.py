"""The features derived from others: month-on-month changes, defined once for SQL and for pandas.

The feature SQL (``sql/customer_features.sql``) writes ``{revenue_change}``, and a customer
sent to the service is derived in pandas (a DuckDB query per request would cost more than
the model): both take the expression from :data:`CHANGES`, as pandera keeps one check with one
implementation per engine.

>>> CHANGES[0].sql
'(revenue_current_month - revenue_previous_month)'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Change:
    """A feature that is this month's value minus last month's."""

    name: str
    current: str
    previous: str

    @property
    def sql(self) -> str:
        return f"({self.current} - {self.previous})"

    def of(self, frame: pd.DataFrame) -> pd.Series:
        return (frame[self.current] - frame[self.previous]).astype(float).rename(self.name)


CHANGES: tuple[Change, ...] = (
    Change("revenue_change", "revenue_current_month", "revenue_previous_month"),
    Change("minutes_change", "minutes_current_month", "minutes_previous_month"),
)
DERIVED_FEATURES: tuple[str, ...] = tuple(change.name for change in CHANGES)
