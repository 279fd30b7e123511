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
    Lang,
    Texts,
    as_series,
    by_choice,
    fill,
    join,
    numbers,
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
# What a feature is told as: its trend, or itself. Two places of one customer with the same topic are told once.
_TOPICS = pd.factorize(np.array([_TRENDS[name][0] if name in _TRENDS else name for name in FEATURE_NAMES]))[0]
_DIRECTIONS = ("fell", "rose", "same")
_NUMERIC = "{label} {value}"  # доля акционных покупок 0,93
_CATEGORY = "{label}: {value}"  # популярная категория: товары для детей


def risk_drivers(table: pd.DataFrame, contributions: pd.DataFrame, *, lang: Lang = "ru", top_n: int = 3) -> pd.Series:
    """Each customer's ``top_n`` features raising risk, in words with their values, joined by ``; ``.

    >>> risk_drivers(table, contributions).iloc[0]  # doctest: +SKIP
    'доля акционных покупок 0,93; минуты на сайте упали с 14 до 9; сбоев сайта 7'
    """
    told = _told(contributions[FEATURE_NAMES].to_numpy(dtype=float), top_n)
    slots = _phrases(table, told, lang)
    words = pc.if_else(pa.array(told[:, 0] < 0), PHRASES[lang]["no_drivers"], join(slots, "; "))
    return as_series(words, table.index, "risk_drivers")


def _told(values: np.ndarray, top_n: int) -> np.ndarray:
    """Per customer, the positions (in FEATURE_NAMES) of the features told, largest first; -1 after the last.

    The largest contributions in turn, up to the first that does not raise the risk; a topic
    (a trend) already told is skipped, so a trend may take several places: ``top_n * 3`` are read.
    """
    order = np.argsort(-values, axis=1, kind="stable")[:, : top_n * 3]
    raises = np.logical_and.accumulate(~(np.take_along_axis(values, order, axis=1) <= 0), axis=1)
    topics = _TOPICS[order]
    new = raises.copy()
    for place in range(1, order.shape[1]):
        new[:, place] &= ~(topics[:, :place] == topics[:, place : place + 1]).any(axis=1)
    new &= np.cumsum(new, axis=1) <= top_n
    told = np.full((len(values), top_n), -1)
    rows, places = np.nonzero(new)
    told[rows, np.cumsum(new, axis=1)[rows, places] - 1] = order[rows, places]
    return told


def _phrases(table: pd.DataFrame, told: np.ndarray, lang: Lang) -> list[Texts]:
    """The phrase of each customer's k-th feature told, for k = 1 .. top_n (missing where none)."""
    rows, slots = np.nonzero(told >= 0)
    features = told[rows, slots]
    phrases = by_choice(
        features, lambda position, chosen: describe_rows(FEATURE_NAMES[position], table, rows[chosen], lang)
    )
    where = np.full(told.shape, -1)
    where[rows, slots] = np.arange(len(rows))
    return [take(phrases, where[:, slot]) for slot in range(told.shape[1])]


def describe_rows(feature: str, table: pd.DataFrame, rows: np.ndarray, lang: Lang = "ru") -> Texts:
    """:func:`describe_feature` of the customers at ``rows`` (positions in ``table``)."""
    if feature in _TRENDS:
        trend, before_column, after_column = _TRENDS[feature]
        before = table[before_column].to_numpy(dtype=float)[rows]
        after = table[after_column].to_numpy(dtype=float)[rows]
        direction = np.where(after < before, 0, np.where(after > before, 1, 2))
        # A low level (not a change) can drive risk while the trend rose: then tell the level itself.
        level = np.zeros(len(rows), dtype=bool) if feature.endswith("_change") else direction != 0
        which = np.where(level, len(_DIRECTIONS), direction)

        def told_as(choice: int, chosen: np.ndarray) -> Texts:
            if choice == len(_DIRECTIONS):
                return _level(feature, table, rows[chosen], lang)
            template = PHRASES[lang][f"{trend}_{_DIRECTIONS[choice]}"]
            return fill(template, before=short_numbers(before[chosen], lang), after=short_numbers(after[chosen], lang))

        return by_choice(which, told_as)
    return _level(feature, table, rows, lang)


