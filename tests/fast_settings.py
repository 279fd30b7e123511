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
