"""The charts of "Changes since the last period": the drifted features' distributions, old beside new, and
the model's figures realised (or estimated) with their 95 % intervals beside the promised ones.

Drawn from :func:`oneclick.analysis.period_changes`'s dict; the bins are the comparison's own (the last
period's deciles of a numeric feature, the values of a categorical one), so the bars are the shares PSI
compared.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.lines import Line2D

from oneclick.report import charts, i18n
from oneclick.report.i18n import Lang, t

OLD_COLOUR = "#9aa5b1"
NEW_COLOUR = "#30638e"
PROMISED_COLOUR = "#edae49"
EXPECTED_COLOUR = "#00798c"
MAX_PANELS = 8  # the drifted features drawn (largest PSI first); the table lists every one
PREDICTION = "decline_probability"

_T: dict[str, dict[str, str]] = {
    "distributions_title": {
        "ru": "Распределения сдвинувшихся признаков: прошлый период и новый",
        "en": "The drifted features' distributions: the last period and the new one",
    },
    "old": {"ru": "прошлый период", "en": "last period"},
    "new": {"ru": "новый период", "en": "new period"},
    "axis_share": {"ru": "Доля покупателей, %", "en": "Share of customers, %"},
    "prediction": {"ru": "Вероятность снижения (прогноз модели)", "en": "Decline probability (the model's)"},
    "panel": {"ru": "{feature}\nPSI {psi}", "en": "{feature}\nPSI {psi}"},
    "distributions_reading": {
        "ru": "Сдвинулись признаков: {n}; сильнее всех — «{feature}» (PSI {psi}: {band}). Корзины — децили "
        "прошлого периода (у категорий — их значения); последняя панель — вероятности модели.",
        "en": "Features drifted: {n}; the most, «{feature}» (PSI {psi}: {band}). The bins are the last period's "
        "deciles (a category's values); the last panel is the model's probabilities.",
    },
    "distributions_none": {
        "ru": "Ни один признак не сдвинулся; показано распределение вероятностей модели в обоих периодах.",
        "en": "No feature drifted; the chart shows the model's probabilities in both periods.",
    },
    "more": {
        "ru": " Показаны {shown} из {n}; остальные — в таблице.",
        "en": " {shown} of {n} are drawn; the table lists the rest.",
    },
    "decay_title": {
        "ru": "Качество модели: получено в новом периоде и обещано при обучении",
        "en": "The model's quality: realised in the new period and promised at training",
    },
    "decay_title_estimated": {
        "ru": "Качество модели: оценка без меток и обещанное при обучении",
        "en": "The model's quality: estimated without labels and promised at training",
    },
    "realised": {"ru": "получено (95 % ДИ)", "en": "realised (95% CI)"},
    "estimate": {"ru": "оценка без меток (95 % ДИ)", "en": "estimate without labels (95% CI)"},
    "expected": {"ru": "ожидание по вероятностям модели", "en": "expected by the model's probabilities"},
    "promised": {"ru": "обещано (отложенная выборка)", "en": "promised (holdout)"},
    "axis_value": {"ru": "Значение", "en": "Value"},
    "decay_reading": {
        "ru": "ROC-AUC {value} (95 % ДИ {low} … {high}) против обещанных {promised} (95 % ДИ {p_low} … {p_high}). "
        "Оценка Брайера — чем меньше, тем лучше; остальные — чем больше, тем лучше.",
        "en": "ROC-AUC {value} (95% CI {low} … {high}) against the promised {promised} (95% CI {p_low} … {p_high}). "
        "A lower Brier score is better; for the others, higher is better.",
    },
}

FIGURE_WORDS: dict[str, dict[str, str]] = {
    "figure_roc_auc": {"ru": "ROC-AUC", "en": "ROC-AUC"},
    "figure_brier": {"ru": "Оценка Брайера", "en": "Brier score"},
    "figure_precision": {"ru": "Точность (precision)", "en": "Precision"},
    "figure_recall": {"ru": "Полнота (recall)", "en": "Recall"},
}
BAND_WORDS: dict[str, dict[str, str]] = {
    "band_stable": {"ru": "стабильно", "en": "stable"},
    "band_moderate": {"ru": "умеренный сдвиг", "en": "a moderate shift"},
    "band_major": {"ru": "сильный сдвиг", "en": "a major shift"},
}


def word(key: str, lang: Lang, **values: object) -> str:
    """This catalogue's string ``key`` in ``lang`` (the dashboard's charts share the legend's words)."""
    return t(key, lang, _T, **values)


