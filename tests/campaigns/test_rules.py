"""Contact rules: each hand-made customer hits one rule, is named in the exclusions, and its pairs are masked."""

from __future__ import annotations

from datetime import date

import pandas as pd

from oneclick.campaigns.rules import ContactRules, apply_rules, one_row_per_customer
from oneclick.offers import OfferValues, load_catalogue

CATALOGUE = load_catalogue()
RULES = ContactRules(contact_cap=6, cooldown_months=3)


def _values(ids: list[int]) -> OfferValues:
    columns = pd.Index(CATALOGUE.ids)
    frame = lambda v: pd.DataFrame(v, index=pd.Index(ids, name="customer_id"), columns=columns)  # noqa: E731
    return OfferValues(frame(True), frame(0.1), frame(0.1), frame(1.0))


def test_each_rule_removes_its_customer_and_names_it() -> None:
    ids = [1, 2, 3, 4]  # 1: no consent, 2: over the cap, 3: treated recently, 4: none
    table = pd.DataFrame(
        {"allows_messages": [False, True, True, True], "marketing_contacts_current_month": [1, 6, 1, 1]},
        index=ids,
    )
    recent = pd.DataFrame({"customer_id": [3], "campaign_id": ["campaign-x"], "starts_on": [date(2026, 11, 1)]})
    ruled = apply_rules(_values(ids), table, CATALOGUE, RULES, recent, minimum=0.0)
    rules = ruled.exclusions.set_index("customer_id")["rule"].to_dict()
    assert rules == {1: "consent", 2: "contact_cap", 3: "cooldown"}
    saved = ruled.values.expected_saved_profit
    by_message = [o.id for o in CATALOGUE.offers if o.channel == "message"]
    by_site = [o.id for o in CATALOGUE.offers if o.channel == "site"]
    assert saved.loc[1, by_message].isna().all() and saved.loc[1, by_site].notna().all()
    assert saved.loc[[2, 3]].isna().all().all()
    assert saved.loc[4].notna().all()
    assert ruled.counts() == {"consent": 1, "contact_cap": 1, "one_offer_per_customer": 0, "cooldown": 1}


def test_a_customer_without_a_worthwhile_offer_is_not_recorded() -> None:
    values = _values([1])
    values = OfferValues(values.eligible, values.cost, values.uplift, values.expected_saved_profit * -1)
    table = pd.DataFrame({"allows_messages": [False], "marketing_contacts_current_month": [9]}, index=[1])
    ruled = apply_rules(
        values, table, CATALOGUE, RULES, pd.DataFrame(columns=["customer_id", "campaign_id", "starts_on"]), minimum=0.0
    )
    assert ruled.exclusions.empty


def test_a_repeated_customer_is_planned_once() -> None:
    table = pd.DataFrame({"x": [1, 2, 3]}, index=pd.Index([5, 5, 6]))
    kept, exclusions = one_row_per_customer(table)
    assert kept.index.tolist() == [5, 6]
    assert exclusions["rule"].tolist() == ["one_offer_per_customer"]
