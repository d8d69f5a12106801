#!/usr/bin/env bash
# Builds the default explainer (Tiny VGG on Fashion-MNIST) into dist/, installing what it needs.
# Extra arguments go to `cnn-explain build` (see `.venv/bin/cnn-explain build --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/cnn-explain build "$@"