def feature_title(name: str, lang: Lang) -> str:
    """A feature's business name; the model's probability by its own."""
    return t("prediction", lang, _T) if name == PREDICTION else i18n.feature(name, lang)


def band_word(band: str, lang: Lang) -> str:
    return t(f"band_{band}", lang, BAND_WORDS)


def figure_word(name: str, lang: Lang) -> str:
    return t(f"figure_{name}", lang, FIGURE_WORDS)


def bin_labels(feature: str, bins: list[Any], lang: Lang) -> list[str]:
    """The bins as a reader says them: ``≤ 3``, ``≤ 5``, …, ``> 13`` (deciles), or the values in words."""
    if not bins or any(isinstance(b, str) for b in bins):
        return [_value(feature, str(b), lang) for b in bins]
    edges = [b for b in bins if b is not None and math.isfinite(b)]
    digits = 0 if all(float(e).is_integer() for e in edges) else 2
    labels = [f"≤ {i18n.number(e, lang, digits)}" for e in edges]
    if len(edges) < len(bins):  # the last bin is open above
        labels.append(f"> {i18n.number(edges[-1], lang, digits)}" if edges else "—")
    return labels


def distributions(data: dict[str, Any], lang: Lang) -> charts.Chart:
    """Each drifted feature (at most :data:`MAX_PANELS`) and the model's probabilities: old bars beside new."""
    drifted = data["drifted"]
    shown = [*drifted[:MAX_PANELS], data["prediction_drift"]]
    n_cols = 1 if len(shown) == 1 else 2
    n_rows = math.ceil(len(shown) / n_cols)
    title = t("distributions_title", lang, _T)
    with charts.chart(10.0, 0.9 + 2.5 * n_rows) as figure:
        figure.suptitle(title)
        axes = np.atleast_1d(figure.subplots(n_rows, n_cols, squeeze=False).ravel())
        for ax, feature in zip(axes, shown, strict=False):
            _panel(ax, feature, lang)
        for ax in axes[len(shown) :]:
            ax.set_visible(False)
        handles = [
            Line2D([], [], color=colour, linewidth=8, label=t(key, lang, _T))
            for key, colour in (("old", OLD_COLOUR), ("new", NEW_COLOUR))
        ]
        figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
        uri = charts.svg_uri(figure)
    if drifted:
        top = drifted[0]
        reading = t(
            "distributions_reading",
            lang,
            _T,
            n=i18n.integer(len(drifted), lang),
            feature=feature_title(top["feature"], lang),
            psi=i18n.number(top["psi"], lang, 2),
            band=band_word(top["psi_band"], lang),
        )
        if len(drifted) > MAX_PANELS:
            reading += t("more", lang, _T, shown=MAX_PANELS, n=len(drifted))
    else:
        reading = t("distributions_none", lang, _T)
    return charts.Chart(uri, title, reading)


