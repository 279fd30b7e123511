"""Settings of a oneclick run: one frozen object, from defaults, a TOML file,
``ONECLICK_*`` environment variables and explicit overrides, in that order.

Library functions never read the environment: only :func:`load_settings` does,
when the CLI asks it to.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, get_args

from oneclick.errors import ConfigError

InactivePolicy = Literal["exclude", "keep"]
OutlierPolicy = Literal["exclude", "cap", "keep"]
BadRowPolicy = Literal["quarantine", "fail"]
ModelFamily = Literal["logreg", "knn", "tree", "svc", "hgb", "lgbm"]
MODEL_FAMILIES: tuple[str, ...] = get_args(ModelFamily)


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told; the defaults are the store's agreed policy."""

    seed: int = 0
    # Customers inactive in some month have no trend to learn from; the analysts dropped them.
    inactive_policy: InactivePolicy = "exclude"
    # A single absurd revenue should not move a customer's trend; cap keeps the customer.
    outlier_policy: OutlierPolicy = "cap"
    # Revenue above Q3 + factor * IQR of its month is an outlier (3 = Tukey's "far out").
    outlier_iqr_factor: float = 3.0
    bad_rows: BadRowPolicy = "quarantine"
    # More rejected rows than this share means the file is broken, not a few bad records.
    max_bad_row_share: float = 0.5
    synthetic_customers: int = 2_000
    # The model search. Families, comma-separated: logreg, knn, tree, svc, hgb, lgbm.
    model_families: str = "logreg,knn,tree,svc,hgb,lgbm"
    # Optuna trials per family (boosting families get half): 12 keeps `oneclick train` under 3 minutes.
    search_iterations: int = 12
    # Seconds for one whole search, 0 = no limit. A limit makes the trial count, and so the result,
    # depend on the machine's speed: runs are repeatable only without it.
    time_budget_seconds: float = 0.0
    inner_folds: int = 4
    # The best family alone, or a blend of the best two or three, whichever cross-validates better.
    max_blend: int = 3
    # Blend only families explained exactly in milliseconds (logreg, hgb, lgbm): the offers quote each
    # customer's drivers, and sampled Shapley values of k-NN / SVC are slow and noisy. k-NN, SVC and
    # the tree are still searched and shown on the leaderboard.
    explainable_only: bool = True
    # The published protocol: 25 % holdout, stratified, random_state=42.
    holdout_size: float = 0.25
    holdout_random_state: int = 42
    # Nested evaluation on the training part: folds x repeats; 0 repeats skips it.
    cv_folds: int = 5
    cv_repeats: int = 3
    # Once the procedure is evaluated (holdout, nested CV), the saved model is the same choice of
    # families, parameters, blend and calibration fitted again on all labelled customers.
    refit_on_all: bool = True
    n_jobs: int = 2
    # Explanations: background customers, and permutations for models without an exact explainer.
    background_size: int = 100
    explain_permutations: int = 16
    # The campaign's budget in profit units (as money.csv's profit); 0 = no limit: every customer
    # whose best offer is worth more than it costs gets it.
    campaign_budget: float = 0.0
    # Budgets at which the profit curve is solved exactly (each point is one MILP).
    profit_curve_points: int = 11
    # A batch run keeps a seeded sample of this many customers for the report's charts of rows
    # (distributions, correlations, explanations); figures of segments and offers cover everyone.
    report_sample_size: int = 50_000
    # Campaign contact rules (`oneclick campaign plan`; consent is always on). A customer contacted this
    # many times this month already gets no further contact: more messages drive customers away.
    campaign_contact_cap: int = 6
    # A customer treated by a campaign starting within this many months is not treated again.
    campaign_cooldown_months: int = 3
    # Control groups sized by power: the target power and test level, the largest share of a stratum
    # held back (the rest is treated), and the smallest arm worth learning from.
    campaign_power: float = 0.8
    campaign_alpha: float = 0.05
    campaign_max_control_share: float = 0.5
    campaign_min_per_arm: int = 30
    # A stratum whose minimum detectable uplift exceeds this multiple of the assumed one learns little.
    campaign_mde_warning_ratio: float = 2.0
    # `oneclick catalogue update`: how far an assumed uplift may be off (its prior sd). 0.10 lets a
    # measurement of a few hundred customers per arm move an assumption of 0.08 most of the way.
    catalogue_prior_sd: float = 0.10
    # `oneclick campaign evaluate`: an uplift model is fitted only with this many matched customers in each
    # arm. Half of them are held out to judge it: at 250 per arm and decline rates near 30 %, the standard
    # error of a decline-rate difference is about 4 points, small enough to tell a ranking that finds a
    # 10-point uplift from one that does not; with fewer, the comparison with the rule is noise.
    uplift_model_min_per_arm: int = 500

    def __post_init__(self) -> None:
        for name, choices in _LITERALS.items():
            allowed = get_args(choices)
            if getattr(self, name) not in allowed:
                raise ConfigError(f"setting {name}={getattr(self, name)!r}: expected one of {list(allowed)}")
        if not 0 < self.max_bad_row_share <= 1:
            raise ConfigError(f"setting max_bad_row_share={self.max_bad_row_share}: expected a share in (0, 1]")
        if self.outlier_iqr_factor <= 0:
            raise ConfigError(f"setting outlier_iqr_factor={self.outlier_iqr_factor}: expected a positive number")
        if self.synthetic_customers < 50:
            raise ConfigError(f"setting synthetic_customers={self.synthetic_customers}: expected at least 50")
        self._check_model_settings()

    def _check_model_settings(self) -> None:
        unknown = [name for name in self.family_names if name not in MODEL_FAMILIES]
        if unknown or not self.family_names:
            raise ConfigError(
                f"setting model_families={self.model_families!r}: expected a comma-separated "
                f"subset of {list(MODEL_FAMILIES)}"
            )
        if not 0 < self.holdout_size < 1:
            raise ConfigError(f"setting holdout_size={self.holdout_size}: expected a share in (0, 1)")
        minimums = {
            "search_iterations": 1,
            "inner_folds": 2,
            "max_blend": 1,
            "cv_folds": 2,
            "cv_repeats": 0,
            "n_jobs": 1,
            "background_size": 10,
            "explain_permutations": 2,
            "report_sample_size": 1,
            # Two halves of an arm, each with a few customers per leaf of the boosted trees.
            "uplift_model_min_per_arm": 20,
        }
        for name, minimum in minimums.items():
            if getattr(self, name) < minimum:
                raise ConfigError(f"setting {name}={getattr(self, name)}: expected at least {minimum}")
        if self.campaign_budget < 0:
            raise ConfigError(f"setting campaign_budget={self.campaign_budget}: expected 0 (no limit) or more")
        if self.profit_curve_points < 2:
            raise ConfigError(f"setting profit_curve_points={self.profit_curve_points}: expected at least 2")
        if self.time_budget_seconds < 0:
            raise ConfigError(
                f"setting time_budget_seconds={self.time_budget_seconds}: expected 0 (no limit) or a number of seconds"
            )

    @property
    def family_names(self) -> tuple[str, ...]:
        """The model families to search, in order."""
        return tuple(name.strip() for name in self.model_families.split(",") if name.strip())

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_LITERALS: dict[str, Any] = {
    "inactive_policy": InactivePolicy,
    "outlier_policy": OutlierPolicy,
    "bad_rows": BadRowPolicy,
}


def load_settings(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings from defaults < TOML file < ``ONECLICK_<NAME>`` variables < overrides.

    >>> load_settings(environ={"ONECLICK_SEED": "7"}).seed
    7
    """
    values: dict[str, Any] = {}
    if path is not None:
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"{path}: cannot read settings ({err})") from err
    known = {item.name: item for item in fields(Settings)}
    for key, raw in (environ or {}).items():
        name = key.removeprefix("ONECLICK_").lower()
        if key.startswith("ONECLICK_") and name in known:
            values[name] = _parse(name, raw, type(getattr(Settings(), name)))
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting(s) {unknown}; known: {sorted(known)}")
    return Settings(**values)


def _parse(name: str, raw: str, kind: type) -> Any:
    try:
        return kind(raw) if kind is not bool else raw.lower() in ("1", "true", "yes")
    except ValueError as err:
        raise ConfigError(f"ONECLICK_{name.upper()}={raw!r}: expected {kind.__name__}") from err
