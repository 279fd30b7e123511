"""Matplotlib figures turned into ``data:`` URIs the HTML carries inline.

Figures are built with :class:`matplotlib.figure.Figure` directly (no pyplot, no global
backend state) inside :func:`chart`, which applies the report's style only for that figure.
SVG (text kept as text, so it stays small and sharp) suits line and bar charts; PNG suits
scatter plots with many points.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from oneclick.report import i18n
from oneclick.report.i18n import Lang

DECLINED_COLOUR = "#d1495b"
UNCHANGED_COLOUR = "#30638e"
GROUP_COLOURS = {"communication": "#edae49", "product": "#00798c", "purchase": "#d1495b", "site": "#30638e"}
NEUTRAL_COLOUR = "#8c8c8c"

_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib, has Cyrillic
    "font.size": 9,
    "axes.titlesize": 9.5,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "figure.titlesize": 11,
    "figure.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e6e6e6",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "svg.fonttype": "none",  # text stays text: a smaller file, and the browser's font renders Cyrillic
    "svg.hashsalt": "oneclick",  # the same figure gives the same SVG, run after run
}


@dataclass(frozen=True)
class Chart:
    """One figure of the report: the image as a ``data:`` URI, its title and a one-line reading."""

    uri: str
    title: str
    reading: str

    @property
    def kilobytes(self) -> float:
        return len(self.uri) / 1024


@contextmanager
def chart(width: float, height: float) -> Iterator[Figure]:
    """A new figure of ``width`` x ``height`` inches in the report's style; encode it inside the block."""
    with mpl.rc_context(_STYLE):  # type: ignore[arg-type]  # the keys are valid rcParams
        yield Figure(figsize=(width, height), layout="constrained")


def suptitle(figure: Figure, title: str, note: str | None = None) -> None:
    """The figure's title, and under it what it was drawn from when that is not every customer."""
    figure.suptitle(title if not note else f"{title}\n{note}")


def svg_uri(figure: Figure) -> str:
    """The figure as an SVG ``data:`` URI (base64, so no character of it needs escaping)."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(_minified(buffer.getvalue()).encode()).decode("ascii")


def _minified(svg: str) -> str:
    """Matplotlib's SVG without its prolog and metadata, with runs of spaces collapsed and
    numbers in attributes (coordinates) to 2 decimals (0.01 pt is far below a pixel): about half the size."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r'"[^"<>]*"', lambda value: re.sub(r"(\d\.\d{2})\d+", r"\1", value.group()), svg)
    return re.sub(r"\s*\n\s*", " ", svg)


def png_uri(figure: Figure, dpi: int = 110) -> str:
    """The figure as a PNG ``data:`` URI, for plots with too many marks for SVG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def number_formatter(lang: Lang, digits: int = 0) -> FuncFormatter:
    """Axis ticks written like the text: ``1 500`` and ``0,25`` in Russian."""
    return FuncFormatter(lambda value, _position: i18n.number(value, lang, digits))


def percent_formatter(lang: Lang) -> FuncFormatter:
    """Axis ticks for values already in percent: ``25``, no sign (the axis label says %)."""
    return FuncFormatter(lambda value, _position: i18n.number(value, lang, 0))


def outside_layout(*artists: Any) -> None:
    """Leave annotations out of the layout computation: it is what makes many labels slow."""
    for artist in artists:
        artist.set_in_layout(False)


def class_colour(declined: bool) -> str:
    return DECLINED_COLOUR if declined else UNCHANGED_COLOUR


def class_legend(lang: Lang) -> list[Patch]:
    """Legend entries of the two classes, for figures whose panels share them."""
    return [
        Patch(color=class_colour(declined), alpha=0.6, label=i18n.class_label(declined, lang))
        for declined in (True, False)
    ]


def wrap(text: str, width: int = 28) -> str:
    """Break a long label into lines at spaces, for subplot titles and tick labels."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)
