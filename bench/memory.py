"""Peak memory of the build and of the page, for models inside, at and beyond the explainer's budget.

    .venv/bin/python -m bench.memory
    .venv/bin/python -m bench.memory --models wide budget --runs 3

Each model (testkit/models.py, seeded random weights) is built with the real CLI in a fresh process, with
`--samples DIR` (5 generated photos): the peak RSS is that process's (getrusage of the child). Built sites
are opened from file:// in headless Chromium at 1400x900, fresh context per run: the renderer's RSS after
every sample was shown once, and the page's own timings. The load average is printed with the figures.

  huge-weights  256x256x1, two Conv2D(128), Flatten, Dense(10): 84 million weights, refused from the file
  huge          the same with 8x8 pooling: 42 million values per image, refused once loaded
  wide          64x64x3, 3 blocks of 2 x Conv2D(64): the realistic teaching model the budget must accept
  budget        the same at 128x128x3: 5.9 million values per image, just inside the budget
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from testkit.chromium import launch, open_when_ready
from testkit.cli import CLI


def make(name: str):
    from testkit.models import huge_model, wide_model

    return {
        "huge-weights": lambda: huge_model(pool=None),
        "huge": lambda: huge_model(pool=8),
        "wide": lambda: wide_model(size=64),
        "budget": lambda: wide_model(size=128),
    }[name]()


# Runs a command and prints its peak RSS (KiB). A small launcher, because a child forked from this process would
# start out with this process's memory (TensorFlow, the model) counted as its own.
PEAK = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)


def build(name: str, work: Path) -> dict:
    """Build model `name` with the CLI in a child process: exit code, last line, seconds, peak RSS, site size."""
    import keras
    from PIL import Image

    keras.utils.set_random_seed(0)
    make(name).save(work / f"{name}.keras")
    photos = work / "photos"
    photos.mkdir(exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(5):
        Image.fromarray(rng.integers(0, 256, (150, 150, 3), dtype=np.uint8)).save(photos / f"{i}.png")
    command = [str(CLI), "build", "--model", f"{name}.keras", "--samples", "photos", "--out", name]
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=work, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = float(result.stdout.split()[-1])
    site = work / name
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) if result.returncode == 0 else 0
    return {
        "ok": result.returncode == 0,
        "line": (result.stderr.strip().splitlines() or [""])[-1],
        "seconds": seconds,
        "peak": peak / 1024,
        "site": site,
        "bytes": size,
    }


def renderer_rss() -> float:
    """The largest RSS (MiB) among this process's Chromium renderers."""
    import psutil

    sizes = [
        child.memory_info().rss
        for child in psutil.Process().children(recursive=True)
        if "--type=renderer" in " ".join(child.cmdline())
    ]
    return max(sizes) / 2**20


def measure_page(browser, site: Path, runs: int) -> dict:
    drawn, redraw, rss = [], [], []
    for _ in range(runs):
        page = open_when_ready(browser, site)
        drawn.append(page.evaluate("window.explainer.timings.overviewDrawnMs"))
        count = page.evaluate("window.CNN_EXPLAIN.samples.count")
        for index in [*range(1, count), 0]:
            page.evaluate("(i) => window.explainer.selectSample(i)", index)
            redraw.append(page.evaluate("window.explainer.timings.lastRedrawMs"))
        rss.append(renderer_rss())
        page.context.close()
    return {"drawn": statistics.median(drawn), "redraw": statistics.median(redraw), "rss": statistics.median(rss)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    names = ["huge-weights", "wide", "huge", "budget"]
    parser.add_argument("--models", nargs="+", choices=names, default=names)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from playwright.sync_api import sync_playwright

    print(f"{os.cpu_count()} CPUs, load average before: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="memory-") as scratch, sync_playwright() as playwright:
        browser = launch(playwright)
        for name in args.models:
            work = Path(scratch) / name
            work.mkdir()
            built = build(name, work)
            peak = f"{built['peak']:.0f} MiB"
            status = "built" if built["ok"] else "refused"
            print(f"{name}: {status} in {built['seconds']:.1f} s, peak RSS {peak}")
            print(f"  {built['line']}")
            if built["ok"]:
                page = measure_page(browser, built["site"], args.runs)
                print(
                    f"  site {built['bytes'] / 2**20:.1f} MiB; page (median of {args.runs}): overview drawn "
                    f"{page['drawn']:.0f} ms, new image {page['redraw']:.0f} ms, renderer RSS {page['rss']:.0f} MiB"
                )
        browser.close()
    print(f"load average after: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
