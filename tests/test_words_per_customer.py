"""The texts written a column at a time read word for word as the per-customer code wrote them.

The oracle below is the per-customer code of commit afa18e5 (language.number, model.drivers,
offers.reasons, offers.choose), kept here only to compare with; the customers are synthetic,
with ties, zero and negative contributions, NaN, near-halves, huge numbers, customers no offer
fits and customers no offer is worth.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from oneclick.features.groups import FEATURE_NAMES, FEATURES, feature_label
from oneclick.ingest.columns import russian_value
from oneclick.language import number, numbers, short_number, short_numbers
from oneclick.model.drivers import DIRECTION, YES_NO, top_drivers
from oneclick.model.explain import Explanation
from oneclick.offers import OfferValues, choose_offers, load_catalogue, risk_drivers
from oneclick.offers.choose import pick
from oneclick.offers.reasons import PHRASES
from oneclick.offers.value import best_offers

N = 3_000
EDGES = [0.005, -0.005, 0.015, 1.005, 2.675, 0.125, -0.125, 0.5, 2.5, 99.995, 99.999, 100.0, 1e16, -0.0, np.nan, np.inf]


# -- the oracle: afa18e5's per-customer code ------------------------------------------------------------------------


def old_number(value: float, lang: str, digits: int = 1, *, trim: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    if round(value, digits) == 0:
        value = 0.0
    text = f"{value:,.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "ru":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text.replace("-", "−")


def old_short_number(value: float, lang: str) -> str:
    whole = float(value).is_integer() or abs(value) >= 100
    return old_number(value, lang, 0 if whole else 2, trim=True)


def old_format_value(feature: str, value: object, lang: str) -> str:
    if isinstance(value, bool | np.bool_):
        return YES_NO[lang][bool(value)]
    if isinstance(value, str):
        return russian_value(feature, value) if lang == "ru" else value.replace("_", " ")
    return old_short_number(float(value), lang)  # type: ignore[arg-type]


def old_top_drivers(contributions: pd.DataFrame, X: pd.DataFrame, n: int, lang: str) -> list[list[str]]:
    values, features = contributions.to_numpy(), list(contributions.columns)
    columns = {name: X[name].tolist() for name in features}
    texts = []
    for row in range(len(values)):
        order = np.argsort(-np.abs(values[row]), kind="stable")[:n]
        words = [(features[p], columns[features[p]][row], values[row, p] > 0) for p in order]
        texts.append(
            [f"{feature_label(f, lang)} = {old_format_value(f, v, lang)} ({DIRECTION[lang][up]})" for f, v, up in words]
        )
    return texts


_TRENDS = {
    f"{trend}_{part}": (trend, f"{trend}_previous_month", f"{trend}_current_month")
    for trend in ("minutes", "revenue")
    for part in ("previous_month", "current_month", "change")
}
_KINDS = {f.name: f.kind for f in FEATURES}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def old_describe_feature(feature: str, row: dict[str, object], lang: str) -> str:
    if feature in _TRENDS:
        trend, before_column, after_column = _TRENDS[feature]
        before, after = float(row[before_column]), float(row[after_column])  # type: ignore[arg-type]
        direction = "fell" if after < before else "rose" if after > before else "same"
        if feature.endswith("_change") or direction == "fell":
            return PHRASES[lang][f"{trend}_{direction}"].format(
                before=old_short_number(before, lang), after=old_short_number(after, lang)
            )
    label = _lower_first(feature_label(feature, lang))  # type: ignore[arg-type]
    value = row[feature]
    if _KINDS.get(feature) == "numeric":
        return f"{label} {old_short_number(float(value), lang)}"  # type: ignore[arg-type]
    if isinstance(value, bool | np.bool_):
        return f"{label}: {PHRASES[lang]['yes' if value else 'no']}"
    shown = russian_value(feature, str(value)) if lang == "ru" else str(value).replace("_", " ")
    return f"{label}: {_lower_first(shown)}"


def old_risk_drivers(table: pd.DataFrame, contributions: pd.DataFrame, lang: str, top_n: int) -> list[str]:
    values = contributions[FEATURE_NAMES].to_numpy(dtype=float)
    order = np.argsort(-values, axis=1, kind="stable")[:, : top_n * 3]
    columns = {name: table[name].tolist() for name in FEATURE_NAMES}
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
                phrases.append(old_describe_feature(feature, {n: columns[n][row] for n in columns}, lang))
        texts.append("; ".join(phrases) if phrases else PHRASES[lang]["no_drivers"])
    return texts


def old_reasons(values: OfferValues, catalogue: object, drivers: pd.Series, lang: str) -> tuple[list[str], list[str]]:
    best, best_saved = best_offers(values)
    worth = (best_saved > catalogue.min_expected_saved_profit).tolist()  # type: ignore[attr-defined]
    cost = pick(values.cost, best)
    titles = {offer.id: offer.label(lang) for offer in catalogue.offers}  # type: ignore[attr-defined]
    driver_texts = drivers.reindex(values.cost.index).fillna("").astype(str).tolist()
    reasons = []
    for offer_id, saved, spent, is_worth, driver_text in zip(
        best.tolist(), best_saved.tolist(), cost.tolist(), worth, driver_texts, strict=True
    ):
        money = {"saved": old_number(saved, lang, 2), "cost": old_number(spent, lang, 2)}
        if is_worth:
            horizon = old_short_number(catalogue.horizon_months, lang)  # type: ignore[attr-defined]
            decision = PHRASES[lang]["offer"].format(title=titles[offer_id], horizon=horizon, **money)
        elif (title := titles.get(offer_id) if offer_id else None) is None:
            decision = PHRASES[lang]["no_eligible"]
        else:
            decision = PHRASES[lang]["not_worth"].format(title=title, **money)
        reasons.append(". ".join(_upper_first(part) for part in (driver_text, decision) if part))
    return reasons, [titles[o] if w else "" for o, w in zip(best, worth, strict=True)]


# -- synthetic customers --------------------------------------------------------------------------------------------


def _sprinkle(rng: np.random.Generator, values: np.ndarray, share: float = 0.05) -> np.ndarray:
    """``values`` with a share of them replaced by edge cases (near-halves, huge, NaN, infinity)."""
    values = values.astype(float).copy()
    rows = rng.random(len(values)) < share
    values[rows] = rng.choice(EDGES, rows.sum())
    return values


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    categories = ["kids_goods", "home_textiles", "kitchenware", "small_appliances_electronics", "beauty_health_tech"]
    previous = rng.normal(5000, 800, N).round(1)
    current = np.where(rng.random(N) < 0.2, previous, rng.normal(4800, 900, N).round(1))  # some unchanged
    minutes_before = rng.integers(5, 25, N).astype(float)
    minutes_after = np.where(rng.random(N) < 0.2, minutes_before, rng.integers(5, 25, N))
    table = pd.DataFrame(
        {
            "service_type": pd.Categorical(rng.choice(["standard", "premium"], N), categories=["premium", "standard"]),
            "allows_messages": rng.random(N) < 0.7,
            "marketing_contacts_6m_avg": _sprinkle(rng, rng.integers(0, 70, N) / 10),
            "marketing_contacts_current_month": rng.integers(0, 6, N),
            "days_since_registration": rng.integers(100, 1200, N),
            "promo_purchase_share": _sprinkle(rng, rng.integers(0, 101, N) / 100),
            "favourite_category": pd.Categorical(rng.choice([*categories, None], N), categories=categories),
            "categories_viewed_per_visit": rng.integers(1, 7, N),
            "unpaid_items_quarter": rng.integers(0, 11, N),
            "revenue_month_before_previous": rng.normal(4900, 700, N).round(0),
            "revenue_previous_month": _sprinkle(rng, previous, 0.02),
            "revenue_current_month": _sprinkle(rng, current, 0.02),
            "revenue_change": (current - previous).round(1),
            "n_service_errors": rng.integers(0, 10, N),
            "pages_per_visit": rng.integers(1, 20, N),
            "minutes_previous_month": _sprinkle(rng, minutes_before, 0.02),
            "minutes_current_month": _sprinkle(rng, minutes_after, 0.02),
            "minutes_change": minutes_after - minutes_before,
            "profit": rng.normal(4, 1, N).round(2),
        },
        index=pd.Index(range(100_000, 100_000 + N), name="customer_id"),
    )
    return table


@pytest.fixture(scope="module")
def contributions(customers: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(8)
    values = rng.normal(0, 0.6, (N, len(FEATURE_NAMES))).round(1)  # rounded: many ties
    values[rng.random(N) < 0.05] = 0.0  # nothing raises or lowers the risk
    lowers_only = rng.random(N) < 0.05
    values[lowers_only] = -np.abs(values[lowers_only])
    raises_only = rng.random(N) < 0.05  # with many NaN: the walk down the contributions reaches them
    values[raises_only] = np.where(rng.random((raises_only.sum(), values.shape[1])) < 0.7, np.nan, 0.1)
    values[rng.random(values.shape) < 0.005] = np.inf
    return pd.DataFrame(values, index=customers.index, columns=FEATURE_NAMES)


@pytest.fixture(scope="module")
def offer_values(customers: pd.DataFrame) -> OfferValues:
    rng = np.random.default_rng(9)
    ids = load_catalogue().ids
    shape = (N, len(ids))
    eligible = rng.random(shape) < 0.5
    eligible[rng.random(N) < 0.1] = False  # no offer fits
    cost = rng.choice([0.02, 0.125, 0.3, 0.005], shape) + rng.integers(0, 400, shape) / 1000
    saved = np.where(rng.random(N)[:, None] < 0.2, -np.abs(rng.normal(0, 1, shape)), rng.normal(0.3, 1, shape))
    saved = np.where(rng.random(shape) < 0.3, saved.round(1), saved)  # ties between offers
    frame = lambda values: pd.DataFrame(values, index=customers.index, columns=list(ids))  # noqa: E731
    return OfferValues(frame(eligible), frame(cost), frame(rng.random(shape)), frame(np.where(eligible, saved, np.nan)))


# -- the comparisons ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_numbers_are_written_as_number_wrote_them(lang: str) -> None:
    rng = np.random.default_rng(10)
    values = np.concatenate(
        [rng.normal(0, 1, 1500), rng.normal(0, 2000, 1500).round(1), rng.integers(-800, 800, 1000) / 8, EDGES]
    )
    values = np.concatenate([values, -values, values * 1e9])
    for digits, trim in [(0, False), (1, False), (2, False), (2, True), (3, True)]:
        expected = [old_number(v, lang, digits, trim=trim) for v in values.tolist()]
        assert numbers(values, lang, digits, trim=trim).to_pylist() == expected  # type: ignore[arg-type]
        assert [number(v, lang, digits, trim=trim) for v in values[::50].tolist()] == expected[::50]  # type: ignore[arg-type]
    expected = [old_short_number(v, lang) for v in values.tolist()]
    assert short_numbers(values, lang).to_pylist() == expected  # type: ignore[arg-type]
    assert [short_number(v, lang) for v in values[::50].tolist()] == expected[::50]  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_drivers_in_words_match_the_per_customer_code(
    lang: str, customers: pd.DataFrame, contributions: pd.DataFrame
) -> None:
    X = customers[FEATURE_NAMES]
    logit = pd.Series(contributions.sum(axis=1), name="logit")
    table = top_drivers(Explanation(contributions, 0.0, logit, {}), X, n=3, lang=lang)  # type: ignore[arg-type]
    expected = old_top_drivers(contributions, X, 3, lang)
    for k in (1, 2, 3):
        assert table[f"driver_{k}"].tolist() == [texts[k - 1] for texts in expected]


@pytest.mark.parametrize(("lang", "top_n"), [("ru", 3), ("en", 3), ("ru", 2)])
def test_risk_drivers_match_the_per_customer_code(
    lang: str, top_n: int, customers: pd.DataFrame, contributions: pd.DataFrame
) -> None:
    drivers = risk_drivers(customers, contributions, lang=lang, top_n=top_n)  # type: ignore[arg-type]
    assert drivers.tolist() == old_risk_drivers(customers, contributions, lang, top_n)
    assert drivers.name == "risk_drivers" and drivers.index.equals(customers.index)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_offer_reasons_match_the_per_customer_code(
    lang: str, customers: pd.DataFrame, contributions: pd.DataFrame, offer_values: OfferValues
) -> None:
    catalogue = load_catalogue()
    drivers = risk_drivers(customers, contributions, lang=lang)  # type: ignore[arg-type]
    drivers.iloc[::7] = ""  # no drivers: the reason is the decision alone
    drivers = drivers.drop(drivers.index[::11])  # missing customers: the same
    chosen = choose_offers(offer_values, catalogue, drivers, lang=lang)  # type: ignore[arg-type]
    reasons, titles = old_reasons(offer_values, catalogue, drivers, lang)
    assert chosen["reason"].tolist() == reasons
    assert chosen["offer_title"].tolist() == titles
    # every kind of decision was there
    words = PHRASES[lang]
    for template in (words["offer"], words["not_worth"], words["no_eligible"]):
        assert chosen["reason"].str.contains(_upper_first(template.split("{")[0]), regex=False).any(), template
