#!/usr/bin/env bash
# Runs every test: lint, the front end's unit tests, then pytest (unit, integration, browser).
# Installs what it needs first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check builder tests bench testkit
(cd frontend && npm test --silent)
# The default model before the tests, alone (the first build trains it, about 9 minutes on 2 cores): the two test
# workers below would otherwise both train it at once. A second run reuses it (.cache/).
scratch=$(mktemp -d)
.venv/bin/cnn-explain train --out "$scratch/tiny-vgg"
rm -rf "$scratch"
# two workers, each running whole files (their fixtures build a site once per file); -n 0 runs them in one process
.venv/bin/pytest -n 2 --dist loadfile "$@"