def _level(feature: str, table: pd.DataFrame, rows: np.ndarray, lang: Lang) -> Texts:
    """A feature's own value: ``доля акционных покупок 0,93``, ``тип сервиса: стандарт``."""
    label = _lower_first(feature_label(feature, lang))
    values = table[feature].iloc[rows]
    if _KINDS.get(feature) == "numeric":
        return fill(_NUMERIC, label=label, value=short_numbers(values.to_numpy(dtype=float), lang))
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return take(texts([_CATEGORY.format(label=label, value=_shown(feature, value, lang)) for value in distinct]), codes)


def _shown(feature: str, value: object, lang: Lang) -> str:
    """A yes/no or category value inside a sentence."""
    if isinstance(value, bool | np.bool_):
        return PHRASES[lang]["yes" if value else "no"]
    shown = russian_value(feature, str(value)) if lang == "ru" else str(value).replace("_", " ")
    return _lower_first(shown)


def describe_feature(feature: str, row: Mapping[str, object], lang: Lang = "ru") -> str:
    """One feature of one customer in words: ``доля акционных покупок 0,93``, a trend, or a category."""
    table = pd.DataFrame({name: [value] for name, value in row.items()})
    return str(describe_rows(feature, table, np.array([0]), lang)[0])


def offer_phrases(titles: Texts, saved: np.ndarray, cost: np.ndarray, horizon: float, lang: Lang = "ru") -> Texts:
    """Why this offer, for many customers: what it saves against what it costs."""
    return fill(
        PHRASES[lang]["offer"],
        title=titles,
        saved=numbers(saved, lang, 2),
        cost=numbers(cost, lang, 2),
        horizon=short_number(horizon, lang),
    )


def no_offer_phrases(titles: Texts, saved: np.ndarray, cost: np.ndarray, lang: Lang = "ru") -> Texts:
    """Why no offer, for many customers: none fits (a missing title), or none is worth its cost."""
    fits = pc.is_valid(titles).to_numpy(zero_copy_only=False)

    def phrase(choice: int, rows: np.ndarray) -> Texts:
        if choice == 0:
            return take(texts([PHRASES[lang]["no_eligible"]]), np.zeros(len(rows), dtype=np.int64))
        return fill(
            PHRASES[lang]["not_worth"],
            title=titles.take(rows),
            saved=numbers(saved[rows], lang, 2),
            cost=numbers(cost[rows], lang, 2),
        )

    return by_choice(fits.astype(np.int64), phrase)


def join_reasons(drivers: Texts, decisions: Texts) -> Texts:
    """``Drivers. Decision`` as two sentences, for many customers (just the decision where there are no drivers)."""
    drivers = pc.if_else(pc.equal(drivers, ""), pa.scalar(None, drivers.type), drivers)
    return join([upper_first(drivers), upper_first(decisions)], ". ")


def offer_phrase(title: str, saved: float, cost: float, horizon: float, lang: Lang = "ru") -> str:
    """Why this offer: what it saves against what it costs."""
    return str(offer_phrases(texts([title]), np.array([saved]), np.array([cost]), horizon, lang)[0])


def no_offer_phrase(title: str | None, saved: float, cost: float, lang: Lang = "ru") -> str:
    """Why no offer: none fits the customer (``title`` is None), or none is worth its cost."""
    return str(no_offer_phrases(texts([title]), np.array([saved]), np.array([cost]), lang)[0])


def join_reason(drivers: str, decision: str) -> str:
    """``Drivers. Decision`` as two sentences (just the decision when there are no drivers)."""
    return str(join_reasons(texts([drivers]), texts([decision]))[0])


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text
