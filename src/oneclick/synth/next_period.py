"""The next period's export, synthetic: the same customers a period later, shifts of known size, the truth.

``write_next_period(DIR, NEXT)`` reads the last period's four tables in ``DIR`` by the rules every
command reads them (``load_tables``, ``build_customer_table``), and writes the next period's four
tables to ``NEXT`` in the same schema and with the same quirks as ``oneclick synth``:

- a few customers leave (:data:`LEAVE_SHARE`, at random) and a few new ones join
  (:data:`JOIN_SHARE`, drawn by the generator, ids after the last one);
- the others are carried one period on, months shifted (:mod:`oneclick.synth.persistence`);
- the shifts of ``drift`` are applied (:mod:`oneclick.synth.drift_spec`);
- the label is drawn from a known probability: for a customer of both periods, the probability
  of their **last** period's features (the next export's label is the outcome of the last
  period's prediction); for a customer who joined, of their own features. The probability is
  the generator's own (its logistic model) or, with ``model_dir``, that model's, then changed
  by the ``concept`` and ``base_rate`` shifts.

``NEXT/drift_truth.json`` records what was done, so a comparison can be checked against it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oneclick.errors import ConfigError
from oneclick.features import CHANGES, FEATURE_NAMES, build_customer_table
from oneclick.ingest import load_tables
from oneclick.synth import profile
from oneclick.synth.campaign_truth import apply_uplift
from oneclick.synth.customers import (
    CATEGORIES,
    SCORED_FEATURES,
    decline_logit,
    draw_customers,
    feature_value,
    score_of_value,
)
from oneclick.synth.drift_spec import (
    MIX_VALUES,
    BaseRateShift,
    ConceptShift,
    Drift,
    FeatureShift,
    MixShift,
    describe,
    parse_drift,
)
from oneclick.synth.generate import CHUNK_SIZE, customer_tables
from oneclick.synth.persistence import MONTH_SHIFT, PERSISTENCE, next_scores
from oneclick.synth.quirks import plan_quirks
from oneclick.synth.write import Format, _check_format, write_chunks

TRUTH_FILE = "drift_truth.json"
TRUTH_FORMAT = "oneclick-next-period/1"
LEAVE_SHARE = 0.05  # of the last period's customers, at random
JOIN_SHARE = 0.05  # new customers, as a share of the last period's
_UPPER_BOUNDS = {"promo_purchase_share": 1.0}  # every shiftable feature is >= 0; shares also <= 1
# One random stream per purpose, so that adding a shift does not change who leaves or joins.
_STREAMS = {"leave": 0, "carry": 1, "join": 2, "drift": 3, "label": 4, "write": 5}


@dataclass(frozen=True)
class NextPeriod:
    """What :func:`write_next_period` wrote: the four tables and the ground truth beside them."""

    paths: dict[str, Path]
    truth_path: Path
    truth: dict[str, Any]
    customer_ids: np.ndarray | None = None  # the next period's customers, in the tables' order


def write_next_period(
    from_dir: Path,
    out_dir: Path,
    *,
    model_dir: Path | None = None,
    drift: str | Sequence[Drift] | None = None,
    seed: int = 0,
    fmt: Format = "csv",
    quirks: bool = True,
    leave_share: float = LEAVE_SHARE,
    join_share: float = JOIN_SHARE,
    treated_uplift: pd.Series | None = None,
    label_seed: int | None = None,
) -> NextPeriod:
    """Write the next period of the export in ``from_dir`` to ``out_dir``, with ``drift_truth.json``.

    Parameters
    ----------
    from_dir : the last period's four tables (any export ``oneclick validate`` reads).
    out_dir : created if missing; the four tables and ``drift_truth.json`` are replaced.
    model_dir : a model folder (``oneclick train``): the label is drawn from its probability
        instead of the generator's.
    drift : a ``--drift`` spec (see :mod:`oneclick.synth.drift_spec`) or parsed shifts.
    seed : same inputs and seed, same files.
    fmt, quirks : as for ``oneclick synth``.
    leave_share, join_share : customers who leave, and who join (a share of the last period's).
    treated_uplift : a campaign's true uplift per treated customer id (:mod:`oneclick.synth.campaign_truth`):
        their decline probability times (1 - U); the label's random draw is unchanged.
    label_seed : the seed of the labels' random draw alone (default: ``seed``). Another label seed
        gives the same customers with the same features and other labels: repeated simulations of
        one period's outcomes (``benchmarks/campaign.py``).

    Raises
    ------
    ConfigError : a bad spec, share, seed or format, or a mix shift beyond 0 or 1.
    InputDataError : ``from_dir`` cannot be read.
    ModelArtifactError : ``model_dir`` cannot be trusted or does not fit the data.
    """
    drifts = parse_drift(drift) if drift is None or isinstance(drift, str) else tuple(drift)
    label_seed = seed if label_seed is None else label_seed
    _check_arguments(seed, label_seed, leave_share, join_share, fmt)
    last = build_customer_table(load_tables(from_dir))
    loaded = _load(model_dir)
    stays = _stream(seed, "leave").random(len(last)) >= leave_share
    stayers = last[stays]
    n_join = round(join_share * len(last))
    customers = _concat(_carried(_stream(seed, "carry"), stayers), draw_customers(_stream(seed, "join"), n_join))
    ids = np.concatenate([stayers.index.to_numpy(np.int64), int(last.index.max()) + 1 + np.arange(n_join)])
    rng = _stream(seed, "drift")
    shifts = [_shift(rng, customers, d, last) for d in drifts if isinstance(d, FeatureShift | MixShift)]
    logit = np.concatenate([_stayers_logit(stayers, loaded), _joiners_logit(customers, len(stayers), loaded)])
    probability, label = _label_probability(logit, drifts, stayers, customers, len(stayers))
    probability = apply_uplift(probability, ids, treated_uplift)
    customers["is_declined"] = _stream(label_seed, "label").random(len(ids)) < probability
    paths, n_inactive = _write(seed, customers, ids, Path(out_dir), fmt, quirks)
    truth = _truth(from_dir, seed, model_dir, drifts, shifts, label, customers, last, len(stayers), n_join)
    truth |= {"format": TRUTH_FORMAT, "quirks": {"on": quirks, "inactive_customers": n_inactive}}
    if label_seed != seed:
        truth["label_seed"] = label_seed
    truth_path = Path(out_dir) / TRUTH_FILE
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return NextPeriod(paths, truth_path, truth, ids)


def _check_arguments(seed: int, label_seed: int, leave_share: float, join_share: float, fmt: str) -> None:
    problems = []
    for name, value in (("seed", seed), ("label_seed", label_seed)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(f"{name} must be a whole number >= 0, found {value!r}")
    for name, share in (("leave_share", leave_share), ("join_share", join_share)):
        if not 0 <= share < 1:
            problems.append(f"{name} must lie in [0, 1), found {share!r}")
    if problems:
        raise ConfigError("; ".join(problems))
    _check_format(fmt)


def _stream(seed: int, purpose: str, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7, _STREAMS[purpose], *key)))


def _load(model_dir: Path | None) -> Any:
    if model_dir is None:
        return None
    from oneclick.model import load_model

    return load_model(Path(model_dir))


def _carried(rng: np.random.Generator, stayers: pd.DataFrame) -> dict[str, np.ndarray]:
    """The customers who stay, one period on, as the generator's columns."""
    category_code = _category_codes(stayers["favourite_category"])
    scores = np.column_stack([score_of_value(rng, name, stayers[name].to_numpy(float)) for name in SCORED_FEATURES])
    moved = next_scores(rng, scores, category_code)
    customers = {name: feature_value(name, moved[:, k]) for k, name in enumerate(SCORED_FEATURES)}
    customers["category_code"] = category_code
    customers["is_premium"] = (stayers["service_type"].astype(str) == "premium").to_numpy()
    customers["allows_messages"] = stayers["allows_messages"].to_numpy(bool)
    return customers


def _category_codes(values: pd.Series) -> np.ndarray:
    return pd.Categorical(values.astype(str), categories=list(CATEGORIES)).codes.astype(np.int64)


def _concat(carried: dict[str, np.ndarray], joined: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {name: np.concatenate([carried[name], joined[name]]) for name in carried}


def _columns(table: pd.DataFrame) -> dict[str, np.ndarray]:
    """A customer table's columns as the generator's label model reads them."""
    columns = {name: table[name].to_numpy(float) for name in profile.DECLINE_COEFFICIENTS}
    return columns | {"category_code": _category_codes(table["favourite_category"])}


def _shift(
    rng: np.random.Generator, customers: dict[str, np.ndarray], drift: FeatureShift | MixShift, last: pd.DataFrame
) -> dict[str, Any]:
    """Apply one feature or mix shift to ``customers`` in place; what it did, for the truth file."""
    if isinstance(drift, FeatureShift):
        return _move_values(rng, customers, drift, float(last[drift.feature].std(ddof=0)))
    codes, values = _mix_codes(customers, drift.column)
    before = float(np.mean(codes == values.index(drift.value)))
    target = before + drift.share
    if not 0 <= target <= 1:
        raise ConfigError(
            f"--drift {drift.spec}: the share of {drift.value} is {before:.3f} in the next period before the "
            f"shift; {drift.share:+g} would take it outside [0, 1]"
        )
    codes = _moved_codes(rng, codes, values.index(drift.value), before, target)
    _set_mix_codes(customers, drift.column, codes)
    after = float(np.mean(codes == values.index(drift.value)))
    return describe(drift) | {"share_before": round(before, 4), "share_after": round(after, 4)}


def _move_values(
    rng: np.random.Generator, customers: dict[str, np.ndarray], drift: FeatureShift, sd: float
) -> dict[str, Any]:
    """Values + K sd, rounded at random to the export's step (so the mean moves by K sd), kept in range."""
    values = customers[drift.feature]
    step = profile.ROUNDING_STEP.get(drift.feature) or 1.0
    moved = step * np.floor((values + drift.sd * sd) / step + rng.random(values.shape[0]))
    moved = np.clip(moved, 0.0, _UPPER_BOUNDS.get(drift.feature, np.inf))
    customers[drift.feature] = moved.astype(values.dtype) if values.dtype.kind == "i" else np.round(moved, 6)
    return describe(drift) | {
        "sd_last_period": round(sd, 6),
        "shift": round(drift.sd * sd, 6),
        "mean_before": round(float(values.mean()), 6),
        "mean_after": round(float(customers[drift.feature].mean()), 6),
    }


def _mix_codes(customers: dict[str, np.ndarray], column: str) -> tuple[np.ndarray, list[str]]:
    values = list(MIX_VALUES[column])
    if column == "favourite_category":
        return customers["category_code"], values
    if column == "service_type":
        return customers["is_premium"].astype(np.int64), values  # standard, premium
    return (~customers["allows_messages"]).astype(np.int64), values  # yes, no


def _set_mix_codes(customers: dict[str, np.ndarray], column: str, codes: np.ndarray) -> None:
    if column == "favourite_category":
        customers["category_code"] = codes
    elif column == "service_type":
        customers["is_premium"] = codes == 1
    else:
        customers["allows_messages"] = codes == 0


def _moved_codes(rng: np.random.Generator, codes: np.ndarray, value: int, before: float, target: float) -> np.ndarray:
    """Customers moved into ``value`` (from the others at random) or out of it (to the others, by their shares)."""
    codes = codes.copy()
    draw = rng.random(codes.shape[0])
    if target > before:
        codes[(codes != value) & (draw < (target - before) / (1 - before))] = value
        return codes
    leaving = (codes == value) & (draw < (before - target) / before)
    others = np.bincount(codes[codes != value], minlength=int(codes.max()) + 1).astype(float)
    others[value] = 0.0
    codes[leaving] = rng.choice(others.shape[0], size=int(leaving.sum()), p=others / others.sum())
    return codes


def _stayers_logit(stayers: pd.DataFrame, loaded: Any) -> np.ndarray:
    """Log-odds of a decline for the last period's customer table: the generator's, or the model's."""
    return decline_logit(_columns(stayers)) if loaded is None else _model_logit(loaded, stayers)


def _joiners_logit(customers: dict[str, np.ndarray], first: int, loaded: Any) -> np.ndarray:
    """Log-odds of a decline for the generated customers from position ``first`` on."""
    if loaded is None:
        return decline_logit({name: values[first:] for name, values in customers.items()})
    return _model_logit(loaded, _feature_frame(customers, first))


def _model_logit(loaded: Any, table: pd.DataFrame) -> np.ndarray:
    from oneclick.model import check_schema

    schema = loaded.metadata["feature_schema"]
    X = table[[entry["name"] for entry in schema]].copy()
    for entry in schema:  # the model's own categories, in its order (LightGBM reads the codes)
        if entry["dtype"] == "category":
            X[entry["name"]] = pd.Categorical(X[entry["name"]].astype(str), categories=entry["categories"])
    check_schema(loaded, X)
    probability = np.clip(loaded.model.predict_proba(X)[:, 1], 1e-9, 1 - 1e-9)
    return np.log(probability / (1 - probability))


def _feature_frame(customers: dict[str, np.ndarray], first: int) -> pd.DataFrame:
    """The feature table of generated customers (from position ``first``), typed as ``build_customer_table``."""
    part = {name: values[first:] for name, values in customers.items()}
    frame = pd.DataFrame({name: part[name] for name in SCORED_FEATURES if name != "profit"})
    for name in ("minutes_previous_month", "minutes_current_month"):
        frame[name] = frame[name].astype(float)
    frame["service_type"] = pd.Categorical(np.where(part["is_premium"], "premium", "standard"))
    frame["allows_messages"] = part["allows_messages"].astype(bool)
    frame["favourite_category"] = pd.Categorical(np.asarray(CATEGORIES, dtype=object)[part["category_code"]])
    for change in CHANGES:
        frame[change.name] = change.of(frame)
    return frame[FEATURE_NAMES]


def _label_probability(
    logit: np.ndarray, drifts: Sequence[Drift], stayers: pd.DataFrame, customers: dict[str, np.ndarray], n_stay: int
) -> tuple[np.ndarray, dict[str, Any]]:
    """The probability each label is drawn from, after the concept and base-rate shifts."""
    concepts = []
    for drift in drifts:
        if isinstance(drift, ConceptShift):
            mean, sd, coefficient = profile.DECLINE_COEFFICIENTS[drift.feature]
            values = np.concatenate([stayers[drift.feature].to_numpy(float), customers[drift.feature][n_stay:]])
            effect = profile.DECLINE_SCALE * coefficient
            logit = logit + (drift.factor - 1.0) * effect * (values - mean) / sd
            concepts.append(describe(drift) | {"log_odds_per_sd_before": effect, "after": drift.factor * effect})
    base = next((d for d in drifts if isinstance(d, BaseRateShift)), None)
    before = float(np.mean(_sigmoid(logit)))
    intercept = 0.0 if base is None else _intercept_for(logit, before + base.change, base)
    probability = _sigmoid(logit + intercept)
    return probability, {
        "concept": concepts,
        "base_rate": None if base is None else describe(base) | {"intercept_shift": round(intercept, 6)},
        "declined_share_before_base_rate": round(before, 4),
        "declined_share_expected": round(float(probability.mean()), 4),
    }


def _intercept_for(logit: np.ndarray, target: float, drift: BaseRateShift) -> float:
    from scipy.optimize import brentq

    if not 0 < target < 1:
        raise ConfigError(f"--drift {drift.spec}: the declined share would be {target:.3f}, outside (0, 1)")
    return float(brentq(lambda shift: np.mean(_sigmoid(logit + shift)) - target, -30.0, 30.0, xtol=1e-10))


def _sigmoid(logit: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logit))


def _write(
    seed: int, customers: dict[str, np.ndarray], ids: np.ndarray, out_dir: Path, fmt: Format, quirks: bool
) -> tuple[dict[str, Path], int]:
    """The four tables, a chunk of customers at a time, with the export's quirks planned over all of them."""
    n = ids.shape[0]
    plan = plan_quirks(_stream(seed, "write"), n)
    chunks = (
        customer_tables(
            _stream(seed, "write", 1 + index),
            {name: values[start : start + CHUNK_SIZE].copy() for name, values in customers.items()},
            ids[start : start + CHUNK_SIZE],
            start,
            plan,
            quirks,
        )
        for index, start in enumerate(range(0, n, CHUNK_SIZE))
    )
    return write_chunks(chunks, out_dir, fmt, quirks), len(plan.inactive_positions) if quirks else 0


def _truth(
    from_dir: Path,
    seed: int,
    model_dir: Path | None,
    drifts: Sequence[Drift],
    shifts: list[dict[str, Any]],
    label: dict[str, Any],
    customers: dict[str, np.ndarray],
    last: pd.DataFrame,
    n_stay: int,
    n_join: int,
) -> dict[str, Any]:
    drifted = list(dict.fromkeys(f for d in drifts for f in d.affected_features))
    return {
        "from": str(from_dir),
        "seed": seed,
        "drift_spec": ",".join(d.spec for d in drifts),
        "drift": shifts + [s for s in (label["base_rate"],) if s] + label["concept"],
        "drifted_features": drifted,
        "undrifted_features": [name for name in FEATURE_NAMES if name not in drifted],
        "label": {
            "source": "generator" if model_dir is None else "model",
            "model_dir": None if model_dir is None else str(model_dir),
            "customers_in_both": "drawn from the probability of their last period's features "
            "(the outcome of the last period's prediction)",
            "customers_who_joined": "drawn from the probability of their own features",
            "declined_share_drawn": round(float(np.mean(customers["is_declined"])), 4),
        }
        | {key: value for key, value in label.items() if key not in ("concept", "base_rate")},
        "customers": {
            "last_period": len(last),
            "stayed": n_stay,
            "left": len(last) - n_stay,
            "joined": n_join,
            "next_period": n_stay + n_join,
            "first_joined_id": int(last.index.max()) + 1 if n_join else None,
        },
        "persistence": {"share_carried": PERSISTENCE, "months": dict(MONTH_SHIFT)},
    }
