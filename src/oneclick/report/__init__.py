"""The run report: a summary dict of numbers -> Jinja template -> one self-contained HTML file.

>>> from oneclick.report import write_report
>>> write_report(Path("out/run"), lang="en")  # doctest: +SKIP
PosixPath('out/run/report.en.html')
"""

from oneclick.report.render import render_report, write_report
from oneclick.report.summary import build_summary

__all__ = ["build_summary", "render_report", "write_report"]
