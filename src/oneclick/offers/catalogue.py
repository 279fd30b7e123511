"""The offer catalogue: ``catalogue.yaml`` read, checked and turned into frozen offers.

Costs are in profit units (the units of ``profit``, money.csv); uplifts are the share of the
decline probability an offer removes. Both are the store's assumptions, shipped as defaults, until a
campaign with a control group measures an uplift: a catalogue version made from that evidence
(``oneclick catalogue update``) keeps it under the offer's ``uplift_evidence``, and the offer's
uplift is then a measured one, not an assumption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from oneclick.errors import ConfigError
from oneclick.features.groups import NUMERIC_FEATURES
from oneclick.segments.conditions import Condition, parse_rule
from oneclick.segments.rules import (
    CELL_NAMES,
    format_problems,
    load_segment_scheme,
    parse_yaml,
    read_yaml_text,
    texts,
    unknown_keys,
)

DEFAULT_CATALOGUE_FILE = "catalogue.yaml"
NO_OFFER = "no_offer"
_TOP_KEYS = {"version", "money", "offers"}
_MONEY_KEYS = {"horizon_months", "revenue_column", "revenue_to_profit_units", "min_expected_saved_profit"}
_OFFER_KEYS = {
    "id",
    "title",
    "description",
    "message",
    "channel",
    "cost",
    "uplift",
    "uplift_in_segments",
    "uplift_evidence",
    "eligible",
}
_COST_KEYS = {"fixed", "revenue_share"}
# How an offer reaches the customer. A "message" (e-mail, SMS, push) needs the customer's consent
# (allows_messages); "site" is shown on the site or applied to the account.
CHANNELS = ("message", "site")
# The uplift an evidence record measured, for the whole offer ("all") or inside one segment.
ALL_CUSTOMERS = "all"
_EVIDENCE_KEYS = {
    "campaign_id",
    "measured_uplift",
    "ci_low",
    "ci_high",
    "standard_error",
    "n_treatment",
    "n_control",
    "prior_uplift",
    "uplift",
    "method",
}


@dataclass(frozen=True)
class Offer:
    """One offer: who may get it, what it costs (profit units) and how much risk it removes (assumed)."""

    id: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    cost_fixed: float
    cost_revenue_share: float
    uplift: float
    uplift_in_segments: tuple[tuple[str, float], ...]
    eligible: tuple[Condition, ...]
    channel: str = "message"
    message: Mapping[str, str] | None = None
    # ("all" or a segment, its evidence record): where a campaign measured the uplift.
    uplift_evidence: tuple[tuple[str, Mapping[str, Any]], ...] = ()

    def label(self, lang: Literal["ru", "en"] = "ru") -> str:
        return self.title.get(lang) or self.title.get("ru") or self.id

    def message_text(self, lang: Literal["ru", "en"] = "ru") -> str:
        """What the CRM sends the customer: the offer's message, else its description."""
        texts_ = self.message or self.description
        return texts_.get(lang) or texts_.get("ru") or self.label(lang)

    def is_measured(self, segment: str = ALL_CUSTOMERS) -> bool:
        """Whether the uplift used for ``segment`` ("all": the offer's own) was measured by a campaign."""
        return any(name == segment for name, _ in self.uplift_evidence)

    @property
    def needs_consent(self) -> bool:
        return self.channel == "message"


