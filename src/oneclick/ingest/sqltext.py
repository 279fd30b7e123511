"""Small helpers to write SQL safely, and the queries of ``oneclick/ingest/sql`` loaded by name."""

from __future__ import annotations

from importlib.resources import files


def literal(value: object) -> str:
    """A SQL literal for a string, number or boolean.

    >>> literal("it's")
    "'it''s'"
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def load_sql(name: str) -> str:
    """The text of one query in ``oneclick/ingest/sql``."""
    return files("oneclick.ingest").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


# A cell as the quarantine and the reasons show it: at most this many characters, and control
# characters (which a spreadsheet or a terminal would act on) as U+FFFD.
SHOWN_CHARACTERS = 100


def shown(expression: str) -> str:
    """SQL for a text as it is shown in the quarantine: cut to ``SHOWN_CHARACTERS``, no control characters."""
    clean = f"regexp_replace({expression}, '[\\x00-\\x08\\x0B-\\x1F\\x7F]', '\ufffd', 'g')"
    return (
        f"CASE WHEN length({expression}) > {SHOWN_CHARACTERS} "
        f"THEN left({clean}, {SHOWN_CHARACTERS}) || '…' ELSE {clean} END"
    )
