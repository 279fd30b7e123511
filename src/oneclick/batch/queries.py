"""The batch engine's SQL, one query per file in ``oneclick/batch/sql``, loaded by name."""

from __future__ import annotations

from importlib.resources import files


def load_sql(name: str) -> str:
    """The text of one query in ``oneclick/batch/sql``."""
    return files("oneclick.batch").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
