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
