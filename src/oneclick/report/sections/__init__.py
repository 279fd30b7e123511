"""The report's sections, in the order they are numbered and read.

To add a section: write its analysis in :mod:`oneclick.analysis`, then ``sections/<key>.py`` with
``build`` (reading the run's files and calling it) and ``view`` (see
:class:`oneclick.report.section.Section`; a long ``view``, with its words, charts and tables, goes
to ``sections/<key>_view.py``, which ``<key>.view`` calls), the partial ``templates/sections/<key>.html.j2``,
and the strings ``section_<key>``/``missing_<key>`` in :mod:`oneclick.report.i18n`; then set
``build``/``view`` of its entry below. Sections are built in this order, so a section may
read ``summary`` of the ones above it; the conclusions come last and read them all. A section marked
``optional`` (the campaign results, the changes since the last period) is left out, unnumbered, when its
files are not in the run folder.
"""

from __future__ import annotations

from oneclick.report.section import Section
from oneclick.report.sections import (
    campaign_results,
    changes,
    conclusions,
    correlation,
    explanation,
    exploration,
    model,
    offers,
    quality,
    segments,
)

SECTIONS: tuple[Section, ...] = (
    Section("quality", ("quality",), quality.build, quality.view),
    Section("exploration", ("features",), exploration.build, exploration.view),
    Section("correlation", ("features",), correlation.build, correlation.view),
    # The holdout predictions (ROC and precision-recall curves, confusion matrix) are optional.
    Section("model", ("metrics",), model.build, model.view),
    Section("explanation", ("scores", "features"), explanation.build, explanation.view),
    Section(
        "segments",
        ("segments", "segment_features", "segment_drivers", "offers", "offers_summary"),
        segments.build,
        segments.view,
    ),
    Section("offers", ("offers", "profit_curve", "offers_summary"), offers.build, offers.view),
    # Only in a run after a campaign was evaluated on its data: left out, unnumbered, otherwise.
    Section(
        "campaign_results",
        ("campaign_results",),
        campaign_results.build,
        campaign_results.view,
        optional=True,
    ),
    # Only in a run compared with its last period (changes.json): left out, unnumbered, otherwise.
    Section("changes", ("changes",), changes.build, changes.view, optional=True),
    Section("conclusions", (), conclusions.build, conclusions.view),
)

__all__ = ["SECTIONS", "Section"]
