"""The risk x profit map: customers by decline probability and profit, coloured by primary segment.

One drawing for the report's segments section and the dashboard's overview, with its colours and
words; each caller writes its own reading under it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.lines import Line2D

from oneclick.report import charts, i18n
from oneclick.report.i18n import Lang, t

NAMED_COLOURS = ("#d1495b", "#edae49", "#00798c", "#30638e", "#8e5572", "#66a182", "#2e4057", "#f28f3b")
CELL_COLOURS = {
    "high_risk_high_profit": "#8c8c8c",
    "high_risk_low_profit": "#a6a6a6",
    "low_risk_high_profit": "#c8c8c8",
    "low_risk_low_profit": "#dedede",
}

_T: dict[str, dict[str, str]] = {
    "map_title": {"ru": "Карта покупателей: риск × прибыль", "en": "Customers by risk and profit"},
    "axis_risk": {"ru": "Вероятность снижения активности, %", "en": "Probability of a decline, %"},
    "axis_profit": {"ru": "Прибыль, {unit}", "en": "Profit, {unit}"},
    "risk_line": {"ru": "порог риска {value}", "en": "risk threshold {value}"},
    "profit_line": {"ru": "порог прибыли {value}", "en": "profit threshold {value}"},
}


def segment_colours(named: Sequence[str]) -> dict[str, str]:
    """The named segments' colours in turn, then the four cells in greys."""
    return {name: NAMED_COLOURS[k % len(NAMED_COLOURS)] for k, name in enumerate(named)} | CELL_COLOURS


def map_title(lang: Lang) -> str:
    return t("map_title", lang, _T)


def risk_profit_map(
    points: Mapping[str, Any],
    order: Sequence[str],
    labels: Mapping[str, str],
    colours: Mapping[str, str],
    *,
    high_risk: float,
    high_profit: float,
    lang: Lang,
    note: str | None,
    size: tuple[float, float] = (10.0, 5.6),
) -> str:
    """The map as a PNG ``data:`` URI.

    ``points``: ``decline_probability``, ``profit`` and ``primary_segment`` per customer; ``order``:
    the legend's order (segments not among the points are left out); ``labels``: segment -> title.
    """
    probability = np.asarray(points["decline_probability"], dtype=float) * 100
    profit = np.asarray(points["profit"], dtype=float)
    primary = np.asarray(points["primary_segment"], dtype=object)
    present = set(primary)
    shown = [segment for segment in order if segment in present]
    with charts.chart(*size) as figure:
        charts.suptitle(figure, map_title(lang), note)
        ax = figure.subplots()
        for segment in shown[::-1]:  # named segments last: drawn on top of the cells
            mask = primary == segment
            ax.scatter(
                probability[mask],
                profit[mask],
                s=9,
                color=colours.get(segment, charts.NEUTRAL_COLOUR),
                alpha=0.75,
                linewidths=0,
            )
        ax.axvline(100 * high_risk, color="#333333", linestyle="--", linewidth=1)
        ax.axhline(high_profit, color="#333333", linestyle=":", linewidth=1)
        ax.set_xlim(-1.5, 101.5)  # the most certain customers sit at 0 % and 100 %: keep them whole
        ax.set_xlabel(t("axis_risk", lang, _T))
        ax.set_ylabel(t("axis_profit", lang, _T, unit=i18n.money_unit(lang, per_month=True)))
        ax.xaxis.set_major_formatter(charts.percent_formatter(lang))
        ax.yaxis.set_major_formatter(charts.number_formatter(lang, 1))
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color=colours.get(segment, charts.NEUTRAL_COLOUR),
                label=labels.get(segment, segment),
            )
            for segment in shown
        ]
        handles += [
            Line2D(
                [],
                [],
                color="#333333",
                linestyle="--",
                label=t("risk_line", lang, _T, value=i18n.percent(high_risk, lang, 1)),
            ),
            Line2D(
                [],
                [],
                color="#333333",
                linestyle=":",
                label=t("profit_line", lang, _T, value=i18n.money(high_profit, lang, 2, per_month=True)),
            ),
        ]
        figure.legend(handles=handles, loc="outside right upper", frameon=False, fontsize=7.5)
        return charts.png_uri(figure, dpi=100)
