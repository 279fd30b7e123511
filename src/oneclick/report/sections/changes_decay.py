"""The model's quality after a new period in words and a table: each figure realised with its 95 % interval
(or estimated, flagged, when the new period has no labels) beside the promised holdout figure and what the
model's own probabilities expected.

Part of "Changes since the last period" (:mod:`oneclick.report.sections.changes_view`).
"""

from __future__ import annotations

from typing import Any

from oneclick.report import i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.sections import changes_charts as plots

_T: dict[str, dict[str, str]] = {
    "decay_title": {"ru": "Качество модели: обещано и получено", "en": "The model's quality: promised and realised"},
    "decay_lead": {
        "ru": "Прогнозы прошлого периода сверены с исходом в новом для {n} покупателей, которые есть в обоих. "
        "Обещано — оценки на отложенной выборке при обучении ({n_promised} покупателей); интервалы — 95 % "
        "бутстреп ({replicates} повторов, зерно {seed}). Ожидание — что предсказывали вероятности самой модели "
        "для тех же покупателей: полученное намного ниже ожидаемого — признак смены связи признаков и исхода.",
        "en": "The last period's predictions are checked against the outcome in the new one for the {n} customers "
        "in both. Promised: the figures on the holdout at training ({n_promised} customers); the intervals are a "
        "95% bootstrap ({replicates} replicates, seed {seed}). Expected: what the model's own probabilities "
        "predicted for the same customers; realised far below expected is the mark of a changed relation "
        "between the features and the outcome.",
    },
    "decay_estimated": {
        "ru": "Это оценка, а не измерение: меток нового периода нет, и ниже — ожидание модели по её же "
        "вероятностям для {n} покупателей нового периода ({replicates} повторов бутстрепа, зерно {seed}). Оно "
        "верно, только если вероятности откалиброваны, и не видит смены связи признаков и исхода; подтвердить "
        "его могут только метки следующей выгрузки.",
        "en": "This is an estimate, not a measurement: the new period has no labels, so what follows is the "
        "model's expectation from its own probabilities for the new period's {n} customers ({replicates} "
        "bootstrap replicates, seed {seed}). It holds only if the probabilities are calibrated and cannot see "
        "a changed relation between the features and the outcome; only the next export's labels can confirm it.",
    },
    "decay_table_title": {"ru": "Показатели модели", "en": "The model's figures"},
    "col_figure": {"ru": "Показатель", "en": "Figure"},
    "col_promised": {"ru": "Обещано (95 % ДИ)", "en": "Promised (95% CI)"},
    "col_realised": {"ru": "Получено (95 % ДИ)", "en": "Realised (95% CI)"},
    "col_estimate": {"ru": "Оценка без меток (95 % ДИ)", "en": "Estimate without labels (95% CI)"},
    "col_expected": {"ru": "Ожидание (95 % ДИ)", "en": "Expected (95% CI)"},
    "col_change": {"ru": "Лучше (+) или хуже (−) обещанного", "en": "Better (+) or worse (−) than promised"},
    "decay_note": {
        "ru": "Точность и полнота — при пороге модели {threshold}. Для оценки Брайера лучше меньшее значение, "
        "поэтому её рост записан со знаком минус.",
        "en": "Precision and recall at the model's threshold {threshold}. A lower Brier score is better, so its "
        "rise is written with a minus sign.",
    },
    "interval": {"ru": "{value} ({low} … {high})", "en": "{value} ({low} … {high})"},
}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """``title``, ``estimated``, ``lead`` (the estimate's warning when estimated), ``chart`` and ``table``."""
    decay = data["decay"]
    return {
        "title": t("decay_title", lang, _T),
        "estimated": decay["estimated"],
        "lead": lead(decay, lang),
        "chart": plots.decay(data, lang),
        "table": table(data, lang),
    }


def word(key: str, lang: Lang, **values: object) -> str:
    """This catalogue's string ``key`` in ``lang`` (the dashboard's page shares it)."""
    return t(key, lang, _T, **values)


def lead(decay: dict[str, Any], lang: Lang) -> str:
    """What the figures are: realised on the customers of both periods, or the model's own estimate."""
    bootstrap = decay.get("bootstrap") or {}
    values = {
        "n": i18n.integer(decay["n_customers"], lang),
        "n_promised": "—" if decay["n_promised"] is None else i18n.integer(decay["n_promised"], lang),
        "replicates": bootstrap.get("replicates", "—"),
        "seed": bootstrap.get("seed", "—"),
    }
    return t("decay_estimated" if decay["estimated"] else "decay_lead", lang, _T, **values)


def table(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The decay's table: ``title``, ``header``, ``rows`` (one per figure, as ``data["decay"]["rows"]``), ``note``."""
    decay = data["decay"]
    estimated = decay["estimated"]
    body = []
    for row in decay["rows"]:
        cells = [
            plots.figure_word(row["figure"], lang),
            _interval(row["promised"], row["promised_ci"], lang),
            _interval(row["value"], row["ci"], lang),
        ]
        if not estimated:
            cells.append(_interval(row["expected"], row["expected_ci"], lang))
        cells.append(_signed(row["improvement"], lang))
        body.append(cells)
    keys = ["col_figure", "col_promised", "col_estimate" if estimated else "col_realised"]
    keys += ([] if estimated else ["col_expected"]) + ["col_change"]
    threshold = data["model"].get("threshold")
    return {
        "title": t("decay_table_title", lang, _T),
        "header": [t(key, lang, _T) for key in keys],
        "rows": body,
        "empty": "",
        "note": t("decay_note", lang, _T, threshold=_number(threshold, lang)),
    }


def _interval(value: float | None, ci: list[float | None] | None, lang: Lang) -> str:
    if value is None:
        return "—"
    if not ci or ci[0] is None or ci[1] is None:
        return _number(value, lang)
    return t("interval", lang, _T, value=_number(value, lang), low=_number(ci[0], lang), high=_number(ci[1], lang))


def _signed(value: float | None, lang: Lang, digits: int = 3) -> str:
    if value is None:
        return "—"
    return ("+" if round(value, digits) > 0 else "") + i18n.number(value, lang, digits)


def _number(value: float | None, lang: Lang, digits: int = 3) -> str:
    return "—" if value is None else i18n.number(value, lang, digits)
