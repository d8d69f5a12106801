#!/usr/bin/env bash
# Takes the README's picture of the overview (docs/overview.png) from a fresh build of the default explainer.
# tests/browser/test_readme_image.py fails when the page no longer looks like it: run this, and look at the result.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
.venv/bin/python -m testkit.readme
