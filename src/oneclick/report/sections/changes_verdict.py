"""The verdict on the model after a new period, and each clause of its rule, in words.

The comparison keeps each clause as a rule id, the verdict it leads to and whether it holds
(:mod:`oneclick.periods.verdict`); the words are here, filled with the comparison's own figures and
the thresholds it used (its ``settings``), so the sentence and the decision cannot disagree.
A clause this version does not know is shown by its id with the comparison's own English line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oneclick.report import i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.sections import changes_tests as tests

_T: dict[str, dict[str, str]] = {
    "verdict_keep": {"ru": "оставить модель", "en": "keep the model"},
    "verdict_watch": {"ru": "наблюдать", "en": "watch"},
    "verdict_retrain": {"ru": "переобучить модель", "en": "retrain the model"},
    "verdict": {"ru": "Вердикт: {verdict}. {meaning}", "en": "Verdict: {verdict}. {meaning}"},
    "meaning_keep": {
        "ru": "Ни данные, ни качество модели существенно не сдвинулись: модель работает, как обещала.",
        "en": "Neither the data nor the model's quality moved much: the model works as it promised.",
    },
    "meaning_watch": {
        "ru": "Что-то сдвинулось, но ухудшение модели не доказано: сравните со следующим периодом ещё раз.",
        "en": "Something moved, but the model has not demonstrably decayed: compare again with the next period.",
    },
    "meaning_retrain": {
        "ru": "Ранжирование модели ухудшилось наверняка: переобучите её (`oneclick retrain`) и сравните с чемпионом.",
        "en": "The model's ranking has fallen for sure: retrain it (`oneclick retrain`) and compare with the champion.",
    },
    "clauses_title": {"ru": "Правило вердикта по пунктам", "en": "The verdict's rule, clause by clause"},
    "holds": {"ru": "выполнено", "en": "holds"},
    "does_not_hold": {"ru": "не выполнено", "en": "does not hold"},
    "leads_to": {"ru": "→ {verdict}", "en": "→ {verdict}"},
    "rule_note": {
        "ru": "Вердикт — самый строгий из выполненных пунктов: «переобучить», если выполнен хотя бы один пункт "
        "«переобучить», иначе «наблюдать», если выполнен пункт «наблюдать», иначе «оставить модель». Оценка без "
        "меток никогда не ведёт к переобучению: она не видит смены связи признаков и снижения активности.",
        "en": "The verdict is the strictest of the clauses that hold: «retrain» when any retrain clause holds, "
        "else «watch» when a watch clause holds, else «keep the model». An estimate without labels never "
        "retrains: it cannot see the relation between the features and decline change.",
    },
    "rule_auc_below_expected": {
        "ru": "ROC-AUC значимо ниже ожидаемого по вероятностям самой модели, на {tolerance} и больше. Сейчас: "
        "{realised} против ожидаемых {expected}, отставание {shortfall}, односторонний {p}.",
        "en": "The ROC-AUC is significantly below what the model's own probabilities expected, by {tolerance} or "
        "more. Now: {realised} against {expected} expected, a shortfall of {shortfall}, one-sided {p}.",
    },
    "rule_auc_short_of_expected": {
        "ru": "ROC-AUC значимо ниже ожидаемого по вероятностям самой модели (односторонний p < {alpha}). Сейчас: "
        "{realised} против ожидаемых {expected}, {p}.",
        "en": "The ROC-AUC is significantly below what the model's own probabilities expected (one-sided "
        "p < {alpha}). Now: {realised} against {expected} expected, {p}.",
    },
    "rule_brier_above_expected": {
        "ru": "Оценка Брайера значимо выше ожидаемой (z Шпигельхальтера, односторонний p < {alpha}). Сейчас: "
        "{realised} против ожидаемой {expected}, z = {z}, {p}.",
        "en": "The Brier score is significantly above its expectation (Spiegelhalter's z, one-sided p < {alpha}). "
        "Now: {realised} against {expected} expected, z = {z}, {p}.",
    },
    "rule_auc_below_tolerance": {
        "ru": "Весь 95 % интервал ROC-AUC ниже обещанного минус допуск {tolerance}, то есть ниже {limit}. Сейчас: "
        "{value} ({low} … {high}) при обещанных {promised}.",
        "en": "The ROC-AUC's whole 95% interval lies below the promise minus the tolerance {tolerance}, that is "
        "below {limit}. Now: {value} ({low} … {high}) against {promised} promised.",
    },
    "rule_drift_and_auc_fall": {
        "ru": "Набор данных сдвинулся, и ROC-AUC упал ниже обещанного значимо (на {fall_z} стандартной ошибки и "
        "больше). Сейчас: набор данных сдвинулся — {dataset}; падение {fall}, в стандартных ошибках {z}.",
        "en": "The data set drifted and the ROC-AUC fell significantly below the promise (by {fall_z} standard "
        "errors or more). Now: the data set drifted: {dataset}; a fall of {fall}, {z} standard errors.",
    },
    "rule_auc_fall": {
        "ru": "ROC-AUC упал ниже обещанного значимо: на {fall_z} стандартной ошибки и больше (ошибка самого "
        "обещания учтена). Сейчас: падение {fall}, в стандартных ошибках {z}.",
        "en": "The ROC-AUC fell significantly below the promise: by {fall_z} standard errors or more (the "
        "promise's own error counted). Now: a fall of {fall}, {z} standard errors.",
    },
    "rule_brier_rise": {
        "ru": "Весь 95 % интервал оценки Брайера выше обещанной плюс допуск {tolerance}. Сейчас: нижняя граница "
        "{low} при обещанных {promised}.",
        "en": "The Brier score's whole 95% interval lies above the promise plus the tolerance {tolerance}. Now: "
        "its lower end is {low} against {promised} promised.",
    },
    "rule_expected_auc_below_tolerance": {
        "ru": "Ожидаемый без меток ROC-AUC ниже обещанного минус допуск {tolerance}, то есть ниже {limit} "
        "(подтвердить это могут только метки). Сейчас: {value} ({low} … {high}) при обещанных {promised}.",
        "en": "The ROC-AUC expected without labels is below the promise minus the tolerance {tolerance}, that is "
        "below {limit} (only labels can confirm it). Now: {value} ({low} … {high}) against {promised} promised.",
    },
    "rule_dataset_drift": {
        "ru": "Сдвинулся набор данных: сдвинулись не меньше {threshold} признаков. Сейчас: {n} из {total} ({share}).",
        "en": "The data set drifted: at least {threshold} of the features drifted. Now: {n} of {total} ({share}).",
    },
    "rule_feature_drift": {
        "ru": "Сдвинулся хотя бы один признак. Сейчас сдвинулись: {names}.",
        "en": "At least one feature drifted. Now drifted: {names}.",
    },
    "rule_label_shift": {
        "ru": "Доля снизивших активность сдвинулась значимо (z-тест двух долей, p < {alpha}). Сейчас: {old} → {new}, "
        "{p}.",
        "en": "The share who declined shifted significantly (two-proportion z-test, p < {alpha}). Now: {old} → "
        "{new}, {p}.",
    },
    "rule_label_shift_none": {
        "ru": "Доля снизивших активность сдвинулась значимо. Проверить нельзя: в периоде нет меток.",
        "en": "The share who declined shifted significantly. It cannot be tested: a period has no labels.",
    },
    "rule_prediction_drift": {
        "ru": "Сдвинулось распределение вероятностей модели. Сейчас: тест {test}, {result}.",
        "en": "The distribution of the model's probabilities drifted. Now: {test} test, {result}.",
    },
    "rule_unknown": {"ru": "Пункт «{rule}»: {says}", "en": "Clause «{rule}»: {says}"},
    "none": {"ru": "ни один", "en": "none"},
    "yes": {"ru": "да", "en": "yes"},
    "no": {"ru": "нет", "en": "no"},
}


def verdict_word(verdict: str, lang: Lang) -> str:
    """``keep``/``watch``/``retrain`` in words."""
    return t(f"verdict_{verdict}", lang, _T)


def verdict_meaning(verdict: str, lang: Lang) -> str:
    """What the verdict ``keep``/``watch``/``retrain`` means for the model, in a sentence."""
    return t(f"meaning_{verdict}", lang, _T)


def word(key: str, lang: Lang, **values: object) -> str:
    """This catalogue's string ``key`` in ``lang`` (the dashboard's page says the clauses the same way)."""
    return t(key, lang, _T, **values)


def verdict(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The verdict's sentence, every clause in words (``holds``, ``leads_to``), the rule's note."""
    said = verdict_word(data["verdict"], lang)
    clauses = [
        {
            "rule": reason["rule"],
            "holds": reason["holds"],
            "leads_to": reason["leads_to"],
            "text": clause(data, reason, lang),
            "outcome": t("holds" if reason["holds"] else "does_not_hold", lang, _T),
            "arrow": t("leads_to", lang, _T, verdict=verdict_word(reason["leads_to"], lang)),
        }
        for reason in data["reasons"]
    ]
    # The clauses that decided first, then the others, each in the comparison's order.
    clauses.sort(key=lambda clause: not clause["holds"])
    return {
        "verdict": data["verdict"],
        "sentence": t("verdict", lang, _T, verdict=said, meaning=verdict_meaning(data["verdict"], lang)),
        "title": t("clauses_title", lang, _T),
        "clauses": clauses,
        "note": t("rule_note", lang, _T),
    }


