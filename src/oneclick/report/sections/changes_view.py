"""Changes since the last period in words, charts and tables: the verdict and its clauses, the drifted
features old beside new and every feature's test, the label and the predictions, the model's figures
beside its promise, the customers' moves between cells and segments, who left and who joined.

Shows what :func:`oneclick.analysis.period_changes` arranged; the clauses' words are in
:mod:`~oneclick.report.sections.changes_verdict`, the decay's in ``changes_decay``, the charts in
``changes_charts``.
"""

from __future__ import annotations

from typing import Any

from oneclick.report import i18n, names
from oneclick.report.i18n import Lang, t
from oneclick.report.sections import changes_charts as plots
from oneclick.report.sections import changes_decay, changes_verdict
from oneclick.report.sections import changes_tests as tests

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
    "yes": {"ru": "да", "en": "yes"},
    "no": {"ru": "нет", "en": "no"},
    "shift_title": {"ru": "Исход и прогнозы", "en": "The outcome and the predictions"},
    "label_shift": {
        "ru": "Доля снизивших активность: {old} в прошлом периоде, {new} в новом; разница {difference} (95 % ДИ "
        "{low} … {high}), {p} — {word}.",
        "en": "The share who declined: {old} in the last period, {new} in the new one; a difference of "
        "{difference} (95% CI {low} … {high}), {p}: {word}.",
    },
    "points": {"ru": "п. п.", "en": "pp"},
    "label_shifted": {"ru": "сдвиг значим", "en": "a significant shift"},
    "label_stable": {"ru": "сдвиг не значим", "en": "no significant shift"},
    "label_none": {
        "ru": "Доля снизивших активность в новом периоде неизвестна: его метки не использованы.",
        "en": "The share who declined in the new period is unknown: its labels were not used.",
    },
    "prediction_drift": {
        "ru": "Прогнозы модели: средняя вероятность снижения {mean_old} → {mean_new}, доля покупателей высокого "
        "риска {high_old} → {high_new}; тест {test}: {result} — {word}.",
        "en": "The model's predictions: mean decline probability {mean_old} → {mean_new}, share at high risk "
        "{high_old} → {high_new}; {test} test: {result}: {word}.",
    },
    "prediction_drift_bare": {
        "ru": "Прогнозы модели: тест {test}: {result} — {word}.",
        "en": "The model's predictions: {test} test: {result}: {word}.",
    },
    "predictions_drifted": {"ru": "распределение сдвинулось", "en": "the distribution drifted"},
    "predictions_stable": {"ru": "распределение не сдвинулось", "en": "the distribution did not drift"},
    "migration_title": {"ru": "Переходы покупателей", "en": "How the customers moved"},
    "cells_title": {"ru": "Клетки «риск × прибыль»: было → стало", "en": "Risk × profit cells: then → now"},
    "segments_title": {"ru": "Основные сегменты: было → стало", "en": "Primary segments: then → now"},
    "col_from": {"ru": "Было \\ стало", "en": "Then \\ now"},
    "migration_note": {
        "ru": "Строка — где покупатель был в прошлом периоде, столбец — где он в новом; в скобках — доля строки. "
        "На месте остались {same} из {n} покупателей обоих периодов. Сетка — прошлого периода: высокая прибыль — "
        "от {high_profit}, высокий риск — от порога модели.",
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


# The migration matrices shown, each with its title's key, in this order.
MIGRATIONS = (("risk_profit_cell", "cells_title"), ("primary_segment", "segments_title"))


def word(key: str, lang: Lang, **values: object) -> str:
    """This catalogue's string ``key`` in ``lang`` (the dashboard's page shares its headings)."""
    return t(key, lang, _T, **values)


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, the verdict, the drift (chart and table), the outcome and predictions, the decay (chart and
    table), the migration tables and who left and joined."""
    new_fingerprint = str(data["new"].get("data_fingerprint") or "")
    return {
        "lead": _lead(data, lang),
        "warning": t("other_data", lang, _T, found=new_fingerprint[:12]) if data["is_other_data"] else None,
        "verdict": changes_verdict.verdict(data, lang),
        "drift_title": t("drift_title", lang, _T),
        "drift_lead": drift_lead(data, lang),
        "distributions": plots.distributions(data, lang),
        "features": _features(data, lang),
        "shift_title": t("shift_title", lang, _T),
        "label_shift": _label_shift(data["label_shift"], lang),
        "prediction_drift": _prediction_drift(data, lang),
        "decay": changes_decay.view(data, lang),
        "migration_title": t("migration_title", lang, _T),
        "migration": [_migration(data, name, title, lang) for name, title in MIGRATIONS if name in data["migration"]],
        "customers_title": t("customers_title", lang, _T),
        "customers": customers_sentence(data["customers"], lang),
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


def drift_lead(data: dict[str, Any], lang: Lang) -> str:
    """How many features drifted, whether the data set did, and how the tests were chosen."""
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
            tests.test_word(f["test"], lang),
            tests.statistic(f, lang),
            tests.threshold(f, lang),
            tests.p_value(f["p_value_adjusted"], lang),
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
        p=tests.p_equals(shift["p_value"], lang),
        word=t("label_shifted" if shift.get("shifted") else "label_stable", lang, _T),
    )


def _prediction_drift(data: dict[str, Any], lang: Lang) -> str:
    drift, shift = data["prediction_drift"], data["label_shift"]
    values = {
        "test": tests.test_word(drift["test"], lang),
        "result": tests.result(drift, lang),
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
    note = migration_note(data, name, lang)
    header = [t("col_from", lang, _T)] + [names.title(titles, matrix["columns"][j], lang) for j in columns]
    return {"title": t(title, lang, _T), "header": header, "rows": body, "empty": "", "note": note}


def migration_note(data: dict[str, Any], name: str, lang: Lang) -> str:
    """How to read the matrix ``name``: rows then, columns now, how many stayed, the grid's high profit."""
    matrix = data["migration"][name]
    same = matrix["share_in_same"]
    high_profit = (data["settings"].get("grid") or {}).get("high_profit_from_old")
    return t(
        "migration_note",
        lang,
        _T,
        same="—" if same is None else i18n.percent(same, lang, 1),
        n=i18n.integer(matrix["n_customers"], lang),
        high_profit="—" if high_profit is None else i18n.money(float(high_profit), lang, 2, per_month=True),
    )


def customers_sentence(customers: dict[str, Any], lang: Lang) -> str:
    """Who left and who joined, with their decline probability and profit on average."""
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


def _number(value: float | None, lang: Lang, digits: int = 3) -> str:
    return "—" if value is None else i18n.number(value, lang, digits)


def _share(value: float | None, lang: Lang) -> str:
    return "—" if value is None else i18n.percent(value, lang, 1)


def _signed_share(value: float | None, lang: Lang) -> str:
    """A difference of two shares in percentage points, with its sign."""
    if value is None:
        return "—"
    sign = "+" if round(100 * value, 1) > 0 else ""
    return f"{sign}{i18n.number(100 * value, lang, 1)}\u00a0{t('points', lang, _T)}"


def _money(value: float | None, lang: Lang) -> str:
    return "—" if value is None else i18n.money(value, lang, 2, per_month=True)
