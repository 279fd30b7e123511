"""Reasons in plain words: a customer's top risk drivers with their values, and why this offer.

A driver is a feature whose contribution raises the customer's risk (positive log-odds). Minutes
and revenue are told as trends ("минуты на сайте упали с 14 до 9"), once per trend; a month's level
that drives risk while the trend rose is told as the level ("минут на сайте, предыдущий месяц 7").
Numbers are written as the reader's language writes them (:func:`oneclick.language.number`):
"0,93" and "5 216" in Russian, "0.93" and "5,216" in English.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from oneclick.features.groups import FEATURE_NAMES, FEATURES, feature_label
from oneclick.ingest.columns import russian_value
from oneclick.language import (
    Coded,
    Lang,
    Texts,
    as_series,
    concat,
    fill,
    join_lists,
    numbers,
    parts,
    positions_by_code,
    short_number,
    short_numbers,
    take,
    texts,
    upper_first,
)

PHRASES: dict[str, dict[str, str]] = {
    "ru": {
        "minutes_fell": "минуты на сайте упали с {before} до {after}",
        "minutes_rose": "минуты на сайте выросли с {before} до {after}",
        "minutes_same": "минуты на сайте не изменились: {after}",
        "revenue_fell": "выручка упала с {before} до {after}",
        "revenue_rose": "выручка выросла с {before} до {after}",
        "revenue_same": "выручка не изменилась: {after}",
        "no_drivers": "модель не видит признаков, повышающих риск",
        "offer": "предложение «{title}»: ожидаемая сохранённая прибыль за {horizon} мес. ≈{saved} за вычетом "
        "затрат {cost}",
        "no_eligible": "нет предложений, подходящих по условиям каталога",
        "not_worth": "ни одно предложение не окупает затрат: лучшее — «{title}», ожидаемая сохранённая прибыль "
        "{saved} при затратах {cost}",
        "yes": "да",
        "no": "нет",
    },
    "en": {
        "minutes_fell": "minutes on site fell from {before} to {after}",
        "minutes_rose": "minutes on site rose from {before} to {after}",
        "minutes_same": "minutes on site unchanged: {after}",
        "revenue_fell": "revenue fell from {before} to {after}",
        "revenue_rose": "revenue rose from {before} to {after}",
        "revenue_same": "revenue unchanged: {after}",
        "no_drivers": "the model sees nothing that raises the risk",
        "offer": "offer “{title}”: expected saved profit over {horizon} months ≈{saved} after its cost of {cost}",
        "no_eligible": "no offer of the catalogue fits this customer",
        "not_worth": "no offer is worth its cost: the best, “{title}”, would save {saved} at a cost of {cost}",
        "yes": "yes",
        "no": "no",
    },
}

# Features told together as one trend: (trend, column before, column after).
_TRENDS = {
    "minutes_previous_month": ("minutes", "minutes_previous_month", "minutes_current_month"),
    "minutes_current_month": ("minutes", "minutes_previous_month", "minutes_current_month"),
    "minutes_change": ("minutes", "minutes_previous_month", "minutes_current_month"),
    "revenue_previous_month": ("revenue", "revenue_previous_month", "revenue_current_month"),
    "revenue_current_month": ("revenue", "revenue_previous_month", "revenue_current_month"),
    "revenue_change": ("revenue", "revenue_previous_month", "revenue_current_month"),
}
_KINDS = {f.name: f.kind for f in FEATURES}
_FEATURE_INDEX = pd.Index(FEATURE_NAMES)
# What a feature is told as: its trend, or itself. Two places of one customer with the same topic are told once.
_TOPICS = pd.factorize(np.array([_TRENDS[name][0] if name in _TRENDS else name for name in FEATURE_NAMES]))[0]
_SHARED_TOPICS = [np.flatnonzero(topic == _TOPICS) for topic in np.flatnonzero(np.bincount(_TOPICS) > 1)]
if np.bincount(_TOPICS).max() > 3:  # _told's walk reads top_n * 3 places: enough while a topic has 3 features
    raise RuntimeError("a trend of more than three features: review offers.reasons._told")
_DIRECTIONS = ("fell", "rose", "same")
_NUMERIC = "{label} {value}"  # доля акционных покупок 0,93
_CATEGORY = "{label}: {value}"  # популярная категория: товары для детей


def risk_drivers(table: pd.DataFrame, contributions: pd.DataFrame, *, lang: Lang = "ru", top_n: int = 3) -> pd.Series:
    """Each customer's ``top_n`` features raising risk, in words with their values, joined by ``; ``.

    >>> risk_drivers(table, contributions).iloc[0]  # doctest: +SKIP
    'доля акционных покупок 0,93; минуты на сайте упали с 14 до 9; сбоев сайта 7'
    """
    in_order = contributions if contributions.columns.equals(_FEATURE_INDEX) else contributions[FEATURE_NAMES]
    told = _told(in_order.to_numpy(dtype=float), top_n)
    n_phrases = np.maximum((told >= 0).sum(axis=1), 1)  # a customer with none has the phrase saying so
    # Each customer's phrases, row by row, as codes into the batch's distinct phrases.
    codes = np.zeros(int(n_phrases.sum()), dtype=np.int64)
    rows, slots = np.nonzero(told >= 0)
    places, features = (np.cumsum(n_phrases) - n_phrases)[rows] + slots, told[rows, slots]
    phrases = [texts([PHRASES[lang]["no_drivers"]])]
    offset = 1
    for feature, chosen in enumerate(positions_by_code(features, len(FEATURE_NAMES))):
        if not len(chosen):
            continue
        phrase_codes, distinct = phrase_dictionary(FEATURE_NAMES[feature], table, rows[chosen], lang)
        codes[places[chosen]] = offset + phrase_codes
        phrases.append(distinct)
        offset += len(distinct)
    words = take(pa.concat_arrays(phrases), codes)
    return as_series(join_lists(words, n_phrases, "; "), table.index, "risk_drivers")


def _told(values: np.ndarray, top_n: int) -> np.ndarray:
    """Per customer, the positions (in FEATURE_NAMES) of the features told, largest first; -1 after the last.

    As walking the contributions from the largest down (ties: the first feature; NaN after every
    number, and raising the risk) until one does not raise the risk, skipping a topic (a trend)
    already told. The walk reads ``top_n * 3`` places: as no topic has more than three features,
    those always hold ``top_n`` topics. Here each place is the largest contribution of a topic not
    yet told, which costs less than sorting every customer's contributions.
    """
    missing = np.isnan(values)
    # where no number stops the walk, it goes on to the NaN, in feature order
    reaches_missing = missing.any(axis=1) & ~(values <= 0).any(axis=1)
    candidates = np.where(missing, 0.0, values)  # a topic told is set to 0 (and not missing) below
    rows = np.arange(len(values))
    told = np.full((len(values), top_n), -1)
    for slot in range(top_n):
        # A few operations over the whole table, not one per feature: each lets the other scoring
        # thread take the GIL, and waiting to get it back costs more than the operation.
        chosen = np.argmax(candidates, axis=1)  # the first largest: ties go to the first feature
        chosen = np.where(candidates[rows, chosen] > 0, chosen, -1)  # only contributions above 0 are told
        if reaches_missing.any():  # nothing left but NaN: the first NaN not told
            first_missing = np.argmax(missing, axis=1)
            left = reaches_missing & (chosen < 0) & missing[rows, first_missing]
            chosen = np.where(left, first_missing, chosen)
        told[:, slot] = chosen
        at = chosen >= 0
        candidates[rows[at], chosen[at]], missing[rows[at], chosen[at]] = 0.0, False
        for features in _SHARED_TOPICS:  # a trend told: its other features are not told either
            in_trend = rows[np.isin(chosen, features)]
            candidates[np.ix_(in_trend, features)], missing[np.ix_(in_trend, features)] = 0.0, False
    return told


def phrase_dictionary(
    feature: str, table: pd.DataFrame, rows: np.ndarray, lang: Lang = "ru"
) -> tuple[np.ndarray, Texts]:
    """:func:`describe_feature` of the customers at ``rows`` (positions in ``table``): codes, distinct phrases.

    Each distinct phrase is written once: a level per distinct value, a trend per distinct pair.
    """
    label = _lower_first(feature_label(feature, lang))
    if feature in _TRENDS:
        trend, before_column, after_column = _TRENDS[feature]
        codes, (before, after) = _distinct_pairs(table, before_column, after_column, rows)
        direction = np.where(after < before, 0, np.where(after > before, 1, 2))
        # A low level (not a change) can drive risk while the trend rose: then tell the level itself.
        level = np.zeros(len(before), dtype=bool) if feature.endswith("_change") else direction != 0
        templates = [PHRASES[lang][f"{trend}_{name}"] for name in _DIRECTIONS] + [_NUMERIC]
        before_words, after_words = short_numbers(before, lang), short_numbers(after, lang)
        pieces = parts(
            templates,
            np.where(level, len(_DIRECTIONS), direction),
            before=before_words,
            after=after_words,
            label=label,
            value=before_words if feature == before_column else after_words,
        )
        return codes, concat(pieces)
    if _KINDS.get(feature) == "numeric":
        codes, distinct = pd.factorize(table[feature].to_numpy(dtype=float)[rows], use_na_sentinel=False)
        return codes, fill(_NUMERIC, label=label, value=short_numbers(distinct, lang))
    codes, distinct = pd.factorize(table[feature].array[rows], use_na_sentinel=False)
    return codes, texts([_CATEGORY.format(label=label, value=_shown(feature, value, lang)) for value in distinct])


def _distinct_pairs(
    table: pd.DataFrame, first: str, second: str, rows: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Codes of the rows' distinct (first, second) values, and those values."""
    first_codes, first_values = pd.factorize(table[first].to_numpy(dtype=float)[rows], use_na_sentinel=False)
    second_codes, second_values = pd.factorize(table[second].to_numpy(dtype=float)[rows], use_na_sentinel=False)
    codes, pairs = pd.factorize(first_codes * len(second_values) + second_codes)
    return codes, (first_values[pairs // len(second_values)], second_values[pairs % len(second_values)])


def _shown(feature: str, value: object, lang: Lang) -> str:
    """A yes/no or category value inside a sentence."""
    if isinstance(value, bool | np.bool_):
        return PHRASES[lang]["yes" if value else "no"]
    shown = russian_value(feature, str(value)) if lang == "ru" else str(value).replace("_", " ")
    return _lower_first(shown)


def describe_feature(feature: str, row: Mapping[str, object], lang: Lang = "ru") -> str:
    """One feature of one customer in words: ``доля акционных покупок 0,93``, a trend, or a category."""
    table = pd.DataFrame({name: [value] for name, value in row.items()})
    codes, phrases = phrase_dictionary(feature, table, np.array([0]), lang)
    return str(phrases[int(codes[0])])


def reasons(
    drivers: Texts,
    titles: Coded,
    is_worth: np.ndarray,
    saved: np.ndarray,
    cost: np.ndarray,
    horizon: float,
    lang: Lang = "ru",
) -> Texts:
    """``Drivers. Decision`` as two sentences for every customer (just the decision where there are no drivers).

    The decision: this offer (where ``is_worth``: what it saves against what it costs), or why
    none: none fits (``titles`` code -1), or none is worth its cost. ``titles``: each customer's best offer.
    """
    has_drivers = pc.not_equal(drivers, "").fill_null(False).to_numpy(zero_copy_only=False)
    templates = ["{drivers}{separator}" + _upper_first(template) for template in _decisions(lang)]
    return concat(
        parts(
            templates,
            _decision(titles, is_worth),
            drivers=upper_first(drivers),
            separator=Coded(has_drivers.astype(np.int64), ["", ". "]),
            **_decision_fields(titles, saved, cost, horizon, lang),
        )
    )


def decisions(
    titles: Coded, is_worth: np.ndarray, saved: np.ndarray, cost: np.ndarray, horizon: float, lang: Lang = "ru"
) -> Texts:
    """The decision alone, for every customer (see :func:`reasons`)."""
    fields = _decision_fields(titles, saved, cost, horizon, lang)
    return concat(parts(_decisions(lang), _decision(titles, is_worth), **fields))


def _decisions(lang: Lang) -> list[str]:
    return [PHRASES[lang]["offer"], PHRASES[lang]["not_worth"], PHRASES[lang]["no_eligible"]]


def _decision(titles: Coded, is_worth: np.ndarray) -> np.ndarray:
    return np.where(is_worth, 0, np.where(np.asarray(titles.codes) >= 0, 1, 2))


def _decision_fields(
    titles: Coded, saved: np.ndarray, cost: np.ndarray, horizon: float, lang: Lang
) -> dict[str, Coded | Texts | str]:
    return {
        "title": titles,
        "saved": numbers(saved, lang, 2),
        "cost": numbers(cost, lang, 2),
        "horizon": short_number(horizon, lang),
    }


def offer_phrase(title: str, saved: float, cost: float, horizon: float, lang: Lang = "ru") -> str:
    """Why this offer: what it saves against what it costs."""
    one = Coded(np.array([0]), [title])
    return str(decisions(one, np.array([True]), np.array([saved]), np.array([cost]), horizon, lang)[0])


def no_offer_phrase(title: str | None, saved: float, cost: float, lang: Lang = "ru") -> str:
    """Why no offer: none fits the customer (``title`` is None), or none is worth its cost."""
    one = Coded(np.array([-1 if title is None else 0]), [title or ""])
    return str(decisions(one, np.array([False]), np.array([saved]), np.array([cost]), 0, lang)[0])


def join_reason(drivers: str, decision: str) -> str:
    """``Drivers. Decision`` as two sentences (just the decision when there are no drivers)."""
    separator = Coded(np.array([1 if drivers else 0]), ["", ". "])
    pieces = parts(
        ["{drivers}{separator}{decision}"],
        None,
        drivers=upper_first(texts([drivers])),
        separator=separator,
        decision=upper_first(texts([decision])),
    )
    return str(concat(pieces)[0])


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text
