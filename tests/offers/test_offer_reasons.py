"""Reasons in plain words, from each customer's own top risk drivers and values."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from oneclick.language import short_number
from oneclick.offers import risk_drivers
from oneclick.offers.reasons import describe_feature, join_reason, no_offer_phrase, offer_phrase


def test_top_drivers_with_values_and_a_trend(
    make_customers: Callable[..., pd.DataFrame], make_contributions: Callable[..., pd.DataFrame]
) -> None:
    table = make_customers(
        [
            # promo share first, then the fall in minutes (told once although two minutes features drive)
            {
                "promo_purchase_share": 0.93,
                "minutes_previous_month": 14.0,
                "minutes_current_month": 9.0,
                "minutes_change": -5.0,
                "n_service_errors": 7,
            },
            # nothing raises the risk
            {},
        ]
    )
    contributions = make_contributions(
        table,
        promo_purchase_share=[1.2, -0.1],
        minutes_change=[0.8, -0.2],
        minutes_current_month=[0.5, 0.0],
        n_service_errors=[0.3, 0.0],
        pages_per_visit=[0.1, 0.0],
    )
    drivers = risk_drivers(table, contributions)
    assert drivers.loc[1] == "доля акционных покупок 0,93; минуты на сайте упали с 14 до 9; сбоев сайта 7"
    assert drivers.loc[2] == "модель не видит признаков, повышающих риск"
    english = risk_drivers(table, contributions, lang="en", top_n=2)
    assert english.loc[1] == "share of promo purchases 0.93; minutes on site fell from 14 to 9"


@pytest.mark.parametrize(
    ("feature", "row", "lang", "expected"),
    [
        (
            "revenue_change",
            {"revenue_previous_month": 5216.0, "revenue_current_month": 4971.6},
            "ru",
            "выручка упала с 5\u202f216 до 4\u202f972",
        ),
        (
            "revenue_change",
            {"revenue_previous_month": 4000.0, "revenue_current_month": 4500.0},
            "en",
            "revenue rose from 4,000 to 4,500",
        ),
        (
            "revenue_current_month",
            {"revenue_previous_month": 4000.0, "revenue_current_month": 4500.0},
            "en",
            "revenue this month 4,500",
        ),
        (
            "minutes_change",
            {"minutes_previous_month": 10.0, "minutes_current_month": 10.0},
            "ru",
            "минуты на сайте не изменились: 10",
        ),
        (
            "minutes_previous_month",
            {"minutes_previous_month": 7.0, "minutes_current_month": 10.0},
            "ru",
            "минут на сайте, предыдущий месяц 7",
        ),
        (
            "minutes_current_month",
            {"minutes_previous_month": 12.0, "minutes_current_month": 8.0},
            "en",
            "minutes on site fell from 12 to 8",
        ),
        ("favourite_category", {"favourite_category": "kids_goods"}, "ru", "популярная категория: товары для детей"),
        ("favourite_category", {"favourite_category": "home_textiles"}, "en", "favourite category: home textiles"),
        ("service_type", {"service_type": "standard"}, "ru", "тип сервиса: стандарт"),
        ("allows_messages", {"allows_messages": False}, "ru", "разрешает сообщения: нет"),
        (
            "marketing_contacts_6m_avg",
            {"marketing_contacts_6m_avg": 3.2},
            "ru",
            "маркетинговых контактов в месяц (6 мес.) 3,2",
        ),
        (
            "marketing_contacts_6m_avg",
            {"marketing_contacts_6m_avg": 3.2},
            "en",
            "marketing contacts per month, 6-month average 3.2",
        ),
    ],
)
def test_each_kind_of_feature_in_words(feature: str, row: dict[str, object], lang: str, expected: str) -> None:
    assert describe_feature(feature, row, lang) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "russian", "english"),
    [
        (14.0, "14", "14"),
        (0.93, "0,93", "0.93"),
        (0.5, "0,5", "0.5"),  # trailing zeros dropped
        (3.25, "3,25", "3.25"),
        (5216.4, "5\u202f216", "5,216"),  # large amounts rounded; thousands by a narrow space in Russian
        (1234567.0, "1\u202f234\u202f567", "1,234,567"),
        (-244.4, "−244", "−244"),
        (float("nan"), "—", "—"),
    ],
)
def test_numbers_in_sentences(value: float, russian: str, english: str) -> None:
    assert short_number(value, "ru") == russian
    assert short_number(value, "en") == english


def test_russian_reasons_write_a_decimal_comma_and_english_a_decimal_point() -> None:
    row = {"promo_purchase_share": 0.5}
    assert describe_feature("promo_purchase_share", row, "ru") == "доля акционных покупок 0,5"
    assert describe_feature("promo_purchase_share", row, "en") == "share of promo purchases 0.5"
    assert offer_phrase("Скидка", 1234.5, 0.1, 3, "ru") == (
        "предложение «Скидка»: ожидаемая сохранённая прибыль за 3 мес. ≈1\u202f234,50 за вычетом затрат 0,10"
    )
    assert offer_phrase("Discount", 1234.5, 0.1, 3, "en") == (
        "offer “Discount”: expected saved profit over 3 months ≈1,234.50 after its cost of 0.10"
    )
    assert no_offer_phrase("Скидка", 0.5, 1.25, "ru").endswith("прибыль 0,50 при затратах 1,25")
    assert no_offer_phrase("Discount", 0.5, 1.25, "en").endswith("would save 0.50 at a cost of 1.25")


def test_join_reason() -> None:
    joined = join_reason("доля акционных покупок 0.93", "предложение «А»")
    assert joined == "Доля акционных покупок 0.93. Предложение «А»"
    assert join_reason("", "нет предложений") == "Нет предложений"
