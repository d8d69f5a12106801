#!/usr/bin/env bash
# Mutation testing, a standing measure of how much the tests catch (not part of CI: it takes 20-40 minutes).
#
#   bash bench/mutation.sh            # both: the front end's pure modules, then the builder's core
#   bash bench/mutation.sh js         # Stryker on frontend/src (bench/mutation/stryker.config.json)
#   bash bench/mutation.sh py         # mutmut on builder/ (pyproject.toml [tool.mutmut])
#
# Installs what it needs first: Stryker from bench/mutation/package-lock.json, mutmut as the `bench` extra.
# Prints each tool's score (killed / all, and killed / covered) and leaves the survivors to read:
# bench/mutation/reports/stryker.json (or its clear-text table above), and `.venv/bin/mutmut results`.
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
bash scripts/setup.sh >/dev/null

if [ "$which" = all ] || [ "$which" = js ]; then
  (cd bench/mutation && npm ci --no-audit --no-fund --loglevel=error)
  # the node tests read the message catalogs, which are not in the copies of frontend/ that Stryker runs them in
  (cd frontend && CNN_EXPLAIN_LOCALES="$PWD/../site_templates/locales" \
    ../bench/mutation/node_modules/.bin/stryker run ../bench/mutation/stryker.config.json) | grep -v "^Mutation testing"
fi

if [ "$which" = all ] || [ "$which" = py ]; then
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[bench]" 2>&1 | grep -v "^WARNING: Location" || true
  rm -rf mutants
  .venv/bin/mutmut run >/dev/null 2>&1 || true
  .venv/bin/python -m bench.mutmut_score
fi
