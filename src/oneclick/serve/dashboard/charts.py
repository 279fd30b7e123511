"""The dashboard's two charts: the risk x profit map (the report's own drawing) and the profit curve.

The map is the report's (:mod:`oneclick.report.risk_map`), a PNG ``data:`` URI. The profit
curve is plain inline SVG laid out here, so the page's script can move the chosen budget's point
without drawing anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oneclick.language import Lang
from oneclick.report import charts, i18n, names, risk_map
from oneclick.segments import Thresholds
from oneclick.serve.dashboard.words import w


def risk_profit_map(
    points: pd.DataFrame, order: list[str], titles: names.Titles, thresholds: Thresholds, lang: Lang, note: str | None
) -> charts.Chart:
    """The report's risk x profit map of the served run's customers (``order``: legend order)."""
    uri = risk_map.risk_profit_map(
        points,
        order,
        {segment: names.title(titles, segment, lang) for segment in order},
        risk_map.segment_colours([s for s in order if s not in risk_map.CELL_COLOURS]),
        high_risk=thresholds.high_risk,
        high_profit=thresholds.high_profit,
        lang=lang,
        note=note,
        size=(9.0, 4.8),
    )
    reading = w(
        "map_reading",
        lang,
        risk=i18n.percent(thresholds.high_risk, lang, 1),
        profit=i18n.money(thresholds.high_profit, lang, 2, per_month=True),
    )
    return charts.Chart(uri, risk_map.map_title(lang), reading)


@dataclass(frozen=True)
class CurveBox:
    """The profit curve's plot area in SVG units and the ranges its axes show."""

    width: int = 640
    height: int = 300
    left: int = 64
    right: int = 16
    top: int = 14
    bottom: int = 44
    x_max: float = 1.0
    y_max: float = 1.0

    def x(self, budget: float) -> float:
        return round(
            self.left + min(max(budget, 0.0), self.x_max) / self.x_max * (self.width - self.left - self.right), 2
        )

    def y(self, saved: float) -> float:
        inner = self.height - self.top - self.bottom
        return round(self.top + inner - min(max(saved, 0.0), self.y_max) / self.y_max * inner, 2)


def profit_curve(curve: pd.DataFrame, budget: float, saved: float, lang: Lang) -> dict[str, object]:
    """The run's profit curve (budget -> expected saved profit) laid out as SVG, with the chosen point."""
    x_max = float(curve["budget"].max()) or 1.0
    y_max = float(max(curve["expected_saved_profit"].max(), saved)) * 1.05 or 1.0
    box = CurveBox(x_max=x_max, y_max=y_max)
    points = [(box.x(b), box.y(s)) for b, s in zip(curve["budget"], curve["expected_saved_profit"], strict=True)]
    unit = i18n.money_unit(lang)
    return {
        "box": box,
        "line": " ".join(f"{x},{y}" for x, y in points),
        "dots": points,
        "x_ticks": [(box.x(v), i18n.number(v, lang, 0)) for v in _ticks(x_max)],
        "y_ticks": [(box.y(v), i18n.number(v, lang, 0)) for v in _ticks(y_max)],
        "chosen": (box.x(budget), box.y(saved)),
        "x_label": w("curve_budget", lang, unit=unit),
        "y_label": w("curve_saved", lang, unit=unit),
        "title": w("curve_title", lang),
        "reading": w("curve_reading", lang),
    }


def _ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 up to ``top``."""
    raw = top / n
    magnitude = 10 ** np.floor(np.log10(raw)) if raw > 0 else 1.0
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=magnitude)
    return [float(v) for v in np.arange(0, top + step * 1e-9, step)]
