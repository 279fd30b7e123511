"""The period comparison's two charts, laid out as inline SVG (as the profit curve is, :mod:`.charts`).

- a drifted feature's distribution: the customers' share in each bin, the last period beside the
  new one (the bins the comparison's PSI used: deciles' upper edges, or the values themselves);
- the decay: each figure now with its 95 % interval, and the promise beside it.

Only positions are computed here; the figures are the comparison's, and the bins', bands' and
figures' names the report's (:mod:`oneclick.report.sections.changes_charts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from oneclick.language import Lang
from oneclick.report import i18n
from oneclick.report.sections import changes_charts as plots
from oneclick.serve.dashboard.changes_words import cw


@dataclass(frozen=True)
class Box:
    """A chart's plot area in SVG units."""

    width: int = 560
    height: int = 200
    left: int = 44
    right: int = 10
    top: int = 12
    bottom: int = 40

    @property
    def inner_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def inner_height(self) -> float:
        return self.height - self.top - self.bottom


def distribution(feature: dict[str, Any], title: str, lang: Lang) -> dict[str, Any]:
    """A drifted feature's two distributions as grouped bars: ``bars`` (x, y, width, height, period) and ticks."""
    box = Box()
    old, new = [float(s or 0.0) for s in feature["share_old"]], [float(s or 0.0) for s in feature["share_new"]]
    top = max([*old, *new, 0.01]) * 1.1
    slot = box.inner_width / max(len(old), 1)
    bar = slot * 0.38
    bars, labels = [], []
    words = plots.bin_labels(feature["feature"], feature["bins"], lang)
    for k, (label, a, b) in enumerate(zip(words, old, new, strict=True)):
        x = box.left + k * slot + slot * 0.12
        for period, share, shift in (("old", a, 0.0), ("new", b, bar)):
            height = share / top * box.inner_height
            bars.append(
                {
                    "x": round(x + shift, 2),
                    "y": round(box.top + box.inner_height - height, 2),
                    "width": round(bar, 2),
                    "height": round(height, 2),
                    "period": period,
                    "label": f"{label}: {i18n.percent(share, lang, 1)}",
                }
            )
        labels.append({"x": round(box.left + (k + 0.5) * slot, 2), "text": label})
    ticks = [
        {"y": round(box.top + box.inner_height - v / top * box.inner_height, 2), "text": i18n.percent(v, lang, 0)}
        for v in _ticks(top)
    ]
    return {
        "box": box,
        "bars": bars,
        "labels": labels,
        "ticks": ticks,
        "title": title,
        "legend": (plots.word("old", lang), plots.word("new", lang)),
        "reading": cw(
            "distribution_reading",
            lang,
            psi=i18n.number(feature["psi"], lang, 3),
            band=plots.band_word(feature["psi_band"], lang),
        ),
    }


def decay_intervals(rows: list[dict[str, Any]], lang: Lang) -> dict[str, Any]:
    """Each figure's value and 95 % interval on a 0..1 scale, with the promise as a diamond."""
    box = Box(width=560, height=40 + 30 * len(rows), left=130, right=16, top=8, bottom=30)

    def x(value: float) -> float:
        return round(box.left + min(max(value, 0.0), 1.0) * box.inner_width, 2)

    lines = []
    for k, row in enumerate(rows):
        y = round(box.top + 15 + 30 * k, 2)
        low, high = row["ci"]
        lines.append(
            {
                "y": y,
                "label": plots.figure_word(row["figure"], lang),
                "value": None if row["value"] is None else x(row["value"]),
                "low": None if low is None else x(low),
                "high": None if high is None else x(high),
                "promised": None if row["promised"] is None else x(row["promised"]),
            }
        )
    ticks = [{"x": x(v / 5), "text": i18n.number(v / 5, lang, 1)} for v in range(6)]
    return {"box": box, "lines": lines, "ticks": ticks, "reading": cw("decay_chart_reading", lang)}


def _ticks(top: float) -> list[float]:
    step = next((s for s in (0.05, 0.1, 0.2, 0.25, 0.5) if top / s <= 5), 0.5)
    return [k * step for k in range(int(top / step) + 1)]
