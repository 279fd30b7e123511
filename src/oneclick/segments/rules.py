"""Segment definitions: ``segments.yaml`` read, checked and turned into a frozen scheme.

The default file ships with the package (``oneclick/segments/segments.yaml``); a store
can copy it, change thresholds or add segments, and pass the copy's path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import yaml

from oneclick.errors import ConfigError
from oneclick.segments.conditions import Condition, Quantile, parse_rule

DEFAULT_SEGMENTS_FILE = "segments.yaml"
_TOP_KEYS = {"version", "thresholds", "segments"}
_THRESHOLD_KEYS = {"high_risk", "model_fallback", "high_profit"}
_SEGMENT_KEYS = {"name", "title", "description", "when"}
# The risk x profit cells are segments of their own; a named segment cannot take their names.
CELL_NAMES = tuple(f"{risk}_risk_{profit}_profit" for risk in ("high", "low") for profit in ("high", "low"))


@dataclass(frozen=True)
class SegmentRule:
    """One named segment: who is in it, and how to call it."""

    name: str
    title: Mapping[str, str]  # lang -> title
    description: Mapping[str, str]
    when: tuple[Condition, ...]

    def label(self, lang: Literal["ru", "en"] = "ru") -> str:
        return self.title.get(lang) or self.title.get("ru") or self.name


@dataclass(frozen=True)
class SegmentScheme:
    """The risk x profit thresholds and the named segments, in priority order.

    ``high_risk`` is ``"model"`` (the model's own threshold, else ``model_fallback``),
    a probability, or a :class:`Quantile` of the predicted probabilities;
    ``high_profit`` is a profit value or a :class:`Quantile` of profit.
    """

    high_risk: float | Quantile | Literal["model"]
    model_fallback: float
    high_profit: float | Quantile
    segments: tuple[SegmentRule, ...]
    source: str

    @property
    def names(self) -> list[str]:
        return [segment.name for segment in self.segments]


def load_segment_scheme(path: Path | None = None) -> SegmentScheme:
    """Read and check a segments file; ``None`` reads the defaults shipped with oneclick.

    Raises :class:`ConfigError` naming the file, the segment and the bad key, with every
    problem of the file at once.
    """
    text, source = read_yaml_text(path, "oneclick.segments", DEFAULT_SEGMENTS_FILE)
    raw = parse_yaml(text, source)
    problems: list[str] = []
    unknown_keys(raw, _TOP_KEYS, "top level", problems)
    thresholds = raw.get("thresholds") or {}
    if not isinstance(thresholds, Mapping):
        problems.append(f"key 'thresholds': expected a mapping, found {thresholds!r}")
        thresholds = {}
    unknown_keys(thresholds, _THRESHOLD_KEYS, "thresholds", problems)
    high_risk = _threshold(thresholds.get("high_risk", "model"), "high_risk", problems, allow_model=True)
    fallback = _threshold(thresholds.get("model_fallback", 0.5), "model_fallback", problems, probability=True)
    high_profit = _threshold(thresholds.get("high_profit", {"quantile": 0.5}), "high_profit", problems)
    segments = _segments(raw.get("segments"), problems)
    if problems:
        raise ConfigError(format_problems(source, problems))
    return SegmentScheme(high_risk, fallback, high_profit, segments, source)  # type: ignore[arg-type]


def _threshold(
    raw: Any, key: str, problems: list[str], *, allow_model: bool = False, probability: bool = False
) -> float | Quantile | str:
    where = f"thresholds, key '{key}'"
    if allow_model and raw == "model":
        return "model"
    if isinstance(raw, Mapping) and set(raw) == {"quantile"} and not probability:
        q = raw["quantile"]
        if isinstance(q, int | float) and not isinstance(q, bool) and 0 <= q <= 1:
            return Quantile(float(q))
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        if (allow_model or probability) and not 0 <= raw <= 1:
            problems.append(f"{where}: a probability must be in [0, 1], found {raw!r}")
        return float(raw)
    expected = "a number" + (", 'model'" if allow_model else "") + ("" if probability else " or {quantile: q}")
    problems.append(f"{where}: expected {expected}, found {raw!r}")
    return 0.0


def _segments(raw: Any, problems: list[str]) -> tuple[SegmentRule, ...]:
    if not isinstance(raw, list):
        problems.append(f"key 'segments': expected a list of segments, found {raw!r}")
        return ()
    rules: list[SegmentRule] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str) or not item["name"]:
            problems.append(f"segment {number}: expected a mapping with a text key 'name', found {item!r}")
            continue
        name = item["name"]
        where = f"segment '{name}'"
        if name in {rule.name for rule in rules}:
            problems.append(f"{where}: key 'name' repeats an earlier segment")
        if name in CELL_NAMES:
            problems.append(f"{where}: key 'name' is reserved for a risk x profit cell; choose another name")
        unknown_keys(item, _SEGMENT_KEYS, where, problems)
        if "when" not in item:
            problems.append(f"{where}: missing key 'when' (a list of conditions)")
        when = parse_rule(
            item.get("when"), f"{where}, key 'when'", problems, allow_segments=[rule.name for rule in rules]
        )
        title = texts(item.get("title", name), f"{where}, key 'title'", problems)
        description = texts(item.get("description", ""), f"{where}, key 'description'", problems)
        rules.append(SegmentRule(name, title, description, when))
    return tuple(rules)


def texts(raw: Any, where: str, problems: list[str]) -> dict[str, str]:
    """A text in one language (``"..."``) or several (``{ru: ..., en: ...}``)."""
    if isinstance(raw, str):
        return {"ru": raw, "en": raw}
    if isinstance(raw, Mapping) and raw and all(k in ("ru", "en") and isinstance(v, str) for k, v in raw.items()):
        return {"ru": raw.get("ru", raw.get("en", "")), "en": raw.get("en", raw.get("ru", ""))}
    problems.append(f"{where}: expected text or {{ru: ..., en: ...}}, found {raw!r}")
    return {"ru": "", "en": ""}


def read_yaml_text(path: Path | None, package: str, default_name: str) -> tuple[str, str]:
    """The text of ``path``, or of the default file shipped in ``package``, and its name for messages."""
    if path is None:
        shipped = f"{package.replace('.', '/')}/{default_name} (shipped default)"
        return files(package).joinpath(default_name).read_text(encoding="utf-8"), shipped
    try:
        return Path(path).read_text(encoding="utf-8"), str(path)
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the file ({err.strerror or err})") from err


def parse_yaml(text: str, source: str) -> Mapping[str, Any]:
    """A YAML mapping, or :class:`ConfigError` naming the file and the line."""
    try:
        # libyaml's parser when PyYAML has it: ten times faster, the same safe constructors.
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        raise ConfigError(f"{source}: not valid YAML ({err})") from err
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{source}: expected a mapping at the top level, found {type(raw).__name__}")
    return raw


def format_problems(source: str, problems: list[str]) -> str:
    """One message listing every problem of a config file."""
    count = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return f"{source}: {count}\n{lines}\nFix the file, or start from the default shipped with oneclick."


def unknown_keys(raw: Mapping[str, Any], known: set[str], where: str, problems: list[str]) -> None:
    """Note the keys of ``raw`` that are not ``known`` (a misspelt key must not be silently ignored)."""
    unknown = sorted(set(map(str, raw)) - known)
    if unknown:
        problems.append(f"{where}: unknown key(s) {unknown}; known: {sorted(known)}")
