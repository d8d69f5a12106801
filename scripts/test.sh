#!/usr/bin/env bash
# Runs every test: lint, the front end's unit tests, then pytest (unit, integration, browser).
# Installs what it needs first. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check builder tests bench testkit
(cd frontend && npm test --silent)
.venv/bin/pytest "$@"
