"""Print the size of the HTML report of a run and the time Chromium takes to open it.

Usage: python benchmarks/report_open.py [RUN_DIR] [ru|en]
Without RUN_DIR, runs the pipeline on the store's data (../shared/data/one_click) into a
temporary folder first. Opens the report 5 times in Debian's Chromium (headless, a fresh
browser context each time, so nothing is cached) and prints the median time from the start
of navigation to the end of the load event. The issue asks for under 5 MB and under 2 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from oneclick.config import Settings
from oneclick.pipeline import run_pipeline
from oneclick.report import write_report
from oneclick.report.browser import CHROMIUM, CHROMIUM_ARGS

REAL_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "one_click"
N_OPENINGS = 5


def open_times(report: Path) -> list[tuple[float, float]]:
    """(navigation start -> load event end, wall time of the navigation), in seconds, per opening."""
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(N_OPENINGS):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(report.as_uri(), wait_until="load")
            wall = time.perf_counter() - started
            load_end = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            times.append((load_end / 1000, wall))
            context.close()
        browser.close()
    return times


def measure(run_dir: Path, lang: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        report = write_report(run_dir, Path(tmp) / f"report.{lang}.html", lang=lang)  # type: ignore[arg-type]
        build_seconds = time.perf_counter() - started
        size_mb = report.stat().st_size / 1e6
        times = open_times(report)
    load = statistics.median(t for t, _ in times)
    wall = statistics.median(w for _, w in times)
    print(f"report of {run_dir} ({lang})")
    print(f"  written in {build_seconds:.1f} s")
    print(f"  size {size_mb:.2f} MB (limit 5 MB)")
    print(
        f"  open in Chromium, median of {N_OPENINGS}: load event at {load:.3f} s "
        f"(limit 2 s); navigation wall time {wall:.3f} s"
    )
    print("  each opening (load event, wall): " + ", ".join(f"{t:.3f}/{w:.3f}" for t, w in times))


def main(argv: list[str]) -> None:
    lang = argv[2] if len(argv) > 2 else "ru"
    if len(argv) > 1 and argv[1] != "-":
        measure(Path(argv[1]), lang)
        return
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        run_pipeline(REAL_DATA, Path(tmp), Settings())
        print(f"pipeline on {REAL_DATA} in {time.perf_counter() - started:.1f} s")
        measure(Path(tmp), lang)


if __name__ == "__main__":
    main(sys.argv)
