"""An uplift model learned from a campaign, compared with the catalogue's rule on held-out customers.

Where a campaign had enough treated and control customers (``min_per_arm`` in each arm), a two-model
uplift learner (scikit-uplift's ``TwoModels``: one gradient-boosted classifier per arm) learns who the
offer helps from their pre-campaign features. The response is **not declining** (``declined = 0``),
because scikit-uplift treats a larger response as better; the model's uplift is therefore the drop in
decline probability the offer brings a customer.

The matched customers are split in halves, stratified by arm and seeded: the model is fitted on one,
and on the other (held out) two rankings of the customers are compared:

- the model's: predicted uplift x profit x horizon - cost;
- the current rule's: assumed uplift x decline probability x profit x horizon - cost (the catalogue's
  uplift is the share of decline removed, so times the decline probability it is the drop in it).

They are compared by Qini AUC (``sklift.metrics.qini_auc_score`` on not-declining) and by the
realised saved profit of targeting the top share the campaign treated: within the targeted
customers, ``horizon x n x (mean of profit x declined in control - the same when treated) - cost``.
The model is used only where it beats the rule on both, and its saved-profit gain over the rule
is clear of noise: the 95 % bootstrap interval of the gain (held-out customers resampled within
each arm, seeded) lies above 0.

Like the campaign's overall rows, the held-out comparison pools strata, whose control shares may
differ; the model sees the segment and the offer among its features.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from pandas.errors import Pandas4Warning
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split

from oneclick.errors import InputDataError
from oneclick.features.groups import FEATURE_NAMES
from oneclick.model.threads import one_thread

OUTCOME = "declined"
METHOD = "two_model"
RESPONSE = "not declined (declined = 0): the model's uplift is the drop in decline probability"
DECISION_RULE = (
    "used when, on the held-out half, the model beats the rule on Qini AUC and on realised saved profit of "
    "targeting the share the campaign treated, and the 95 % bootstrap interval of the saved-profit gain lies above 0"
)
# Columns of the campaign table the model may learn from: all known before the campaign.
CAMPAIGN_FEATURES = ("segment", "offer_id", "decline_probability", "profit")
NEEDED = ("customer_id", "arm", "profit", "cost", "assumed_uplift", "decline_probability", OUTCOME)
N_BOOTSTRAP = 200
Reason = Literal["too_few", "rule_not_beaten", "gain_not_clear", "beats_rule"]


def compare_uplift_model(
    matched: pd.DataFrame,
    features: pd.DataFrame | None = None,
    *,
    horizon_months: float,
    min_per_arm: int,
    seed: int = 0,
) -> dict[str, Any]:
    """The uplift model's comparison with the rule, as the evaluation's ``uplift_model`` entry.

    ``matched``: the campaign's customers found in the next export, with its ``declined`` (0/1);
    ``features``: the pre-campaign customer table of the campaign's run, indexed by customer id (the
    decline model's features are used); ``None``: only the campaign table's own columns
    (:data:`CAMPAIGN_FEATURES`). Never pass the next export's features: they are post-treatment.

    Returns a JSON-ready dict: ``used``, ``reason`` (:data:`Reason`), the counts and the minimum, and,
    when a model was fitted, both rankings' Qini AUC and saved profit, the gain's interval, the seed.

    Raises :class:`InputDataError` when ``matched`` lacks a column it needs.
    """
    missing = [c for c in NEEDED if c not in matched.columns]
    if missing:
        raise InputDataError(f"uplift model: the campaign's matched customers lack {missing}; expected {list(NEEDED)}")
    matched = matched.sort_values("customer_id").reset_index(drop=True)
    is_treated = (matched["arm"] == "treatment").to_numpy()
    result: dict[str, Any] = {
        "method": METHOD,
        "response": RESPONSE,
        "decision_rule": DECISION_RULE,
        "used": False,
        "reason": "too_few",
        "n_treatment": int(is_treated.sum()),
        "n_control": int((~is_treated).sum()),
        "min_per_arm": int(min_per_arm),
        "seed": int(seed),
        "qini_model": None,
        "qini_rule": None,
    }
    if min(result["n_treatment"], result["n_control"]) < min_per_arm:
        return result
    X, source = uplift_features(matched, features)
    fit, held = train_test_split(np.arange(len(matched)), test_size=0.5, stratify=is_treated, random_state=seed)
    fit, held = np.sort(fit), np.sort(held)
    kept = 1 - matched[OUTCOME].to_numpy(dtype=int)
    uplift = _fit_predict(X, kept, is_treated, fit, held, seed)
    part = matched.iloc[held].reset_index(drop=True)
    value_model = uplift * part["profit"].to_numpy() * horizon_months - part["cost"].to_numpy()
    value_rule = (
        part["assumed_uplift"].to_numpy() * part["decline_probability"].to_numpy() * part["profit"].to_numpy()
    ) * horizon_months - part["cost"].to_numpy()
    share = result["n_treatment"] / len(matched)
    saved = _SavedProfit(part, share, horizon_months)
    low, high = saved.gain_interval(value_model, value_rule, np.random.default_rng(seed))
    result |= {
        "feature_source": source,
        "features": list(X.columns),
        "n_fit": len(fit),
        "n_held_out": len(held),
        "target_share": share,
        "horizon_months": float(horizon_months),
        "qini_model": _qini(kept[held], value_model, is_treated[held]),
        "qini_rule": _qini(kept[held], value_rule, is_treated[held]),
        "saved_profit_model": saved.of(value_model),
        "saved_profit_rule": saved.of(value_rule),
        "saved_profit_gain_ci_low": low,
        "saved_profit_gain_ci_high": high,
    }
    result["reason"] = _reason(result)
    result["used"] = result["reason"] == "beats_rule"
    return result


def uplift_features(matched: pd.DataFrame, features: pd.DataFrame | None) -> tuple[pd.DataFrame, str]:
    """The model's inputs for ``matched``'s rows, and where they came from (``run`` or ``campaign``)."""
    own = matched[list(CAMPAIGN_FEATURES)].copy()
    for column in ("segment", "offer_id"):
        own[column] = own[column].astype(str).astype("category")
    if features is None:
        return own, "campaign"
    columns = [c for c in FEATURE_NAMES if c in features.columns]
    if not columns:
        raise InputDataError(
            f"uplift model: the campaign run's customer table has none of the model's features {FEATURE_NAMES[:5]}...; "
            f"found {list(features.columns)[:8]}"
        )
    # Customers the run's table lacks keep missing values: the boosted trees route them, no row is dropped.
    run = features[columns].reindex(matched["customer_id"].to_numpy()).reset_index(drop=True)
    return pd.concat([run, own], axis=1), "run"


def _fit_predict(
    X: pd.DataFrame, kept: np.ndarray, is_treated: np.ndarray, fit: np.ndarray, held: np.ndarray, seed: int
) -> np.ndarray:
    """The two-model uplift in not declining, fitted on ``fit`` and predicted for ``held``."""
    from sklift.models import TwoModels

    model = TwoModels(estimator_trmnt=arm_estimator(seed), estimator_ctrl=arm_estimator(seed), method="vanilla")
    # One thread: on a campaign's few thousand rows OpenMP's threads cost more than they save, and
    # on a busy machine they wait for each other (measured: 0.6 s against 5-8 s under load).
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore", Pandas4Warning)
        warnings.simplefilter("ignore", FutureWarning)
        model.fit(X.iloc[fit], kept[fit], is_treated[fit].astype(int))
        return np.asarray(model.predict(X.iloc[held]), dtype=float)


def arm_estimator(seed: int) -> HistGradientBoostingClassifier:
    """One arm's classifier of the two-model learner, seeded."""
    # Small trees and large leaves: a campaign arm has hundreds of customers, not a training set's thousands.
    return HistGradientBoostingClassifier(
        max_iter=60, learning_rate=0.1, max_leaf_nodes=8, min_samples_leaf=40, random_state=seed
    )


