"""The two languages oneclick speaks, and numbers written the way each reader expects.

Russian: decimal comma and a narrow no-break space between thousands (``12 345,7``); English:
decimal point and a comma between thousands (``12,345.7``). Every stage that writes numbers into
words (the customers' drivers, the offers' reasons, the report) goes through :func:`number`, so a file and the report
write the same number the same way.
"""

from __future__ import annotations

import math
from typing import Literal

Lang = Literal["ru", "en"]
LANGS: tuple[Lang, ...] = ("ru", "en")

_THIN = "\u202f"  # narrow no-break space: the Russian thousands separator


def number(value: float, lang: Lang, digits: int = 1, *, trim: bool = False) -> str:
    """A number for the reader: ``number(12345.678, 'ru') == '12 345,7'`` (narrow spaces).

    ``trim`` drops the zeros the fraction ends with: ``number(0.5, 'ru', 2, trim=True) == '0,5'``.
    Missing is ``—``, a minus is the typographic ``−``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    if round(value, digits) == 0:
        value = 0.0  # no "−0,0"
    text = f"{value:,.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "ru":
        text = text.replace(",", _THIN).replace(".", ",")
    return text.replace("-", "−")


def short_number(value: float, lang: Lang) -> str:
    """A value inside a sentence: whole numbers and large amounts without decimals, others with up to two.

    >>> short_number(0.5, "ru"), short_number(0.5, "en"), short_number(5216.4, "en")
    ('0,5', '0.5', '5,216')
    """
    whole = float(value).is_integer() or abs(value) >= 100
    return number(value, lang, 0 if whole else 2, trim=True)
