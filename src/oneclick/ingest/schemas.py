"""The checks every table must pass, one pandera schema per export (English names).

Upper bounds are sanity limits, not business rules: they catch a broken export
(a number with extra digits, a count in the millions) and say so, rather than let it
reach the model. A month has at most 44,640 minutes.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, MARKET_TIME, MONEY, VALUES


def _allowed(column: str) -> list[str]:
    return list(VALUES[column].values())


class MarketFileSchema(pa.DataFrameModel):
    """market_file: one row per customer, the label and behaviour on the site."""

    customer_id: Series[int] = pa.Field(gt=0)
    activity_level: Series[str] = pa.Field(isin=_allowed("activity_level"))
    service_type: Series[str] = pa.Field(isin=_allowed("service_type"))
    allows_messages: Series[bool]
    marketing_contacts_6m_avg: Series[float] = pa.Field(ge=0, le=1_000)
    marketing_contacts_current_month: Series[int] = pa.Field(ge=0, le=1_000)
    days_since_registration: Series[int] = pa.Field(ge=0, le=36_500)
    promo_purchase_share: Series[float] = pa.Field(ge=0, le=1)
    favourite_category: Series[str] = pa.Field(isin=_allowed("favourite_category"))
    categories_viewed_per_visit: Series[int] = pa.Field(ge=0, le=1_000)
    unpaid_items_quarter: Series[int] = pa.Field(ge=0, le=100_000)
    n_service_errors: Series[int] = pa.Field(ge=0, le=100_000)
    pages_per_visit: Series[int] = pa.Field(ge=0, le=10_000)

    class Config:
        strict = True


class MarketMoneySchema(pa.DataFrameModel):
    """market_money: revenue per customer and month."""

    customer_id: Series[int] = pa.Field(gt=0)
    period: Series[str] = pa.Field(isin=list(MARKET_MONEY.periods))
    revenue: Series[float] = pa.Field(ge=0, le=1_000_000_000)

    class Config:
        strict = True


class MarketTimeSchema(pa.DataFrameModel):
    """market_time: minutes on the site per customer and month."""

    customer_id: Series[int] = pa.Field(gt=0)
    period: Series[str] = pa.Field(isin=list(MARKET_TIME.periods))
    minutes: Series[int] = pa.Field(ge=0, le=44_640)

    class Config:
        strict = True


class MoneySchema(pa.DataFrameModel):
    """money: average monthly profit per customer over the last three months."""

    customer_id: Series[int] = pa.Field(gt=0)
    profit: Series[float] = pa.Field(ge=-1_000_000, le=1_000_000)

    class Config:
        strict = True


SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    MARKET_FILE.name: MarketFileSchema,
    MARKET_MONEY.name: MarketMoneySchema,
    MARKET_TIME.name: MarketTimeSchema,
    MONEY.name: MoneySchema,
}
