"""Section 5, explanation: what moves the predictions, for all customers, by group and for three of them.

The numbers come from :func:`oneclick.analysis.prediction_explanation`, given ``scores.csv`` (the
contributions ``contribution_<feature>``), the customer table, ``offers.csv`` and the segments'
thresholds of ``offers_summary.json``. The words, charts and table are in
:mod:`oneclick.report.sections.explanation_view`.
"""

from __future__ import annotations

from typing import Any

from oneclick.analysis import prediction_explanation
from oneclick.report import names
from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary
from oneclick.report.sections import explanation_view


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """Per-feature contributions for the summary plot, group importance and three example customers."""
    offers = run.table("offers") if run.has("offers") else None
    thresholds = run.json("offers_summary").get("thresholds", {}) if run.has("offers_summary") else {}
    data = prediction_explanation(run.table("scores"), run.table("features"), offers, thresholds)
    titles = names.config_titles(run) if offers is not None else {"segments": {}, "offers": {}}
    return data | {"titles": titles, "sample": run.sample()}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words, charts and a table (see :func:`oneclick.report.sections.explanation_view.view`)."""
    return explanation_view.view(data, lang)
