#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine (run as root): Debian packages, the npm
# packages from frontend/package-lock.json and the front-end bundle, then the Python environment in .venv.
# Safe to run again: each step is skipped when it is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
[ -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ] || apt_packages+=(dataset-fashion-mnist)
# real CJK glyphs in the browser tests' screenshots of the Chinese page (the page itself ships no CJK font)
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || apt_packages+=(fonts-noto-cjk)
command -v npm >/dev/null || apt_packages+=(nodejs npm)
command -v python3.11 >/dev/null || apt_packages+=(python3.11 python3.11-venv)
if [ ${#apt_packages[@]} -gt 0 ]; then
  echo "setup: apt-get install ${apt_packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

stamp() { cat "$@" | sha256sum | cut -c1-16; }

# the front end first: the Python package maps frontend/dist into itself (pyproject.toml), so it must exist
node_stamp=$(stamp frontend/package-lock.json)
if [ "$(cat frontend/node_modules/.installed 2>/dev/null)" != "$node_stamp" ]; then
  echo "setup: npm ci in frontend/"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  echo "$node_stamp" > frontend/node_modules/.installed
fi
(cd frontend && npm run --silent build)

python_stamp=$(stamp pyproject.toml constraints.txt)
if [ "$(cat .venv/.installed 2>/dev/null)" != "$python_stamp" ]; then
  echo "setup: Python environment in .venv (tensorflow, tensorflowjs, ...; about 3 GB)"
  [ -x .venv/bin/python ] || python3.11 -m venv .venv
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[test]" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import tensorflowjs, keras, playwright" >/dev/null 2>&1 \
    || { echo "setup: the Python environment does not import; see the pip output above" >&2; exit 1; }
  echo "$python_stamp" > .venv/.installed
fi
