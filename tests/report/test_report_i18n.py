"""Numbers and words as a Russian or an English reader expects them."""

from __future__ import annotations

import pytest

from oneclick.errors import ConfigError
from oneclick.report import i18n
from oneclick.report.sections import SECTIONS

THIN = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: i18n.number(0.9134, "ru", 3), "0,913"),
        (lambda: i18n.number(0.9134, "en", 3), "0.913"),
        (lambda: i18n.number(12345.678, "ru"), f"12{THIN}345,7"),
        (lambda: i18n.number(12345.678, "en"), "12,345.7"),
        (lambda: i18n.number(-3.14, "ru"), "−3,1"),
        (lambda: i18n.number(float("nan"), "ru"), "—"),
        (lambda: i18n.integer(1297, "ru"), f"1{THIN}297"),
        (lambda: i18n.integer(600, "en"), "600"),
        (lambda: i18n.percent(0.3816, "ru"), f"38,2{NBSP}%"),
        (lambda: i18n.percent(0.3816, "en"), "38.2%"),
        (lambda: i18n.with_unit(10.42, "minutes_current_month", "ru"), f"10,4{NBSP}мин"),
        (lambda: i18n.with_unit(4679.04, "revenue_current_month", "ru"), f"4{THIN}679{NBSP}₽"),
        (lambda: i18n.with_unit(0.4512, "promo_purchase_share", "en"), "0.45"),
    ],
)
def test_numbers_are_written_for_the_reader(call, expected: str) -> None:
    assert call() == expected


@pytest.mark.parametrize(
    ("column", "raw", "lang", "expected"),
    [
        ("service_type", "premium", "ru", "премиум"),
        ("favourite_category", "kids_goods", "ru", "Товары для детей"),
        ("favourite_category", "kids_goods", "en", "kids goods"),
        ("allows_messages", True, "ru", "да"),
        ("allows_messages", "no", "ru", "нет"),
    ],
)
def test_values_are_spelled_as_the_store_does(column: str, raw: object, lang: str, expected: str) -> None:
    assert i18n.value(column, raw, lang) == expected


def test_every_section_has_a_title_and_a_missing_line_in_both_languages() -> None:
    for section in SECTIONS:
        for lang in i18n.LANGS:
            assert i18n.t(f"section_{section.key}", lang)
            assert "{files}" in i18n.STRINGS[f"missing_{section.key}"][lang] or section.key == "conclusions"


def test_an_unknown_language_is_refused_with_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"report language 'de': expected one of \['ru', 'en'\]"):
        i18n.check_lang("de")
