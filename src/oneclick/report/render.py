"""Render a run's summary into one self-contained HTML file: Jinja, inline CSS, inline charts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from oneclick.layout import REPORT_FILES
from oneclick.report import i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.section import Summary
from oneclick.report.sections import SECTIONS
from oneclick.report.summary import build_summary

_VIEWS = {section.key: section.view for section in SECTIONS}


def render_report(summary: Summary, lang: Lang = "ru") -> str:
    """The report's HTML for a summary made by :func:`~oneclick.report.summary.build_summary`."""
    lang = i18n.check_lang(lang)
    environment = Environment(
        loader=PackageLoader("oneclick.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    sections = [_section(entry, summary, lang) for entry in summary["sections"]]
    return environment.get_template("report.html.j2").render(
        lang=lang,
        text=lambda key, **values: t(key, lang, **values),
        meta=_meta_rows(summary["meta"], lang),
        sections=sections,
        version=summary["meta"]["oneclick_version"],
    )


def _section(entry: dict[str, Any], summary: Summary, lang: Lang) -> dict[str, Any]:
    key = entry["key"]
    item = {"key": key, "number": entry["number"], "title": t(f"section_{key}", lang), "status": entry["status"]}
    view = _VIEWS.get(key)
    if entry["status"] == "ok" and view is not None:
        item["view"] = view(summary[key], lang)
    elif entry["status"] == "missing":
        item["message"] = t(f"missing_{key}", lang, files=", ".join(entry["missing"]))
    else:
        item["message"] = t("pending", lang, files=", ".join(entry["files"]))
    return item


def _meta_rows(meta: dict[str, Any], lang: Lang) -> list[tuple[str, str]]:
    if meta.get("run_date") is None:
        return [(t("run", lang), f"{meta['run_dir']} ({t('no_run_record', lang)})")]
    date = datetime.fromisoformat(meta["run_date"])
    policy = meta.get("settings", {})
    policies = ", ".join(
        f"{name}={policy[name]}" for name in ("inactive_policy", "outlier_policy", "bad_rows") if name in policy
    )
    versions = " · ".join(f"{name} {v}" for name, v in meta.get("versions", {}).items())
    inputs = " · ".join(f"{name} ({sha[:8]})" for name, sha in meta.get("inputs", {}).items())
    return [
        (t("run", lang), meta["run_dir"]),
        (t("run_date", lang), date.strftime("%d.%m.%Y %H:%M" if lang == "ru" else "%Y-%m-%d %H:%M")),
        (t("data_fingerprint", lang), (meta.get("data_fingerprint") or "—")[:16]),
        (t("seed", lang), str(meta.get("seed"))),
        (t("policies", lang), policies or "—"),
        (t("inputs", lang), inputs or "—"),
        (t("versions", lang), versions or "—"),
    ]


def write_report(run_dir: Path, out_file: Path | None = None, lang: Lang = "ru") -> Path:
    """Write the HTML report of the run in ``run_dir`` and return its path.

    Parameters
    ----------
    run_dir : the output folder of ``oneclick run``.
    out_file : where to write; by default ``run_dir/report.html`` (Russian) or ``run_dir/report.en.html``.
    lang : ``"ru"`` (default) or ``"en"``.

    Raises
    ------
    InputDataError : ``run_dir`` is not the output folder of a run, or one of its files cannot be read.
    ConfigError : ``lang`` is not a language of the report.

    >>> write_report(Path("out/run"))  # doctest: +SKIP
    PosixPath('out/run/report.html')
    """
    lang = i18n.check_lang(lang)
    html = render_report(build_summary(Path(run_dir)), lang)
    path = Path(out_file) if out_file is not None else Path(run_dir) / REPORT_FILES[lang]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
