"""Campaign results: what the last campaign measured, offer by offer and segment by segment.

Shown only in a run whose folder holds ``campaign_results.json``: the evaluation of a campaign
(``oneclick campaign evaluate --out``), copied there by ``oneclick run --store`` when the store evaluated
a campaign on this run's data (:mod:`oneclick.report.campaign_file`). The figures are the evaluation's;
:func:`~oneclick.report.sections.campaign_results_data.summarise` only checks them and groups the rows
by offer, so the dashboard's campaign page, which calls it with the store's evaluation, shows the same.
The words and charts are in
:mod:`oneclick.report.sections.campaign_results_view` and ``campaign_results_charts``.
"""

from __future__ import annotations

from typing import Any

from oneclick.layout import CAMPAIGN_RESULTS_FILE
from oneclick.report import names
from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary
from oneclick.report.sections import campaign_results_view
from oneclick.report.sections.campaign_results_data import summarise


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """The campaign's evaluation from ``campaign_results.json``, checked and grouped by offer."""
    data = summarise(run.json("campaign_results"), names.config_titles(run), source=CAMPAIGN_RESULTS_FILE)
    run_fingerprint = run.json("run").get("data_fingerprint") if run.has("run") else None
    # A file left from another period's run (the folder reused) is shown with a warning, not hidden.
    data["is_other_data"] = bool(run_fingerprint and data["data_fingerprint"] not in (None, run_fingerprint))
    return data


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words, charts and tables (see :func:`campaign_results_view.view`)."""
    return campaign_results_view.view(data, lang)
