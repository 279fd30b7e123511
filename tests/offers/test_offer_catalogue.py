"""catalogue.yaml: the Russian defaults load, and mistakes are named by file, offer and key."""

from __future__ import annotations

import copy
import re
import textwrap
from pathlib import Path

import pytest

from oneclick.errors import ConfigError
from oneclick.offers import load_catalogue

GOOD_OFFER = "  - {id: mail, title: Письмо, cost: {fixed: 0.01}, uplift: 0.05}\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_defaults_are_in_russian_with_costs_and_uplifts() -> None:
    catalogue = load_catalogue()
    assert catalogue.ids == [
        "promo_code_favourite",
        "cross_category_bundle",
        "free_delivery",
        "premium_trial",
        "cart_reminder_discount",
        "tailored_newsletter",
        "apology_bonus",
    ]
    assert catalogue.horizon_months == 3 and catalogue.revenue_column == "revenue_current_month"
    for offer in catalogue.offers:
        assert re.search("[а-я]", offer.label("ru")), offer.id
        assert 0 < offer.uplift < 1 and offer.cost_fixed > 0
    assumptions = catalogue.assumptions("en")
    assert all(item["is_assumption"] for item in assumptions)
    assert assumptions[0]["uplift_in_segments"] == {"promo_hunters_at_risk": 0.2}


def test_a_minimal_custom_catalogue(tmp_path: Path) -> None:
    catalogue = load_catalogue(write(tmp_path, "money: {horizon_months: 6}\noffers:\n" + GOOD_OFFER), segment_names=[])
    offer = catalogue.offer("mail")
    assert (offer.cost_fixed, offer.cost_revenue_share, offer.uplift, offer.eligible) == (0.01, 0.0, 0.05, ())
    assert offer.label("en") == "Письмо" and catalogue.horizon_months == 6


@pytest.mark.parametrize(
    ("offer", "message"),
    [
        ("{id: a, cost: {fixed: -1}, uplift: 0.1}", r"offer 'a', key 'cost.fixed': expected a number >= 0"),
        ("{id: a, cost: {fixed: 1, revenue_share: 2}, uplift: 0.1}", r"offer 'a', key 'cost.revenue_share'"),
        ("{id: a, cost: {fixed: 1, per_visit: 2}, uplift: 0.1}", r"offer 'a', key 'cost': unknown key"),
        ("{id: a, cost: 1, uplift: 0.1}", r"offer 'a': key 'cost' must be"),
        ("{id: a, cost: {fixed: 1}, uplift: 1.5}", r"offer 'a', key 'uplift': expected a share in \[0, 1\]"),
        ("{id: a, cost: {fixed: 1}}", r"offer 'a': missing key 'uplift'"),
        (
            "{id: a, cost: {fixed: 1}, uplift: 0.1, uplift_in_segments: {vip: 0.2}}",
            r"offer 'a', key 'uplift_in_segments': unknown segment 'vip'",
        ),
        (
            "{id: a, cost: {fixed: 1}, uplift: 0.1, eligible: [{feature: errors, op: '>', value: 1}]}",
            r"offer 'a', key 'eligible', condition 1: key 'feature' names unknown feature 'errors'",
        ),
        (
            "{id: a, cost: {fixed: 1}, uplift: 0.1, eligible: [{not_segment: vip}]}",
            r"key 'not_segment' names unknown segment 'vip'",
        ),
        ("{id: a, cost: {fixed: 1}, uplift: 0.1, price: 3}", r"offer 'a': unknown key\(s\) \['price'\]"),
        ("{id: no_offer, cost: {fixed: 1}, uplift: 0.1}", r"reserved id 'no_offer'"),
        ("{title: x, cost: {fixed: 1}, uplift: 0.1}", r"offer 1: expected a mapping with a text key 'id'"),
    ],
)
def test_bad_offers_are_named_with_the_key(tmp_path: Path, offer: str, message: str) -> None:
    path = write(tmp_path, f"offers:\n  - {offer}\n")
    with pytest.raises(ConfigError, match=message) as caught:
        load_catalogue(path, segment_names=["promo"])
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("money", "message"),
    [
        ("{horizon_months: 0}", r"money, key 'horizon_months': expected a positive number"),
        ("{revenue_column: profit}", r"money, key 'revenue_column': 'profit' is not a numeric feature"),
        ("{currency: rub}", r"money: unknown key\(s\) \['currency'\]"),
    ],
)
def test_bad_money_settings_are_named(tmp_path: Path, money: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_catalogue(write(tmp_path, f"money: {money}\noffers:\n" + GOOD_OFFER), segment_names=[])


def test_offers_may_name_cells_and_segments(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "offers:\n  - {id: a, cost: {fixed: 1}, uplift: 0.1, "
        "eligible: [{segment: high_risk_low_profit}, {not_segment: promo}]}\n",
    )
    offer = load_catalogue(path, segment_names=["promo"]).offer("a")
    assert [(c.subject, c.op, c.value) for c in offer.eligible] == [
        ("segment", "==", "high_risk_low_profit"),
        ("segment", "!=", "promo"),
    ]


def test_an_empty_catalogue_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"key 'offers': expected a non-empty list"):
        load_catalogue(write(tmp_path, "offers: []\n"), segment_names=[])


def test_every_shipped_offer_says_how_it_reaches_the_customer_and_what_the_crm_sends() -> None:
    catalogue = load_catalogue()
    assert {offer.channel for offer in catalogue.offers} <= {"message", "site"}
    newsletter = catalogue.offer("tailored_newsletter")
    assert newsletter.needs_consent and not catalogue.offer("free_delivery").needs_consent
    assert newsletter.message_text("en") != newsletter.message_text("ru")
    assert all(not offer.is_measured() for offer in catalogue.offers)
    assert all(row["is_assumption"] for row in catalogue.assumptions())


def test_a_measured_uplift_is_no_longer_an_assumption_and_bad_evidence_is_named() -> None:
    from oneclick.offers import catalogue_from_mapping, shipped_catalogue_mapping

    raw = copy.deepcopy(dict(shipped_catalogue_mapping()))
    raw["version"] = 2
    raw["offers"][0]["uplift_evidence"] = {
        "all": {"campaign_id": "cmp-1", "measured_uplift": 0.12, "ci_low": 0.02, "ci_high": 0.22}
    }
    catalogue = catalogue_from_mapping(raw, "catalogue version 2 of the store")
    first = catalogue.offers[0]
    assert catalogue.version == 2 and first.is_measured() and not first.is_measured("promo_hunters_at_risk")
    assert [row["is_assumption"] for row in catalogue.assumptions()][:2] == [False, True]

    raw["offers"][0]["uplift_evidence"] = {"nobody": {"measured": 1}}
    raw["offers"][1]["channel"] = "pigeon"
    with pytest.raises(ConfigError) as err:
        catalogue_from_mapping(raw, "catalogue version 2 of the store")
    message = str(err.value)
    assert "catalogue version 2 of the store" in message
    assert "uplift_evidence.nobody" in message and "unknown segment 'nobody'" in message
    assert "'channel': expected one of ['message', 'site'], found 'pigeon'" in message
