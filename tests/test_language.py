"""Texts over whole columns: templates, coded fields, first letters, lists (numbers: test_words_per_customer)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oneclick.language import (
    Coded,
    as_series,
    as_texts,
    concat,
    fill,
    join_lists,
    number,
    parts,
    positions_by_code,
    texts,
    upper_first,
)


def test_fill_writes_a_template_for_every_row() -> None:
    assert fill("{a} до {b}", a=texts(["14", "7", None]), b="9").to_pylist() == ["14 до 9", "7 до 9", " до 9"]


def test_each_row_takes_its_own_template_with_coded_and_column_fields() -> None:
    templates = ["«{title}»: {saved} за {cost}", "нет: «{title}» {saved}", "ничего"]
    title = Coded(np.array([0, 1, -1, 1]), ["А", "Б"])
    saved, cost = texts(["1", "2", "3", "4"]), texts(["0,1", "0,2", "0,3", "0,4"])
    pieces = parts(templates, np.array([0, 1, 2, 0]), title=title, saved=saved, cost=cost)
    expected = ["«А»: 1 за 0,1", "нет: «Б» 2", "ничего", "«Б»: 4 за 0,4"]
    assert concat(pieces).to_pylist() == expected
    assert len(pieces) <= 5  # runs of literals and coded fields are one piece each
    only_first = parts(templates, np.array([0, 0]), title=Coded(np.array([1, 0]), ["А", "Б"]), saved="5", cost="6")
    assert concat(only_first).to_pylist() == ["«Б»: 5 за 6", "«А»: 5 за 6"]


@pytest.mark.parametrize(
    ("templates", "which", "message"),
    [(["{a:>3}"], None, "without a format"), (["{a}", "b{a}"], None, "choice per row")],
)
def test_templates_are_checked(templates: list[str], which: np.ndarray | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parts(templates, which, a=texts(["x"]))


@pytest.mark.parametrize(
    "words",
    [
        ["доля", "ёж", "abc", "", None, "1 x", "x"],
        ["ßa", "доля", None, ""],  # "ß".upper() is "SS": longer in UTF-8
        ["éa", "ωb", "ǆx"],
    ],
)
def test_upper_first_writes_the_first_letter_as_python_does(words: list[str | None]) -> None:
    expected = [None if word is None else word[:1].upper() + word[1:] for word in words]
    assert upper_first(texts(words)).to_pylist() == expected
    assert upper_first(texts(words).slice(1)).to_pylist() == expected[1:]


def test_lists_positions_and_series() -> None:
    assert join_lists(texts(["a", "b", "c", "d"]), np.array([2, 1, 1]), "; ").to_pylist() == ["a; b", "c", "d"]
    assert [list(rows) for rows in positions_by_code(np.array([2, 0, 2, 1, 0]), 4)] == [[1, 4], [3], [0, 2], []]
    series = as_series(texts(["a", None]), pd.Index([7, 8]), "name")
    assert series.name == "name" and list(series.index) == [7, 8] and series.isna().tolist() == [False, True]
    assert as_texts(series).to_pylist() == ["a", None]


def test_a_number_for_the_report() -> None:
    assert number(12345.678, "ru") == "12\u202f345,7" and number(12345.678, "en") == "12,345.7"
    assert number(None, "ru") == "—" and number(float("-inf"), "en") == "∞"  # type: ignore[arg-type]
    assert number(-0.04, "ru") == "0,0" and number(0.5, "ru", 2, trim=True) == "0,5"


def test_many_rows_are_written_as_a_few_rows_are() -> None:
    # Up to a few hundred rows Python formats each row; beyond, Arrow joins pieces: the same texts.
    rng = np.random.default_rng(3)
    n = 2_000
    templates = ["{lead}«{title}»: {saved} за {cost}", "нет: «{title}» {saved}", "{lead}ничего {cost}"]
    which = rng.integers(0, 3, n)
    words = rng.choice(["1,5", "−2", "", "10\u202f000"], n).tolist()
    fields = {
        "title": Coded(rng.integers(-1, 2, n), ["А", "Б"]),
        "lead": Coded(rng.integers(0, 2, n), ["", ". "]),
        "saved": texts([None if word == "" else word for word in words]),
        "cost": "0,1",
    }
    many = concat(parts(templates, which, **fields)).to_pylist()
    few = [concat(parts(templates, which[i : i + 100], **_rows(fields, i))).to_pylist() for i in range(0, n, 100)]
    assert many == [text for chunk in few for text in chunk]


def _rows(fields: dict[str, object], start: int) -> dict[str, object]:
    """The fields of rows ``start`` .. ``start + 99``."""
    rows: dict[str, object] = {}
    for name, field in fields.items():
        if isinstance(field, Coded):
            rows[name] = Coded(field.codes[start : start + 100], field.words)
        elif isinstance(field, str):
            rows[name] = field
        else:
            rows[name] = field.slice(start, 100)  # type: ignore[attr-defined]
    return rows
