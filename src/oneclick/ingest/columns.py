"""The one place where the store's Russian names meet the English names of the code.

Every table, column and value the store exports is mapped here, together with the
known typos of the exports. Nothing else in oneclick spells a Russian column name;
the report reads the display labels back from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class TableLayout:
    """How one of the store's exports is named and keyed."""

    name: str
    columns: Mapping[str, str]  # Russian header -> English column name
    key: tuple[str, ...]
    periods: tuple[str, ...] = ()  # English period names a customer must have, in time order


def _frozen(mapping: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(mapping)


MARKET_FILE = TableLayout(
    name="market_file",
    columns=_frozen(
        {
            "id": "customer_id",
            "Покупательская активность": "activity_level",
            "Тип сервиса": "service_type",
            "Разрешить сообщать": "allows_messages",
            "Маркет_актив_6_мес": "marketing_contacts_6m_avg",
            "Маркет_актив_тек_мес": "marketing_contacts_current_month",
            "Длительность": "days_since_registration",
            "Акционные_покупки": "promo_purchase_share",
            "Популярная_категория": "favourite_category",
            "Средний_просмотр_категорий_за_визит": "categories_viewed_per_visit",
            "Неоплаченные_продукты_штук_квартал": "unpaid_items_quarter",
            "Ошибка_сервиса": "n_service_errors",
            "Страниц_за_визит": "pages_per_visit",
        }
    ),
    key=("customer_id",),
)

MARKET_MONEY = TableLayout(
    name="market_money",
    columns=_frozen({"id": "customer_id", "Период": "period", "Выручка": "revenue"}),
    key=("customer_id", "period"),
    periods=("month_before_previous", "previous_month", "current_month"),
)

MARKET_TIME = TableLayout(
    name="market_time",
    columns=_frozen({"id": "customer_id", "Период": "period", "минут": "minutes"}),
    key=("customer_id", "period"),
    periods=("previous_month", "current_month"),
)

MONEY = TableLayout(
    name="money",
    columns=_frozen({"id": "customer_id", "Прибыль": "profit"}),
    key=("customer_id",),
)

TABLES: Mapping[str, TableLayout] = MappingProxyType(
    {layout.name: layout for layout in (MARKET_FILE, MARKET_MONEY, MARKET_TIME, MONEY)}
)

# Russian value -> English value, per English column.
VALUES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "activity_level": _frozen({"Снизилась": "declined", "Прежний уровень": "unchanged"}),
        "service_type": _frozen({"стандарт": "standard", "премиум": "premium"}),
        "allows_messages": _frozen({"да": "yes", "нет": "no"}),
        "favourite_category": _frozen(
            {
                "Товары для детей": "kids_goods",
                "Домашний текстиль": "home_textiles",
                "Косметика и аксессуары": "cosmetics_accessories",
                "Техника для красоты и здоровья": "beauty_health_tech",
                "Мелкая бытовая техника и электроника": "small_appliances_electronics",
                "Кухонная посуда": "kitchenware",
            }
        ),
        "period": _frozen(
            {
                "препредыдущий_месяц": "month_before_previous",
                "предыдущий_месяц": "previous_month",
                "текущий_месяц": "current_month",
            }
        ),
    }
)

# Misspellings seen in the store's exports -> the correct Russian value.
# Other near-misses are matched by similarity (see ingest.normalise) and reported too.
KNOWN_TYPOS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "service_type": _frozen({"стандартт": "стандарт"}),
        "period": _frozen({"предыдцщий_месяц": "предыдущий_месяц"}),
        "favourite_category": _frozen({"Косметика и аксесуары": "Косметика и аксессуары"}),
    }
)

# English column -> Russian header, for messages and the report.
RUSSIAN_HEADERS: Mapping[str, str] = MappingProxyType(
    {en: ru for layout in TABLES.values() for ru, en in layout.columns.items()}
)


def russian_value(column: str, value: str) -> str:
    """The store's Russian spelling of an English value, for reports.

    >>> russian_value("service_type", "premium")
    'премиум'
    """
    for ru, en in VALUES.get(column, {}).items():
        if en == value:
            return ru
    return value
