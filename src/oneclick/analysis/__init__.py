"""The analyses of a run: plain inputs (frames, the dicts of ``quality.json``, ``metrics.json`` and
``offers_summary.json``) in, JSON-ready numbers out: no words of any language, no charts.

The report renders each into a section, the dashboard into a page, so both show the same numbers.
Import from here, not from the modules:

- data quality: :func:`data_quality`, :func:`exclusion_kind`;
- exploration (declined customers against the others): :func:`class_differences`, :func:`strongest_difference`;
- correlation: :func:`feature_associations`, :func:`strong_pairs`, :func:`vif`, :func:`vif_study`;
- model quality: :func:`model_quality`, :func:`holdout_curves`, :func:`published_comparison`,
  :func:`gap_to_published`;
- what moves the predictions: :func:`prediction_explanation`;
- segments: :func:`segment_summary`, :func:`named_segments`, :func:`by_profit_at_risk`, :func:`offer_shares`;
- offers and campaign: :func:`offer_summary`, :func:`top_customers`, :func:`half_budget`;
- changes since the last period (a comparison's JSON): :func:`period_changes`, :func:`decay_rows`;
- conclusions: :func:`findings` (from the results of the others).

>>> import pandas as pd
>>> from oneclick.analysis import holdout_curves
>>> holdout = pd.DataFrame({"declined": [1, 1, 0, 0], "decline_probability": [0.9, 0.4, 0.6, 0.1]})
>>> holdout_curves(holdout, threshold=0.5)["confusion"]
{'tn': 1, 'fp': 1, 'fn': 1, 'tp': 1}
"""

from oneclick.analysis.changes import decay_rows, period_changes
from oneclick.analysis.conclusions import RULES, findings
from oneclick.analysis.correlation import STRONG_PAIR, VIF_HIGH, feature_associations, strong_pairs, vif, vif_study
from oneclick.analysis.data_quality import EXCLUSION_KINDS, data_quality, exclusion_kind
from oneclick.analysis.explanation import prediction_explanation
from oneclick.analysis.exploration import CLASSES, class_differences, strongest_difference
from oneclick.analysis.model_quality import (
    PUBLISHED_ROC_AUC,
    gap_to_published,
    holdout_curves,
    model_quality,
    published_comparison,
)
from oneclick.analysis.offers import N_TOP, half_budget, offer_summary, top_customers
from oneclick.analysis.segments import (
    MAX_MAP_POINTS,
    by_profit_at_risk,
    map_points,
    named_segments,
    offer_shares,
    segment_summary,
)

__all__ = [
    "CLASSES",
    "EXCLUSION_KINDS",
    "MAX_MAP_POINTS",
    "N_TOP",
    "PUBLISHED_ROC_AUC",
    "RULES",
    "STRONG_PAIR",
    "VIF_HIGH",
    "by_profit_at_risk",
    "class_differences",
    "data_quality",
    "decay_rows",
    "exclusion_kind",
    "feature_associations",
    "findings",
    "gap_to_published",
    "half_budget",
    "holdout_curves",
    "map_points",
    "model_quality",
    "named_segments",
    "offer_shares",
    "offer_summary",
    "period_changes",
    "prediction_explanation",
    "published_comparison",
    "segment_summary",
    "strong_pairs",
    "strongest_difference",
    "top_customers",
    "vif",
    "vif_study",
]
