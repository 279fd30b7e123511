"""The words of the dashboard's period comparisons (``/changes``, ``/changes/{id}``) in Russian and English.

Kept apart from :mod:`oneclick.serve.dashboard.words` (the other pages' words) so neither grows past
one screenful of one subject; filled the same way, by ``t(key, lang, CHANGE_WORDS, **values)``.
Each clause of the verdict's rule (:mod:`oneclick.periods.verdict`) has a sentence here, filled
with the comparison's own figures and the thresholds it used.
"""

from __future__ import annotations

from oneclick.report.i18n import Lang, t

CHANGE_WORDS: dict[str, dict[str, str]] = {
    # the list
    "changes_title": {"ru": "Сравнения периодов в хранилище", "en": "Period comparisons in the store"},
    "col_comparison": {"ru": "Сравнение", "en": "Comparison"},
    "col_created": {"ru": "Создано", "en": "Created"},
    "col_periods": {"ru": "Прошлый период → новый", "en": "Last period → new"},
    "col_verdict": {"ru": "Вердикт", "en": "Verdict"},
    "col_dataset_drift": {"ru": "Сдвиг набора данных", "en": "Dataset drift"},
    "col_auc": {"ru": "ROC-AUC (95 % ДИ)", "en": "ROC-AUC (95% CI)"},
    "drift_cell": {"ru": "{answer}: {n} из {total} признаков", "en": "{answer}: {n} of {total} features"},
    "estimate": {"ru": "оценка без меток", "en": "estimate, no labels"},
    "no_changes": {
        "ru": "В хранилище ещё нет сравнений периодов: их сохраняют `oneclick compare OLD NEW --store STORE` и "
        "`oneclick run --previous DIR_OR_RUN_ID`.",
        "en": "The store holds no period comparison yet: `oneclick compare OLD NEW --store STORE` and "
        "`oneclick run --previous DIR_OR_RUN_ID` keep them.",
    },
    "changes_note": {
        "ru": "Каждое сравнение — прошлый период против нового при одной модели: сдвиг данных, качество модели "
        "на новых метках и вердикт. Новые — сверху.",
        "en": "Each comparison sets the last period against the new one under one model: the data's drift, the "
        "model's quality on the new labels and the verdict. Newest first.",
    },
    "change_missing": {"ru": "В хранилище нет сравнения «{id}».", "en": "The store has no comparison «{id}»."},
    "change_unreadable": {
        "ru": "Сравнение «{id}» сохранено в формате, который эта версия не показывает ({detail}). Сравните периоды "
        "ещё раз: `oneclick compare OLD NEW --store STORE`.",
        "en": "The comparison «{id}» was kept in a format this version cannot show ({detail}). Compare the periods "
        "again: `oneclick compare OLD NEW --store STORE`.",
    },
    # one comparison: the facts
    "change_kicker": {"ru": "Сравнение периодов", "en": "Period comparison"},
    "fact_old": {"ru": "Прошлый период", "en": "Last period"},
    "fact_new": {"ru": "Новый период", "en": "New period"},
    "fact_model": {"ru": "Модель", "en": "Model"},
    "side": {
        "ru": "{source} ({kind}): {n} покупателей, с метками {labelled}",
        "en": "{source} ({kind}): {n} customers, {labelled} labelled",
    },
    "kind_run": {"ru": "запуск", "en": "run"},
    "kind_folder": {"ru": "папка", "en": "folder"},
    "model_fact": {"ru": "{id}, порог {threshold}", "en": "{id}, threshold {threshold}"},
    # the verdict
    "verdict_keep": {"ru": "оставить модель", "en": "keep the model"},
    "verdict_watch": {"ru": "наблюдать", "en": "watch"},
    "verdict_retrain": {"ru": "переобучить модель", "en": "retrain the model"},
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
        "en": "The model's ranking has fallen for sure: retrain it (`oneclick retrain`) and compare it with the "
        "champion.",
    },
    "clauses_title": {"ru": "Правило вердикта по пунктам", "en": "The verdict's rule, clause by clause"},
    "col_clause": {"ru": "Пункт", "en": "Clause"},
    "col_holds": {"ru": "Выполнен", "en": "Holds"},
    "col_leads_to": {"ru": "Ведёт к", "en": "Leads to"},
    "clauses_note": {
        "ru": "Вердикт — самый строгий из выполненных пунктов. Оценка без меток никогда не ведёт к переобучению.",
        "en": "The verdict is the strictest clause that holds. An estimate without labels never retrains.",
    },
    "rule_auc_below_expected": {
        "ru": "ROC-AUC значимо ниже ожидаемого по вероятностям модели, на {tolerance} и больше: {realised} против "
        "{expected}, односторонний p = {p}.",
        "en": "The ROC-AUC is significantly below what the model's probabilities expected, by {tolerance} or more: "
        "{realised} against {expected}, one-sided p = {p}.",
    },
    "rule_auc_short_of_expected": {
        "ru": "ROC-AUC значимо ниже ожидаемого по вероятностям модели: {realised} против {expected}, p = {p}.",
        "en": "The ROC-AUC is significantly below what the model's probabilities expected: {realised} against "
        "{expected}, p = {p}.",
    },
    "rule_brier_above_expected": {
        "ru": "Оценка Брайера значимо выше ожидаемой: {realised} против {expected}, z = {z}, p = {p}.",
        "en": "The Brier score is significantly above its expectation: {realised} against {expected}, z = {z}, "
        "p = {p}.",
    },
    "rule_auc_below_tolerance": {
        "ru": "Весь 95 % интервал ROC-AUC ниже обещанного минус {tolerance}, то есть ниже {limit}: {value} "
        "({low} … {high}).",
        "en": "The ROC-AUC's whole 95% interval lies below the promise minus {tolerance}, that is below {limit}: "
        "{value} ({low} … {high}).",
    },
    "rule_drift_and_auc_fall": {
        "ru": "Набор данных сдвинулся ({dataset}) и ROC-AUC упал ниже обещанного на {fall_z} стандартной ошибки и "
        "больше: падение {fall}, {z} ст. ошибки.",
        "en": "The data set drifted ({dataset}) and the ROC-AUC fell below the promise by {fall_z} standard errors "
        "or more: a fall of {fall}, {z} standard errors.",
    },
    "rule_auc_fall": {
        "ru": "ROC-AUC упал ниже обещанного на {fall_z} стандартной ошибки и больше: падение {fall}, {z} ст. ошибки.",
        "en": "The ROC-AUC fell below the promise by {fall_z} standard errors or more: a fall of {fall}, "
        "{z} standard errors.",
    },
    "rule_brier_rise": {
        "ru": "Весь 95 % интервал оценки Брайера выше обещанной ({promised}) плюс {tolerance}: нижняя граница {low}.",
        "en": "The Brier score's whole 95% interval lies above the promise ({promised}) plus {tolerance}: its "
        "lower end is {low}.",
    },
    "rule_expected_auc_below_tolerance": {
        "ru": "Ожидаемый без меток ROC-AUC ниже обещанного минус {tolerance}, то есть ниже {limit}: {value}. "
        "Подтвердить это могут только метки.",
        "en": "The ROC-AUC expected without labels is below the promise minus {tolerance}, that is below {limit}: "
        "{value}. Only labels can confirm it.",
    },
    "rule_dataset_drift": {
        "ru": "Сдвинулся набор данных (не меньше {threshold} признаков): {n} из {total}.",
        "en": "The data set drifted (at least {threshold} of the features): {n} of {total}.",
    },
    "rule_feature_drift": {"ru": "Сдвинулся хотя бы один признак: {names}.", "en": "A feature drifted: {names}."},
    "rule_label_shift": {
        "ru": "Доля снизивших активность сдвинулась значимо (p < {alpha}): {old} → {new}, p = {p}.",
        "en": "The share who declined shifted significantly (p < {alpha}): {old} → {new}, p = {p}.",
    },
    "rule_label_shift_none": {
        "ru": "Доля снизивших активность сдвинулась значимо: проверить нельзя, в новом периоде нет меток.",
        "en": "The share who declined shifted significantly: it cannot be tested, the new period has no labels.",
    },
    "rule_prediction_drift": {
        "ru": "Сдвинулось распределение вероятностей модели: {test} = {statistic} (порог {threshold}).",
        "en": "The distribution of the model's probabilities drifted: {test} = {statistic} (threshold {threshold}).",
    },
    "rule_unknown": {"ru": "Пункт «{rule}».", "en": "Clause «{rule}»."},
    "none": {"ru": "ни один", "en": "none"},
    # drift
    "drifted_title": {"ru": "Сдвинувшиеся признаки", "en": "Drifted features"},
    "no_drifted": {"ru": "Ни один признак не сдвинулся.", "en": "No feature drifted."},
    "distribution_reading": {
        "ru": "Доли покупателей по корзинам: прошлый период — серым, новый — цветом. PSI {psi} ({band}).",
        "en": "Customers' shares by bin: the last period in grey, the new one in colour. PSI {psi} ({band}).",
    },
    "legend_old": {"ru": "прошлый период", "en": "last period"},
    "legend_new": {"ru": "новый период", "en": "new period"},
    "bin_upto": {"ru": "≤ {edge}", "en": "≤ {edge}"},
    "bin_above": {"ru": "> {edge}", "en": "> {edge}"},
    "features_title": {"ru": "Все признаки: тест и его итог", "en": "Every feature: its test and outcome"},
    "col_feature": {"ru": "Признак", "en": "Feature"},
    "col_test": {"ru": "Тест", "en": "Test"},
    "col_statistic": {"ru": "Статистика", "en": "Statistic"},
    "col_p_adjusted": {"ru": "p (поправка Б–Х)", "en": "p (B–H adjusted)"},
    "col_threshold": {"ru": "Порог", "en": "Threshold"},
    "col_psi": {"ru": "PSI", "en": "PSI"},
    "col_drift": {"ru": "Сдвиг", "en": "Drift"},
    "features_note": {
        "ru": "Набор данных сдвинулся, когда сдвинулись не меньше {share} признаков; сейчас — {answer}. "
        "p-значения поправлены методом Бенджамини–Хохберга; PSI ничего не решает, он для сравнения.",
        "en": "The data set drifted when at least {share} of the features drifted; now: {answer}. The p-values "
        "are adjusted by Benjamini–Hochberg; PSI decides nothing, it is shown for comparison.",
    },
    "test_ks": {"ru": "Колмогоров–Смирнов", "en": "Kolmogorov–Smirnov"},
    "test_chi_square": {"ru": "хи-квадрат", "en": "chi-square"},
    "test_z": {"ru": "z-тест долей", "en": "z-test of shares"},
    "test_wasserstein": {"ru": "Вассерштейн (норм.)", "en": "Wasserstein (normed)"},
    "test_jensen_shannon": {"ru": "Йенсен–Шеннон", "en": "Jensen–Shannon"},
    "band_stable": {"ru": "стабильно", "en": "stable"},
    "band_moderate": {"ru": "умеренно", "en": "moderate"},
    "band_major": {"ru": "сильно", "en": "major"},
    "probabilities": {"ru": "Вероятность снижения (прогноз модели)", "en": "Decline probability (the model's)"},
    # decay
    "decay_title": {"ru": "Качество модели против обещанного", "en": "The model's quality against its promise"},
    "decay_realised": {
        "ru": "Качество на {n} покупателях обоих периодов, чей исход уже известен, с 95 % интервалами (бутстрэп, "
        "{replicates} повторов).",
        "en": "Quality on the {n} customers of both periods whose outcome is now known, with 95% intervals "
        "(bootstrap, {replicates} replicates).",
    },
    "decay_estimated": {
        "ru": "Оценка: в новом периоде нет меток, и цифры — ожидание самой модели для {n} покупателей. Она не видит "
        "смены связи признаков с исходом; подтвердят её только метки.",
        "en": "An estimate: the new period has no labels, and the figures are the model's own expectation for {n} "
        "customers. It cannot see the relation between features and outcome change; only labels can confirm it.",
    },
    "col_figure": {"ru": "Показатель", "en": "Figure"},
    "col_promised": {"ru": "Обещано (отложенная выборка)", "en": "Promised (holdout)"},
    "col_now": {"ru": "Сейчас", "en": "Now"},
    "col_interval": {"ru": "95 % интервал", "en": "95% interval"},
    "col_change": {"ru": "Изменение (+ лучше)", "en": "Change (+ is better)"},
    "figure_roc_auc": {"ru": "ROC-AUC", "en": "ROC-AUC"},
    "figure_brier": {"ru": "Оценка Брайера", "en": "Brier score"},
    "figure_precision": {"ru": "Точность", "en": "Precision"},
    "figure_recall": {"ru": "Полнота", "en": "Recall"},
    "decay_chart_reading": {
        "ru": "Точка — значение сейчас, отрезок — его 95 % интервал, ромб — обещанное на отложенной выборке.",
        "en": "A dot is the figure now, its line the 95% interval, the diamond what the holdout promised.",
    },
    # migration and customers
    "migration_title": {"ru": "Переходы между клетками риск × прибыль", "en": "Moves between risk × profit cells"},
    "migration_note": {
        "ru": "Строки — клетка в прошлом периоде, столбцы — в новом; в ячейке покупатели и доля строки. В той же "
        "клетке остались {share} из {n} покупателей обоих периодов.",
        "en": "Rows: the cell in the last period; columns: in the new one; each cell gives customers and the "
        "row's share. {share} of the {n} customers of both periods stayed in their cell.",
    },
    "col_was": {"ru": "Было \\ стало", "en": "Was \\ now"},
    "customers_title": {"ru": "Кто ушёл и кто пришёл", "en": "Who left and who joined"},
    "col_group": {"ru": "Покупатели", "en": "Customers"},
    "col_n": {"ru": "Сколько", "en": "How many"},
    "col_share": {"ru": "Доля периода", "en": "Share of the period"},
    "group_left": {"ru": "ушли (были в прошлом, нет в новом)", "en": "left (in the last period, not the new)"},
    "group_joined": {"ru": "пришли (новые в новом периоде)", "en": "joined (new in the new period)"},
    "group_both": {"ru": "в обоих периодах", "en": "in both periods"},
}


def cw(key: str, lang: Lang, **values: object) -> str:
    """The period comparisons' string ``key`` in ``lang``, filled from ``values``."""
    return t(key, lang, CHANGE_WORDS, **values)
