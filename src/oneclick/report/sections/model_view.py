"""Section 4, model, in words and charts: the lead and the leaderboard (chart and table).

Shows what :func:`oneclick.analysis.model_quality` summarised; every chart has its reading.
The holdout's curves, calibration and confusion matrix are in
:mod:`oneclick.report.sections.model_holdout`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from oneclick.analysis import gap_to_published, published_comparison
from oneclick.report import charts, i18n, names
from oneclick.report.i18n import Lang, t
from oneclick.report.sections.model_holdout import auc_text, holdout_charts, threshold_text

CV_COLOUR = "#30638e"
HOLDOUT_COLOUR = "#d1495b"
BAND_COLOUR = "#edae49"

_T: dict[str, dict[str, str]] = {
    "lead_model": {
        "ru": "Выбрана модель «{model}»{blend}. Порог решения {threshold}: покупатель с вероятностью снижения "
        "не ниже порога считается в группе риска (порог {rule}).",
        "en": "The chosen model is «{model}»{blend}. Decision threshold {threshold}: a customer whose decline "
        "probability is at least this is flagged as at risk (the threshold {rule}).",
    },
    "blend": {"ru": " — смесь оценок с весами {weights}", "en": ", a blend of scores weighted {weights}"},
    "calibrated": {"ru": ", вероятности откалиброваны сигмоидой", "en": ", probabilities calibrated by a sigmoid"},
    "rule_f1": {
        "ru": "максимизирует F1 на out-of-fold прогнозах обучающей части",
        "en": "maximises F1 on out-of-fold predictions of the training part",
    },
    "lead_scores": {
        "ru": "ROC-AUC на отложенной выборке ({n} покупателей, 25 %, стратификация, random_state=42) — {auc}; "
        "{cv_kind} на обучающей части — {cv_mean} ± {cv_std}. F1 = {f1}, точность {precision}, полнота {recall}.",
        "en": "Holdout ROC-AUC ({n} customers, 25%, stratified, random_state=42): {auc}; {cv_kind} on the "
        "training part: {cv_mean} ± {cv_std}. F1 = {f1}, precision {precision}, recall {recall}.",
    },
    "cv_nested": {
        "ru": "вложенная кросс-валидация {folds}×{repeats}",
        "en": "nested cross-validation {folds}×{repeats}",
    },
    "cv_inner": {"ru": "кросс-валидация поиска (блоков: {folds})", "en": "the search's {folds}-fold cross-validation"},
    "published_within": {
        "ru": "Это в пределах опубликованного аналитиками магазина ROC-AUC {low}–{high} на той же отложенной выборке.",
        "en": "This is within the holdout ROC-AUC of {low} to {high} the store's analysts published "
        "on the same protocol.",
    },
    "published_above": {
        "ru": "Это выше опубликованного аналитиками магазина ROC-AUC {low}–{high} на той же отложенной выборке "
        "(на {gap}).",
        "en": "This is above the holdout ROC-AUC of {low} to {high} the store's analysts published on the same "
        "protocol (by {gap}).",
    },
    "published_below": {
        "ru": "Это ниже опубликованного аналитиками магазина ROC-AUC {low}–{high} на той же отложенной выборке "
        "(на {gap}).",
        "en": "This is below the holdout ROC-AUC of {low} to {high} the store's analysts published on the same "
        "protocol (by {gap}).",
    },
    "refit": {
        "ru": "Эти оценки описывают процедуру (поиск, смесь, калибровку и порог на обучающей части); сохранённая "
        "модель — тот же выбор, переобученный на всех {n} покупателях с известным исходом, и её саму измерит "
        "исход следующего периода.",
        "en": "These figures describe the procedure (search, blend, calibration and threshold on the training part); "
        "the saved model is the same choice refit on all {n} labelled customers, and the next period's outcomes "
        "measure it.",
    },
    "board_title": {
        "ru": "ROC-AUC моделей: кросс-валидация и отложенная выборка",
        "en": "ROC-AUC of each model: cross-validation and holdout",
    },
    "axis_auc": {
        "ru": "ROC-AUC (0,5 — случайное угадывание, 1 — без ошибок)",
        "en": "ROC-AUC (0.5 = guessing, 1 = no errors)",
    },
    "legend_cv": {"ru": "кросс-валидация: среднее ± ст. откл.", "en": "cross-validation: mean ± std"},
    "legend_holdout": {"ru": "отложенная выборка", "en": "holdout"},
    "legend_published": {
        "ru": "опубликовано аналитиками: {low}–{high}",
        "en": "published by the analysts: {low}–{high}",
    },
    "chosen": {"ru": "выбрана", "en": "chosen"},
    "board_reading": {
        "ru": "Выбранная «{model}» — {auc} на отложенной выборке ({where} полосы опубликованных {low}–{high}); "
        "лучшая по кросс-валидации семья — «{best}» ({best_cv}).",
        "en": "The chosen «{model}» scores {auc} on the holdout ({where} the published band {low}–{high}); "
        "the best family by cross-validation is «{best}» ({best_cv}).",
    },
    "where_within": {"ru": "внутри", "en": "inside"},
    "where_above": {"ru": "выше", "en": "above"},
    "where_below": {"ru": "ниже", "en": "below"},
    "n_folds": {"ru": " (блоков: {folds})", "en": " ({folds} folds)"},
    "board_table": {"ru": "Таблица моделей", "en": "Leaderboard"},
    "col_model": {"ru": "Модель", "en": "Model"},
    "col_cv": {"ru": "ROC-AUC, кросс-валидация", "en": "ROC-AUC, cross-validation"},
    "col_holdout": {"ru": "ROC-AUC, отложенная", "en": "ROC-AUC, holdout"},
    "col_fit": {"ru": "Время обучения, с", "en": "Fit time, s"},
    "col_trials": {"ru": "Попыток поиска", "en": "Search trials"},
    "board_note": {
        "ru": "Кросс-валидация — та, что вёл поиск параметров на обучающей части{folds}; отложенная — 25 % "
        "покупателей, не участвовавших ни в поиске, ни в выборе. Время — одно обучение на обучающей части.",
        "en": "Cross-validation: the parameter search's on the training part{folds}; holdout: the 25% of customers "
        "used neither in the search nor in the choice. Time: one fit on the training part.",
    },
}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, the leaderboard (chart and table), the holdout curves, calibration and confusion matrix."""
    return {
        "lead": _lead(data, lang),
        "board": _board_chart(data, lang) if data["leaderboard"] else None,
        "table": _board_table(data, lang),
    } | holdout_charts(data, lang)


