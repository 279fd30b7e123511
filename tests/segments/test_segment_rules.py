"""segments.yaml: the shipped defaults load, and every kind of mistake is named by file, segment and key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from oneclick.errors import ConfigError
from oneclick.segments import Quantile, load_segment_scheme

GOOD_SEGMENT = "  - name: promo\n    when:\n      - {feature: promo_purchase_share, op: '>=', value: 0.5}\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "segments.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_defaults_hold_the_segments_the_store_asked_about() -> None:
    scheme = load_segment_scheme()
    assert scheme.names == [
        "valuable_at_risk",
        "promo_hunters_at_risk",
        "appliance_buyers",
        "for_themselves",
        "kids_goods_buyers",
    ]
    assert scheme.high_risk == "model"
    assert scheme.model_fallback == 0.5
    assert scheme.high_profit == Quantile(0.5)
    assert all(segment.label("ru") and segment.label("en") for segment in scheme.segments)
    assert "приближение" in scheme.segments[2].description["ru"].lower()


def test_a_custom_file_with_fixed_thresholds(tmp_path: Path) -> None:
    path = write(tmp_path, "thresholds: {high_risk: 0.7, high_profit: 5}\nsegments:\n" + GOOD_SEGMENT)
    scheme = load_segment_scheme(path)
    assert (scheme.high_risk, scheme.high_profit, scheme.names) == (0.7, 5.0, ["promo"])
    assert scheme.source == str(path)


@pytest.mark.parametrize(
    ("segments", "message"),
    [
        (
            "  - name: a\n    when: [{feature: promo_share, op: '>', value: 1}]\n",
            r"segment 'a', key 'when', condition 1: key 'feature' names unknown feature 'promo_share'",
        ),
        ("  - name: a\n    when: [{feature: profit, op: '=>', value: 1}]\n", r"segment 'a'.*key 'op' is '=>'"),
        (
            "  - name: a\n    when: [{feature: profit, op: '>', value: 1, unit: rub}]\n",
            r"segment 'a'.*unknown key\(s\) \['unit'\]",
        ),
        (
            "  - name: a\n    when: [{feature: favourite_category, op: '==', value: kids_good}]\n",
            r"'kids_good' is not a value of 'favourite_category'",
        ),
        (
            "  - name: a\n    when: [{feature: favourite_category, op: '>=', value: {quantile: 0.5}}]\n",
            r"quantile, but 'favourite_category' is not numeric",
        ),
        (
            "  - name: a\n    when: [{feature: service_type, op: '>', value: premium}]\n",
            r"'service_type' is binary: use ==, !=, in or not in",
        ),
        ("  - name: a\n    when: [{feature: profit, op: in, value: 3}]\n", r"op 'in' must be a non-empty list"),
        ("  - name: a\n    when: [{feature: allows_messages, op: '==', value: 'yes'}]\n", r"true or false"),
        ("  - name: a\n    when: [{risk: very}]\n", r"key 'risk' must be 'high' or 'low'"),
        ("  - name: a\n    when: [{segment: b}]\n", r"key 'segment' names unknown segment 'b'"),
        ("  - name: a\n    when: [{colour: red}]\n", r"unknown key 'colour'"),
        ("  - name: a\n", r"segment 'a': missing key 'when'"),
        ("  - name: a\n    when: []\n    colour: red\n", r"segment 'a': unknown key\(s\) \['colour'\]"),
        ("  - name: high_risk_low_profit\n    when: []\n", r"reserved for a risk x profit cell"),
        ("  - name: a\n    when: []\n  - name: a\n    when: []\n", r"repeats an earlier segment"),
        ("  - when: []\n", r"segment 1: expected a mapping with a text key 'name'"),
    ],
)
def test_bad_segments_are_named_with_the_key(tmp_path: Path, segments: str, message: str) -> None:
    path = write(tmp_path, "segments:\n" + segments)
    with pytest.raises(ConfigError, match=message) as caught:
        load_segment_scheme(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        ("{high_risk: 1.5}", r"thresholds, key 'high_risk': a probability must be in \[0, 1\]"),
        ("{high_profit: model}", r"thresholds, key 'high_profit': expected a number or \{quantile: q\}"),
        ("{high_profit: {quantile: 2}}", r"key 'high_profit'"),
        ("{model_fallback: {quantile: 0.5}}", r"key 'model_fallback'"),
        ("{risk: 0.5}", r"thresholds: unknown key\(s\) \['risk'\]"),
    ],
)
def test_bad_thresholds_are_named(tmp_path: Path, thresholds: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_segment_scheme(write(tmp_path, f"thresholds: {thresholds}\nsegments:\n" + GOOD_SEGMENT))


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, "colour: red\nsegments:\n  - name: a\n    when: [{feature: nope, op: '>', value: 1}]\n")
    with pytest.raises(ConfigError, match=r"2 problems") as caught:
        load_segment_scheme(path)
    assert "colour" in str(caught.value) and "nope" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("segments: [a, b\n", r"not valid YAML"),
        ("- just a list\n", r"expected a mapping at the top level"),
        ("segments: none\n", r"key 'segments': expected a list"),
    ],
)
def test_unreadable_files_say_so(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_segment_scheme(write(tmp_path, text))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.yaml: cannot read the file"):
        load_segment_scheme(tmp_path / "missing.yaml")
