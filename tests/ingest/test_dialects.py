"""The store's exports come in several dialects; every one of them reads the same."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from oneclick import load_tables
from store_exports import store_files, write_store


def _as(files: dict[str, str], encode) -> dict[str, str | bytes]:
    return {name: encode(text) for name, text in files.items()}


DIALECTS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "cp1251": lambda text: text.encode("cp1251"),
    "utf-16 with BOM": lambda text: text.encode("utf-16"),
    "CRLF": lambda text: text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"),
    "semicolons and decimal commas": lambda text: _semicolons(text).encode("utf-8"),
    "tabs": lambda text: (
        text.replace(";", ",").replace(",", "\t").encode("utf-8")
        if "Прибыль" not in text
        else text.replace(";", "\t").encode("utf-8")
    ),
}


def _semicolons(text: str) -> str:
    if "Прибыль" in text:
        return text
    lines = []
    for line in text.splitlines():
        cells = line.split(",")
        lines.append(";".join(cell.replace(".", ",") for cell in cells))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_every_dialect_gives_the_same_tables(tmp_path: Path, dialect: str) -> None:
    reference = load_tables(write_store(tmp_path / "plain", store_files()))
    other = load_tables(write_store(tmp_path / "other", _as(store_files(), DIALECTS[dialect])))
    for name in ("market_file", "market_money", "market_time", "money"):
        pd.testing.assert_frame_equal(
            getattr(reference, name).drop(columns="line"), getattr(other, name).drop(columns="line")
        )
    assert len(other.quality.quarantine) == 0


def test_encoding_and_separator_are_reported(tmp_path: Path) -> None:
    tables = load_tables(write_store(tmp_path / "s", _as(store_files(), DIALECTS["cp1251"])))
    sources = {s.table: s for s in tables.quality.sources}
    assert sources["market_file"].encoding == "cp1251"
    assert sources["money"].separator == ";"


def test_decimal_comma_is_reported_as_a_fix(tmp_path: Path) -> None:
    tables = load_tables(write_store(tmp_path / "s", _as(store_files(), DIALECTS["semicolons and decimal commas"])))
    fixes = {(f["table"], f["column"]): f for f in (fix.as_dict() for fix in tables.quality.fixes)}
    assert fixes[("market_file", "Акционные_покупки")]["from"] == "decimal comma"
    assert fixes[("money", "Прибыль")]["count"] == 6


def test_parquet_reads_like_csv(tmp_path: Path) -> None:
    plain = write_store(tmp_path / "plain", store_files())
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for name in ("market_file", "market_money", "market_time"):
        pd.read_csv(plain / f"{name}.csv").to_parquet(parquet / f"{name}.parquet")
    pd.read_csv(plain / "money.csv", sep=";", decimal=",").to_parquet(parquet / "money.parquet")
    reference, other = load_tables(plain), load_tables(parquet)
    for name in ("market_file", "market_money", "market_time", "money"):
        pd.testing.assert_frame_equal(
            getattr(reference, name).drop(columns="line"), getattr(other, name).drop(columns="line")
        )
    assert {s.encoding for s in other.quality.sources} == {"parquet"}
