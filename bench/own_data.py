"""Benchmark "bring your own data": a 2,000-image RGB folder at 64x64, built from scratch (training included).

    .venv/bin/python -m bench.own_data                  # 5 classes x 400 images, default training
    .venv/bin/python -m bench.own_data --per-class 80 --classes 4 --epochs 5   # a quicker look

Generates coloured shapes with Pillow (testkit/images.py) into a scratch folder, then
times one `cnn-explain build --data DIR` in a fresh process with an empty model cache, as a user
runs it. Prints the wall time (target: at most 3 minutes on 2 cores), the time per phase as the
build logs it, the epochs trained and the test accuracy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testkit.cli import CLI
from testkit.images import write_image_folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--classes", type=int, default=5)
    parser.add_argument("--per-class", type=int, default=400)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=None, help="passed to build (default: the CLI's)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="own-data-") as scratch:
        work = Path(scratch)
        started = time.perf_counter()
        names = write_image_folder(work / "data", args.classes, per_class=args.per_class, size=args.size)
        generated = time.perf_counter() - started
        extra = ["--epochs", str(args.epochs)] if args.epochs else []
        command = [str(CLI), "build", "--data", "data", "--cache", "cache", "--out", "site", *extra]
        started = time.perf_counter()
        result = subprocess.run(command, cwd=work, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"build failed:\n{result.stderr}")
        metrics = json.loads((work / "site" / "metrics.json").read_text())
        (history_file,) = (work / "cache").glob("models/*/history.json")
        history = json.loads(history_file.read_text())
        site_bytes = sum(p.stat().st_size for p in (work / "site").rglob("*") if p.is_file())

    total = args.classes * args.per_class
    print(f"dataset: {total} RGB images, {args.size}x{args.size}, {args.classes} classes ({', '.join(names)})")
    print(f"  generated in {generated:.1f} s (not counted)")
    print(f"command: cnn-explain {' '.join(command[1:])}   ({os.cpu_count()} CPUs)")
    print(f"build wall time, from scratch (training included): {wall:.1f} s  (target <= 180 s)")
    epochs = len(history["epochs"]["val_loss"])
    print(
        f"training: {history['seconds']:.1f} s, {epochs} of at most {history['config']['epochs']} epochs "
        f"(weights from epoch {history['weights_from_epoch']}), {history['seconds'] / epochs:.2f} s/epoch"
    )
    print(f"test accuracy: {metrics['accuracy']:.4f} on {metrics['test_examples']} images")
    print(f"site size: {site_bytes / 2**20:.1f} MiB")
    stamps = [(line[:8], line[9:]) for line in result.stderr.splitlines() if re.match(r"\d\d:\d\d:\d\d ", line)]
    print("build log (first and last lines, with the time of each):")
    for stamp, text in stamps[:3] + [("...", "")] + stamps[-3:]:
        print(f"  {stamp} {text[:150]}")


if __name__ == "__main__":
    main()