def clause(data: dict[str, Any], reason: dict[str, Any], lang: Lang) -> str:
    """The clause ``reason`` (one of ``data["reasons"]``) in words, with the figures it was decided on."""
    rule = reason["rule"]
    figures = _FIGURES.get(rule)
    if figures is None:
        return t("rule_unknown", lang, _T, rule=rule, says=reason.get("says") or "—")
    values = figures(data, lang)
    if rule == "label_shift" and data["label_shift"].get("p_value") is None:
        return t("rule_label_shift_none", lang, _T)
    return t(f"rule_{rule}", lang, _T, **values)


def _number(value: float | None, lang: Lang, digits: int = 3) -> str:
    return "—" if value is None else i18n.number(value, lang, digits)


def _row(data: dict[str, Any], figure: str) -> dict[str, Any]:
    return next(row for row in data["decay"]["rows"] if row["figure"] == figure)


def _tests(data: dict[str, Any], figure: str) -> dict[str, Any]:
    return (data["decay"]["against_expected"] or {}).get(figure) or {}


def _expected_auc(data: dict[str, Any], lang: Lang) -> dict[str, str]:
    found, settings = _tests(data, "roc_auc"), data["settings"]
    return {
        "realised": _number(found.get("realised"), lang),
        "expected": _number(found.get("expected"), lang),
        "shortfall": _number(found.get("shortfall"), lang),
        "p": tests.p_equals(found.get("p_value"), lang),
        "tolerance": _number(settings.get("auc_tolerance"), lang, 2),
        "alpha": _number(settings.get("decay_alpha"), lang, 2),
    }


