"""The campaign results' three charts: the uplift of every offer and segment with its CI beside the assumed
one (a forest plot), the Qini curve against random targeting, and decline by decile of the ranking.

Drawn from :func:`oneclick.report.sections.campaign_results_data.summarise`'s dict; the dashboard's campaign
page draws the same ones with these functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.lines import Line2D

from oneclick.report import charts, i18n, names
from oneclick.report.i18n import Lang, t
from oneclick.report.sections.campaign_results_data import ALL, rows_of

VERDICT_COLOURS = {"works": "#00798c", "no_evidence": "#8c8c8c", "harms": "#d1495b"}
ASSUMED_COLOUR = "#edae49"
RANDOM_COLOUR = "#9aa5b1"
TREATMENT_COLOUR = "#00798c"
CONTROL_COLOUR = "#9aa5b1"

_T: dict[str, dict[str, str]] = {
    "forest_title": {
        "ru": "Измеренный эффект предложений с 95 % доверительным интервалом",
        "en": "The offers' measured uplift with its 95% confidence interval",
    },
    "axis_uplift": {
        "ru": "Эффект: доля снижения, которую убрало предложение, %",
        "en": "Uplift: share of decline removed, %",
    },
    "measured": {"ru": "измерено (95 % ДИ)", "en": "measured (95% CI)"},
    "assumed": {"ru": "допущение каталога", "en": "the catalogue's assumption"},
    "overall": {"ru": "Кампания целиком", "en": "The whole campaign"},
    "forest_reading": {
        "ru": "Отрезок — 95 % доверительный интервал, точка — измеренный эффект (цвет — вывод), ромб — эффект, "
        "заложенный в каталог. Допущение каталога вне интервала: {outside} из {n}.",
        "en": "The line is the 95% confidence interval, the dot the measured uplift (coloured by verdict), the "
        "diamond the uplift the catalogue assumed. The assumption lies outside the interval in {outside} of {n}.",
    },
    "forest_cut": {
        "ru": "Стрелка: интервал уходит ниже −100 % (у {n}; так мало клиентов, что о вреде ничего не сказать).",
        "en": "An arrow: the interval goes on below −100% ({n} of them: too few customers to tell how much harm).",
    },
    "qini_title": {
        "ru": "Кривая Qini: ранжирование против случайного выбора",
        "en": "Qini curve: the ranking against random",
    },
    "axis_targeted": {"ru": "Покупателей охвачено (по убыванию оценки)", "en": "Customers targeted (best score first)"},
    "axis_gain": {"ru": "Удержано сверх контроля, покупателей", "en": "Declines prevented beyond control, customers"},
    "ranking": {"ru": "ранжирование", "en": "the ranking"},
    "random": {"ru": "случайный выбор", "en": "random"},
    "qini_reading": {
        "ru": "Площадь между кривой и диагональю (Qini AUC) — {auc}; выше диагонали — ранжирование первыми находит "
        "тех, кому предложение помогает. Оценка: {score}.",
        "en": "The area between the curve and the diagonal (Qini AUC) is {auc}; above the diagonal, the ranking finds "
        "first the customers the offer helps. Score: {score}.",
    },
    "decile_title": {
        "ru": "Доля снизивших активность по децилям оценки: воздействие и контроль",
        "en": "Share who declined by decile of the score: treatment and control",
    },
    "axis_decile": {"ru": "Дециль (1 — наибольшая оценка)", "en": "Decile (1: the highest score)"},
    "axis_declined": {"ru": "Снизили активность, %", "en": "Declined, %"},
    "treatment": {"ru": "воздействие", "en": "treatment"},
    "control": {"ru": "контроль", "en": "control"},
    "decile_reading": {
        "ru": "В первом дециле предложение изменило долю снизивших на {first} п. п., в последнем — на {last} п. п. "
        "(воздействие минус контроль; меньше нуля — предложение удержало).",
        "en": "In the first decile the offer changed the share who declined by {first} points, in the last by "
        "{last} points (treatment minus control; below zero, the offer kept customers).",
    },
}


# Uplift is at most 100 % (every decline removed) but unbounded below; a small group's interval can
# reach −1,000 % and would squeeze every other row to a dot, so the axis stops at −100 %.
AXIS_FLOOR = -100.0


def row_label(data: dict[str, Any], row: dict[str, Any], lang: Lang) -> str:
    """``Offer`` for an offer's own row, ``Offer · segment`` for a segment's, "the whole campaign" overall."""
    if row["offer"] == ALL:
        return t("overall", lang, _T)
    offer = names.title(data["titles"]["offers"], row["offer"], lang)
    if row["segment"] == ALL:
        return offer
    return f"{offer} · {names.title(data['titles']['segments'], row['segment'], lang)}"


def forest(data: dict[str, Any], lang: Lang) -> charts.Chart:
    """Every row's measured uplift and CI, its verdict's colour, and the catalogue's assumed uplift beside it."""
    rows = ([data["overall"]] if data["overall"] else []) + rows_of(data)
    # A row without an interval (an empty arm, no declines in control) has nothing to plot; the table lists it.
    rows = [row for row in rows if all(row.get(k) is not None for k in ("uplift", "uplift_ci_low", "uplift_ci_high"))]
    title = t("forest_title", lang, _T)
    shown = rows[::-1]  # the first row on top
    with charts.chart(10.0, 1.6 + 0.42 * len(shown)) as figure:
        figure.suptitle(title)
        ax = figure.subplots()
        for y, row in enumerate(shown):
            colour = VERDICT_COLOURS[row["verdict"]]
            low, high = max(100 * row["uplift_ci_low"], AXIS_FLOOR), 100 * row["uplift_ci_high"]
            ax.plot([low, high], [y, y], color=colour, linewidth=2.2, solid_capstyle="butt")
            if 100 * row["uplift_ci_low"] < AXIS_FLOOR:
                ax.plot([AXIS_FLOOR], [y], "<", color=colour, markersize=7)
            ax.plot([max(100 * row["uplift"], AXIS_FLOOR)], [y], "o", color=colour, markersize=6)
            if row.get("assumed_uplift") is not None:
                ax.plot(
                    [100 * row["assumed_uplift"]],
                    [y + 0.22],
                    "D",
                    color=ASSUMED_COLOUR,
                    markersize=5.5,
                    markeredgecolor="#8a6d1f",
                    markeredgewidth=0.6,
                )
        ax.axvline(0, color="#444444", linewidth=0.9)
        ax.set_xlim(left=max(ax.get_xlim()[0], AXIS_FLOOR - 5))
        ax.set_yticks(range(len(shown)), [charts.wrap(row_label(data, row, lang), 46) for row in shown])
        ax.set_ylim(-0.6, len(shown) - 0.3)
        ax.set_xlabel(t("axis_uplift", lang, _T))
        ax.xaxis.set_major_formatter(charts.percent_formatter(lang))
        handles = [
            Line2D([], [], color=VERDICT_COLOURS[v], marker="o", linewidth=2.2, label=verdict_word(v, lang))
            for v in VERDICT_COLOURS
        ] + [Line2D([], [], color=ASSUMED_COLOUR, marker="D", linestyle="none", label=t("assumed", lang, _T))]
        figure.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False)
        uri = charts.svg_uri(figure)
    assumed = [row for row in rows if row.get("assumed_uplift") is not None]
    outside = sum(1 for row in assumed if not row["uplift_ci_low"] <= row["assumed_uplift"] <= row["uplift_ci_high"])
    reading = t("forest_reading", lang, _T, outside=i18n.integer(outside, lang), n=i18n.integer(len(assumed), lang))
    cut = sum(1 for row in rows if 100 * row["uplift_ci_low"] < AXIS_FLOOR)
    if cut:
        reading += " " + t("forest_cut", lang, _T, n=i18n.integer(cut, lang))
    return charts.Chart(uri, title, reading)


