"""Drawing synthetic customers: features from two hidden traits, then the label from them.

Each customer has two standard normal traits, engagement and spend. A feature's normal
score mixes the traits with its own noise (a Gaussian copula), and the real feature's
quantile function turns the score into a value, so every marginal matches the real
export while the features correlate as the real ones do. The label is then drawn from a
logistic model of the features whose coefficients come from the real data
(see ``profile``).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from oneclick.synth import profile

CATEGORIES = tuple(profile.CATEGORY_COUNTS)  # category code -> English value

_NORMAL = NormalDist()


def _frozen_array(values: list[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    array.flags.writeable = False
    return array


def _knots_on_normal_scale(knots: tuple[tuple[float, float], ...]) -> tuple[np.ndarray, np.ndarray]:
    """Quantile knots with the cumulative share replaced by its normal score."""
    return (
        _frozen_array([_NORMAL.inv_cdf(share) for share, _ in knots]),
        _frozen_array([value for _, value in knots]),
    )


def _thresholds_on_normal_scale(counts: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Normal-score cut points between the values of a discrete distribution."""
    shares = np.cumsum(list(counts.values())) / sum(counts.values())
    return (
        _frozen_array([_NORMAL.inv_cdf(share) for share in shares[:-1]]),
        _frozen_array(list(counts)),
    )


_CONTINUOUS = {name: _knots_on_normal_scale(k) for name, k in profile.QUANTILE_KNOTS.items()}
_DISCRETE = {name: _thresholds_on_normal_scale(c) for name, c in profile.DISCRETE_COUNTS.items()}
_CATEGORY_SHARES = _frozen_array(list(profile.CATEGORY_COUNTS.values())) / sum(profile.CATEGORY_COUNTS.values())
_CATEGORY_ENGAGEMENT = _frozen_array([profile.CATEGORY_ENGAGEMENT[c] for c in CATEGORIES])
_CATEGORY_DECLINE_EFFECT = _frozen_array([profile.DECLINE_CATEGORY_EFFECTS[c] for c in CATEGORIES])
_ENGAGEMENT_SD = float(np.sqrt(1.0 + _CATEGORY_SHARES @ _CATEGORY_ENGAGEMENT**2))
# Fixed drawing order, so a seed always gives the same customers.
_FEATURES = tuple(_CONTINUOUS) + tuple(_DISCRETE)
SCORED_FEATURES = _FEATURES  # the features drawn from a normal score, in drawing order


def draw_customers(rng: np.random.Generator, n_customers: int) -> dict[str, np.ndarray]:
    """Draw one batch of clean customers as English-named columns (no ids, no quirks).

    Holds every market_file feature, ``revenue_<period>``, ``minutes_<period>``,
    ``profit``, ``category_code``, ``is_premium``, ``allows_messages`` and ``is_declined``.
    """
    category_code = rng.choice(len(CATEGORIES), size=n_customers, p=_CATEGORY_SHARES)
    engagement = _draw_engagement(rng, category_code)
    spend = rng.standard_normal(n_customers)
    customers = {name: _feature(name, _normal_score(rng, name, engagement, spend)) for name in _FEATURES}
    customers["category_code"] = category_code
    customers.update(_draw_service(rng, customers["days_since_registration"], engagement))
    customers["is_declined"] = _draw_label(rng, customers)
    return customers


def _normal_score(rng: np.random.Generator, name: str, engagement: np.ndarray, spend: np.ndarray) -> np.ndarray:
    """A standard normal score sharing the hidden traits as the feature's loadings say."""
    a = profile.ENGAGEMENT_LOADINGS.get(name, 0.0)
    b = profile.SPEND_LOADINGS.get(name, 0.0)
    noise = rng.standard_normal(engagement.shape[0])
    return a * engagement + b * spend + np.sqrt(1.0 - a * a - b * b) * noise


def _feature(name: str, score: np.ndarray) -> np.ndarray:
    """Turn a normal score into the feature's value through its real quantile function."""
    if name in _DISCRETE:
        cuts, values = _DISCRETE[name]
        return values[np.searchsorted(cuts, score)].astype(np.int64)
    scores, values = _CONTINUOUS[name]
    value = np.interp(score, scores, values)
    step = profile.ROUNDING_STEP[name]
    if step is None:
        return np.rint(value).astype(np.int64)
    # The second rounding turns e.g. 4472.1000000000004 into the double nearest 4472.1.
    return np.round(np.rint(value / step) * step, 6)


def _sigmoid(logit: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logit))


