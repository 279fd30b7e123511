#!/usr/bin/env bash
# Set up, then run the whole test suite (and the linters).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check --quiet src tests benchmarks
exec .venv/bin/python -m pytest "$@"
