"""The two languages oneclick speaks, numbers written the way each reader expects, texts over whole columns.

Russian: decimal comma and a narrow no-break space between thousands (``12 345,7``); English:
decimal point and a comma between thousands (``12,345.7``). Every stage that writes numbers into
words (the customers' drivers, the offers' reasons, the report) goes through :func:`numbers`
(:func:`number` for one value), so a file and the report write the same number the same way.

Texts for millions of customers are built a column at a time, as Arrow string arrays: each
distinct value is written once and looked up (:func:`numbers`), templates are filled by joining
columns (:func:`fill`). A Python call per customer was most of the time of a batch with words.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

Lang = Literal["ru", "en"]
LANGS: tuple[Lang, ...] = ("ru", "en")
Texts: TypeAlias = pa.LargeStringArray  # texts of many customers (large: a column may pass 2 GB)

_THIN = "\u202f"  # narrow no-break space: the Russian thousands separator
_SEPARATORS: dict[str, tuple[str, str]] = {"ru": (_THIN, ","), "en": (",", ".")}  # thousands, decimal
_TEXT = pa.large_string()
_EMPTY = pa.scalar("", _TEXT)
_MISSING = pa.scalar(None, _TEXT)
# Below 2**52 a float has a fractional bit, so rint() of value x 10**digits is the correctly rounded
# number unless the product lies within a few units of the last place of a half: those go to Python.
_FAST_LIMIT = 2.0**52
_TIE_MARGIN = 2.0**-50
_MAX_FAST_DIGITS = 15  # 10**digits stays an exact int64
# Up to this many rows (a column's distinct values, mostly) texts are written by Python: each numpy or
# Arrow call lets the other scoring thread take the GIL, and waiting to get it back costs more than
# writing a few hundred texts.
_FEW = 512


def number(value: float, lang: Lang, digits: int = 1, *, trim: bool = False) -> str:
    """A number for the reader: ``number(12345.678, 'ru') == '12 345,7'`` (narrow spaces).

    ``trim`` drops the zeros the fraction ends with: ``number(0.5, 'ru', 2, trim=True) == '0,5'``.
    Missing is ``—``, infinite ``∞``, a minus is the typographic ``−``.
    """
    whole, decimals = _written_by_python(np.nan if value is None else float(value), digits, lang, trim)
    return whole + decimals


def short_number(value: float, lang: Lang) -> str:
    """A value inside a sentence: whole numbers and large amounts without decimals, others with up to two.

    >>> short_number(0.5, "ru"), short_number(0.5, "en"), short_number(5216.4, "en")
    ('0,5', '0.5', '5,216')
    """
    value = np.nan if value is None else float(value)
    whole, decimals = _written_by_python(value, 0 if value.is_integer() or abs(value) >= 100 else 2, lang, True)
    return whole + decimals


def numbers(
    values: Sequence[float] | np.ndarray | pd.Series, lang: Lang, digits: int = 1, *, trim: bool = False
) -> Texts:
    """:func:`number` of every value, as an Arrow string array; each distinct part is written once."""
    values = np.asarray(values, dtype=float).ravel()
    if len(values) <= _FEW:
        return texts([number(value, lang, digits, trim=trim) for value in values.tolist()])
    return _Written(values, np.full(len(values), digits), lang, trim).column()


def short_numbers(values: Sequence[float] | np.ndarray | pd.Series, lang: Lang) -> Texts:
    """:func:`short_number` of every value, as an Arrow string array; each distinct part is written once."""
    values = np.asarray(values, dtype=float).ravel()
    if len(values) <= _FEW:
        return texts([short_number(value, lang) for value in values.tolist()])
    whole = (values == np.floor(values)) | (np.abs(values) >= 100)
    return _Written(values, np.where(whole, 0, 2), lang, True).column()


def texts(words: Sequence[str]) -> Texts:
    """A few texts (a catalogue's phrases, a column's distinct values) as an array to take from."""
    return pa.array(list(words), type=_TEXT)


def take(words: Texts, codes: np.ndarray) -> Texts:
    """``words[codes]``; a negative code gives a missing text."""
    return _take(words, codes)


Part: TypeAlias = Texts | pa.Scalar  # a column of texts, or one text for every row


@dataclass(frozen=True)
class Coded:
    """A field with few distinct texts: each row's code into ``words`` (a negative code: empty)."""

    codes: np.ndarray
    words: Sequence[str]


Field: TypeAlias = Texts | Coded | str  # a column of texts, a coded one, or one text for every row