def _draw_engagement(rng: np.random.Generator, category_code: np.ndarray) -> np.ndarray:
    """The engagement trait: shifted by the favourite category, rescaled to variance 1."""
    noise = rng.standard_normal(category_code.shape[0])
    return (_CATEGORY_ENGAGEMENT[category_code] + noise) / _ENGAGEMENT_SD


def _draw_service(rng: np.random.Generator, duration: np.ndarray, engagement: np.ndarray) -> dict[str, np.ndarray]:
    """Premium service and consent to messages."""
    n = duration.shape[0]
    mean, sd = profile.DURATION_MEAN_SD
    scaled_duration = (duration - mean) / sd
    intercept, per_duration, per_engagement = profile.PREMIUM_LOGIT
    premium_logit = intercept + per_duration * scaled_duration + per_engagement * engagement
    is_premium = rng.random(n) < _sigmoid(premium_logit)
    intercept, premium, per_duration = profile.NO_MESSAGES_LOGIT
    refusal_logit = intercept + premium * is_premium + per_duration * scaled_duration
    refuses = rng.random(n) < _sigmoid(refusal_logit)
    return {"is_premium": is_premium, "allows_messages": ~refuses}


def _decline_logit(customers: dict[str, np.ndarray]) -> np.ndarray:
    """The log-odds that a customer's activity declined, from the real-data coefficients."""
    logit = _CATEGORY_DECLINE_EFFECT[customers["category_code"]]
    for name, (mean, sd, coefficient) in profile.DECLINE_COEFFICIENTS.items():
        logit = logit + coefficient * (customers[name] - mean) / sd
    return profile.DECLINE_INTERCEPT + profile.DECLINE_SCALE * logit


def _draw_label(rng: np.random.Generator, customers: dict[str, np.ndarray]) -> np.ndarray:
    probability = _sigmoid(_decline_logit(customers))
    return rng.random(probability.shape[0]) < probability


def decline_logit(customers: dict[str, np.ndarray]) -> np.ndarray:
    """The generator's log-odds of a decline for customers given as English-named columns.

    Needs ``category_code`` and the features of ``profile.DECLINE_COEFFICIENTS``.
    """
    return _decline_logit(customers)


def feature_value(name: str, score: np.ndarray) -> np.ndarray:
    """A feature's value for a normal score, rounded as the export rounds it (as the generator draws it)."""
    return _feature(name, score)


def score_of_value(rng: np.random.Generator, name: str, value: np.ndarray) -> np.ndarray:
    """A normal score that gives ``value`` back through :func:`feature_value`: its inverse, drawn.

    A value stands for an interval of scores (a count, or a rounded number); the score is drawn
    uniformly on the probability scale within it, so scores of the generator's values are again
    standard normal. Values outside the feature's range take the score of its nearest end.
    """
    from scipy.special import ndtr, ndtri

    value = np.asarray(value, dtype=float)
    if name in _DISCRETE:
        cuts, values = _DISCRETE[name]
        position = np.clip(np.searchsorted(values, value), 0, len(values) - 1)
        edges = np.concatenate([[-np.inf], cuts, [np.inf]])
        low, high = edges[position], edges[position + 1]
    else:
        scores, values = _CONTINUOUS[name]
        step = profile.ROUNDING_STEP[name] or 1.0
        low = np.interp(value - step / 2, values, scores, left=-np.inf)
        high = np.interp(value + step / 2, values, scores, right=np.inf)
    share = ndtr(low) + rng.random(value.shape[0]) * (ndtr(high) - ndtr(low))
    return ndtri(np.clip(share, 1e-12, 1 - 1e-12))


def score_model() -> tuple[np.ndarray, np.ndarray]:
    """The normal scores of :data:`SCORED_FEATURES` given the favourite category: means and covariance.

    Returns ``(means, covariance)``: ``means[c]`` is the mean score vector of a customer whose
    category code is ``c`` (the category shifts engagement); the covariance is the same for every
    category, from the two traits' loadings and each feature's own noise.
    """
    engagement = np.array([profile.ENGAGEMENT_LOADINGS.get(name, 0.0) for name in _FEATURES])
    spend = np.array([profile.SPEND_LOADINGS.get(name, 0.0) for name in _FEATURES])
    covariance = (
        np.outer(engagement, engagement) / _ENGAGEMENT_SD**2
        + np.outer(spend, spend)
        + np.diag(1.0 - engagement**2 - spend**2)
    )
    means = np.outer(_CATEGORY_ENGAGEMENT / _ENGAGEMENT_SD, engagement)
    return means, covariance
