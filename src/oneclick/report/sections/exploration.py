"""Section 2, exploration: each feature's distribution by class, group by group, and the months by class.

The numbers come from :func:`oneclick.analysis.class_differences`; this module words and draws them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator

from oneclick.analysis import CLASSES, class_differences, strongest_difference
from oneclick.features.groups import GROUP_LABELS
from oneclick.report import charts, i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary

_T: dict[str, dict[str, str]] = {
    "lead": {
        "ru": "{n} покупателей: у {declined} ({share}) активность снизилась. Графики показывают, какая доля "
        "покупателей каждого класса имеет то или иное значение признака; пунктир — среднее класса.",
        "en": "{n} customers: the activity of {declined} ({share}) declined. The charts show which share of each "
        "class has each value of a feature; dashed lines mark the class means.",
    },
    "group_title": {"ru": "{group}: распределения по классам", "en": "{group}: distributions by class"},
    "reading_numeric": {
        "ru": "Сильнее всего классы здесь различает «{feature}»: у покупателей со сниженной активностью "
        "в среднем {declined} против {unchanged} у остальных.",
        "en": "«{feature}» separates the classes most here: {declined} on average for customers whose "
        "activity declined against {unchanged} for the others.",
    },
    "reading_category": {
        "ru": "Сильнее всего классы здесь различает «{feature}»: «{value}» у {declined} покупателей "
        "со сниженной активностью против {unchanged} у остальных.",
        "en": "«{feature}» separates the classes most here: «{value}» for {declined} of the customers whose "
        "activity declined against {unchanged} of the others.",
    },
    "months_title": {"ru": "Выручка и время на сайте по месяцам", "en": "Revenue and time on site by month"},
    "revenue_panel": {"ru": "Выручка", "en": "Revenue"},
    "minutes_panel": {"ru": "Время на сайте", "en": "Time on site"},
    "axis_month": {"ru": "Месяц", "en": "Month"},
    "axis_revenue": {"ru": "Средняя выручка, ₽", "en": "Mean revenue, RUB"},
    "axis_minutes": {"ru": "Среднее время на сайте, мин", "en": "Mean time on site, min"},
    "months_reading": {
        "ru": "В текущем месяце покупатели со сниженной активностью провели на сайте в среднем {m1} мин "
        "против {m0} мин у остальных; выручка — {r1} против {r0} ₽ (отрезки — 95 % интервал среднего).",
        "en": "This month customers whose activity declined spent {m1} min on the site on average against "
        "{m0} min for the others; revenue was {r1} against {r0} RUB (bars: 95% interval of the mean).",
    },
    "table_title": {"ru": "Средние значения по классам", "en": "Class means"},
    "feature": {"ru": "Признак", "en": "Feature"},
    "separation": {"ru": "Различие классов", "en": "Separation"},
    "separation_note": {
        "ru": "Различие классов: для чисел |2·AUC − 1| (0 — распределения совпадают, 1 — не пересекаются), "
        "для категорий — доля покупателей, которую надо «переложить», чтобы распределения совпали.",
        "en": "Separation: for numbers |2·AUC − 1| (0: same distributions, 1: no overlap); for categories the "
        "share of customers that would have to move for the two distributions to match.",
    },
}


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """Per feature: its distribution in each class and how well it separates them; per month: class means."""
    return class_differences(run.table("features")) | {"sample": run.sample()}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, one chart per feature group, the months chart and the table of class means."""
    n, n_declined = data["n_customers"], data["n_declined"]
    sample, note = data.get("sample"), i18n.sample_note(data.get("sample"), lang)
    lead = t(
        "lead",
        lang,
        _T,
        n=i18n.integer(n, lang),
        declined=i18n.integer(n_declined, lang),
        share=i18n.percent(n_declined / n if n else 0.0, lang),
    )
    table = _means_table(data["features"], lang)
    if sample:
        lead, table["note"] = f"{lead} {i18n.sample_sentence(sample, lang)}", f"{table['note']} {note}."
    return {
        "lead": lead,
        "groups": [_group_chart(data["features"], group, lang, note) for group in GROUP_LABELS],
        "months": _months_chart(data["months"], lang, note),
        "table": table,
    }


def _group_chart(features: list[dict[str, Any]], group: str, lang: Lang, note: str | None = None) -> charts.Chart:
    members = [f for f in features if f["group"] == group]
    n_cols = 3
    n_rows = math.ceil(len(members) / n_cols)
    title = t("group_title", lang, _T, group=i18n.group(group, lang))
    with charts.chart(10.0, 0.9 + 2.35 * n_rows) as figure:
        charts.suptitle(figure, title, note)
        axes = figure.subplots(n_rows, n_cols, squeeze=False).ravel()
        for ax, feature in zip(axes, members, strict=False):
            (_numeric_panel if feature["kind"] == "numeric" else _category_panel)(ax, feature, lang)
            ax.set_title(charts.wrap(i18n.feature(feature["name"], lang), 34))
        for ax in axes[len(members) :]:
            ax.set_visible(False)
        figure.legend(handles=charts.class_legend(lang), loc="outside lower center", ncols=2, frameon=False)
        uri = charts.svg_uri(figure)
    return charts.Chart(uri, title, _group_reading(strongest_difference(features, group), lang))