def fill(template: str, **fields: Field) -> Texts:
    """``template.format(**fields)`` for every row (see :func:`parts`). At least one field must be a column.

    >>> fill("{a} до {b}", a=texts(["14", "7"]), b="9").to_pylist()
    ['14 до 9', '7 до 9']
    """
    return concat(parts([template], None, **fields))


def parts(templates: Sequence[str], which: np.ndarray | None, **fields: Field) -> list[Part]:
    """Row by row, ``templates[which[row]]`` filled with ``fields``, as pieces to :func:`concat`.

    Each run of literals and coded fields is looked up as one text per distinct combination, and
    the text columns between the runs are taken as they are: a row's text is joined from a few
    pieces whatever its template. A missing text is written as empty.
    """
    if which is None and len(templates) > 1:
        raise ValueError(f"{len(templates)} templates need a choice per row ('which')")
    n_rows = len(which) if which is not None else len(_column_of(fields))
    which = np.zeros(n_rows, dtype=np.int64) if which is None else np.asarray(which, dtype=np.int64)
    used = np.flatnonzero(np.bincount(which, minlength=len(templates))).tolist()
    runs = [_runs(template, fields) for template in templates]
    if n_rows <= _FEW:
        return [texts(_written_rows(templates, which, fields))]
    pieces: list[Part] = []
    for place in range(max((len(runs[t]) for t in used), default=0)):
        fixed = [runs[t][place][0] if place < len(runs[t]) else [] for t in range(len(templates))]
        pieces += _fixed(fixed, which, used, fields)
        free = [runs[t][place][1] if place < len(runs[t]) else None for t in range(len(templates))]
        pieces += _free(free, which, used, fields)
    return pieces


def _written_rows(templates: Sequence[str], which: np.ndarray, fields: dict[str, Field]) -> list[str]:
    """:func:`parts`' texts, row by row, by ``str.format``: the same text, for a few rows."""
    values: dict[str, list[str]] = {}
    for name, field in fields.items():
        if isinstance(field, Coded):
            values[name] = [field.words[code] if code >= 0 else "" for code in np.asarray(field.codes).tolist()]
        elif not isinstance(field, str):
            values[name] = ["" if text is None else text for text in field.to_pylist()]
    constants = {name: field for name, field in fields.items() if isinstance(field, str)}
    return [
        templates[t].format(**constants, **{name: column[row] for name, column in values.items()})
        for row, t in enumerate(which.tolist())
    ]


def _runs(template: str, fields: dict[str, Field]) -> list[tuple[list[tuple[bool, str]], str | None]]:
    """A template as (run of literals and coded or constant fields, the text column after it or None)."""
    runs: list[tuple[list[tuple[bool, str]], str | None]] = []
    run: list[tuple[bool, str]] = []
    for literal, name, spec, conversion in Formatter().parse(template):
        if spec or conversion:
            raise ValueError(f"{template!r}: fields are filled as texts, without a format or conversion")
        if literal:
            run.append((False, literal))
        if name is not None and isinstance(fields[name], str | Coded):
            run.append((True, name))
        elif name is not None:
            runs.append((run, name))
            run = []
    return [*runs, (run, None)]


def _fixed(
    runs: list[list[tuple[bool, str]]], which: np.ndarray, used: list[int], fields: dict[str, Field]
) -> list[Part]:
    """One place's runs of literals and coded fields, each distinct combination written once."""
    names = sorted({name for t in used for is_field, name in runs[t] if is_field and isinstance(fields[name], Coded)})
    key = which.copy()
    for name in names:
        field = fields[name]
        key = key * (len(field.words) + 1) + (np.asarray(field.codes) + 1).clip(min=0)  # type: ignore[union-attr]
    codes, keys = pd.factorize(key)
    words = []
    for combined in keys.tolist():
        chosen = {}
        for name in reversed(names):
            size = len(fields[name].words) + 1  # type: ignore[union-attr]
            chosen[name], combined = combined % size - 1, combined // size
        words.append("".join(_run_text(runs[combined], fields, chosen)))
    if not any(words):
        return []
    return [pa.scalar(words[0], _TEXT)] if len(words) == 1 else [take(texts(words), codes)]


def _run_text(run: list[tuple[bool, str]], fields: dict[str, Field], chosen: dict[str, int]) -> Iterator[str]:
    for is_field, text in run:
        field = fields[text] if is_field else text
        if isinstance(field, Coded):
            yield field.words[chosen[text]] if chosen[text] >= 0 else ""
        else:
            yield field  # type: ignore[misc]


def _free(names: list[str | None], which: np.ndarray, used: list[int], fields: dict[str, Field]) -> list[Part]:
    """One place's text column, which may differ by template (missing where a template has none)."""
    if len({names[t] for t in used}) == 1:
        name = names[used[0]]
        return [] if name is None else [fields[name]]  # type: ignore[list-item]
    column: Part = _MISSING
    for name in {name for name in names if name is not None}:
        uses = np.isin(which, [t for t, other in enumerate(names) if other == name])
        column = pc.if_else(uses, fields[name], column)
    return [column]


