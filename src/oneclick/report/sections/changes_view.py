"""Changes since the last period in words, charts and tables: the verdict and its clauses, the drifted
features old beside new and every feature's test, the label and the predictions, the model's figures
beside its promise, the customers' moves between cells and segments, who left and who joined.

Shows what :func:`oneclick.analysis.period_changes` arranged; the clauses' words are in
:mod:`~oneclick.report.sections.changes_verdict`, the charts in ``changes_charts``.
"""

from __future__ import annotations

from typing import Any

from oneclick.report import i18n, names
from oneclick.report.i18n import Lang, t
from oneclick.report.sections import changes_charts as plots
from oneclick.report.sections import changes_verdict

P_VALUE_TESTS = frozenset({"ks", "chi_square", "z"})  # the others are distances: drift at or above the threshold

_T: dict[str, dict[str, str]] = {
    "lead": {
        "ru": "Этот запуск сравнён с прошлым периодом ({old}) под моделью, которая делала прогноз прошлого периода "
        "({model}): {n_old} покупателей тогда, {n_new} сейчас, {n_both} — в обоих.",
        "en": "This run is compared with the last period ({old}) under the model that made the last period's "
        "predictions ({model}): {n_old} customers then, {n_new} now, {n_both} in both.",
    },
    "kept_as": {
        "ru": " Сравнение сохранено в хранилище: {comparison}.",
        "en": " The comparison is kept in the store: {comparison}.",
    },
    "other_data": {
        "ru": "Внимание: сравнение сделано на других данных, чем данные этого запуска (отпечаток {found}…), — "
        "файл, видимо, остался от другого запуска.",
        "en": "Note: the comparison was made on other data than this run's (fingerprint {found}…); the file was "
        "probably left by another run.",
    },
    "drift_title": {"ru": "Сдвиг признаков", "en": "Feature drift"},
    "drift_lead": {
        "ru": "Сдвинулись {n} из {total} признаков ({share}); набор данных целиком {dataset} (порог — {threshold} "
        "признаков). Тест выбран, как в Evidently, по типу признака и размеру выборки; p-значения поправлены на "
        "множественность (Бенджамини — Хохберг), иначе из 18 проверок хотя бы одна «сдвигалась» бы случайно.",
        "en": "{n} of {total} features drifted ({share}); the data set as a whole {dataset} (the threshold is "
        "{threshold} of the features). The test is Evidently's choice for the feature's kind and the sample's "
        "size; the p-values are adjusted for multiple testing (Benjamini–Hochberg), or one of 18 tests would "
        "often «drift» by chance.",
    },
    "dataset_drifted": {"ru": "сдвинулся", "en": "drifted"},
    "dataset_stable": {"ru": "не сдвинулся", "en": "did not drift"},
    "features_title": {
        "ru": "Все признаки: тест, статистика, порог",
        "en": "Every feature: test, statistic, threshold",
    },
    "col_feature": {"ru": "Признак", "en": "Feature"},
    "col_test": {"ru": "Тест", "en": "Test"},
    "col_statistic": {"ru": "Статистика", "en": "Statistic"},
    "col_threshold": {"ru": "Порог", "en": "Threshold"},
    "col_p": {"ru": "p с поправкой", "en": "Adjusted p"},
    "col_psi": {"ru": "PSI", "en": "PSI"},
    "col_drift": {"ru": "Сдвиг", "en": "Drift"},
    "features_note": {
        "ru": "У тестов с p-значением сдвиг — p с поправкой ниже порога; у расстояний (выборка больше 1 000) — "
        "статистика не ниже порога. PSI — индекс стабильности по децилям прошлого периода: до 0,1 стабильно, до "
        "0,25 умеренный сдвиг, дальше сильный; он ничего не решает, он для сравнения с привычной шкалой.",
        "en": "A test with a p-value finds drift when the adjusted p is below the threshold; a distance (samples "
        "above 1,000) when the statistic is at or above it. PSI, the stability index on the last period's "
        "deciles (below 0.1 stable, below 0.25 moderate, above that major), decides nothing: it is there for "
        "the familiar scale.",
    },
    "p_below": {"ru": "p < {value}", "en": "p < {value}"},
    "at_least": {"ru": "≥ {value}", "en": "≥ {value}"},
    "infinite": {"ru": "∞", "en": "∞"},
    "test_ks": {"ru": "Колмогорова — Смирнова", "en": "Kolmogorov–Smirnov"},
    "test_chi_square": {"ru": "хи-квадрат", "en": "chi-square"},
    "test_z": {"ru": "z-тест долей", "en": "z-test of proportions"},
    "test_wasserstein": {"ru": "Вассерштейна (нормир.)", "en": "Wasserstein (normed)"},
    "test_jensen_shannon": {"ru": "Йенсена — Шеннона", "en": "Jensen–Shannon"},
    "yes": {"ru": "да", "en": "yes"},
    "no": {"ru": "нет", "en": "no"},
    "shift_title": {"ru": "Исход и прогнозы", "en": "The outcome and the predictions"},
    "label_shift": {
        "ru": "Доля снизивших активность: {old} в прошлом периоде, {new} в новом; разница {difference} (95 % ДИ "
        "{low} … {high}), p = {p} — {word}.",
        "en": "The share who declined: {old} in the last period, {new} in the new one; a difference of "
        "{difference} (95% CI {low} … {high}), p = {p}: {word}.",
    },
    "label_shifted": {"ru": "сдвиг значим", "en": "a significant shift"},
    "label_stable": {"ru": "сдвиг не значим", "en": "no significant shift"},
    "label_none": {
        "ru": "Доля снизивших активность в новом периоде неизвестна: его метки не использованы.",
        "en": "The share who declined in the new period is unknown: its labels were not used.",
    },
    "prediction_drift": {
        "ru": "Прогнозы модели: средняя вероятность снижения {mean_old} → {mean_new}, доля покупателей высокого "
        "риска {high_old} → {high_new}; тест {test}: {statistic} (порог {threshold}) — {word}.",
        "en": "The model's predictions: mean decline probability {mean_old} → {mean_new}, share at high risk "
        "{high_old} → {high_new}; {test} test: {statistic} (threshold {threshold}): {word}.",
    },
    "prediction_drift_bare": {
        "ru": "Прогнозы модели: тест {test}: {statistic} (порог {threshold}) — {word}.",
        "en": "The model's predictions: {test} test: {statistic} (threshold {threshold}): {word}.",
    },
    "predictions_drifted": {"ru": "распределение сдвинулось", "en": "the distribution drifted"},
    "predictions_stable": {"ru": "распределение не сдвинулось", "en": "the distribution did not drift"},
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
    "migration_title": {"ru": "Переходы покупателей", "en": "How the customers moved"},
    "cells_title": {"ru": "Клетки «риск × прибыль»: было → стало", "en": "Risk × profit cells: then → now"},
    "segments_title": {"ru": "Основные сегменты: было → стало", "en": "Primary segments: then → now"},
    "col_from": {"ru": "Было \\ стало", "en": "Then \\ now"},
    "migration_note": {
        "ru": "Строка — где покупатель был в прошлом периоде, столбец — где он в новом; в скобках — доля строки. "
        "На месте остались {same} из {n} покупателей обоих периодов. Сетка — прошлого периода: высокий риск — от "
        "порога модели, высокая прибыль — от {high_profit}.",
        "en": "A row is where a customer was in the last period, a column where they are in the new one; in "
        "brackets, the share of the row. {same} of the {n} customers of both periods stayed where they were. "
        "The grid is the last period's: high risk from the model's threshold, high profit from {high_profit}.",
    },
    "customers_title": {"ru": "Ушли и пришли", "en": "Who left and who joined"},
    "customers": {
        "ru": "Ушли {n_left} покупателей ({share_left} прошлого периода): их вероятность снижения была в среднем "
        "{left_probability}, прибыль — {left_profit}. Пришли {n_joined} ({share_joined} нового периода): "
        "вероятность снижения в среднем {joined_probability}, прибыль — {joined_profit}.",
        "en": "{n_left} customers left ({share_left} of the last period): their decline probability averaged "
        "{left_probability}, their profit {left_profit}. {n_joined} joined ({share_joined} of the new period): "
        "decline probability {joined_probability} on average, profit {joined_profit}.",
    },
}
TESTS = {key: words for key, words in _T.items() if key.startswith("test_")}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, the verdict, the drift (chart and table), the outcome and predictions, the decay (chart and
    table), the migration tables and who left and joined."""
    new_fingerprint = str(data["new"].get("data_fingerprint") or "")
    return {
        "lead": _lead(data, lang),
        "warning": t("other_data", lang, _T, found=new_fingerprint[:12]) if data["is_other_data"] else None,
        "verdict": changes_verdict.verdict(data, lang, TESTS),
        "drift_title": t("drift_title", lang, _T),
        "drift_lead": _drift_lead(data, lang),
        "distributions": plots.distributions(data, lang),
        "features": _features(data, lang),
        "shift_title": t("shift_title", lang, _T),
        "label_shift": _label_shift(data["label_shift"], lang),
        "prediction_drift": _prediction_drift(data, lang),
        "decay_title": t("decay_title", lang, _T),
        "decay_estimated": data["decay"]["estimated"],
        "decay_lead": _decay_lead(data["decay"], lang),
        "decay_chart": plots.decay(data, lang),
        "decay_table": _decay_table(data, lang),
        "migration_title": t("migration_title", lang, _T),
        "migration": [
            _migration(data, name, title, lang)
            for name, title in (("risk_profit_cell", "cells_title"), ("primary_segment", "segments_title"))
            if name in data["migration"]
        ],
        "customers_title": t("customers_title", lang, _T),
        "customers": _customers(data["customers"], lang),
    }


def _lead(data: dict[str, Any], lang: Lang) -> str:
    model, customers = data["model"], data["customers"]
    family = names.family(model["best_model"], lang) if model.get("best_model") else ""
    shown = " · ".join(str(part) for part in (model.get("model_id"), family) if part) or "—"
    lead = t(
        "lead",
        lang,
        _T,
        old=data["old"].get("source") or "—",
        model=shown,
        n_old=i18n.integer(customers["n_old"], lang),
        n_new=i18n.integer(customers["n_new"], lang),
        n_both=i18n.integer(customers["n_both"], lang),
    )
    if data.get("comparison_id"):
        lead += t("kept_as", lang, _T, comparison=data["comparison_id"])
    return lead


def _drift_lead(data: dict[str, Any], lang: Lang) -> str:
    drift = data["dataset_drift"]
    return t(
        "drift_lead",
        lang,
        _T,
        n=i18n.integer(drift["n_drifted"], lang),
        total=i18n.integer(drift["n_features"], lang),
        share=i18n.percent(drift["share_drifted"], lang, 0),
        dataset=t("dataset_drifted" if drift["dataset_drift"] else "dataset_stable", lang, _T),
        threshold=i18n.percent(drift["threshold_share"], lang, 0),
    )


def _features(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    # The drifted first, then the others; each by PSI, largest first.
    rows = sorted(data["features"], key=lambda f: (not f["drift"], -f["psi"], f["feature"]))
    body = [
        [
            plots.feature_title(f["feature"], lang),
            t(f"test_{f['test']}", lang, _T),
            t("infinite", lang, _T) if f["statistic"] is None else _number(f["statistic"], lang),
            _threshold(f, lang),
            _p(f["p_value_adjusted"], lang),
            f"{_number(f['psi'], lang)} ({plots.band_word(f['psi_band'], lang)})",
            t("yes" if f["drift"] else "no", lang, _T),
        ]
        for f in rows
    ]
    header = [
        t(key, lang, _T)
        for key in ("col_feature", "col_test", "col_statistic", "col_threshold", "col_p", "col_psi", "col_drift")
    ]
    return {
        "title": t("features_title", lang, _T),
        "header": header,
        "rows": body,
        "empty": "",
        "note": t("features_note", lang, _T),
    }


def _threshold(feature: dict[str, Any], lang: Lang) -> str:
    value = _number(feature["threshold"], lang, 2)
    return t("p_below" if feature["test"] in P_VALUE_TESTS else "at_least", lang, _T, value=value)


def _label_shift(shift: dict[str, Any], lang: Lang) -> str:
    if shift.get("p_value") is None:
        return t("label_none", lang, _T)
    low, high = shift.get("difference_ci") or (None, None)
    return t(
        "label_shift",
        lang,
        _T,
        old=_share(shift["declined_share_old"], lang),
        new=_share(shift["declined_share_new"], lang),
        difference=_signed_share(shift["difference"], lang),
        low=_signed_share(low, lang),
        high=_signed_share(high, lang),
        p=_p(shift["p_value"], lang),
        word=t("label_shifted" if shift.get("shifted") else "label_stable", lang, _T),
    )


def _prediction_drift(data: dict[str, Any], lang: Lang) -> str:
    drift, shift = data["prediction_drift"], data["label_shift"]
    values = {
        "test": t(f"test_{drift['test']}", lang, _T),
        "statistic": _number(drift["statistic"], lang),
        "threshold": _threshold(drift, lang),
        "word": t("predictions_drifted" if drift["drift"] else "predictions_stable", lang, _T),
    }
    if shift.get("mean_probability_old") is None:  # compared without the new period's labels: no such figures
        return t("prediction_drift_bare", lang, _T, **values)
    return t(
        "prediction_drift",
        lang,
        _T,
        mean_old=_share(shift.get("mean_probability_old"), lang),
        mean_new=_share(shift.get("mean_probability_new"), lang),
        high_old=_share(shift.get("high_risk_share_old"), lang),
        high_new=_share(shift.get("high_risk_share_new"), lang),
        **values,
    )


def _decay_lead(decay: dict[str, Any], lang: Lang) -> str:
    bootstrap = decay.get("bootstrap") or {}
    values = {
        "n": i18n.integer(decay["n_customers"], lang),
        "n_promised": "—" if decay["n_promised"] is None else i18n.integer(decay["n_promised"], lang),
        "replicates": bootstrap.get("replicates", "—"),
        "seed": bootstrap.get("seed", "—"),
    }
    return t("decay_estimated" if decay["estimated"] else "decay_lead", lang, _T, **values)


def _decay_table(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
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


def _migration(data: dict[str, Any], name: str, title: str, lang: Lang) -> dict[str, Any]:
    matrix, titles = data["migration"][name], data["titles"]["segments"]
    counts, shares = matrix["counts"], matrix["row_shares"]
    # A cell or segment no customer of both periods was in, then or now, has nothing to show.
    rows = [k for k, row in enumerate(counts) if sum(row)]
    columns = [k for k in range(len(matrix["columns"])) if sum(row[k] for row in counts)]
    body = [
        [names.title(titles, matrix["rows"][k], lang)]
        + [f"{i18n.integer(counts[k][j], lang)} ({i18n.percent(shares[k][j], lang, 0)})" for j in columns]
        for k in rows
    ]
    same = matrix["share_in_same"]
    high_profit = (data["settings"].get("grid") or {}).get("high_profit_from_old")
    note = t(
        "migration_note",
        lang,
        _T,
        same="—" if same is None else i18n.percent(same, lang, 1),
        n=i18n.integer(matrix["n_customers"], lang),
        high_profit="—" if high_profit is None else i18n.money(float(high_profit), lang, 2, per_month=True),
    )
    header = [t("col_from", lang, _T)] + [names.title(titles, matrix["columns"][j], lang) for j in columns]
    return {"title": t(title, lang, _T), "header": header, "rows": body, "empty": "", "note": note}


def _customers(customers: dict[str, Any], lang: Lang) -> str:
    return t(
        "customers",
        lang,
        _T,
        n_left=i18n.integer(customers["n_left"], lang),
        share_left=_share(customers["share_left"], lang),
        left_probability=_share(customers.get("left_mean_probability"), lang),
        left_profit=_money(customers.get("left_mean_profit"), lang),
        n_joined=i18n.integer(customers["n_joined"], lang),
        share_joined=_share(customers["share_joined"], lang),
        joined_probability=_share(customers.get("joined_mean_probability"), lang),
        joined_profit=_money(customers.get("joined_mean_profit"), lang),
    )


def _interval(value: float | None, ci: list[float | None] | None, lang: Lang) -> str:
    if value is None:
        return "—"
    if not ci or ci[0] is None or ci[1] is None:
        return _number(value, lang)
    return t("interval", lang, _T, value=_number(value, lang), low=_number(ci[0], lang), high=_number(ci[1], lang))


def _number(value: float | None, lang: Lang, digits: int = 3) -> str:
    return "—" if value is None else i18n.number(value, lang, digits)


def _signed(value: float | None, lang: Lang, digits: int = 3) -> str:
    if value is None:
        return "—"
    return ("+" if round(value, digits) > 0 else "") + i18n.number(value, lang, digits)


def _share(value: float | None, lang: Lang) -> str:
    return "—" if value is None else i18n.percent(value, lang, 1)


def _signed_share(value: float | None, lang: Lang) -> str:
    if value is None:
        return "—"
    return ("+" if round(100 * value, 1) > 0 else "") + i18n.percent(value, lang, 1)


def _p(value: float | None, lang: Lang) -> str:
    if value is None:
        return "—"
    return i18n.number(value, lang, 4) if value >= 1e-4 else f"< {i18n.number(1e-4, lang, 4)}"


def _money(value: float | None, lang: Lang) -> str:
    return "—" if value is None else i18n.money(value, lang, 2, per_month=True)
