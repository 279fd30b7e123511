"""How the report is opened in Debian's Chromium for checks: headless, offline, no background traffic.

Playwright's own browsers are never downloaded; these are the flags that keep Chromium from
reaching for the network on this closed machine.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
