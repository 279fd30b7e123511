"""Model settings for tests: seconds, not minutes (two families, two trials, no nested CV)."""

from __future__ import annotations

from oneclick.config import Settings

# Small enough for seconds, large enough for every family to fit.
FAST = Settings(
    model_families="logreg,lgbm",
    search_iterations=2,
    inner_folds=3,
    cv_repeats=0,
    n_jobs=1,
    background_size=30,
    explain_permutations=4,
)

# FAST as the environment a user would set for the CLI, with one family (seconds, not minutes).
FAST_ENV = {
    "ONECLICK_MODEL_FAMILIES": "logreg",
    **{
        f"ONECLICK_{name.upper()}": str(getattr(FAST, name))
        for name in ("search_iterations", "inner_folds", "cv_repeats", "n_jobs", "background_size")
    },
    "ONECLICK_EXPLAIN_PERMUTATIONS": str(FAST.explain_permutations),
}
