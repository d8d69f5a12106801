#!/usr/bin/env bash
# Runs every test: lint, the front end's unit tests, then pytest (unit, integration, browser).
# Installs what it needs first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check builder tests bench testkit
(cd frontend && npm test --silent)
# The default model before the tests, alone. It ships trained (builder/pretrained/), so this takes seconds; but when
# the code that decides it has changed, it is trained here (about 10 minutes on 2 cores), not by both workers below.
scratch=$(mktemp -d)
.venv/bin/cnn-explain train --out "$scratch/tiny-vgg"
rm -rf "$scratch"
# two workers, each running whole files (their fixtures build a site once per file); -n 0 runs them in one process
.venv/bin/pytest -n 2 --dist loadfile --durations=20 "$@"
