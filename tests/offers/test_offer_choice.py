"""What an offer costs and saves per customer, and the best offer or the reason there is none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oneclick.offers import NO_OFFER, choose_offers, load_catalogue, offer_values
from oneclick.segments import Thresholds

CATALOGUE = """\
money: {horizon_months: 3, revenue_column: revenue_current_month, revenue_to_profit_units: 0.001}
offers:
  - id: discount
    title: {ru: Скидка, en: Discount}
    cost: {fixed: 0.05, revenue_share: 0.01}
    uplift: 0.1
    uplift_in_segments: {promo: 0.3, kids: 0.2}
  - id: letter
    title: {ru: Письмо, en: Letter}
    cost: {fixed: 0.5}
    uplift: 0.1
    eligible: [{feature: allows_messages, op: '==', value: true}]
"""


@pytest.fixture
def catalogue(tmp_path: Path):
    path = tmp_path / "catalogue.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    return load_catalogue(path, segment_names=["promo", "kids"])


@pytest.fixture
def table(make_customers: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    return make_customers(
        [
            {},  # 1: the worked example
            {"allows_messages": False},  # 2: only the discount fits
            {"revenue_current_month": 2000.0},  # 3: in both segments: 'promo' is listed first
            {"profit": 0.1},  # 4: nothing is worth its cost
        ]
    ).assign(decline_probability=[0.5, 0.5, 0.5, 0.5])


MEMBERS = pd.DataFrame(
    {"promo": [False, False, True, False], "kids": [False, True, True, False]},
    index=pd.Index([1, 2, 3, 4], name="customer_id"),
)


def test_expected_saved_profit_is_p_times_profit_times_horizon_times_uplift_minus_cost(table, catalogue) -> None:
    values = offer_values(table, catalogue, Thresholds(0.5, 4.0), MEMBERS)
    # customer 1: cost 0.05 + 0.01 * 5000 * 0.001 = 0.10; saving 0.5 * 4 * 3 * 0.1 - 0.10 = 0.50
    assert values.cost.loc[1, "discount"] == pytest.approx(0.10)
    assert values.expected_saved_profit.loc[1, "discount"] == pytest.approx(0.50)
    assert values.expected_saved_profit.loc[1, "letter"] == pytest.approx(0.6 - 0.5)
    assert values.uplift["discount"].tolist() == [0.1, 0.2, 0.3, 0.1]
    assert np.isnan(values.expected_saved_profit.loc[2, "letter"])
    assert values.eligible["letter"].tolist() == [True, False, True, True]
    assert values.worth().loc[4].tolist() == [False, False]


def test_best_offer_or_the_reason_for_none(table, catalogue) -> None:
    values = offer_values(table, catalogue, Thresholds(0.5, 4.0), MEMBERS)
    drivers = pd.Series(["доля акционных покупок 0,93"] * 4, index=table.index)
    chosen = choose_offers(values, catalogue, drivers)
    assert chosen["offer"].tolist() == ["discount", "discount", "discount", NO_OFFER]
    assert chosen["expected_saved_profit"].tolist() == pytest.approx([0.5, 1.1, 1.73, 0.0])
    assert chosen["offer_uplift_assumed"].tolist() == [0.1, 0.2, 0.3, 0.0]
    assert chosen["n_eligible_offers"].tolist() == [2, 1, 2, 2]
    assert chosen.loc[1, "reason"] == (
        "Доля акционных покупок 0,93. Предложение «Скидка»: ожидаемая сохранённая "
        "прибыль за 3 мес. ≈0,50 за вычетом затрат 0,10"
    )
    english = choose_offers(values, catalogue, pd.Series("", index=table.index), lang="en")
    assert (
        english.loc[1, "reason"] == "Offer “Discount”: expected saved profit over 3 months ≈0.50 after its cost of 0.10"
    )
    assert "Ни одно предложение не окупает затрат: лучшее — «Скидка»" in chosen.loc[4, "reason"]
    assert chosen.loc[4, "offer_cost"] == 0.0


def test_a_customer_no_offer_fits_is_kept_with_the_reason(table, catalogue, tmp_path: Path) -> None:
    path = tmp_path / "only_letters.yaml"
    path.write_text(
        "offers:\n  - {id: letter, cost: {fixed: 0.01}, uplift: 0.1, "
        "eligible: [{feature: allows_messages, op: '==', value: true}]}\n",
        encoding="utf-8",
    )
    letters = load_catalogue(path, segment_names=[])
    values = offer_values(table, letters, Thresholds(0.5, 4.0), MEMBERS)
    chosen = choose_offers(values, letters, pd.Series("", index=table.index), lang="en")
    assert chosen.loc[2, "offer"] == NO_OFFER
    assert chosen.loc[2, "reason"] == "No offer of the catalogue fits this customer"
    assert len(chosen) == len(table)


def test_ties_go_to_the_cheaper_then_the_first_offer(table, catalogue) -> None:
    values = offer_values(table, catalogue, Thresholds(0.5, 4.0), MEMBERS)
    tied = values.expected_saved_profit.copy()
    tied["letter"] = tied["discount"]
    same_cost = values.cost.copy()
    same_cost["letter"] = same_cost["discount"]
    chosen = choose_offers(
        type(values)(values.eligible, values.cost, values.uplift, tied), catalogue, pd.Series("", index=table.index)
    )
    assert chosen.loc[1, "offer"] == "discount"  # costs 0.10, the letter 0.50
    chosen = choose_offers(
        type(values)(values.eligible, same_cost, values.uplift, tied), catalogue, pd.Series("", index=table.index)
    )
    assert chosen.loc[1, "offer"] == "discount"  # same cost: first in the catalogue
    cheaper_letter = values.cost.assign(letter=0.01)
    chosen = choose_offers(
        type(values)(values.eligible, cheaper_letter, values.uplift, tied), catalogue, pd.Series("", index=table.index)
    )
    assert chosen.loc[1, "offer"] == "letter"
