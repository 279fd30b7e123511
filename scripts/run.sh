#!/usr/bin/env bash
# Set up, then run the main job on a built-in synthetic data set (or on the folder given).
# Usage: bash scripts/run.sh [DATA_DIR] [oneclick run options...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/oneclick run --out out/run "$@"
