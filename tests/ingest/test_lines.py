"""Cutting a CSV export into numbered lines: every line once, with its number, whatever the chunks."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from oneclick.ingest import lines
from oneclick.ingest.dialect import TableSource


def _cut(tmp_path: Path, data: bytes, encoding: str = "utf-8") -> tuple[list[tuple[int, bytes]], lines.CutFile]:
    path = tmp_path / "money.csv"
    path.write_bytes(data)
    source = TableSource("money", str(path), "csv", encoding, ";", ("id", "Прибыль"), ("VARCHAR", "VARCHAR"))
    cut = lines.cut_lines(source, tmp_path / "lines.parquet")
    table = pq.read_table(cut.path).to_pydict()
    return list(zip(table["line"], table["text"], strict=True)), cut


@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
def test_every_line_keeps_its_number_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(lines, "CHUNK_BYTES", chunk)
    data = "id;Прибыль\r\n1;4,5\r\n\r\n2;5\nя;\r\n \t\n3;6".encode()
    cut_lines, cut = _cut(tmp_path, data)
    # Blank lines (3, and 6 of spaces and a tab) hold no record: left out, their numbers skipped.
    assert [n for n, _ in cut_lines] == [1, 2, 4, 5, 7]
    assert b"".join(text for _, text in cut_lines) == data.replace(b"\r\n\r\n", b"\r\n").replace(b" \t\n", b"") + b"\n"
    assert cut.last_line == 7
    assert cut.too_long == ()


def test_a_line_too_long_is_reported_and_the_next_lines_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lines, "CHUNK_BYTES", 4)
    monkeypatch.setattr(lines, "MAX_LINE_BYTES", 10)
    cut_lines, cut = _cut(tmp_path, b"id;x\n1;" + b"9" * 40 + b"\n2;3\n")
    assert cut.too_long == (2,)
    assert [(n, text) for n, text in cut_lines] == [(1, b"id;x\n"), (3, b"2;3\n")]
    assert cut.last_line == 3


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16"])
def test_other_encodings_are_cut_as_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    monkeypatch.setattr(lines, "CHUNK_BYTES", 5)  # characters straddle the chunks
    text = "id;Прибыль\n1;четыре\n"
    cut_lines, cut = _cut(tmp_path, text.encode(encoding), encoding)
    assert [t.decode("utf-8") for _, t in cut_lines] == ["id;Прибыль\n", "1;четыре\n"]
    assert cut.sha256 == lines.file_sha256(tmp_path / "money.csv")
