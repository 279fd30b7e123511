"""Reasons in plain words: a customer's top risk drivers with their values, and why this offer.

A driver is a feature whose contribution raises the customer's risk (positive log-odds). Minutes
and revenue are told as trends ("минуты на сайте упали с 14 до 9"), once per trend; a month's level
that drives risk while the trend rose is told as the level ("минут на сайте, предыдущий месяц 7").
Numbers are written as the reader's language writes them (:func:`oneclick.language.number`):
"0,93" and "5 216" in Russian, "0.93" and "5,216" in English.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from oneclick.features.groups import FEATURE_NAMES, FEATURES, feature_label
from oneclick.ingest.columns import russian_value
from oneclick.language import Lang, number, short_number

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


def risk_drivers(table: pd.DataFrame, contributions: pd.DataFrame, *, lang: Lang = "ru", top_n: int = 3) -> pd.Series:
    """Each customer's ``top_n`` features raising risk, in words with their values, joined by ``; ``.

    >>> risk_drivers(table, contributions).iloc[0]  # doctest: +SKIP
    'доля акционных покупок 0,93; минуты на сайте упали с 14 до 9; сбоев сайта 7'
    """
    values = contributions[FEATURE_NAMES].to_numpy(dtype=float)
    order = np.argsort(-values, axis=1, kind="stable")[:, : top_n * 3]  # a trend may take several places
    columns = {name: table[name].tolist() for name in FEATURE_NAMES if name in table}
    # Customers share most values (counts, categories, shares): each phrase is written once.
    written: dict[tuple[object, ...], str] = {}
    texts = []
    for row in range(len(table)):
        phrases: list[str] = []
        told: set[str] = set()
        for position in order[row]:
            if len(phrases) == top_n or values[row, position] <= 0:
                break
            feature = FEATURE_NAMES[position]
            key = _TRENDS[feature][0] if feature in _TRENDS else feature
            if key not in told:
                told.add(key)
                used = _TRENDS[feature][1:] if feature in _TRENDS else (feature,)
                cache_key = (feature, *(columns[name][row] for name in used))
                if cache_key not in written:
                    written[cache_key] = describe_feature(feature, _Row(columns, row), lang)
                phrases.append(written[cache_key])
        texts.append("; ".join(phrases) if phrases else PHRASES[lang]["no_drivers"])
    return pd.Series(texts, index=table.index, name="risk_drivers", dtype=object)


class _Row(Mapping[str, object]):
    """One customer's values, read from column lists without building a dict per customer."""

    def __init__(self, columns: dict[str, list[object]], row: int) -> None:
        self._columns, self._row = columns, row

    def __getitem__(self, name: str) -> object:
        return self._columns[name][self._row]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


def describe_feature(feature: str, row: Mapping[str, object], lang: Lang = "ru") -> str:
    """One feature of one customer in words: ``доля акционных покупок 0,93``, a trend, or a category."""
    if feature in _TRENDS:
        trend, before_column, after_column = _TRENDS[feature]
        before, after = float(row[before_column]), float(row[after_column])  # type: ignore[arg-type]
        direction = "fell" if after < before else "rose" if after > before else "same"
        # A low level (not a change) can drive risk while the trend rose: then tell the level itself.
        if feature.endswith("_change") or direction == "fell":
            return PHRASES[lang][f"{trend}_{direction}"].format(
                before=short_number(before, lang), after=short_number(after, lang)
            )
    label = _lower_first(feature_label(feature, lang))
    value = row[feature]
    if _KINDS.get(feature) == "numeric":
        return f"{label} {short_number(float(value), lang)}"  # type: ignore[arg-type]
    if isinstance(value, bool | np.bool_):
        return f"{label}: {PHRASES[lang]['yes' if value else 'no']}"
    shown = russian_value(feature, str(value)) if lang == "ru" else str(value).replace("_", " ")
    return f"{label}: {_lower_first(shown)}"


def offer_phrase(title: str, saved: float, cost: float, horizon: float, lang: Lang = "ru") -> str:
    """Why this offer: what it saves against what it costs."""
    return PHRASES[lang]["offer"].format(
        title=title, saved=number(saved, lang, 2), cost=number(cost, lang, 2), horizon=short_number(horizon, lang)
    )


def no_offer_phrase(title: str | None, saved: float, cost: float, lang: Lang = "ru") -> str:
    """Why no offer: none fits the customer, or none is worth its cost."""
    if title is None:
        return PHRASES[lang]["no_eligible"]
    return PHRASES[lang]["not_worth"].format(title=title, saved=number(saved, lang, 2), cost=number(cost, lang, 2))


def join_reason(drivers: str, decision: str) -> str:
    """``Drivers. Decision`` as two sentences (just the decision when there are no drivers)."""
    return ". ".join(_upper_first(part) for part in (drivers, decision) if part)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text
