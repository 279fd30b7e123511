"""Section 4, model: the holdout's ROC and precision-recall curves, calibration and confusion matrix.

Drawn from the curves :func:`oneclick.analysis.holdout_curves` computed; a run
without ``holdout_predictions.csv`` gets the calibration alone and a note saying why.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from oneclick.report import charts, i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.run_folder import RUN_FILES

CURVE_COLOUR = "#30638e"  # the model's line, in the leaderboard's colour of cross-validation
THRESHOLD_COLOUR = "#d1495b"  # the model at its threshold, in the leaderboard's colour of the holdout

_T: dict[str, dict[str, str]] = {
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


def holdout_charts(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The curves chart (``None`` without holdout predictions), the calibration chart and a note."""
    curves = data["curves"]
    return {
        "curves": None if curves is None else _curves_chart(data, lang),
        "calibration": _calibration_chart(data, lang),
        "note": "" if curves is not None else t("no_predictions", lang, _T, file=RUN_FILES["holdout_predictions"]),
    }


def auc_text(value: float, lang: Lang) -> str:
    """An area under a curve (ROC-AUC, average precision) as the section writes it: 3 decimals."""
    return i18n.number(value, lang, 3)


def threshold_text(data: dict[str, Any], lang: Lang) -> str:
    """The model's decision threshold, 3 decimals."""
    return i18n.number(data["holdout"]["threshold"], lang, 3)


def _curves_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    curves, threshold = data["curves"], threshold_text(data, lang)
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
            color=CURVE_COLOUR,
            linewidth=1.6,
        )
        roc_ax.plot(
            [0, 100], [0, 100], linestyle="--", color=charts.NEUTRAL_COLOUR, linewidth=1, label=t("random", lang, _T)
        )
        roc_ax.plot(
            100 * false_alarms,
            100 * recall,
            "o",
            color=THRESHOLD_COLOUR,
            label=t("at_threshold", lang, _T, threshold=threshold),
        )
        roc_ax.set_title(t("roc_panel", lang, _T, auc=auc_text(curves["roc_auc"], lang)))
        roc_ax.set_xlabel(t("axis_fpr", lang, _T))
        roc_ax.set_ylabel(t("axis_tpr", lang, _T))
        pr_ax.plot(
            np.multiply(curves["pr"]["recall"], 100),
            np.multiply(curves["pr"]["precision"], 100),
            color=CURVE_COLOUR,
            linewidth=1.6,
            drawstyle="steps-post",
        )
        pr_ax.axhline(100 * base, linestyle="--", color=charts.NEUTRAL_COLOUR, linewidth=1, label=t("random", lang, _T))
        pr_ax.plot(
            100 * recall,
            100 * precision,
            "o",
            color=THRESHOLD_COLOUR,
            label=t("at_threshold", lang, _T, threshold=threshold),
        )
        pr_ax.set_title(t("pr_panel", lang, _T, ap=auc_text(curves["pr_auc"], lang)))
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
    holdout, curves, threshold = data["holdout"], data["curves"], threshold_text(data, lang)
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
            color=CURVE_COLOUR,
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
