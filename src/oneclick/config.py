"""Settings of a oneclick run: one frozen object, from defaults, a TOML file,
``ONECLICK_*`` environment variables and explicit overrides, in that order.

Library functions never read the environment: only :func:`load_settings` does,
when the CLI asks it to.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, get_args

from oneclick.errors import ConfigError

InactivePolicy = Literal["exclude", "keep"]
OutlierPolicy = Literal["exclude", "cap", "keep"]
BadRowPolicy = Literal["quarantine", "fail"]


@dataclass(frozen=True)
class Settings:
    """Everything a run can be told; the defaults are the store's agreed policy."""

    seed: int = 0
    # Customers inactive in some month have no trend to learn from; the analysts dropped them.
    inactive_policy: InactivePolicy = "exclude"
    # A single absurd revenue should not move a customer's trend; cap keeps the customer.
    outlier_policy: OutlierPolicy = "cap"
    # Revenue above Q3 + factor * IQR of its month is an outlier (3 = Tukey's "far out").
    outlier_iqr_factor: float = 3.0
    bad_rows: BadRowPolicy = "quarantine"
    # More rejected rows than this share means the file is broken, not a few bad records.
    max_bad_row_share: float = 0.5
    synthetic_customers: int = 2_000

    def __post_init__(self) -> None:
        for name, choices in _LITERALS.items():
            allowed = get_args(choices)
            if getattr(self, name) not in allowed:
                raise ConfigError(f"setting {name}={getattr(self, name)!r}: expected one of {list(allowed)}")
        if not 0 < self.max_bad_row_share <= 1:
            raise ConfigError(f"setting max_bad_row_share={self.max_bad_row_share}: expected a share in (0, 1]")
        if self.outlier_iqr_factor <= 0:
            raise ConfigError(f"setting outlier_iqr_factor={self.outlier_iqr_factor}: expected a positive number")
        if self.synthetic_customers < 50:
            raise ConfigError(f"setting synthetic_customers={self.synthetic_customers}: expected at least 50")

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_LITERALS: dict[str, Any] = {
    "inactive_policy": InactivePolicy,
    "outlier_policy": OutlierPolicy,
    "bad_rows": BadRowPolicy,
}


def load_settings(
    path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings from defaults < TOML file < ``ONECLICK_<NAME>`` variables < overrides.

    >>> load_settings(environ={"ONECLICK_SEED": "7"}).seed
    7
    """
    values: dict[str, Any] = {}
    if path is not None:
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"{path}: cannot read settings ({err})") from err
    known = {item.name: item for item in fields(Settings)}
    for key, raw in (environ or {}).items():
        name = key.removeprefix("ONECLICK_").lower()
        if key.startswith("ONECLICK_") and name in known:
            values[name] = _parse(name, raw, type(getattr(Settings(), name)))
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting(s) {unknown}; known: {sorted(known)}")
    return Settings(**values)


def _parse(name: str, raw: str, kind: type) -> Any:
    try:
        return kind(raw) if kind is not bool else raw.lower() in ("1", "true", "yes")
    except ValueError as err:
        raise ConfigError(f"ONECLICK_{name.upper()}={raw!r}: expected {kind.__name__}") from err
