"""The drift tests of "Changes since the last period" in words: their names, thresholds and results.

A test with a p-value (Kolmogorov–Smirnov, chi-square, z) finds drift below its threshold; a distance
(Wasserstein, Jensen–Shannon, above Evidently's 1,000 reference rows) at or above it
(:mod:`oneclick.periods.stattests`).
"""

from __future__ import annotations

from typing import Any

from oneclick.periods.stattests import P_VALUE_TESTS
from oneclick.report import i18n
from oneclick.report.i18n import Lang, t

_T: dict[str, dict[str, str]] = {
    "test_ks": {"ru": "Колмогорова — Смирнова", "en": "Kolmogorov–Smirnov"},
    "test_chi_square": {"ru": "хи-квадрат", "en": "chi-square"},
    "test_z": {"ru": "z-тест долей", "en": "z-test of proportions"},
    "test_wasserstein": {"ru": "Вассерштейна (нормир.)", "en": "Wasserstein (normed)"},
    "test_jensen_shannon": {"ru": "Йенсена — Шеннона", "en": "Jensen–Shannon"},
    "p_below": {"ru": "p < {value}", "en": "p < {value}"},
    "at_least": {"ru": "≥ {value}", "en": "≥ {value}"},
    "result_p": {
        "ru": "статистика {statistic}, {p} (сдвиг при {threshold})",
        "en": "statistic {statistic}, {p} (drift at {threshold})",
    },
    "result_distance": {
        "ru": "расстояние {statistic} (сдвиг при {threshold})",
        "en": "distance {statistic} (drift at {threshold})",
    },
    "infinite": {"ru": "∞", "en": "∞"},
}


def test_word(test: str, lang: Lang) -> str:
    """A test's name; an unknown one as it is named in the comparison."""
    key = f"test_{test}"
    return t(key, lang, _T) if key in _T else test


def threshold(feature: dict[str, Any], lang: Lang) -> str:
    """``p < 0,05`` for a p-value test, ``≥ 0,1`` for a distance."""
    value = i18n.number(feature["threshold"], lang, 2)
    return t("p_below" if feature["test"] in P_VALUE_TESTS else "at_least", lang, _T, value=value)


def statistic(feature: dict[str, Any], lang: Lang) -> str:
    """The test's statistic; ``∞`` when the comparison could not write it (a value the last period never had)."""
    value = feature["statistic"]
    return t("infinite", lang, _T) if value is None else i18n.number(value, lang, 3)


def result(feature: dict[str, Any], lang: Lang, *, adjusted: bool = False) -> str:
    """The statistic, the p-value (adjusted when ``adjusted``) and the threshold in one phrase."""
    if feature["test"] not in P_VALUE_TESTS:
        return t("result_distance", lang, _T, statistic=statistic(feature, lang), threshold=threshold(feature, lang))
    p = feature["p_value_adjusted"] if adjusted else feature["p_value"]
    return t(
        "result_p",
        lang,
        _T,
        statistic=statistic(feature, lang),
        p=p_equals(p, lang),
        threshold=threshold(feature, lang),
    )


def p_value(value: float | None, lang: Lang) -> str:
    """A p-value to four decimals; below 0.0001, said so."""
    if value is None:
        return "—"
    return i18n.number(value, lang, 4) if value >= 1e-4 else f"< {i18n.number(1e-4, lang, 4)}"


def p_equals(value: float | None, lang: Lang) -> str:
    """``p = 0,0063``, or ``p < 0,0001`` below it (``p = —`` when there is none)."""
    if value is not None and value < 1e-4:
        return f"p < {i18n.number(1e-4, lang, 4)}"
    return f"p = {p_value(value, lang)}"