def decay(data: dict[str, Any], lang: Lang) -> charts.Chart:
    """Each figure realised (or estimated) with its interval, the expectation beside it, the promise above it."""
    found = data["decay"]
    estimated = found["estimated"]
    rows = found["rows"][::-1]  # ROC-AUC on top
    title = t("decay_title_estimated" if estimated else "decay_title", lang, _T)
    value_colour = OLD_COLOUR if estimated else NEW_COLOUR
    with charts.chart(10.0, 3.6) as figure:
        figure.suptitle(title)
        ax = figure.subplots()
        for y, row in enumerate(rows):
            _interval(ax, row["value"], row["ci"], y, value_colour, "o", estimated)
            if row["expected"] is not None:
                _interval(ax, row["expected"], row["expected_ci"], y - 0.22, EXPECTED_COLOUR, "s", False)
            if row["promised"] is not None:
                _interval(ax, row["promised"], row["promised_ci"], y + 0.22, PROMISED_COLOUR, "D", False)
        ax.set_yticks(range(len(rows)), [figure_word(row["figure"], lang) for row in rows])
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlim(0, 1)
        ax.set_xlabel(t("axis_value", lang, _T))
        ax.xaxis.set_major_formatter(charts.number_formatter(lang, 1))
        handles = [
            Line2D(
                [],
                [],
                color=value_colour,
                marker="o",
                markerfacecolor="white" if estimated else value_colour,
                linewidth=2,
                label=t("estimate" if estimated else "realised", lang, _T),
            ),
            Line2D([], [], color=PROMISED_COLOUR, marker="D", linewidth=2, label=t("promised", lang, _T)),
        ]
        if not estimated:
            handles.append(
                Line2D([], [], color=EXPECTED_COLOUR, marker="s", linewidth=2, label=t("expected", lang, _T))
            )
        figure.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
        uri = charts.svg_uri(figure)
    auc = found["rows"][0]
    low, high = auc["ci"]
    p_low, p_high = auc["promised_ci"] or (None, None)
    reading = t(
        "decay_reading",
        lang,
        _T,
        value=_number(auc["value"], lang),
        low=_number(low, lang),
        high=_number(high, lang),
        promised=_number(auc["promised"], lang),
        p_low=_number(p_low, lang),
        p_high=_number(p_high, lang),
    )
    return charts.Chart(uri, title, reading)


def _panel(ax: Any, feature: dict[str, Any], lang: Lang) -> None:
    labels = bin_labels(feature["feature"], feature["bins"], lang)
    x = np.arange(len(labels))
    ax.bar(x - 0.2, [100 * s for s in feature["share_old"]], width=0.4, color=OLD_COLOUR)
    ax.bar(x + 0.2, [100 * s for s in feature["share_new"]], width=0.4, color=NEW_COLOUR)
    rotate = len(labels) > 5 or max((len(label) for label in labels), default=0) > 10
    ax.set_xticks(
        x,
        [charts.wrap(label, 16) for label in labels],
        rotation=40 if rotate else 0,
        ha="right" if rotate else "center",
    )
    ax.tick_params(axis="x", labelsize=7)
    ax.set_ylabel(t("axis_share", lang, _T))
    ax.yaxis.set_major_formatter(charts.percent_formatter(lang))
    name = charts.wrap(feature_title(feature["feature"], lang), 44)
    ax.set_title(t("panel", lang, _T, feature=name, psi=i18n.number(feature["psi"], lang, 2)))


def _interval(
    ax: Any, value: float | None, ci: list[float | None] | None, y: float, colour: str, marker: str, hollow: bool
) -> None:
    if value is None:
        return
    if ci and ci[0] is not None and ci[1] is not None:
        ax.plot(list(ci), [y, y], color=colour, linewidth=2.2, solid_capstyle="butt")
    face = "white" if hollow else colour
    ax.plot([value], [y], marker, color=colour, markerfacecolor=face, markersize=6)


def _value(feature: str, raw: str, lang: Lang) -> str:
    if raw in ("true", "false"):
        return i18n.t("yes" if raw == "true" else "no", lang)
    return i18n.value(feature, raw, lang)


def _number(value: float | None, lang: Lang, digits: int = 3) -> str:
    return "—" if value is None else i18n.number(value, lang, digits)
