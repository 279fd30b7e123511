"""The report's sections, in the order they are numbered and read.

To add a section: write ``sections/<key>.py`` with ``build`` and ``view`` (see
:class:`oneclick.report.section.Section`), the partial ``templates/sections/<key>.html.j2``,
and the strings ``section_<key>``/``missing_<key>`` in :mod:`oneclick.report.i18n`; then set
``build``/``view`` of its entry below. Sections are built in this order, so a section may
read ``summary`` of the ones above it; the conclusions come last and read them all.
"""

from __future__ import annotations

from oneclick.report.section import Section
from oneclick.report.sections import conclusions, correlation, exploration, quality

SECTIONS: tuple[Section, ...] = (
    Section("quality", ("quality",), quality.build, quality.view),
    Section("exploration", ("features",), exploration.build, exploration.view),
    Section("correlation", ("features",), correlation.build, correlation.view),
    # Sections 4-7 are shown by the model, segments and offers work; until then the report says
    # whether their files are in the run folder.
    Section("model", ("metrics",)),
    Section("explanation", ("metrics", "scores")),
    Section("segments", ("segments",)),
    Section("offers", ("offers", "profit_curve")),
    Section("conclusions", (), conclusions.build, conclusions.view),
)

__all__ = ["SECTIONS", "Section"]
