"""Section 7, offers and campaign: offers by segment, the customers worth most, the profit curve.

The numbers come from :func:`oneclick.analysis.offer_summary`, given the offers by group of customers
(``offers.csv``, or a batch run's ``offers/`` and ``campaign/``), ``offers_summary.json``,
``profit_curve.csv``, the customers worth most and, to tell their reasons in the other language,
their features and contributions. The words, charts and tables are in
:mod:`oneclick.report.sections.offers_view`.
"""

from __future__ import annotations

from typing import Any

from oneclick.analysis import N_TOP, offer_summary
from oneclick.report import names
from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary
from oneclick.report.sections import offers_view


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """Offer counts by segment, the top customers, the profit curve and the campaign at the chosen budget."""
    data = offer_summary(
        run.offer_groups(),
        run.json("offers_summary"),
        run.table("profit_curve"),
        run.top_offers(N_TOP),
        features=run.table("features") if run.has("features") else None,
        scores=run.table("scores") if run.has("scores") else None,
        batch=run.is_batch,
    )
    return data | {"titles": names.config_titles(run)}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words, charts and tables (see :func:`oneclick.report.sections.offers_view.view`)."""
    return offers_view.view(data, lang)
