#!/usr/bin/env bash
# Trains the default model again (Tiny VGG on Debian's Fashion-MNIST, default settings, about 10 minutes on 2
# cores) and ships it in builder/pretrained/, where a build with those inputs finds it instead of training.
# Run it when tests/test_pretrained.py says the code or data that decide the weights have changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
.venv/bin/cnn-explain train --retrain --cache "$scratch/cache" --out "$scratch/trained"
rm -rf builder/pretrained
mkdir builder/pretrained
mv "$scratch"/cache/models/* builder/pretrained/
ls builder/pretrained
