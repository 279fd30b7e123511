"""The ``--drift`` grammar of ``oneclick synth --next-period``: shifts of known size, parsed and checked.

A spec is comma-separated items; each names one shift of the next period:

==========================================  ===================================================================
``FEATURE:±Ksd``                            a numeric feature's values move by K standard deviations (of the
                                            last period's values), rounded as the export rounds them and kept in
                                            the column's allowed range: ``pages_per_visit:-0.5sd``
``COLUMN:VALUE±S``                          the share of VALUE in a category column moves by S (absolute; taken
                                            from, or given to, the other values in proportion to their shares):
                                            ``favourite_category:kids_goods+0.2``, ``service_type:premium+0.1``,
                                            ``allows_messages:no+0.1``
``base_rate:±S``                            the expected share of declined customers moves by S (absolute), the
                                            features unchanged (a shift of the label's intercept): ``base_rate:+0.1``
``concept:FEATURE[*F]``                     concept drift: the feature's effect on the label's log-odds is
                                            multiplied by F (default -1, reversed), the features unchanged:
                                            ``concept:promo_purchase_share``, ``concept:pages_per_visit*0``
==========================================  ===================================================================

Category values are the English names of the feature table (``oneclick.features``). The derived
features (``revenue_change``, ``minutes_change``) cannot be shifted themselves: shift a month.

>>> parse_drift("pages_per_visit:-0.5sd,base_rate:+0.1")
(FeatureShift(feature='pages_per_visit', sd=-0.5), BaseRateShift(change=0.1))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from oneclick.errors import ConfigError
from oneclick.features.derived import CHANGES
from oneclick.synth import profile
from oneclick.synth.customers import CATEGORIES, SCORED_FEATURES

# Numeric features the generator draws; profit is not a model input, so it is not offered.
SHIFTABLE_FEATURES = tuple(name for name in SCORED_FEATURES if name != "profit")
MIX_VALUES: dict[str, tuple[str, ...]] = {
    "favourite_category": CATEGORIES,
    "service_type": ("standard", "premium"),
    "allows_messages": ("yes", "no"),
}
CONCEPT_FEATURES = tuple(profile.DECLINE_COEFFICIENTS)
DEFAULT_CONCEPT_FACTOR = -1.0

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_SIGNED = r"[+-](?:\d+(?:\.\d*)?|\.\d+)"
_FEATURE_SHIFT = re.compile(rf"^(?P<feature>\w+):(?P<sd>{_NUMBER})sd$")
_MIX_SHIFT = re.compile(rf"^(?P<column>\w+):(?P<value>\w+)(?P<share>{_SIGNED})$")
_BASE_RATE = re.compile(rf"^base_rate:(?P<change>{_SIGNED})$")
_CONCEPT = re.compile(rf"^concept:(?P<feature>\w+)(?:\*(?P<factor>{_NUMBER}))?$")


@dataclass(frozen=True)
class FeatureShift:
    """A numeric feature's values moved by ``sd`` standard deviations."""

    feature: str
    sd: float

    @property
    def spec(self) -> str:
        return f"{self.feature}:{self.sd:+g}sd"

    @property
    def affected_features(self) -> tuple[str, ...]:
        """The feature, and the derived features computed from it."""
        derived = tuple(c.name for c in CHANGES if self.feature in (c.current, c.previous))
        return (self.feature, *derived)


@dataclass(frozen=True)
class MixShift:
    """The share of ``value`` in the category column ``column`` moved by ``share`` (absolute)."""

    column: str
    value: str
    share: float

    @property
    def spec(self) -> str:
        return f"{self.column}:{self.value}{self.share:+g}"

    @property
    def affected_features(self) -> tuple[str, ...]:
        return (self.column,)


