"""Section 3, correlation: phik between all features and the label, and multicollinearity (VIF).

The numbers come from :func:`oneclick.analysis.feature_associations`; this module words and draws them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.patches import Patch

from oneclick.analysis import VIF_HIGH, feature_associations
from oneclick.features.build import LABEL
from oneclick.features.groups import FEATURE_GROUPS
from oneclick.report import charts, i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary

_T: dict[str, dict[str, str]] = {
    "lead": {
        "ru": "Связь измерена коэффициентом φK (phik): он подходит и для чисел, и для категорий; 0 — связи нет, "
        "1 — одно полностью определяет другое. Мультиколлинеарность числовых признаков — через VIF.",
        "en": "Association is measured with φK (phik), which suits numbers and categories alike: 0 means none, "
        "1 means one determines the other. Multicollinearity of the numeric features is measured by VIF.",
    },
    "heatmap_title": {"ru": "Матрица связей φK", "en": "φK association matrix"},
    "axis_number": {"ru": "Номер признака (см. подписи слева)", "en": "Feature number (see labels on the left)"},
    "axis_feature": {"ru": "Признак", "en": "Feature"},
    "colour_phik": {"ru": "φK, от 0 до 1", "en": "φK, 0 to 1"},
    "label_name": {"ru": "Снижение активности (цель)", "en": "Activity declined (target)"},
    "heatmap_reading": {
        "ru": "Сильнее всего связаны между собой «{a}» и «{b}» (φK = {pair}); с целью — «{top}» (φK = {top_phik}).",
        "en": "«{a}» and «{b}» are the most associated pair (φK = {pair}); with the target it is «{top}» "
        "(φK = {top_phik}).",
    },
    "label_title": {"ru": "Связь признаков со снижением активности", "en": "Association of features with decline"},
    "axis_label_phik": {"ru": "φK с целевым признаком, от 0 до 1", "en": "φK with the target, 0 to 1"},
    "label_reading": {
        "ru": "Сильнее всего классы различает группа «{group}»: её признак «{feature}» имеет φK = {phik}; "
        "слабее всего — группа «{weakest}» (до {weakest_phik}).",
        "en": "The group «{group}» separates the classes most: its feature «{feature}» has φK = {phik}; "
        "the weakest is «{weakest}» (up to {weakest_phik}).",
    },
    "pairs_title": {"ru": "Пары признаков с φK ≥ {threshold}", "en": "Feature pairs with φK ≥ {threshold}"},
    "no_pairs": {"ru": "Таких пар нет.", "en": "There are none."},
    "feature_a": {"ru": "Признак", "en": "Feature"},
    "feature_b": {"ru": "Признак", "en": "Feature"},
    "vif_title": {
        "ru": "Мультиколлинеарность (VIF числовых признаков)",
        "en": "Multicollinearity (VIF of the numeric features)",
    },
    "vif_all": {"ru": "VIF, все признаки", "en": "VIF, all features"},
    "vif_after": {"ru": "VIF без дублирующих", "en": "VIF without duplicates"},
    "removed": {"ru": "убран", "en": "removed"},
    "exact": {
        "ru": "«{feature}» точно выражается через другие признаки: это {formula} (VIF = ∞), то есть дубль.",
        "en": "«{feature}» is an exact combination of other features: {formula} (VIF = ∞), a duplicate.",
    },
    "high": {
        "ru": "«{feature}» сильно коррелирует с остальными (VIF = {vif}).",
        "en": "«{feature}» is strongly collinear with the others (VIF = {vif}).",
    },
    "after": {
        "ru": "Что сделано: для расчёта VIF убраны {features}; без них наибольший VIF = {vif} у «{top}» "
        "(порог {threshold}) — {verdict}",
        "en": "What was done: {features} were left out of the VIF; without them the largest VIF is {vif}, "
        "for «{top}» (threshold {threshold}): {verdict}",
    },
    "after_none": {
        "ru": "Наибольший VIF = {vif} у «{top}» (порог {threshold}) — {verdict}",
        "en": "The largest VIF is {vif}, for «{top}» (threshold {threshold}): {verdict}",
    },
    "verdict_ok": {
        "ru": "остальные признаки мультиколлинеарности не создают.",
        "en": "the other features are not collinear.",
    },
    "verdict_high": {
        "ru": "коллинеарность остаётся, её надо учитывать.",
        "en": "collinearity remains and must be kept in mind.",
    },
    "advice": {
        "ru": "Рекомендация для модели: линейным моделям нужна регуляризация (L1 обнуляет дубли) или отказ от "
        "дублирующих признаков; деревьям и бустингу дубли не мешают, но их важность делится между дублями — "
        "поэтому важность разумно смотреть по группам признаков.",
        "en": "Advice for the model: linear models need regularisation (L1 zeroes duplicates) or to drop the "
        "duplicating features; trees and boosting do not mind, but importance is split between duplicates, "
        "so importance is best read by feature group.",
    },
}


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """φK of every pair of features and the label, the strong pairs, and VIF before and after removing duplicates."""
    sample = run.sample()
    population = sample["population"] if sample else None
    return feature_associations(run.table("features"), population) | {"sample": sample}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, the heatmap, the bar chart of φK with the label, the strong pairs and the VIF table."""
    sample = data.get("sample")
    view = {
        "lead": t("lead", lang, _T),
        "heatmap": _heatmap(data, lang),
        "with_label": _label_chart(data, lang),
        "pairs": _pairs_table(data, lang),
        "vif": _vif_table(data["vif"], lang),
        "actions": [*_actions(data["vif"], lang), t("advice", lang, _T)],
    }
    if sample:
        view["lead"] = f"{view['lead']} {i18n.sample_sentence(sample, lang)}"
    if data.get("phik_sample"):
        for table in ("pairs", "vif"):
            view[table]["note"] = f"{i18n.sample_note(data['phik_sample'], lang)}."
    return view