def _lead(data: dict[str, Any], lang: Lang) -> list[str]:
    holdout, cv, selection = data["holdout"], data["cv"], data["selection"]
    blend = ""
    if len(selection["components"]) > 1:
        weights = ", ".join(i18n.number(w, lang, 2) for w in selection["weights"])
        blend = t("blend", lang, _T, weights=weights)
    if selection["calibrated"]:
        blend += t("calibrated", lang, _T)
    rule = t("rule_f1", lang, _T) if "F1" in selection["threshold_rule"] else selection["threshold_rule"]
    folds, repeats = cv.get("folds"), cv.get("repeats")
    cv_kind = (
        t("cv_nested", lang, _T, folds=folds, repeats=repeats)
        if cv.get("nested")
        else t("cv_inner", lang, _T, folds=folds)
    )
    published = data["published_roc_auc"]
    return [
        t(
            "lead_model",
            lang,
            _T,
            model=names.family(data["best_model"], lang),
            blend=blend,
            threshold=threshold_text(data, lang),
            rule=rule,
        ),
        t(
            "lead_scores",
            lang,
            _T,
            n=i18n.integer(holdout["n_customers"], lang),
            auc=auc_text(holdout["roc_auc"], lang),
            cv_kind=cv_kind,
            cv_mean=auc_text(cv["roc_auc_mean"], lang),
            cv_std=auc_text(cv["roc_auc_std"], lang),
            f1=i18n.number(holdout["f1"], lang, 3),
            precision=i18n.percent(holdout["precision"], lang, 0),
            recall=i18n.percent(holdout["recall"], lang, 0),
        ),
        t(
            f"published_{published_comparison(holdout['roc_auc'], published)}",
            lang,
            _T,
            low=published_text(published["low"], lang),
            high=published_text(published["high"], lang),
            gap=auc_text(gap_to_published(holdout["roc_auc"], published), lang),
        ),
        *_refit(data, lang),
    ]


def _refit(data: dict[str, Any], lang: Lang) -> list[str]:
    refit = data.get("refit") or {}
    if refit.get("on") != "all labelled customers":
        return []
    return [t("refit", lang, _T, n=i18n.integer(refit["n_customers"], lang))]


