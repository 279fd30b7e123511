"""Section 6, segments: customers on the risk x profit map, and each named segment against the rest.

The numbers come from :func:`oneclick.analysis.segment_summary`, given ``segments.csv``,
``segment_features.csv``, ``segment_drivers.csv``, the offers by group of customers
(:meth:`~oneclick.report.run_folder.RunFolder.offer_groups`: ``offers.csv``, or a batch run's
``offers/``), the customers to draw on the map (a batch run: its sample) and ``offers_summary.json``.
The words, charts and table are in :mod:`oneclick.report.sections.segments_view`.
"""

from __future__ import annotations

from typing import Any

from oneclick.analysis import segment_summary
from oneclick.report import names
from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary
from oneclick.report.sections import segments_view


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """Every segment's size, risk, profit, drivers and offers; effect sizes; the customers' map."""
    data = segment_summary(
        run.table("segments"),
        run.offer_groups(),
        run.table("segment_drivers"),
        run.table("segment_features"),
        run.table("offers"),
        run.json("offers_summary"),
    )
    return data | {"titles": names.config_titles(run)}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words, charts and a table (see :func:`oneclick.report.sections.segments_view.view`)."""
    return segments_view.view(data, lang)