def _name(name: str, lang: Lang) -> str:
    return t("label_name", lang, _T) if name == LABEL else i18n.feature(name, lang)


def _heatmap(data: dict[str, Any], lang: Lang) -> charts.Chart:
    names = data["names"]
    values = np.array([[np.nan if v is None else v for v in row] for row in data["matrix"]], dtype=float)
    title = t("heatmap_title", lang, _T)
    n = len(names)
    # The matrix is symmetric: the lower triangle says it all and halves the labels to read.
    shown = np.where(np.triu(np.ones((n, n), dtype=bool), k=1), np.nan, values)
    with charts.chart(10.0, 0.8 + 0.34 * n) as figure:
        charts.suptitle(figure, title, i18n.sample_note(data.get("phik_sample"), lang))
        ax = figure.subplots()
        image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(n), [str(k + 1) for k in range(n)])
        ax.set_yticks(range(n), [f"{k + 1}. {_name(name, lang)}" for k, name in enumerate(names)])
        ax.grid(False)
        for i in range(n):
            for j in range(i):
                if np.isfinite(shown[i, j]):
                    label = ax.text(
                        j,
                        i,
                        i18n.number(shown[i, j], lang, 2),
                        ha="center",
                        va="center",
                        fontsize=6.5,
                        color="white" if shown[i, j] > 0.6 else "#333333",
                    )
                    charts.outside_layout(label)
        ax.set_xlabel(t("axis_number", lang, _T))
        ax.set_ylabel(t("axis_feature", lang, _T))
        figure.colorbar(
            image, ax=ax, shrink=0.6, label=t("colour_phik", lang, _T), format=charts.number_formatter(lang, 1)
        )
        # PNG: 361 cells and their labels cost the browser far more to draw as SVG than to decode as PNG.
        uri = charts.png_uri(figure, dpi=110)
    features_only = values[:-1, :-1].copy()
    np.fill_diagonal(features_only, np.nan)
    a, b = np.unravel_index(np.nanargmax(features_only), features_only.shape)
    top = data["with_label"][0]
    reading = t(
        "heatmap_reading",
        lang,
        _T,
        a=_name(names[a], lang),
        b=_name(names[b], lang),
        pair=i18n.number(features_only[a, b], lang, 2),
        top=_name(top["name"], lang),
        top_phik=i18n.number(top["phik"], lang, 2),
    )
    return charts.Chart(uri, title, reading)