@dataclass(frozen=True)
class OfferCatalogue:
    """The offers and the money settings that make their costs and savings comparable."""

    offers: tuple[Offer, ...]
    horizon_months: float
    revenue_column: str
    revenue_to_profit_units: float
    min_expected_saved_profit: float
    source: str
    version: int = 1

    @property
    def ids(self) -> list[str]:
        return [offer.id for offer in self.offers]

    def offer(self, offer_id: str) -> Offer:
        return next(o for o in self.offers if o.id == offer_id)

    def assumptions(self, lang: Literal["ru", "en"] = "ru") -> list[dict[str, Any]]:
        """The assumed cost and uplift of every offer, for outputs and the report."""
        return [
            {
                "offer": o.id,
                "title": o.label(lang),
                "cost_fixed": o.cost_fixed,
                "cost_revenue_share": o.cost_revenue_share,
                "uplift": o.uplift,
                "uplift_in_segments": dict(o.uplift_in_segments),
                "is_assumption": not o.is_measured(),
                "measured_in_segments": [name for name, _ in o.uplift_evidence if name != ALL_CUSTOMERS],
                "channel": o.channel,
            }
            for o in self.offers
        ]


def load_catalogue(path: Path | None = None, *, segment_names: Sequence[str] | None = None) -> OfferCatalogue:
    """Read and check an offer catalogue; ``None`` reads the defaults shipped with oneclick.

    ``segment_names``: the named segments eligibility rules may refer to (default: those of
    the shipped ``segments.yaml``); the four risk x profit cells are always known.
    Raises :class:`ConfigError` naming the file, the offer and the bad key.
    """
    text, source = read_yaml_text(path, "oneclick.offers", DEFAULT_CATALOGUE_FILE)
    return catalogue_from_mapping(parse_yaml(text, source), source, segment_names=segment_names)


def shipped_catalogue_mapping() -> Mapping[str, Any]:
    """The catalogue shipped with oneclick, as the mapping its YAML holds (version 1 of a store)."""
    text, source = read_yaml_text(None, "oneclick.offers", DEFAULT_CATALOGUE_FILE)
    return parse_yaml(text, source)


def catalogue_from_mapping(
    raw: Mapping[str, Any], source: str, *, segment_names: Sequence[str] | None = None
) -> OfferCatalogue:
    """A catalogue from its mapping (a YAML file's, or a version kept in the store), checked as a file is."""
    names = [*(load_segment_scheme().names if segment_names is None else segment_names), *CELL_NAMES]
    problems: list[str] = []
    unknown_keys(raw, _TOP_KEYS, "top level", problems)
    money = raw.get("money") or {}
    if not isinstance(money, Mapping):
        problems.append(f"key 'money': expected a mapping, found {money!r}")
        money = {}
    unknown_keys(money, _MONEY_KEYS, "money", problems)
    horizon = _number(money.get("horizon_months", 3), "money, key 'horizon_months'", problems, positive=True)
    revenue_column = money.get("revenue_column", "revenue_current_month")
    if revenue_column not in NUMERIC_FEATURES:
        problems.append(
            f"money, key 'revenue_column': {revenue_column!r} is not a numeric feature; "
            f"expected one of {[f for f in NUMERIC_FEATURES if f.startswith('revenue')]}"
        )
    conversion = _number(money.get("revenue_to_profit_units", 0.001), "money, key 'revenue_to_profit_units'", problems)
    minimum = _number(
        money.get("min_expected_saved_profit", 0.0), "money, key 'min_expected_saved_profit'", problems, signed=True
    )
    offers = _offers(raw.get("offers"), names, problems)
    version = raw.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(f"key 'version': expected a whole number >= 1, found {version!r}")
        version = 1
    if problems:
        raise ConfigError(format_problems(source, problems))
    return OfferCatalogue(offers, horizon, str(revenue_column), conversion, minimum, source, version)


def _offers(raw: Any, segment_names: list[str], problems: list[str]) -> tuple[Offer, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"key 'offers': expected a non-empty list of offers, found {raw!r}")
        return ()
    offers: list[Offer] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"offer {number}: expected a mapping with a text key 'id', found {item!r}")
            continue
        where = f"offer '{item['id']}'"
        if item["id"] in {*(o.id for o in offers), NO_OFFER}:
            problems.append(f"{where}: key 'id' repeats an earlier offer or the reserved id '{NO_OFFER}'")
        unknown_keys(item, _OFFER_KEYS, where, problems)
        offers.append(_offer(item, where, segment_names, problems))
    return tuple(offers)


