"""One batch of customers: probability, drivers, segment and best offer, with the library's own functions.

Everything a batch computes depends on the customer alone and on the plan's global numbers,
never on the other customers of the batch. Texts in words (drivers, reasons) are written a column
at a time (see ``oneclick.language``), only for the customers ``reasons`` asks for; the top
drivers as feature names and contributions are always there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd

from oneclick.batch.campaign import hull_segments
from oneclick.features.groups import FEATURE_NAMES
from oneclick.language import as_series
from oneclick.model import LoadedModel, check_schema
from oneclick.model.drivers import driver_words
from oneclick.model.explain import Explanation
from oneclick.model.prepared import decline_probability, prepare_table
from oneclick.model.score import CONTRIBUTION_PREFIX, explain_customers
from oneclick.model.threads import one_thread
from oneclick.offers import NO_OFFER, OfferCatalogue, OfferValues, offer_values, risk_drivers
from oneclick.offers.choose import offer_reasons
from oneclick.offers.value import best_positions
from oneclick.segments import SegmentScheme, Thresholds, cell_name
from oneclick.segments.assign import SEGMENT_SEPARATOR, scoring_table
from oneclick.segments.conditions import PROFIT, RISK, rule_values

Drivers = Literal["all", "offered", "none"]


class ScoringRules(Protocol):
    """What scoring a customer needs of the whole data: rules with every learned value made a number.

    A :class:`~oneclick.batch.plan.BatchPlan` is one; the service builds its own from a stored run.
    """

    @property
    def scheme(self) -> SegmentScheme: ...
    @property
    def catalogue(self) -> OfferCatalogue: ...
    @property
    def thresholds(self) -> Thresholds: ...


Lang = Literal["ru", "en"]
_FEATURES = pd.Index(FEATURE_NAMES, dtype=object)


def categories(names: Sequence[str]) -> pd.CategoricalDtype:
    """A categorical type over ``names`` held as Python strings.

    pandas would hold them as Arrow strings, which it converts to Python objects again at
    every lookup; a batch's categoricals are built from their codes, never looked up by name.
    """
    return _categories(tuple(names))


@lru_cache(maxsize=64)  # a few lists of names; more than ten segments give one per batch
def _categories(names: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(pd.Index(list(names), dtype=object))  # immutable: one per list of names


@dataclass(frozen=True)
class BatchOptions:
    """What each batch computes and writes."""

    with_offers: bool = True
    drivers: Drivers = "all"  # whose top drivers are explained
    reasons: bool = False  # drivers and offer reasons in words too, for the customers with drivers
    lang: Lang = "ru"
    n_drivers: int = 3
    with_contributions: bool = False
    with_candidates: bool = False  # the campaign's candidate steps, when a budget is set


@dataclass(frozen=True)
class BatchOutput:
    """The frames one batch writes (``offers`` and ``candidates`` may be empty)."""

    scores: pd.DataFrame
    offers: pd.DataFrame | None
    candidates: pd.DataFrame | None


def score_batch(table: pd.DataFrame, loaded: LoadedModel, plan: ScoringRules, options: BatchOptions) -> BatchOutput:
    """Score one batch of the customer table (indexed by customer id, in id order)."""
    X = table[loaded.feature_names]
    check_schema(loaded, X)
    with one_thread():  # each component preprocesses the batch once, for the probability and the explanation
        prepared = prepare_table(loaded.model, X, loaded.preparations)
        probability = decline_probability(loaded.model, prepared)
    rounded = probability.round(6)
    # the columns of ``scores``, made into a frame once: on a few customers each frame costs more than its numbers
    columns: dict[str, Any] = {"decline_probability": rounded, "is_high_risk": probability >= loaded.threshold}
    offers, values = (None, None)  # the columns of ``offers``, and the offers' values
    if options.with_offers:
        offers, values = _offers(table, pd.Series(rounded, index=X.index, name="decline_probability"), plan)
    wanted = np.full(len(X), options.drivers == "all")
    if options.drivers == "offered" and offers is not None:
        wanted = np.asarray(offers["offer"] != NO_OFFER)
    explanation, explained = None, prepared.rows(wanted)
    if wanted.any():
        explanation = explain_customers(loaded, explained.table, explained.inputs)
    order = _driver_columns(explanation, X.index, options, columns)
    if explanation is not None and options.reasons:
        columns |= _driver_texts(order[wanted], explanation, explained.table, X.index, options)
        if offers is not None and values is not None:
            offers |= _reasons(table, explanation, values, plan, options)
    candidates = _candidates(values, plan) if options.with_candidates and values is not None else None
    offer_frame = pd.DataFrame(offers, index=table.index) if offers is not None else None
    return BatchOutput(pd.DataFrame(columns, index=X.index), offer_frame, candidates)


def _driver_columns(
    explanation: Explanation | None, index: pd.Index, options: BatchOptions, columns: dict[str, Any]
) -> np.ndarray:
    """``driver_k_feature`` and ``driver_k_contribution``, ordered as ``model.drivers.top_drivers`` orders them.

    Added to ``columns``, with the contributions when ``options`` asks for them; returns each
    customer's drivers as positions in ``FEATURE_NAMES``. Customers without an explanation have
    none (``options.drivers`` decides who has one).
    """
    codes = np.full((len(index), options.n_drivers), -1)
    top = np.full((len(index), options.n_drivers), np.nan)
    rows = np.zeros(0, dtype=np.int64)
    if explanation is not None and len(explanation.contributions):
        values = explanation.contributions.to_numpy()
        features = _FEATURES.get_indexer(explanation.contributions.columns)
        if (features < 0).any():
            raise ValueError(f"contributions of unknown features: {list(explanation.contributions.columns)}")
        order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, : options.n_drivers]
        rows = index.get_indexer(explanation.contributions.index)
        codes[rows, : order.shape[1]] = features[order]
        top[rows, : order.shape[1]] = np.round(np.take_along_axis(values, order, axis=1), 4)
    for rank in range(options.n_drivers):
        columns[f"driver_{rank + 1}_feature"] = pd.Categorical.from_codes(codes[:, rank], dtype=categories(_FEATURES))
        columns[f"driver_{rank + 1}_contribution"] = top[:, rank]
    if options.with_contributions:
        contributions = np.full((len(index), len(FEATURE_NAMES)), np.nan)
        if explanation is not None:
            contributions[rows] = explanation.contributions[FEATURE_NAMES].round(5).to_numpy()
        for position, name in enumerate(FEATURE_NAMES):
            columns[f"{CONTRIBUTION_PREFIX}{name}"] = contributions[:, position]
    return codes


def _driver_texts(
    order: np.ndarray, explanation: Explanation, X: pd.DataFrame, index: pd.Index, options: BatchOptions
) -> dict[str, pd.Series]:
    """``driver_1`` .. ``driver_n`` in words (``model.drivers.driver_words``) for the explained customers ``X``.

    The words tell the features ``order`` (positions in ``FEATURE_NAMES``, a row per customer of
    ``X``), with their exact contributions; customers of ``index`` not in ``X`` have none.
    """
    given = explanation.contributions
    in_order = given if given.columns.equals(_FEATURES) else given.reindex(columns=FEATURE_NAMES)
    contributions = in_order.to_numpy(dtype=float)
    top = np.take_along_axis(contributions, order, axis=1)
    words = driver_words(FEATURE_NAMES, order, top, X, options.lang)
    every = X.index.equals(index)
    texts = {f"driver_{k + 1}": as_series(text, X.index) for k, text in enumerate(words)}
    return texts if every else {name: text.reindex(index) for name, text in texts.items()}


def _offers(table: pd.DataFrame, probability: pd.Series, plan: ScoringRules) -> tuple[dict[str, Any], OfferValues]:
    """Segment and best offer per customer, as ``offers.choose_offers`` decides them, without the texts.

    The columns of ``offers`` (the batch's customers, in order), and the offers' values.
    """
    scoring = scoring_table(table, probability)
    membership, primary, cell = assign_batch_segments(scoring, plan.scheme, plan.thresholds)
    values = offer_values(scoring, plan.catalogue, plan.thresholds, membership)
    saved, cost = values.expected_saved_profit.to_numpy(dtype=float), values.cost.to_numpy(dtype=float)
    found = best_positions(saved, cost)  # offers.value.best_offers' choice, as positions
    rows, position = np.arange(len(found)), np.maximum(found, 0)
    best_saved = np.where(found >= 0, saved[rows, position], np.nan)
    worth = best_saved > plan.catalogue.min_expected_saved_profit
    risk = scoring["decline_probability"].to_numpy(dtype=float)
    profit = scoring["profit"].to_numpy(dtype=float)
    offers = {
        "primary_segment": primary,
        "segments": segment_lists(membership, plan.scheme.names),
        "risk_profit_cell": cell,
        "decline_probability": risk,
        "is_high_risk": risk >= plan.thresholds.high_risk,
        "profit": profit,
        "profit_at_risk": risk * profit,
        "offer": pd.Categorical.from_codes(
            np.where(worth, position, len(plan.catalogue.ids)), dtype=categories([*plan.catalogue.ids, NO_OFFER])
        ),
        "offer_cost": np.where(worth, cost[rows, position], 0.0),
        "offer_uplift_assumed": np.where(worth, values.uplift.to_numpy(dtype=float)[rows, position], 0.0),
        "expected_saved_profit": np.where(worth, best_saved, 0.0),
        "n_eligible_offers": values.eligible.to_numpy().sum(axis=1, dtype=np.int64),
    }
    return offers, values


def assign_batch_segments(
    scoring: pd.DataFrame, scheme: SegmentScheme, thresholds: Thresholds
) -> tuple[pd.DataFrame, pd.Categorical, pd.Categorical]:
    """Memberships (named segments, then cells), primary segment and cell: ``segments.assign_segments``'
    rules with the plan's thresholds, with the per-customer names built by numpy rather than in Python."""
    members: dict[str, np.ndarray] = {}
    for segment in scheme.segments:  # a segment's rule may name the segments before it
        members[segment.name] = rule_values(segment.when, scoring, thresholds, members)
    is_high_risk = scoring[RISK].to_numpy() >= thresholds.high_risk
    is_high_profit = scoring[PROFIT].to_numpy() >= thresholds.high_profit
    cell_position = 2 * (~is_high_risk) + (~is_high_profit)  # CELLS is high/high, high/low, low/high, low/low
    cells = [cell_name(r, p) for r in ("high", "low") for p in ("high", "low")]
    primary = len(scheme.names) + cell_position
    for position in reversed(range(len(scheme.names))):  # the first matching segment in config order wins
        primary = np.where(members[scheme.names[position]], position, primary)
    for position, name in enumerate(cells):
        members[name] = cell_position == position
    membership = pd.DataFrame(
        np.column_stack(list(members.values())), index=scoring.index, columns=list(members), copy=False
    )
    return (
        membership,
        pd.Categorical.from_codes(primary, dtype=categories([*scheme.names, *cells])),
        pd.Categorical.from_codes(cell_position, dtype=categories(cells)),
    )


def segment_lists(membership: pd.DataFrame, names: Sequence[str]) -> pd.Categorical:
    """Each customer's named segments joined by ``;``, as offers.csv writes them (``""``: none).

    A customer's segments are a bit pattern, each pattern joined once, not once per customer. Up to
    ten segments the categories are every pattern, so every batch writes the same ones and the part
    files read back as one column; with more, the patterns present.
    """
    positions = membership.columns.get_indexer(list(names))
    if (positions < 0).any():
        raise KeyError(f"segments {[n for n, p in zip(names, positions, strict=True) if p < 0]} are not assigned")
    bits = membership.to_numpy()[:, positions].astype(np.int64)
    patterns = bits @ (np.int64(1) << np.arange(len(names), dtype=np.int64))
    if len(names) <= 10:  # the categories are every pattern, in order: a pattern is its own code
        return pd.Categorical.from_codes(patterns, dtype=_every_pattern(tuple(names)))
    every = np.unique(patterns)
    return pd.Categorical.from_codes(np.searchsorted(every, patterns), dtype=categories(_labels(names, every)))


@lru_cache(maxsize=16)
def _every_pattern(names: tuple[str, ...]) -> pd.CategoricalDtype:
    """The labels of every pattern of up to ten segments, as a categorical type (the same for every batch)."""
    return categories(_labels(names, np.arange(2 ** len(names), dtype=np.int64)))


def _labels(names: Sequence[str], patterns: np.ndarray) -> list[str]:
    return [SEGMENT_SEPARATOR.join(n for k, n in enumerate(names) if int(p) >> k & 1) for p in patterns]


def _reasons(
    table: pd.DataFrame,
    explanation: Explanation,
    values: OfferValues,
    plan: ScoringRules,
    options: BatchOptions,
) -> dict[str, pd.Series]:
    """``risk_drivers`` and ``reason`` in words (offers.reasons, offers.choose) for the explained customers.

    Indexed like ``table``; customers without an explanation have none (missing).
    """
    rows = explanation.contributions.index
    every = rows.equals(table.index)  # drivers="all": no copies of the batch's tables

    def part(frame: pd.DataFrame) -> pd.DataFrame:
        return frame if every else frame.loc[rows]

    drivers = risk_drivers(part(table), explanation.contributions, lang=options.lang, top_n=options.n_drivers)
    picked = OfferValues(
        part(values.eligible), part(values.cost), part(values.uplift), part(values.expected_saved_profit)
    )
    reason = offer_reasons(picked, plan.catalogue, drivers, lang=options.lang)  # as choose_offers writes it
    # the texts stay Arrow strings, as they are written: customers without them are missing
    if every:
        return {"risk_drivers": drivers, "reason": reason}
    return {"risk_drivers": drivers.reindex(table.index), "reason": reason.reindex(table.index)}


def _candidates(values: OfferValues, plan: ScoringRules) -> pd.DataFrame:
    """The campaign's steps per customer: the upper hull of (cost, saving) of the offers worth their cost."""
    saved = values.expected_saved_profit.to_numpy(dtype=float)
    cost = values.cost.to_numpy(dtype=float)
    rows, step, position, d_cost, d_saved = hull_segments(saved, cost, plan.catalogue.min_expected_saved_profit)
    offer_ids = np.asarray(values.cost.columns, dtype=object)
    efficiency = np.divide(d_saved, d_cost, out=np.full(len(d_cost), np.inf), where=d_cost > 0)
    return pd.DataFrame(
        {
            "customer_id": values.cost.index.to_numpy(dtype="int64")[rows],
            "step": step,
            "offer": offer_ids[position],
            "step_cost": d_cost,
            "step_saved": d_saved,
            "efficiency": efficiency,
        }
    )