def _qini(kept: np.ndarray, value: np.ndarray, is_treated: np.ndarray) -> float | None:
    """Qini AUC of a ranking, or None where it has no figure (e.g. nobody, or everybody, declined)."""
    from sklift.metrics import qini_auc_score

    if len(np.unique(kept)) < 2 or len(np.unique(is_treated)) < 2:
        return None
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", Pandas4Warning)
        warnings.simplefilter("ignore", FutureWarning)
        found = float(qini_auc_score(kept, value, is_treated.astype(int)))
    return found if np.isfinite(found) else None


class _SavedProfit:
    """Realised saved profit of treating the top ``share`` of held-out customers by a ranking."""

    def __init__(self, part: pd.DataFrame, share: float, horizon_months: float) -> None:
        self.is_treated = (part["arm"] == "treatment").to_numpy()
        self.lost = part["profit"].to_numpy() * part[OUTCOME].to_numpy()  # profit of those who declined
        self.cost = part["cost"].to_numpy()
        self.share = share
        self.horizon_months = horizon_months

    def of(self, value: np.ndarray, rows: np.ndarray | None = None) -> float | None:
        rows = np.arange(len(value)) if rows is None else rows
        n_top = round(self.share * len(rows))
        top = rows[np.argsort(-value[rows], kind="stable")[:n_top]]
        treated, control = top[self.is_treated[top]], top[~self.is_treated[top]]
        if not len(treated) or not len(control):
            return None
        saved_per_customer = self.lost[control].mean() - self.lost[treated].mean()
        return float(self.horizon_months * n_top * saved_per_customer - self.cost[top].sum())

    def gain_interval(
        self, value_model: np.ndarray, value_rule: np.ndarray, rng: np.random.Generator
    ) -> tuple[float | None, float | None]:
        """The 95 % percentile interval of (model - rule) saved profit, resampling within each arm."""
        arms = [np.flatnonzero(self.is_treated), np.flatnonzero(~self.is_treated)]
        gains = []
        for _ in range(N_BOOTSTRAP):
            rows = np.sort(np.concatenate([rng.choice(arm, size=len(arm), replace=True) for arm in arms]))
            model, rule = self.of(value_model, rows), self.of(value_rule, rows)
            if model is not None and rule is not None:
                gains.append(model - rule)
        if len(gains) < N_BOOTSTRAP // 2:
            return None, None
        low, high = np.percentile(gains, [2.5, 97.5])
        return float(low), float(high)


def _reason(result: dict[str, Any]) -> Reason:
    model, rule = result["saved_profit_model"], result["saved_profit_rule"]
    qini_model, qini_rule = result["qini_model"], result["qini_rule"]
    if None in (model, rule, qini_model, qini_rule) or not (qini_model > qini_rule and model > rule):
        return "rule_not_beaten"
    low = result["saved_profit_gain_ci_low"]
    return "beats_rule" if low is not None and low > 0 else "gain_not_clear"