def _offer(item: Mapping[str, Any], where: str, segment_names: list[str], problems: list[str]) -> Offer:
    cost = item.get("cost")
    if not isinstance(cost, Mapping):
        problems.append(f"{where}: key 'cost' must be {{fixed: ..., revenue_share: ...}}, found {cost!r}")
        cost = {}
    unknown_keys(cost, _COST_KEYS, f"{where}, key 'cost'", problems)
    if "uplift" not in item:
        problems.append(f"{where}: missing key 'uplift' (share of the decline probability the offer removes)")
    uplift = _number(item.get("uplift", 0.0), f"{where}, key 'uplift'", problems, share=True)
    by_segment = item.get("uplift_in_segments") or {}
    if not isinstance(by_segment, Mapping):
        problems.append(f"{where}: key 'uplift_in_segments' must map segment -> uplift, found {by_segment!r}")
        by_segment = {}
    for name in by_segment:
        if name not in segment_names:
            problems.append(f"{where}, key 'uplift_in_segments': unknown segment {name!r}; known: {segment_names}")
    channel = item.get("channel", "message")
    if channel not in CHANNELS:
        problems.append(f"{where}, key 'channel': expected one of {list(CHANNELS)}, found {channel!r}")
    return Offer(
        id=item["id"],
        title=texts(item.get("title", item["id"]), f"{where}, key 'title'", problems),
        description=texts(item.get("description", ""), f"{where}, key 'description'", problems),
        cost_fixed=_number(cost.get("fixed", 0.0), f"{where}, key 'cost.fixed'", problems),
        cost_revenue_share=_number(
            cost.get("revenue_share", 0.0), f"{where}, key 'cost.revenue_share'", problems, share=True
        ),
        uplift=uplift,
        uplift_in_segments=tuple(
            (str(name), _number(value, f"{where}, key 'uplift_in_segments.{name}'", problems, share=True))
            for name, value in by_segment.items()
        ),
        eligible=parse_rule(
            item.get("eligible", []), f"{where}, key 'eligible'", problems, allow_segments=segment_names
        ),
        channel=str(channel),
        message=texts(item["message"], f"{where}, key 'message'", problems) if "message" in item else None,
        uplift_evidence=_evidence(item.get("uplift_evidence"), where, segment_names, problems),
    )


def _evidence(
    raw: Any, where: str, segment_names: list[str], problems: list[str]
) -> tuple[tuple[str, Mapping[str, Any]], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: key 'uplift_evidence' must map 'all' or a segment -> a record, found {raw!r}")
        return ()
    records: list[tuple[str, Mapping[str, Any]]] = []
    for name, record in raw.items():
        at = f"{where}, key 'uplift_evidence.{name}'"
        if name != ALL_CUSTOMERS and name not in segment_names:
            problems.append(f"{at}: unknown segment {name!r}; expected 'all' or one of {segment_names}")
        if not isinstance(record, Mapping):
            problems.append(f"{at}: expected a mapping, found {record!r}")
            continue
        unknown_keys(record, _EVIDENCE_KEYS, at, problems)
        records.append((str(name), dict(record)))
    return tuple(records)


def _number(
    raw: Any, where: str, problems: list[str], *, positive: bool = False, share: bool = False, signed: bool = False
) -> float:
    if not isinstance(raw, int | float) or isinstance(raw, bool):
        problems.append(f"{where}: expected a number, found {raw!r}")
        return 0.0
    value = float(raw)
    if share and not 0 <= value <= 1:
        problems.append(f"{where}: expected a share in [0, 1], found {raw!r}")
    elif positive and value <= 0:
        problems.append(f"{where}: expected a positive number, found {raw!r}")
    elif not signed and value < 0:
        problems.append(f"{where}: expected a number >= 0, found {raw!r}")
    return value