def _column_of(fields: dict[str, Field]) -> np.ndarray | Texts:
    for field in fields.values():
        if isinstance(field, Coded):
            return field.codes
        if not isinstance(field, str):
            return field
    raise ValueError("at least one field must be a column of texts or a coded one")


def concat(columns: Sequence[Part]) -> Texts:
    """Each row's texts of ``columns`` one after the other; a missing text is written as empty."""
    if len(columns) == 1 and isinstance(columns[0], pa.Array) and not columns[0].null_count:
        return columns[0]
    return pc.binary_join_element_wise(*columns, _EMPTY, null_handling="replace", null_replacement="")


def upper_first(words: Texts) -> Texts:
    """Each text with its first letter as Python's ``str.upper`` writes it, the rest unchanged."""
    words = words.cast(_TEXT)
    letters = pc.dictionary_encode(pc.utf8_slice_codeunits(words, 0, 1))
    lower = letters.dictionary.to_pylist()
    upper = [letter.upper() for letter in lower]
    if any(len(a.encode()) != len(b.encode()) for a, b in zip(lower, upper, strict=True)):  # "ß" -> "SS"
        return concat([texts(upper).take(letters.indices), pc.utf8_slice_codeunits(words, 1)])
    # Same length in UTF-8 (Russian and Latin letters): rewrite the first letters in a copy of the bytes,
    # a copy cheaper than cutting every text after its first letter.
    words = pa.concat_arrays([words]) if words.offset else words
    validity, offsets_buffer, data_buffer = words.buffers()
    starts = np.frombuffer(offsets_buffer, dtype=np.int64, count=len(words) + 1)[:-1]
    data = np.frombuffer(data_buffer, dtype=np.uint8).copy()
    codes = letters.indices.fill_null(-1).to_numpy()  # -1: the last row of the tables below, unchanged
    encoded = [letter.encode() for letter in upper] + [b""]
    changed = np.array([a != b for a, b in zip(lower, upper, strict=True)] + [False])
    size = np.array([len(letter) for letter in encoded])
    letter_bytes = np.zeros((len(encoded), 4), dtype=np.uint8)
    for code, letter in enumerate(encoded):
        letter_bytes[code, : len(letter)] = np.frombuffer(letter, dtype=np.uint8)
    rows = np.flatnonzero(changed[codes])
    for position in range(int(size[codes[rows]].max(initial=0))):
        at = rows[size[codes[rows]] > position]
        data[starts[at] + position] = letter_bytes[codes[at], position]
    return pa.LargeStringArray.from_buffers(len(words), offsets_buffer, pa.py_buffer(data), validity)


def join_lists(words: Texts, lengths: np.ndarray, separator: str) -> Texts:
    """Consecutive ``words`` joined by ``separator``, ``lengths[row]`` of them per row."""
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    return pc.binary_join(pa.LargeListArray.from_arrays(offsets, words), pa.scalar(separator, _TEXT))


def positions_by_code(codes: np.ndarray, n_codes: int) -> list[np.ndarray]:
    """For each code 0 .. n_codes - 1, the positions holding it, in order (one stable sort, not a pass per code)."""
    codes = np.asarray(codes)
    small = codes.astype(np.min_scalar_type(max(n_codes - 1, 1)))  # numpy sorts small integers by radix
    order = np.argsort(small, kind="stable")
    return np.split(order, np.cumsum(np.bincount(codes, minlength=n_codes))[:-1])


def as_series(words: Texts, index: pd.Index, name: str | None = None) -> pd.Series:
    """An Arrow text column as a pandas ``str`` column, without copying the texts."""
    return pd.Series(pa.chunked_array([words], _TEXT).to_pandas().array, index=index, name=name)


def as_texts(column: pd.Series | Sequence[str | None]) -> Texts:
    """A pandas (or Python) column of texts as an Arrow one; missing stays missing."""
    array = pa.array(column, from_pandas=True)
    return (array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array).cast(_TEXT)


