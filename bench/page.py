"""Benchmark the page in headless Chromium (Debian's, driven by Playwright).

    .venv/bin/python -m bench.page                 # the site in dist/
    .venv/bin/python -m bench.page --site DIR --runs 5

Prints medians: navigation to overview drawn (from file://, a fresh browser context each run),
TF.js ready, time to compute and redraw every layer for a new image, plus DOM size and JS heap.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from testkit.chromium import ROOT, launch


def measure(site: Path, runs: int) -> None:
    """Print the page timings for the explainer in `site`."""
    from playwright.sync_api import sync_playwright

    url = (site / "index.html").resolve().as_uri()
    drawn, ready, redraw, nodes, heap = [], [], [], [], []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("() => window.explainer && window.explainer.ready")
            page.evaluate("window.explainer.ready.then(() => true)")
            timings = page.evaluate("window.explainer.timings")
            drawn.append(timings["overviewDrawnMs"])
            ready.append(timings["tfReadyMs"])
            count = page.evaluate("window.explainer.classes.length && window.CNN_EXPLAIN.samples.count")
            for index in list(range(1, count)) + [0]:
                page.evaluate("(i) => window.explainer.selectSample(i)", index)
                redraw.append(page.evaluate("window.explainer.timings.lastRedrawMs"))
            nodes.append(page.evaluate("document.getElementsByTagName('*').length"))
            heap.append(page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0") / 2**20)
            context.close()
        browser.close()
    print(f"site: {site}  ({runs} runs, headless Chromium, 1400x900, file://)")
    print(
        f"navigation to overview drawn: median {statistics.median(drawn):.0f} ms  (runs: {', '.join(f'{v:.0f}' for v in drawn)})"
    )
    print(f"navigation to TF.js model loaded: median {statistics.median(ready):.0f} ms")
    print(
        f"new image, TF.js forward + redraw of every layer: median {statistics.median(redraw):.1f} ms over {len(redraw)} images (max {max(redraw):.1f} ms)"
    )
    print(f"DOM elements: {statistics.median(nodes):.0f}; JS heap after load: {statistics.median(heap):.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    measure(args.site, args.runs)


if __name__ == "__main__":
    main()
