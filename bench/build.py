"""Benchmark the build: training the model again (--retrain), and with a trained model (the cached or shipped
one, as a first build finds it); size of dist/.

    .venv/bin/python -m bench.build            # both builds, into a scratch folder
    .venv/bin/python -m bench.build --cached-only

Prints wall-clock times, the test accuracy and dist/'s size by kind of file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from testkit.cli import CLI

ROOT = Path(__file__).resolve().parent.parent

KINDS = {
    ".js": "script",
    ".css": "style",
    ".html": "page",
    ".json": "model/spec json",
    ".bin": "model weights",
}


def timed_build(out: Path, cache: Path, extra: list[str]) -> float:
    """Seconds one `cnn-explain build` takes (a fresh process, as a user runs it)."""
    started = time.perf_counter()
    subprocess.run([str(CLI), "build", "--out", str(out), "--cache", str(cache), *extra], check=True, cwd=ROOT)
    return time.perf_counter() - started


def size_by_kind(site: Path) -> dict[str, int]:
    """Bytes in `site` grouped by kind of file, the payload (data/explainer.js) on its own line."""
    sizes: Counter[str] = Counter()
    for path in site.rglob("*"):
        if path.is_file():
            kind = (
                "payload (model, samples, activations)"
                if path.name == "explainer.js"
                else KINDS.get(path.suffix, path.suffix or "other")
            )
            sizes[kind] += path.stat().st_size
    return dict(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cached-only", action="store_true", help="skip the build that trains; use ./.cache")
    parser.add_argument("--repeat", type=int, default=3, help="cached builds to time (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        out = scratch / "dist"
        cache = ROOT / ".cache" if args.cached_only else scratch / "cache"
        if not args.cached_only:
            seconds = timed_build(out, cache, ["--retrain"])
            print(f"build training the model again (--retrain): {seconds:.1f} s")
            history = json.loads(next(cache.glob("models/*/history.json")).read_text())
            print(
                f"  training: {history['seconds']:.1f} s, {len(history['epochs']['loss'])} epochs, weights from epoch {history['weights_from_epoch']}"
            )
        cached = [timed_build(out, cache, []) for _ in range(args.repeat)]
        print(
            f"build with a trained model: median {statistics.median(cached):.1f} s of {args.repeat} ({', '.join(f'{s:.1f}' for s in cached)})"
        )
        metrics = json.loads((out / "metrics.json").read_text())
        print(f"test accuracy: {metrics['accuracy']:.4f} on {metrics['test_examples']} test images")
        sizes = size_by_kind(out)
        total = sum(sizes.values())
        print(f"dist/ size: {total:,} bytes ({total / 1e6:.2f} MB)")
        for kind, size in sorted(sizes.items(), key=lambda item: -item[1]):
            print(f"  {kind:40s} {size:>10,} bytes")


if __name__ == "__main__":
    sys.exit(main())
