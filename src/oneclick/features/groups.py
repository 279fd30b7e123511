"""The model's features and the group each belongs to: the rest of oneclick reads this.

The four groups are the store's own way of looking at a customer: how the store
talks to them (communication), what they buy (product), how much they spend
(purchase) and how they use the site (site).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FeatureGroup = Literal["communication", "product", "purchase", "site"]
FeatureKind = Literal["numeric", "nominal", "binary"]

GROUP_LABELS: dict[str, dict[str, str]] = {
    "communication": {"ru": "Коммуникация с клиентом", "en": "Communication with the customer"},
    "product": {"ru": "Продуктовое поведение", "en": "Product behaviour"},
    "purchase": {"ru": "Покупательское поведение", "en": "Purchasing behaviour"},
    "site": {"ru": "Поведение на сайте", "en": "Behaviour on the site"},
}


@dataclass(frozen=True)
class Feature:
    """One column of the feature table, in the store's words."""

    name: str
    group: FeatureGroup
    kind: FeatureKind
    ru: str
    en: str
    unit: str = ""


FEATURES: tuple[Feature, ...] = (
    Feature("service_type", "communication", "binary", "Тип сервиса", "Service type"),
    Feature("allows_messages", "communication", "binary", "Разрешает сообщения", "Allows marketing messages"),
    Feature(
        "marketing_contacts_6m_avg",
        "communication",
        "numeric",
        "Маркетинговых контактов в месяц (6 мес.)",
        "Marketing contacts per month, 6-month average",
        "contacts",
    ),
    Feature(
        "marketing_contacts_current_month",
        "communication",
        "numeric",
        "Маркетинговых контактов в текущем месяце",
        "Marketing contacts this month",
        "contacts",
    ),
    Feature(
        "days_since_registration", "communication", "numeric", "Дней с регистрации", "Days since registration", "days"
    ),
    Feature("promo_purchase_share", "product", "numeric", "Доля акционных покупок", "Share of promo purchases"),
    Feature("favourite_category", "product", "nominal", "Популярная категория", "Favourite category"),
    Feature(
        "categories_viewed_per_visit",
        "product",
        "numeric",
        "Категорий за визит",
        "Categories viewed per visit",
        "categories",
    ),
    Feature(
        "unpaid_items_quarter",
        "product",
        "numeric",
        "Неоплаченных товаров в корзине за квартал",
        "Unpaid items in cart, quarter",
        "items",
    ),
    Feature(
        "revenue_month_before_previous",
        "purchase",
        "numeric",
        "Выручка, препредыдущий месяц",
        "Revenue two months ago",
        "RUB",
    ),
    Feature("revenue_previous_month", "purchase", "numeric", "Выручка, предыдущий месяц", "Revenue last month", "RUB"),
    Feature("revenue_current_month", "purchase", "numeric", "Выручка, текущий месяц", "Revenue this month", "RUB"),
    Feature(
        "revenue_change",
        "purchase",
        "numeric",
        "Изменение выручки к прошлому месяцу",
        "Revenue change vs last month",
        "RUB",
    ),
    Feature("n_service_errors", "site", "numeric", "Сбоев сайта", "Site errors", "errors"),
    Feature("pages_per_visit", "site", "numeric", "Страниц за визит", "Pages per visit", "pages"),
    Feature(
        "minutes_previous_month",
        "site",
        "numeric",
        "Минут на сайте, предыдущий месяц",
        "Minutes on site last month",
        "min",
    ),
    Feature(
        "minutes_current_month", "site", "numeric", "Минут на сайте, текущий месяц", "Minutes on site this month", "min"
    ),
    Feature(
        "minutes_change",
        "site",
        "numeric",
        "Изменение минут к прошлому месяцу",
        "Change in minutes vs last month",
        "min",
    ),
)

FEATURE_GROUPS: dict[str, FeatureGroup] = {feature.name: feature.group for feature in FEATURES}
FEATURE_NAMES: list[str] = [feature.name for feature in FEATURES]
NOMINAL_FEATURES: list[str] = [f.name for f in FEATURES if f.kind == "nominal"]
BINARY_FEATURES: list[str] = [f.name for f in FEATURES if f.kind == "binary"]
NUMERIC_FEATURES: list[str] = [f.name for f in FEATURES if f.kind == "numeric"]
# What the store can change about a customer with its own levers (site, promotions, cart reminders,
# mailings): the features a what-if moves. The rest (tenure, revenue, the category) describe the customer.
ACTIONABLE_FEATURES: tuple[str, ...] = (
    "pages_per_visit",
    "minutes_current_month",
    "promo_purchase_share",
    "unpaid_items_quarter",
    "marketing_contacts_current_month",
)


def features_in_group(group: FeatureGroup) -> list[str]:
    """Names of the features of one group, in table order.

    >>> features_in_group("site")[:2]
    ['n_service_errors', 'pages_per_visit']
    """
    return [feature.name for feature in FEATURES if feature.group == group]


def feature_label(name: str, lang: Literal["ru", "en"] = "ru") -> str:
    """The business name of a feature, or of a one-hot column like ``favourite_category=kids_goods``."""
    base = name.split("=", 1)[0]
    for feature in FEATURES:
        if feature.name == base:
            label = feature.ru if lang == "ru" else feature.en
            return f"{label}: {name.split('=', 1)[1]}" if "=" in name else label
    return name
