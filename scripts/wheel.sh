#!/usr/bin/env bash
# Builds the installable wheel, cnn_explain-VERSION-py3-none-any.whl, into build/wheels/ (or the folder given).
# It carries the site templates and the built front end (pyproject.toml), so the installed tool builds sites
# without this checkout: `pip install build/wheels/cnn_explain-*.whl`, then `cnn-explain build` anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/wheels}
bash scripts/setup.sh >/dev/null  # .venv, and the front end built into frontend/dist
rm -rf build/lib build/bdist.*    # a stale copy would put deleted files into the wheel
rm -f "$out"/cnn_explain-*.whl
if ! output=$(.venv/bin/python -m pip wheel -q --no-deps --no-build-isolation -w "$out" . 2>&1); then
  echo "$output" >&2
  exit 1
fi
ls "$out"/cnn_explain-*.whl