def _label_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    rows = data["with_label"][::-1]
    title = t("label_title", lang, _T)
    with charts.chart(10.0, 0.9 + 0.27 * len(rows)) as figure:
        charts.suptitle(figure, title, i18n.sample_note(data.get("phik_sample"), lang))
        ax = figure.subplots()
        colours = [charts.GROUP_COLOURS[FEATURE_GROUPS[row["name"]]] for row in rows]
        ax.barh(range(len(rows)), [row["phik"] for row in rows], color=colours, height=0.7)
        ax.set_yticks(range(len(rows)), [i18n.feature(row["name"], lang) for row in rows])
        for k, row in enumerate(rows):
            charts.outside_layout(
                ax.text(row["phik"], k, " " + i18n.number(row["phik"], lang, 2), va="center", fontsize=7.5)
            )
        ax.set_xlim(0, 1.05)
        ax.set_xlabel(t("axis_label_phik", lang, _T))
        ax.xaxis.set_major_formatter(charts.number_formatter(lang, 1))
        handles = [Patch(color=colour, label=i18n.group(group, lang)) for group, colour in charts.GROUP_COLOURS.items()]
        ax.legend(handles=handles, loc="lower right", frameon=False)
        uri = charts.svg_uri(figure)
    ranking = list(data["group_strength"].items())
    (best, strongest), (weakest, weakest_data) = ranking[0], ranking[-1]
    reading = t(
        "label_reading",
        lang,
        _T,
        group=i18n.group(best, lang),
        feature=i18n.feature(strongest["feature"], lang),
        phik=i18n.number(strongest["phik"], lang, 2),
        weakest=i18n.group(weakest, lang),
        weakest_phik=i18n.number(weakest_data["phik"], lang, 2),
    )
    return charts.Chart(uri, title, reading)


def _pairs_table(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    threshold = i18n.number(data["thresholds"]["strong_pair"], lang, 1)
    rows = [
        [i18n.feature(p["a"], lang), i18n.feature(p["b"], lang), i18n.number(p["phik"], lang, 2)]
        for p in data["strong_pairs"]
    ]
    return {
        "title": t("pairs_title", lang, _T, threshold=threshold),
        "empty": t("no_pairs", lang, _T),
        "header": [t("feature_a", lang, _T), t("feature_b", lang, _T), "φK"],
        "rows": rows,
        "note": "",
    }


def _vif_value(value: float | None, lang: Lang) -> str:
    return t("infinite", lang) if value is None else i18n.number(value, lang, 1)


def _vif_table(study: dict[str, Any], lang: Lang) -> dict[str, Any]:
    rows = [
        [
            i18n.feature(name, lang),
            _vif_value(value, lang),
            _vif_value(study["after"][name], lang) if name in study["after"] else t("removed", lang, _T),
        ]
        for name, value in sorted(study["all"].items(), key=lambda item: -(item[1] or np.inf))
    ]
    header = [t("feature_a", lang, _T), t("vif_all", lang, _T), t("vif_after", lang, _T)]
    return {"title": t("vif_title", lang, _T), "empty": "", "header": header, "rows": rows, "note": ""}


def _formula(combination: list[dict[str, Any]], lang: Lang) -> str:
    """``«C» − «P»`` for coefficients of ±1, ``0,50 × «A» + …`` otherwise; positive terms first."""
    parts = []
    for k, term in enumerate(sorted(combination, key=lambda term: -term["coef"])):
        size = abs(term["coef"])
        factor = "" if abs(size - 1) < 0.005 else f"{i18n.number(size, lang, 2)} × "
        sign = "− " if term["coef"] < 0 else ("+ " if k else "")
        parts.append(f"{sign}{factor}«{i18n.feature(term['name'], lang)}»")
    return " ".join(parts) or "—"


def _actions(study: dict[str, Any], lang: Lang) -> list[str]:
    lines = []
    for item in study["removed"]:
        if item["exact"]:
            lines.append(
                t(
                    "exact",
                    lang,
                    _T,
                    feature=i18n.feature(item["name"], lang),
                    formula=_formula(item["combination"], lang),
                )
            )
        else:
            lines.append(
                t("high", lang, _T, feature=i18n.feature(item["name"], lang), vif=i18n.number(item["vif"], lang, 1))
            )
    top = study["max_after"]
    verdict = t("verdict_ok" if (top["vif"] or np.inf) <= VIF_HIGH else "verdict_high", lang, _T)
    values = {
        "vif": _vif_value(top["vif"], lang),
        "top": i18n.feature(top["name"], lang),
        "threshold": i18n.number(VIF_HIGH, lang, 0),
        "verdict": verdict,
    }
    if study["removed"]:
        removed = ", ".join(f"«{i18n.feature(item['name'], lang)}»" for item in study["removed"])
        lines.append(t("after", lang, _T, features=removed, **values))
    else:
        lines.append(t("after_none", lang, _T, **values))
    return lines
