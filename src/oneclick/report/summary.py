"""The summary of a run: a plain, JSON-ready dict of numbers the report is rendered from.

Keys: ``meta`` (the run record), ``sections`` (for each section in order: ``key``, ``number``,
``status`` of ``"ok"``/``"missing"``/``"pending"``, the ``missing`` and present ``files``; an optional
section without its files is not listed), then one key per section holding what its ``build``
returned, or ``None`` when it was not built.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from oneclick.errors import InputDataError
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Section, Summary
from oneclick.report.sections import SECTIONS


def build_summary(run_dir: Path) -> Summary:
    """Read a run's output folder and summarise it section by section.

    Raises :class:`~oneclick.errors.InputDataError` when ``run_dir`` is not a run's output folder.

    >>> summary = build_summary(Path("out/run"))  # doctest: +SKIP
    >>> summary["quality"]["customers_kept"]  # doctest: +SKIP
    1297
    """
    run = RunFolder(run_dir)
    summary: Summary = {"meta": _meta(run), "sections": []}
    number = 0
    for section in SECTIONS:
        missing = run.missing(section.requires)
        if missing and section.optional:
            summary[section.key] = None
            continue
        number += 1
        status = "missing" if missing else ("pending" if section.build is None else "ok")
        summary["sections"].append(
            {
                "key": section.key,
                "number": number,
                "status": status,
                "missing": missing,
                "files": [run.label(name) for name in section.requires if run.has(name)],
            }
        )
        summary[section.key] = _built(section, run, summary) if status == "ok" else None
    return summary


def _built(section: Section, run: RunFolder, summary: Summary) -> dict[str, Any] | None:
    if section.build is None:
        return None
    try:
        return section.build(run, summary)
    except KeyError as err:
        files = ", ".join(run.label(name) for name in section.requires)
        raise InputDataError(
            f"section '{section.key}': {files} lack the entry {err}; were they written by another oneclick "
            "version? Run `oneclick run` again"
        ) from err


def _meta(run: RunFolder) -> dict[str, Any]:
    from oneclick import __version__

    meta: dict[str, Any] = {
        "run_dir": str(run.path),
        "oneclick_version": __version__,
        "run_date": None,
        "seed": None,
        "settings": {},
        "inputs": {},
        "data_fingerprint": None,
        "versions": {},
    }
    if run.has("run"):
        record = run.json("run")
        meta |= {
            key: record[key] for key in ("seed", "settings", "inputs", "data_fingerprint", "versions") if key in record
        }
        # run.json carries no time of its own; it is written at the end of the run.
        written = datetime.fromtimestamp(run.file("run").stat().st_mtime).astimezone()
        meta["run_date"] = written.isoformat(timespec="minutes")
    return meta
