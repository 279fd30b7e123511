"""Section 4, model, in words and charts: the lead, the leaderboard, holdout curves, calibration.

Shows what :func:`oneclick.report.sections.model.build` summarised; every chart has its reading.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from oneclick.report import charts, i18n, names
from oneclick.report.i18n import Lang, t
from oneclick.report.run_folder import RUN_FILES
from oneclick.report.sections.model import comparison, gap_to_published

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
    "curves_title": {
        "ru": "Отложенная выборка: ROC-кривая и кривая точность–полнота ({n} покупателей)",
        "en": "Holdout: ROC and precision-recall curves ({n} customers)",
    },
    "roc_panel": {"ru": "ROC, AUC = {auc}", "en": "ROC, AUC = {auc}"},
    "pr_panel": {"ru": "Точность–полнота, AP = {ap}", "en": "Precision-recall, AP = {ap}"},
    "axis_fpr": {
        "ru": "Доля ложных тревог (из покупателей без снижения), %",
        "en": "False positive rate (of unchanged customers), %",
    },
    "axis_tpr": {"ru": "Доля найденных снижений (полнота), %", "en": "True positive rate (recall), %"},
    "axis_recall": {"ru": "Полнота: доля найденных снижений, %", "en": "Recall: share of declines found, %"},
    "axis_precision": {
        "ru": "Точность: доля снизивших среди отмеченных, %",
        "en": "Precision: share of the flagged who declined, %",
    },
    "random": {"ru": "случайное угадывание", "en": "random guess"},
    "at_threshold": {"ru": "порог {threshold}", "en": "threshold {threshold}"},
    "curves_reading": {
        "ru": "При пороге {threshold} модель находит {recall} покупателей со сниженной активностью, и {precision} "
        "отмеченных действительно снизили активность (случайный выбор дал бы {base}).",
        "en": "At the threshold {threshold} the model finds {recall} of the customers whose activity declined, "
        "and {precision} of those it flags did decline (a random pick would give {base}).",
    },
    "calibration_title": {
        "ru": "Калибровка вероятностей и матрица ошибок на отложенной выборке",
        "en": "Calibration of probabilities and confusion matrix on the holdout",
    },
    "calibration_panel": {"ru": "Калибровка (10 равных групп)", "en": "Calibration (10 equal groups)"},
    "axis_predicted": {"ru": "Предсказанная вероятность снижения, %", "en": "Predicted probability of a decline, %"},
    "axis_observed": {"ru": "Фактическая доля снижений, %", "en": "Observed share of declines, %"},
    "perfect": {"ru": "идеальная калибровка", "en": "perfect calibration"},
    "confusion_panel": {
        "ru": "Матрица ошибок при пороге {threshold}",
        "en": "Confusion matrix at threshold {threshold}",
    },
    "axis_decision": {"ru": "Решение модели", "en": "Model's decision"},
    "axis_actual": {"ru": "Фактически", "en": "Actually"},
    "flagged": {"ru": "в группе риска", "en": "flagged"},
    "not_flagged": {"ru": "не в группе риска", "en": "not flagged"},
    "customers_short": {"ru": "покуп.", "en": "cust."},
    "calibration_reading": {
        "ru": "Brier = {brier} (меньше — лучше; прогноз одной долей снижений дал бы {baseline}); из {declined} "
        "покупателей со сниженной активностью модель отмечает {tp}, из {unchanged} остальных ошибочно — {fp}.",
        "en": "Brier score {brier} (lower is better; predicting the share of declines for all would give "
        "{baseline}); of {declined} customers whose activity declined the model flags {tp}, and {fp} of the "
        "{unchanged} others by mistake.",
    },
    "calibration_only_reading": {
        "ru": "Brier = {brier} (меньше — лучше; прогноз одной долей снижений дал бы {baseline}).",
        "en": "Brier score {brier} (lower is better; predicting the share of declines for all would give {baseline}).",
    },
    "no_predictions": {
        "ru": "Кривые ROC и точность–полнота и матрица ошибок строятся по файлу {file}; в этом запуске его нет.",
        "en": "The ROC and precision-recall curves and the confusion matrix need {file}, which this run lacks.",
    },
}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, the leaderboard (chart and table), the holdout curves, calibration and confusion matrix."""
    curves = data["curves"]
    return {
        "lead": _lead(data, lang),
        "board": _board_chart(data, lang) if data["leaderboard"] else None,
        "table": _board_table(data, lang),
        "curves": None if curves is None else _curves_chart(data, lang),
        "calibration": _calibration_chart(data, lang),
        "note": "" if curves is not None else t("no_predictions", lang, _T, file=RUN_FILES["holdout_predictions"]),
    }


