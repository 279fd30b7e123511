#!/usr/bin/env bash
# Create .venv (Python 3.11) and install oneclick with the pinned versions of requirements.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==25.3"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"

# The report's browser test drives Debian's Chromium through Playwright; Playwright's own
# browsers are never downloaded. Install it wherever it is missing and we may.
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
            || echo "note: could not install chromium with apt-get; the browser test will be skipped" >&2
    else
        echo "note: /usr/bin/chromium is missing, so tests/report/test_browser.py will be skipped;" \
             "install it with: sudo apt-get install chromium" >&2
    fi
fi