def _expected_brier(data: dict[str, Any], lang: Lang) -> dict[str, str]:
    found = _tests(data, "brier")
    return {
        "realised": _number(found.get("realised"), lang),
        "expected": _number(found.get("expected"), lang),
        "z": _number(found.get("z"), lang, 2),
        "p": tests.p_equals(found.get("p_value"), lang),
        "alpha": _number(data["settings"].get("decay_alpha"), lang, 2),
    }


def _auc_interval(data: dict[str, Any], lang: Lang) -> dict[str, str]:
    row, tolerance = _row(data, "roc_auc"), data["settings"].get("auc_tolerance")
    low, high = row["ci"]
    limit = None if row["promised"] is None or tolerance is None else row["promised"] - tolerance
    return {
        "value": _number(row["value"], lang),
        "low": _number(low, lang),
        "high": _number(high, lang),
        "promised": _number(row["promised"], lang),
        "tolerance": _number(tolerance, lang, 2),
        "limit": _number(limit, lang),
    }


def _auc_fall(data: dict[str, Any], lang: Lang) -> dict[str, str]:
    decay = data["decay"]
    return {
        "dataset": t("yes" if data["dataset_drift"].get("dataset_drift") else "no", lang, _T),
        "fall": _number(decay["auc_fall"], lang),
        "z": _number(decay["auc_fall_z"], lang, 2),
        "fall_z": _number(data["settings"].get("auc_fall_z"), lang, 3),
    }


def _brier_rise(data: dict[str, Any], lang: Lang) -> dict[str, str]:
    row = _row(data, "brier")
    return {
        "low": _number(row["ci"][0], lang),
        "promised": _number(row["promised"], lang),
        "tolerance": _number(data["settings"].get("brier_tolerance"), lang, 2),
    }


def _dataset_drift(data: dict[str, Any], lang: Lang) -> dict[str, str]:
    drift = data["dataset_drift"]
    return {
        "n": i18n.integer(drift["n_drifted"], lang),
        "total": i18n.integer(drift["n_features"], lang),
        "share": i18n.percent(drift["share_drifted"], lang, 0),
        "threshold": i18n.percent(drift["threshold_share"], lang, 0),
    }


def _feature_drift(data: dict[str, Any], lang: Lang) -> dict[str, str]:
    names = [i18n.feature(f["feature"], lang) for f in data["drifted"]]
    return {"names": ", ".join(names) or t("none", lang, _T)}


def _label_shift(data: dict[str, Any], lang: Lang) -> dict[str, str]:
    shift = data["label_shift"]
    old, new = shift.get("declined_share_old"), shift.get("declined_share_new")
    return {
        "old": "—" if old is None else i18n.percent(old, lang, 1),
        "new": "—" if new is None else i18n.percent(new, lang, 1),
        "p": tests.p_equals(shift.get("p_value"), lang),
        "alpha": _number(shift.get("threshold") or data["settings"].get("alpha"), lang, 2),
    }


def _prediction_drift(data: dict[str, Any], lang: Lang) -> dict[str, str]:
    drift = data["prediction_drift"]
    return {"test": tests.test_word(drift["test"], lang), "result": tests.result(drift, lang)}


_FIGURES: dict[str, Callable[[dict[str, Any], Lang], dict[str, str]]] = {
    "auc_below_expected": _expected_auc,
    "auc_short_of_expected": _expected_auc,
    "brier_above_expected": _expected_brier,
    "auc_below_tolerance": _auc_interval,
    "drift_and_auc_fall": _auc_fall,
    "auc_fall": _auc_fall,
    "brier_rise": _brier_rise,
    "expected_auc_below_tolerance": _auc_interval,
    "dataset_drift": _dataset_drift,
    "feature_drift": _feature_drift,
    "label_shift": _label_shift,
    "prediction_drift": _prediction_drift,
}