class _Written:
    """Values in words as two parts: sign and whole part (``−12 345``), decimal part (``,70``).

    Each distinct part is written once and looked up by code. Rounded as Python rounds (half to
    even, from the exact binary value): by numpy where value x 10**digits is safely away from a
    half, else by Python's formatting once per distinct such value (near-halves, huge values).
    """

    def __init__(self, values: np.ndarray, digits: np.ndarray, lang: Lang, trim: bool) -> None:
        thousands, point = _SEPARATORS[lang]
        with np.errstate(all="ignore"):  # NaN and infinities are told apart below
            scaled = values * 10.0**digits
            rounded = np.rint(scaled)
            off_half = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) > np.abs(scaled) * _TIE_MARGIN
            fast = (np.abs(scaled) < _FAST_LIMIT) & (digits <= _MAX_FAST_DIGITS) & ((digits == 0) | off_half)
        units = np.abs(rounded[fast]).astype(np.int64)
        power = 10 ** digits[fast].astype(np.int64)
        whole_codes, whole_keys = pd.factorize(2 * (units // power) + (rounded[fast] < 0))
        part_codes, part_keys = pd.factorize((units % power) * 32 + digits[fast])
        others = ["—", "∞"]  # then the values rounded by Python
        parts = [_decimals(key >> 5, key & 31, point, trim) for key in part_keys.tolist()] + [""]
        self.whole_codes = np.where(np.isnan(values), len(whole_keys), len(whole_keys) + 1)
        self.part_codes = np.full(len(values), len(parts) - 1)
        self.whole_codes[fast], self.part_codes[fast] = whole_codes, part_codes
        slow = ~fast & np.isfinite(values)
        # digits is one number, or (short_numbers) a function of the value: one per distinct value
        slow_values, slow_digits = values[slow], digits[slow]
        _, first, slow_codes = np.unique(slow_values, return_index=True, return_inverse=True)
        written = [_written_by_python(float(slow_values[i]), int(slow_digits[i]), lang, trim) for i in first]
        self.whole_codes[slow] = len(whole_keys) + len(others) + slow_codes
        self.part_codes[slow] = len(parts) + slow_codes
        grouped = _grouped(np.asarray(whole_keys) >> 1, np.asarray(whole_keys) & 1 == 1, thousands)
        self.wholes = pa.concat_arrays([grouped, texts(others + [whole for whole, _ in written])])
        self.parts = texts(parts + [part for _, part in written])

    def column(self) -> Texts:
        """The texts of the values: each distinct pair of parts joined once, then looked up."""
        n_parts = len(self.parts)
        codes, pairs = pd.factorize(self.whole_codes * n_parts + self.part_codes)
        wholes, parts = _take(self.wholes, pairs // n_parts), _take(self.parts, pairs % n_parts)
        return _take(pc.binary_join_element_wise(wholes, parts, _EMPTY), codes)


def _grouped(whole: np.ndarray, negative: np.ndarray, thousands: str) -> Texts:
    """``−12 345``: the sign and the whole part in groups of three digits, for many values below 2**52."""
    n_groups = np.ones(len(whole), dtype=np.int64)
    for power in range(1, 6):  # 2**52 < 1000**6
        n_groups += whole >= 1000**power
    pieces: list[Part] = [take(texts(["", "−"]), negative.astype(np.int64))]
    pieces.append(pc.cast(pa.array(whole // 1000 ** (n_groups - 1)), _TEXT))
    separator = pa.scalar(thousands, _TEXT)
    for group in range(int(n_groups.max(initial=1)) - 2, -1, -1):  # below the first, the highest first
        digits = pc.utf8_lpad(pc.cast(pa.array(whole // 1000**group % 1000), _TEXT), 3, "0")
        pieces.append(pc.if_else(n_groups - 1 > group, concat([separator, digits]), _MISSING))
    return concat(pieces)


def _written_by_python(value: float, digits: int, lang: Lang, trim: bool) -> tuple[str, str]:
    """:class:`_Written`'s two parts of one value, by Python's decimal formatting."""
    thousands, point = _SEPARATORS[lang]
    if np.isnan(value):
        return "—", ""
    if np.isinf(value):
        return "∞", ""
    whole, _, decimals = f"{abs(value):.{digits}f}".partition(".")
    nonzero = whole.strip("0") != "" or decimals.strip("0") != ""  # no "−0,0"
    return _whole(int(whole), value < 0 and nonzero, thousands), _decimals(int(decimals or 0), digits, point, trim)


def _whole(whole: int, negative: bool, thousands: str) -> str:
    return ("−" if negative else "") + f"{whole:,}".replace(",", thousands)


def _decimals(decimals: int, digits: int, point: str, trim: bool) -> str:
    text = f"{decimals:0{digits}d}" if digits else ""
    text = text.rstrip("0") if trim else text
    return point + text if text else ""


def _take(words: Texts, codes: np.ndarray) -> Texts:
    codes = np.asarray(codes, dtype=np.int64)
    missing = codes < 0
    return words.take(pa.array(codes, mask=missing) if missing.any() else pa.array(codes))
