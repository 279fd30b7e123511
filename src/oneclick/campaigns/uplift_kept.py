"""The uplift model a campaign's evaluation found better than the rule, kept for the next plans.

When :func:`~oneclick.campaigns.uplift_model.compare_uplift_model` marks the model used, the
held-out comparison has described the procedure; the model kept is that procedure refitted on
**all** the matched customers (as the decline model is refitted on all labelled customers after
its evaluation). It is written as a skops archive, rewritten reproducibly
(:mod:`oneclick.model.reproducible`: the same model, the same bytes), with metadata: its feature
schema (names, types, the categories of ``segment`` and ``offer_id``), the offers it covers (those
the campaign offered), the seed, the horizon and the library versions. Reading it back accepts
only the types listed in :data:`TRUSTED_TYPES`.

A plan predicts, for each customer of its run and an offer the model covers, the drop in decline
probability the offer brings (:func:`predict_uplift`), from the run's features and the same
columns of the campaign table as at fit: segment, offer, decline probability and profit.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import numpy as np
import pandas as pd
from pandas.errors import Pandas4Warning

from oneclick.campaigns.outcome import matched_customers
from oneclick.campaigns.uplift_model import METHOD, NEEDED, OUTCOME, arm_estimator, uplift_features
from oneclick.errors import InputDataError, ModelArtifactError
from oneclick.model.artifacts import feature_schema
from oneclick.model.reproducible import reproducible_skops
from oneclick.model.threads import one_thread
from oneclick.store.uplift_models import UpliftModelRecord

FORMAT = "oneclick-uplift-model/1"
LIBRARIES = ("numpy", "pandas", "scikit-learn", "scikit-uplift", "skops")
# Every type a kept uplift model holds beyond skops' default trusted set; anything else is refused.
TRUSTED_TYPES: tuple[str, ...] = (
    "functools.partial",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.utils.validation.check_array",
    "sklift.models.models.TwoModels",
)
_ID_LENGTH = 16


@dataclass(frozen=True)
class KeptUpliftModel:
    """A fitted two-model uplift learner with what it needs to predict: its feature schema and offers."""

    model: Any
    metadata: Mapping[str, Any]

    @property
    def offers(self) -> list[str]:
        return list(self.metadata["offers"])

    @property
    def feature_names(self) -> list[str]:
        return [entry["name"] for entry in self.metadata["feature_schema"]]


def refit_uplift_model(matched: pd.DataFrame, features: pd.DataFrame | None, *, seed: int) -> KeptUpliftModel:
    """The comparison's procedure fitted on every matched customer (``compare_uplift_model``'s inputs).

    Raises :class:`InputDataError` when ``matched`` lacks a column it needs.
    """
    from sklift.models import TwoModels

    missing = [c for c in NEEDED if c not in matched.columns]
    if missing:
        raise InputDataError(f"uplift model: the campaign's matched customers lack {missing}; expected {list(NEEDED)}")
    matched = matched.sort_values("customer_id").reset_index(drop=True)
    X, source = uplift_features(matched, features)
    kept = 1 - matched[OUTCOME].to_numpy(dtype=int)
    is_treated = (matched["arm"] == "treatment").to_numpy().astype(int)
    model = TwoModels(estimator_trmnt=arm_estimator(seed), estimator_ctrl=arm_estimator(seed), method="vanilla")
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore", Pandas4Warning)
        warnings.simplefilter("ignore", FutureWarning)
        model.fit(X, kept, is_treated)
    metadata = {
        "format": FORMAT,
        "method": METHOD,
        "feature_source": source,
        "feature_schema": feature_schema(X),
        "offers": sorted(str(o) for o in matched["offer_id"].unique()),
        "n_customers": len(matched),
        "n_treatment": int(is_treated.sum()),
        "seed": int(seed),
        "versions": {name: version(name) for name in LIBRARIES},
    }
    return KeptUpliftModel(model, metadata)


def keep_if_used(
    evaluation: Mapping[str, Any],
    customers: pd.DataFrame,
    outcomes: pd.DataFrame,
    features: pd.DataFrame | None,
    *,
    seed: int,
) -> UpliftModelRecord | None:
    """The uplift model to keep with ``evaluation`` (``evaluate_campaign``'s result, same inputs), or None.

    Only a model the evaluation marked used is refitted (on all matched customers) and kept.
    """
    comparison = evaluation.get("uplift_model") or {}
    if not comparison.get("used"):
        return None
    kept = refit_uplift_model(matched_customers(customers, outcomes), features, seed=seed)
    metadata = dict(kept.metadata) | {
        "campaign_id": evaluation.get("campaign_id"),
        "horizon_months": comparison.get("horizon_months"),
        "reason": comparison.get("reason"),
    }
    data = uplift_model_bytes(kept)
    return UpliftModelRecord(uplift_model_id(data), tuple(kept.offers), metadata, data)


def uplift_model_bytes(kept: KeptUpliftModel) -> bytes:
    """The model as a reproducible skops archive."""
    import skops.io

    return reproducible_skops(skops.io.dumps(kept.model))


def uplift_model_id(data: bytes) -> str:
    """The model's id: the start of its skops archive's sha256."""
    return hashlib.sha256(data).hexdigest()[:_ID_LENGTH]


def load_uplift_model(data: bytes, metadata: Mapping[str, Any], *, where: str) -> KeptUpliftModel:
    """A kept model read back, refusing another format or a type outside :data:`TRUSTED_TYPES`.

    ``where`` names the model in the errors (e.g. its id and the evaluation it belongs to).
    """
    import skops.io

    if metadata.get("format") != FORMAT:
        raise ModelArtifactError(f"{where}: uplift model format {metadata.get('format')!r}, expected {FORMAT!r}")
    try:
        untrusted = skops.io.get_untrusted_types(data=data)
        unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
        if unexpected:
            raise ModelArtifactError(f"{where}: holds types an uplift model does not contain: {unexpected}; refused")
        model = skops.io.loads(data, trusted=sorted(set(untrusted)))
    except (ValueError, TypeError, KeyError, AttributeError, OSError) as err:
        raise ModelArtifactError(f"{where}: cannot read the uplift model's skops archive ({err})") from err
    return KeptUpliftModel(model, dict(metadata))


def predict_uplift(kept: KeptUpliftModel, table: pd.DataFrame, segment: pd.Series, offer_id: str) -> pd.Series:
    """The predicted drop in decline probability if ``offer_id`` is made to each customer of ``table``.

    ``table``: the run's customers (features, ``profit``, ``decline_probability``) indexed by id;
    ``segment``: each one's primary segment. Raises :class:`ModelArtifactError` when ``table``
    lacks a feature the model was fitted on.
    """
    schema = kept.metadata["feature_schema"]
    own = {"segment": segment.reindex(table.index).astype(str), "offer_id": pd.Series(offer_id, index=table.index)}
    missing = [e["name"] for e in schema if e["name"] not in own and e["name"] not in table.columns]
    if missing:
        raise ModelArtifactError(
            f"the uplift model fitted on offers {kept.offers} needs features the run's customer table lacks: "
            f"{missing[:8]}; plan with --no-uplift-model, or plan on a run stored like the campaign's"
        )
    X = pd.DataFrame(index=table.index)
    for entry in schema:
        name = entry["name"]
        column = own[name] if name in own else table[name]
        # An offer or segment the campaign did not have becomes missing, which the trees route as at fit.
        is_category = entry["dtype"] == "category"
        X[name] = pd.Categorical(column.astype(str), categories=entry["categories"]) if is_category else column
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore", Pandas4Warning)
        warnings.simplefilter("ignore", FutureWarning)
        uplift = np.asarray(kept.model.predict(X.reset_index(drop=True)), dtype=float)
    return pd.Series(uplift, index=table.index, name="predicted_uplift")