def qini(data: dict[str, Any], lang: Lang) -> charts.Chart | None:
    """The Qini curve of the evaluation's ranking and the random line; None when it has none."""
    found = data["qini"]
    if found is None:
        return None
    title = t("qini_title", lang, _T)
    with charts.chart(10.0, 4.0) as figure:
        figure.suptitle(title)
        ax = figure.subplots()
        ax.plot(found["x"], found["y"], "-", color=TREATMENT_COLOUR, linewidth=1.8, label=t("ranking", lang, _T))
        if found.get("random_y"):
            ax.plot(
                found["x"], found["random_y"], "--", color=RANDOM_COLOUR, linewidth=1.2, label=t("random", lang, _T)
            )
        ax.set_xlim(left=0)
        ax.set_xlabel(t("axis_targeted", lang, _T))
        ax.set_ylabel(charts.wrap(t("axis_gain", lang, _T), 34))
        ax.xaxis.set_major_formatter(charts.number_formatter(lang, 0))
        ax.yaxis.set_major_formatter(charts.number_formatter(lang, 0))
        ax.legend(loc="lower right", frameon=False)
        uri = charts.svg_uri(figure)
    auc = found.get("auc")
    reading = t(
        "qini_reading",
        lang,
        _T,
        auc="—" if auc is None else i18n.number(auc, lang, 3),
        score=_score(found.get("score"), lang),
    )
    return charts.Chart(uri, title, reading)