def _auc(value: float, lang: Lang) -> str:
    return i18n.number(value, lang, 3)


def _threshold(data: dict[str, Any], lang: Lang) -> str:
    return i18n.number(data["holdout"]["threshold"], lang, 3)


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
            threshold=_threshold(data, lang),
            rule=rule,
        ),
        t(
            "lead_scores",
            lang,
            _T,
            n=i18n.integer(holdout["n_customers"], lang),
            auc=_auc(holdout["roc_auc"], lang),
            cv_kind=cv_kind,
            cv_mean=_auc(cv["roc_auc_mean"], lang),
            cv_std=_auc(cv["roc_auc_std"], lang),
            f1=i18n.number(holdout["f1"], lang, 3),
            precision=i18n.percent(holdout["precision"], lang, 0),
            recall=i18n.percent(holdout["recall"], lang, 0),
        ),
        t(
            f"published_{comparison(holdout['roc_auc'], published)}",
            lang,
            _T,
            low=published_text(published["low"], lang),
            high=published_text(published["high"], lang),
            gap=_auc(gap_to_published(holdout["roc_auc"], published), lang),
        ),
    ]


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
        auc=_auc(auc, lang),
        where=t(f"where_{comparison(auc, published)}", lang, _T),
        low=published_text(published["low"], lang),
        high=published_text(published["high"], lang),
        best=names.family(best["model"], lang),
        best_cv=_auc(best["cv_roc_auc_mean"], lang),
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
                f"{_auc(row['cv_roc_auc_mean'], lang)} ± {_auc(row['cv_roc_auc_std'], lang)}",
                _auc(row["holdout_roc_auc"], lang),
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


def _curves_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    curves, threshold = data["curves"], _threshold(data, lang)
    confusion = curves["confusion"]
    tp, fp, fn, tn = confusion["tp"], confusion["fp"], confusion["fn"], confusion["tn"]
    recall = tp / (tp + fn) if tp + fn else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    false_alarms = fp / (fp + tn) if fp + tn else 0.0
    base = curves["n_declined"] / curves["n_customers"] if curves["n_customers"] else 0.0
    title = t("curves_title", lang, _T, n=i18n.integer(curves["n_customers"], lang))
    with charts.chart(10.0, 4.4) as figure:
        figure.suptitle(title)
        roc_ax, pr_ax = figure.subplots(1, 2)
        roc_ax.plot(
            np.multiply(curves["roc"]["fpr"], 100),
            np.multiply(curves["roc"]["tpr"], 100),
            color=CV_COLOUR,
            linewidth=1.6,
        )
        roc_ax.plot(
            [0, 100], [0, 100], linestyle="--", color=charts.NEUTRAL_COLOUR, linewidth=1, label=t("random", lang, _T)
        )
        roc_ax.plot(
            100 * false_alarms,
            100 * recall,
            "o",
            color=HOLDOUT_COLOUR,
            label=t("at_threshold", lang, _T, threshold=threshold),
        )
        roc_ax.set_title(t("roc_panel", lang, _T, auc=_auc(curves["roc_auc"], lang)))
        roc_ax.set_xlabel(t("axis_fpr", lang, _T))
        roc_ax.set_ylabel(t("axis_tpr", lang, _T))
        pr_ax.plot(
            np.multiply(curves["pr"]["recall"], 100),
            np.multiply(curves["pr"]["precision"], 100),
            color=CV_COLOUR,
            linewidth=1.6,
            drawstyle="steps-post",
        )
        pr_ax.axhline(100 * base, linestyle="--", color=charts.NEUTRAL_COLOUR, linewidth=1, label=t("random", lang, _T))
        pr_ax.plot(
            100 * recall,
            100 * precision,
            "o",
            color=HOLDOUT_COLOUR,
            label=t("at_threshold", lang, _T, threshold=threshold),
        )
        pr_ax.set_title(t("pr_panel", lang, _T, ap=_auc(curves["pr_auc"], lang)))
        pr_ax.set_xlabel(t("axis_recall", lang, _T))
        pr_ax.set_ylabel(t("axis_precision", lang, _T))
        for ax in (roc_ax, pr_ax):
            ax.set_xlim(-2, 102)
            ax.set_ylim(-2, 102)
            ax.xaxis.set_major_formatter(charts.percent_formatter(lang))
            ax.yaxis.set_major_formatter(charts.percent_formatter(lang))
            ax.legend(loc="lower left" if ax is pr_ax else "lower right", frameon=False)
        uri = charts.svg_uri(figure)
    reading = t(
        "curves_reading",
        lang,
        _T,
        threshold=threshold,
        recall=i18n.percent(recall, lang, 0),
        precision=i18n.percent(precision, lang, 0),
        base=i18n.percent(base, lang, 0),
    )
    return charts.Chart(uri, title, reading)


