"""Settings: defaults < TOML < ONECLICK_* variables < overrides, checked on creation."""

from __future__ import annotations

from pathlib import Path

import pytest

from oneclick import ConfigError
from oneclick.config import Settings, load_settings


def test_sources_override_each_other_in_order(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('seed = 3\noutlier_policy = "keep"\ninactive_policy = "keep"\n', encoding="utf-8")
    settings = load_settings(path, environ={"ONECLICK_SEED": "5", "ONECLICK_OUTLIER_POLICY": "exclude"}, seed=9)
    assert (settings.seed, settings.outlier_policy, settings.inactive_policy) == (9, "exclude", "keep")


def test_defaults_are_the_store_policy() -> None:
    settings = load_settings()
    assert (settings.inactive_policy, settings.outlier_policy, settings.bad_rows) == ("exclude", "cap", "quarantine")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"outlier_policy": "drop"}, r"outlier_policy='drop': expected one of \['exclude', 'cap', 'keep'\]"),
        ({"max_bad_row_share": 1.5}, r"max_bad_row_share=1.5"),
        ({"colour": "red"}, r"unknown setting\(s\) \['colour'\]"),
    ],
)
def test_bad_settings_are_refused_by_name(values: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(**values)


def test_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="ONECLICK_SEED='x': expected int"):
        load_settings(environ={"ONECLICK_SEED": "x"})


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().seed = 1  # type: ignore[misc]