def published_text(value: float, lang: Lang) -> str:
    """A bound of the published range as it was published: ``0,89``, ``0,917``."""
    digits = len(f"{value:.3f}".rstrip("0").split(".")[1])
    return i18n.number(value, lang, max(digits, 2))


def _board_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    rows = sorted(data["leaderboard"], key=lambda row: row["cv_roc_auc_mean"])
    published = data["published_roc_auc"]
    title = t("board_title", lang, _T)
    with charts.chart(10.0, 1.3 + 0.42 * len(rows)) as figure:
        figure.suptitle(title)
        ax = figure.subplots()
        ax.axvspan(published["low"], published["high"], color=BAND_COLOUR, alpha=0.3, linewidth=0)
        positions = np.arange(len(rows))
        ax.errorbar(
            [row["cv_roc_auc_mean"] for row in rows],
            positions + 0.12,
            xerr=[row["cv_roc_auc_std"] for row in rows],
            fmt="o",
            color=CV_COLOUR,
            capsize=3,
            markersize=5,
        )
        ax.plot([row["holdout_roc_auc"] for row in rows], positions - 0.12, "D", color=HOLDOUT_COLOUR, markersize=5)
        labels = [
            names.family(row["model"], lang)
            + (f" ({t('chosen', lang, _T)})" if row["model"] == data["best_model"] else "")
            for row in rows
        ]
        ax.set_yticks(positions, labels)
        for label, row in zip(ax.get_yticklabels(), rows, strict=True):
            if row["model"] == data["best_model"]:
                label.set_fontweight("bold")
        lows = [row["cv_roc_auc_mean"] - row["cv_roc_auc_std"] for row in rows] + [
            row["holdout_roc_auc"] for row in rows
        ]
        ax.set_xlim(max(0.45, min(min(lows), published["low"]) - 0.02), 1.0)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlabel(t("axis_auc", lang, _T))
        ax.xaxis.set_major_formatter(charts.number_formatter(lang, 2))
        handles = [
            Line2D([], [], marker="o", color=CV_COLOUR, linestyle="", label=t("legend_cv", lang, _T)),
            Line2D([], [], marker="D", color=HOLDOUT_COLOUR, linestyle="", label=t("legend_holdout", lang, _T)),
            Patch(
                color=BAND_COLOUR,
                alpha=0.3,
                label=t(
                    "legend_published",
                    lang,
                    _T,
                    low=published_text(published["low"], lang),
                    high=published_text(published["high"], lang),
                ),
            ),
        ]
        figure.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
        uri = charts.svg_uri(figure)
    chosen = next((row for row in rows if row["model"] == data["best_model"]), None)
    families = [row for row in rows if "+" not in row["model"]] or rows
    best = max(families, key=lambda row: row["cv_roc_auc_mean"])
    auc = chosen["holdout_roc_auc"] if chosen else data["holdout"]["roc_auc"]
    reading = t(
        "board_reading",
        lang,
        _T,
        model=names.family(data["best_model"], lang),
        auc=auc_text(auc, lang),
        where=t(f"where_{published_comparison(auc, published)}", lang, _T),
        low=published_text(published["low"], lang),
        high=published_text(published["high"], lang),
        best=names.family(best["model"], lang),
        best_cv=auc_text(best["cv_roc_auc_mean"], lang),
    )
    return charts.Chart(uri, title, reading)


def _board_table(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    rows = []
    for row in sorted(data["leaderboard"], key=lambda row: -row["cv_roc_auc_mean"]):
        name = names.family(row["model"], lang)
        if row["model"] == data["best_model"]:
            name += f" — {t('chosen', lang, _T)}"
        rows.append(
            [
                name,
                f"{auc_text(row['cv_roc_auc_mean'], lang)} ± {auc_text(row['cv_roc_auc_std'], lang)}",
                auc_text(row["holdout_roc_auc"], lang),
                i18n.number(row["fit_seconds"], lang, 2),
                "—" if row["n_trials"] is None else i18n.integer(row["n_trials"], lang),
            ]
        )
    header = [t(key, lang, _T) for key in ("col_model", "col_cv", "col_holdout", "col_fit", "col_trials")]
    inner = data["search_folds"]
    folds = "" if inner is None else t("n_folds", lang, _T, folds=inner)
    return {
        "title": t("board_table", lang, _T),
        "header": header,
        "rows": rows,
        "empty": "",
        "note": t("board_note", lang, _T, folds=folds),
    }