def _calibration_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    holdout, curves, threshold = data["holdout"], data["curves"], _threshold(data, lang)
    calibration = data["calibration"] or {"mean_predicted": [], "observed_share": []}
    title = t("calibration_title", lang, _T)
    share = holdout["declined_share"] or 0.0
    values = {"brier": i18n.number(holdout["brier"], lang, 3), "baseline": i18n.number(share * (1 - share), lang, 3)}
    with charts.chart(10.0 if curves else 5.5, 4.2) as figure:
        figure.suptitle(title)
        axes = figure.subplots(1, 2 if curves else 1, squeeze=False).ravel()
        ax = axes[0]
        ax.plot(
            [0, 100], [0, 100], linestyle="--", color=charts.NEUTRAL_COLOUR, linewidth=1, label=t("perfect", lang, _T)
        )
        ax.plot(
            np.multiply(calibration["mean_predicted"], 100),
            np.multiply(calibration["observed_share"], 100),
            "o-",
            color=CV_COLOUR,
            linewidth=1.4,
            markersize=4,
        )
        ax.set_xlim(-2, 102)
        ax.set_ylim(-2, 102)
        ax.set_title(t("calibration_panel", lang, _T))
        ax.set_xlabel(t("axis_predicted", lang, _T))
        ax.set_ylabel(t("axis_observed", lang, _T))
        ax.xaxis.set_major_formatter(charts.percent_formatter(lang))
        ax.yaxis.set_major_formatter(charts.percent_formatter(lang))
        ax.legend(loc="upper left", frameon=False)
        if curves:
            _confusion_panel(axes[1], curves["confusion"], threshold, lang)
        uri = charts.svg_uri(figure)
    if curves:
        confusion = curves["confusion"]
        reading = t(
            "calibration_reading",
            lang,
            _T,
            declined=i18n.integer(confusion["tp"] + confusion["fn"], lang),
            tp=i18n.integer(confusion["tp"], lang),
            unchanged=i18n.integer(confusion["tn"] + confusion["fp"], lang),
            fp=i18n.integer(confusion["fp"], lang),
            **values,
        )
    else:
        reading = t("calibration_only_reading", lang, _T, **values)
    return charts.Chart(uri, title, reading)


def _confusion_panel(ax: Any, confusion: dict[str, int], threshold: str, lang: Lang) -> None:
    cells = np.array([[confusion["tn"], confusion["fp"]], [confusion["fn"], confusion["tp"]]], dtype=float)
    total = cells.sum() or 1.0
    ax.imshow(cells, cmap="Blues", vmin=0, vmax=cells.max() * 1.25 or 1)
    ax.grid(False)
    for (row, col), count in np.ndenumerate(cells):
        text = f"{i18n.integer(count, lang)} {t('customers_short', lang, _T)}\n{i18n.percent(count / total, lang, 0)}"
        colour = "white" if count > cells.max() * 0.7 else "#1f2933"
        charts.outside_layout(ax.text(col, row, text, ha="center", va="center", fontsize=9, color=colour))
    ax.set_xticks([0, 1], [t("not_flagged", lang, _T), t("flagged", lang, _T)])
    ax.set_yticks(
        [0, 1], [charts.wrap(i18n.class_label(False, lang), 14), charts.wrap(i18n.class_label(True, lang), 14)]
    )
    ax.set_xlabel(t("axis_decision", lang, _T))
    ax.set_ylabel(t("axis_actual", lang, _T))
    ax.set_title(t("confusion_panel", lang, _T, threshold=threshold))
