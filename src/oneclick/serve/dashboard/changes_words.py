"""The words of the dashboard's period comparisons (``/changes``, ``/changes/{id}``) in Russian and English.

Kept apart from :mod:`oneclick.serve.dashboard.words` (the other pages' words); filled the same way,
by ``t(key, lang, CHANGE_WORDS, **values)``. Only the pages' own words are here: the list's, the
facts', the tables' headings and the charts' readings. What a comparison says (the verdict and its
clauses, the tests, the decay, the migration) is in the report's catalogues, which the page uses
(:mod:`oneclick.report.sections.changes_verdict` and its neighbours), so the two say it the same way.
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
    "col_clause": {"ru": "Пункт", "en": "Clause"},
    "col_holds": {"ru": "Выполнен", "en": "Holds"},
    "col_leads_to": {"ru": "Ведёт к", "en": "Leads to"},
    # drift
    "no_drifted": {"ru": "Ни один признак не сдвинулся.", "en": "No feature drifted."},
    "distribution_reading": {
        "ru": "Доли покупателей по корзинам: прошлый период — серым, новый — цветом. PSI {psi} ({band}).",
        "en": "Customers' shares by bin: the last period in grey, the new one in colour. PSI {psi} ({band}).",
    },
    # decay
    "decay_chart_reading": {
        "ru": "Точка — значение сейчас, отрезок — его 95 % интервал, ромб — обещанное на отложенной выборке.",
        "en": "A dot is the figure now, its line the 95% interval, the diamond what the holdout promised.",
    },
    # migration and customers
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