def deciles(data: dict[str, Any], lang: Lang) -> charts.Chart | None:
    """The share who declined in each decile of the ranking, treatment beside control; None without deciles."""
    rows = data["by_decile"]
    if not rows:
        return None
    title = t("decile_title", lang, _T)
    x = np.arange(len(rows))
    with charts.chart(10.0, 3.8) as figure:
        figure.suptitle(title)
        ax = figure.subplots()
        treated = [100 * (row["response_rate_treatment"] or 0.0) for row in rows]
        control = [100 * (row["response_rate_control"] or 0.0) for row in rows]
        ax.bar(x - 0.2, treated, width=0.4, color=TREATMENT_COLOUR, label=t("treatment", lang, _T))
        ax.bar(x + 0.2, control, width=0.4, color=CONTROL_COLOUR, label=t("control", lang, _T))
        ax.set_xticks(x, [str(row["decile"]) for row in rows])
        ax.set_xlabel(t("axis_decile", lang, _T))
        ax.set_ylabel(t("axis_declined", lang, _T))
        ax.yaxis.set_major_formatter(charts.percent_formatter(lang))
        ax.legend(loc="upper right", frameon=False)
        uri = charts.svg_uri(figure)
    first, last = rows[0], rows[-1]
    reading = t(
        "decile_reading",
        lang,
        _T,
        first=_points(first, lang),
        last=_points(last, lang),
    )
    return charts.Chart(uri, title, reading)


def verdict_word(verdict: str, lang: Lang) -> str:
    """The verdict code in words: works / no evidence / harms."""
    return t(f"verdict_{verdict}", lang, VERDICT_WORDS)


VERDICT_WORDS: dict[str, dict[str, str]] = {
    "verdict_works": {"ru": "работает", "en": "works"},
    "verdict_no_evidence": {"ru": "нет доказательств", "en": "no evidence"},
    "verdict_harms": {"ru": "вредит", "en": "harms"},
}


# The ranking the evaluation's Qini curve rests on, as `campaign evaluate` names it; another is shown as named.
_SCORES = {
    "assumed uplift x decline probability": {
        "ru": "допущение эффекта × вероятность снижения",
        "en": "assumed uplift × decline probability",
    },
}


def _score(score: str | None, lang: Lang) -> str:
    if not score:
        return "—"
    return _SCORES.get(score, {}).get(lang, score)


def _points(row: dict[str, Any], lang: Lang) -> str:
    """Treatment minus control in percentage points, with its sign."""
    if row["response_rate_treatment"] is None or row["response_rate_control"] is None:
        return "—"
    value = 100 * (row["response_rate_treatment"] - row["response_rate_control"])
    return ("+" if round(value, 1) > 0 else "") + i18n.number(value, lang, 1)
