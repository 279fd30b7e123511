"""What a section of the report is: the run files it needs, how it summarises them, how it shows them.

A section is two plain functions and one template partial:

- ``build(run, summary) -> dict``: numbers only (JSON-ready, no words of any language): it reads
  the files from the run folder and hands them to a function of :mod:`oneclick.analysis`, which
  computes them (so the dashboard shows the same numbers); ``summary`` holds the sections built
  before it, so a later section (the conclusions) can use earlier ones. It goes into ``summary[key]``.
- ``view(data, lang) -> dict``: the words, formatted numbers, tables and charts the partial
  ``templates/sections/<key>.html.j2`` shows, made from ``summary[key]``.

A section whose ``requires`` files are not all in the run folder is not built; the report
says so in one line (``missing_<key>`` in :mod:`oneclick.report.i18n`), unless the section is
``optional``: then it is left out, unnumbered (the campaign results, in a run after a campaign only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder

Summary = dict[str, Any]
Build = Callable[[RunFolder, Summary], dict[str, Any]]
View = Callable[[dict[str, Any], Lang], dict[str, Any]]


@dataclass(frozen=True)
class Section:
    """One numbered section of the report.

    ``key`` names the section everywhere: ``summary[key]``, the partial ``sections/<key>.html.j2``,
    the HTML id ``s-<key>`` and the i18n keys ``section_<key>`` (title) and ``missing_<key>``.
    ``build``/``view`` left as ``None`` mark a section this version cannot show yet. An ``optional``
    section without its files is left out of the report instead of saying they are missing.
    """

    key: str
    requires: tuple[str, ...]
    build: Build | None = None
    view: View | None = None
    optional: bool = False