@dataclass(frozen=True)
class BaseRateShift:
    """The expected share of declined customers moved by ``change`` (absolute)."""

    change: float

    @property
    def spec(self) -> str:
        return f"base_rate:{self.change:+g}"

    @property
    def affected_features(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class ConceptShift:
    """The effect of ``feature`` on the label's log-odds multiplied by ``factor``."""

    feature: str
    factor: float = DEFAULT_CONCEPT_FACTOR

    @property
    def spec(self) -> str:
        return f"concept:{self.feature}*{self.factor:g}"

    @property
    def affected_features(self) -> tuple[str, ...]:
        return ()


Drift = FeatureShift | MixShift | BaseRateShift | ConceptShift


def parse_drift(text: str | None) -> tuple[Drift, ...]:
    """The shifts a ``--drift`` spec names, in its order; ``None`` or ``""``: none.

    Raises :class:`ConfigError` listing every item that cannot be read, with what is allowed.
    """
    if not text or not text.strip():
        return ()
    drifts: list[Drift] = []
    problems: list[str] = []
    for item in (part.strip() for part in text.split(",")):
        drift = _parse_item(item, problems)
        if drift is not None:
            drifts.append(drift)
    _check_combination(drifts, problems)
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise ConfigError(
            f"--drift {text!r}: {len(problems)} problem(s):\n{listed}\n"
            "Write e.g. pages_per_visit:-0.5sd, favourite_category:kids_goods+0.2, base_rate:+0.1 or "
            "concept:promo_purchase_share (see `oneclick synth --help`)."
        )
    return tuple(drifts)


def describe(drift: Drift) -> dict[str, Any]:
    """A shift as the ground truth file records it."""
    kind = {FeatureShift: "feature", MixShift: "mix", BaseRateShift: "base_rate", ConceptShift: "concept"}
    fields = {key: value for key, value in vars(drift).items()}
    return {"kind": kind[type(drift)], "spec": drift.spec, **fields, "affected_features": list(drift.affected_features)}


def _parse_item(item: str, problems: list[str]) -> Drift | None:
    if not item:
        problems.append("an empty item (two commas, or a comma at the end)")
        return None
    if match := _BASE_RATE.match(item):
        change = float(match["change"])
        if not -1 < change < 1:
            problems.append(f"{item!r}: the change of the base rate must lie between -1 and 1")
            return None
        return BaseRateShift(change)
    if match := _CONCEPT.match(item):
        feature = match["feature"]
        if feature not in CONCEPT_FEATURES:
            allowed = list(CONCEPT_FEATURES)
            problems.append(f"{item!r}: concept drift needs a feature of the label's model, one of {allowed}")
            return None
        factor = DEFAULT_CONCEPT_FACTOR if match["factor"] is None else float(match["factor"])
        return ConceptShift(feature, factor)
    if match := _FEATURE_SHIFT.match(item):
        feature = match["feature"]
        if feature not in SHIFTABLE_FEATURES:
            allowed = list(SHIFTABLE_FEATURES)
            problems.append(f"{item!r}: {feature!r} is not a numeric feature that can move; one of {allowed}")
            return None
        return FeatureShift(feature, float(match["sd"]))
    if match := _MIX_SHIFT.match(item):
        return _mix(item, match["column"], match["value"], float(match["share"]), problems)
    if item.startswith("base_rate:"):
        problems.append(f"{item!r}: base_rate takes a signed change of the declined share, e.g. base_rate:+0.1")
    elif item.startswith("concept:"):
        problems.append(f"{item!r}: write concept:FEATURE or concept:FEATURE*FACTOR, e.g. concept:pages_per_visit*0")
    else:
        problems.append(f"{item!r}: not FEATURE:±Ksd, COLUMN:VALUE±SHARE, base_rate:±SHARE or concept:FEATURE[*FACTOR]")
    return None


def _mix(item: str, column: str, value: str, share: float, problems: list[str]) -> MixShift | None:
    if column not in MIX_VALUES:
        problems.append(f"{item!r}: {column!r} is not a category column; one of {list(MIX_VALUES)}")
        return None
    if value not in MIX_VALUES[column]:
        problems.append(f"{item!r}: {value!r} is not a value of {column}; one of {list(MIX_VALUES[column])}")
        return None
    if not -1 < share < 1 or share == 0:
        problems.append(f"{item!r}: the change of a share must lie between -1 and 1, and not be 0")
        return None
    return MixShift(column, value, share)


def _check_combination(drifts: list[Drift], problems: list[str]) -> None:
    """One shift per feature, column and kind: two would leave the truth ambiguous."""
    keys = [(type(d).__name__, getattr(d, "feature", None) or getattr(d, "column", None) or "") for d in drifts]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(f"{key[1] or key[0]}: shifted twice in one spec; give one item each")
