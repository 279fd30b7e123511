"""The ``--drift`` grammar: what it reads, and every mistake named at once."""

from __future__ import annotations

import pytest

from oneclick.errors import ConfigError
from oneclick.synth import parse_drift
from oneclick.synth.drift_spec import BaseRateShift, ConceptShift, FeatureShift, MixShift


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("", ()),
        ("pages_per_visit:-0.5sd", (FeatureShift("pages_per_visit", -0.5),)),
        ("revenue_current_month:+1sd", (FeatureShift("revenue_current_month", 1.0),)),
        ("favourite_category:kids_goods+0.2", (MixShift("favourite_category", "kids_goods", 0.2),)),
        ("allows_messages:no-.1", (MixShift("allows_messages", "no", -0.1),)),
        ("base_rate:+0.1", (BaseRateShift(0.1),)),
        ("concept:promo_purchase_share", (ConceptShift("promo_purchase_share", -1.0),)),
        ("concept:pages_per_visit*0", (ConceptShift("pages_per_visit", 0.0),)),
        (
            "pages_per_visit:-0.5sd, base_rate:-0.05",
            (FeatureShift("pages_per_visit", -0.5), BaseRateShift(-0.05)),
        ),
    ],
)
def test_specs_it_reads(spec: str, expected: tuple) -> None:
    assert parse_drift(spec) == expected


def test_every_mistake_is_listed_with_what_is_allowed() -> None:
    with pytest.raises(ConfigError, match="4 problem") as raised:
        parse_drift("pages:+1sd,base_rate:2,favourite_category:toys+0.1,revenue_change:+1sd")
    message = str(raised.value)
    assert "'pages' is not a numeric feature" in message
    assert "base_rate takes a signed change" in message
    assert "'toys' is not a value of favourite_category" in message and "kids_goods" in message
    assert "'revenue_change' is not a numeric feature" in message


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("concept:n_service_errors", "concept drift needs a feature of the label's model"),
        ("pages_per_visit:-0.5sd,pages_per_visit:+1sd", "shifted twice"),
        ("favourite_category:kids_goods+1.5", "between -1 and 1"),
        ("pages_per_visit:-0.5sd,,base_rate:+0.1", "an empty item"),
    ],
)
def test_mistakes(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_drift(spec)


def test_a_month_shift_affects_the_change_derived_from_it() -> None:
    assert FeatureShift("minutes_previous_month", 1).affected_features == ("minutes_previous_month", "minutes_change")
    assert ConceptShift("pages_per_visit").affected_features == ()