def _numeric_panel(ax: Any, feature: dict[str, Any], lang: Lang) -> None:
    edges = feature["edges"]
    for name in CLASSES:
        colour = charts.class_colour(name == "declined")
        ax.stairs(feature["shares"][name], edges, fill=True, alpha=0.3, color=colour)
        ax.stairs(feature["shares"][name], edges, color=colour, linewidth=1.1)
        ax.axvline(feature["mean"][name], color=colour, linestyle="--", linewidth=1)
    ax.set_xlabel(i18n.unit(feature["name"], lang))
    ax.set_ylabel(t("share_of_class", lang))
    if feature["whole"]:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    digits = 2 if edges[-1] - edges[0] < 5 and not feature["whole"] else 0
    ax.xaxis.set_major_formatter(charts.number_formatter(lang, digits))
    ax.yaxis.set_major_formatter(charts.percent_formatter(lang))


def _category_panel(ax: Any, feature: dict[str, Any], lang: Lang) -> None:
    labels = [charts.wrap(i18n.value(feature["name"], c, lang), 26) for c in feature["categories"]]
    positions = np.arange(len(labels))
    for offset, name in ((-0.2, "declined"), (0.2, "unchanged")):
        ax.barh(
            positions + offset,
            feature["shares"][name],
            height=0.4,
            alpha=0.75,
            color=charts.class_colour(name == "declined"),
        )
    ax.set_yticks(positions, labels, fontsize=7 if len(labels) > 3 else 8)
    ax.invert_yaxis()
    ax.set_xlabel(t("share_of_class", lang))
    ax.xaxis.set_major_formatter(charts.percent_formatter(lang))


def _group_reading(feature: dict[str, Any], lang: Lang) -> str:
    name = feature["name"]
    label = i18n.feature(name, lang)
    if feature["kind"] == "numeric":
        return t(
            "reading_numeric",
            lang,
            _T,
            feature=label,
            declined=i18n.with_unit(feature["mean"]["declined"], name, lang),
            unchanged=i18n.with_unit(feature["mean"]["unchanged"], name, lang),
        )
    k = feature["categories"].index(feature["top_category"])
    return t(
        "reading_category",
        lang,
        _T,
        feature=label,
        value=i18n.value(name, feature["top_category"], lang),
        declined=i18n.percent(feature["shares"]["declined"][k] / 100, lang),
        unchanged=i18n.percent(feature["shares"]["unchanged"][k] / 100, lang),
    )


def _months_chart(months: dict[str, Any], lang: Lang, note: str | None = None) -> charts.Chart:
    title = t("months_title", lang, _T)
    panels = (("revenue", "revenue_panel", "axis_revenue"), ("minutes", "minutes_panel", "axis_minutes"))
    with charts.chart(10.0, 3.4) as figure:
        charts.suptitle(figure, title, note)
        axes = figure.subplots(1, 2, width_ratios=[3, 2])
        for ax, (kind, panel, axis) in zip(axes, panels, strict=True):
            data = months[kind]
            x = np.arange(len(data["periods"]))
            for name in CLASSES:
                error = 1.96 * np.asarray(data[name]["sem"])
                ax.errorbar(
                    x,
                    data[name]["mean"],
                    yerr=error,
                    marker="o",
                    capsize=3,
                    linewidth=1.6,
                    color=charts.class_colour(name == "declined"),
                    label=i18n.class_label(name == "declined", lang),
                )
            ax.set_xticks(x, [i18n.value("period", p, lang).replace("_", " ") for p in data["periods"]])
            ax.set_xlim(-0.4, len(x) - 0.6)
            ax.set_title(t(panel, lang, _T))
            ax.set_xlabel(t("axis_month", lang, _T))
            ax.set_ylabel(t(axis, lang, _T))
            ax.yaxis.set_major_formatter(charts.number_formatter(lang))
        axes[0].legend(frameon=False)
        uri = charts.svg_uri(figure)
    revenue, minutes = months["revenue"], months["minutes"]
    reading = t(
        "months_reading",
        lang,
        _T,
        m1=i18n.number(minutes["declined"]["mean"][-1], lang),
        m0=i18n.number(minutes["unchanged"]["mean"][-1], lang),
        r1=i18n.integer(revenue["declined"]["mean"][-1], lang),
        r0=i18n.integer(revenue["unchanged"]["mean"][-1], lang),
    )
    return charts.Chart(uri, title, reading)


def _means_table(features: list[dict[str, Any]], lang: Lang) -> dict[str, Any]:
    header = [
        t("feature", lang, _T),
        i18n.class_label(True, lang),
        i18n.class_label(False, lang),
        t("separation", lang, _T),
    ]
    rows = []
    for feature in features:
        name = feature["name"]
        if feature["kind"] == "numeric":
            cells = [i18n.with_unit(feature["mean"][c], name, lang) for c in CLASSES]
        else:
            k = feature["categories"].index(feature["top_category"])
            value = i18n.value(name, feature["top_category"], lang)
            cells = [f"{value}: {i18n.percent(feature['shares'][c][k] / 100, lang)}" for c in CLASSES]
        rows.append([i18n.feature(name, lang), *cells, i18n.number(feature["separation"], lang, 2)])
    return {"title": t("table_title", lang, _T), "header": header, "rows": rows, "note": t("separation_note", lang, _T)}
