"""Benchmark the page in headless Chromium (Debian's, driven by Playwright).

    .venv/bin/python -m bench.page                 # the site in dist/
    .venv/bin/python -m bench.page --site DIR --runs 5
    .venv/bin/python -m bench.page --site A --versus B --runs 30    # two front ends, run by run

Prints medians: navigation to overview drawn (from file://, a fresh browser context each run),
TF.js ready, time to compute and redraw every layer for a new image, plus DOM size and JS heap.
With --versus, the two sites load alternately in one browser, so drift in the machine's load falls on both
alike; it prints each one's medians and the median of the run-by-run differences (B minus A).
"""

from __future__ import annotations

import argparse
import os
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


def one_run(browser, url: str) -> tuple[float, float, float]:
    """Overview drawn and TF.js ready (ms from navigation) and the median new-image time, for one fresh load."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.explainer && window.explainer.ready")
    page.evaluate("window.explainer.ready.then(() => true)")
    timings = page.evaluate("window.explainer.timings")
    redraw = []
    for index in [1, 2, 3, 0]:
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        redraw.append(page.evaluate("window.explainer.timings.lastRedrawMs"))
    context.close()
    return timings["overviewDrawnMs"], timings["tfReadyMs"], statistics.median(redraw)


def compare(first: Path, second: Path, runs: int) -> None:
    """Print the medians of two sites loaded alternately in one browser, and of their run-by-run differences."""
    from playwright.sync_api import sync_playwright

    urls = [(site / "index.html").resolve().as_uri() for site in (first, second)]
    results: list[list[tuple[float, float, float]]] = [[], []]
    with sync_playwright() as playwright:
        browser = launch(playwright)
        one_run(browser, urls[0])  # warm the browser's caches for both
        one_run(browser, urls[1])
        for run in range(runs):
            order = (0, 1) if run % 2 == 0 else (1, 0)
            for which in order:
                results[which].append(one_run(browser, urls[which]))
        browser.close()
    load = os.getloadavg()[0]
    print(
        f"A: {first}\nB: {second}\n({runs} runs each, alternating, headless Chromium, 1400x900, file://; load {load:.2f})"
    )
    for index, name in enumerate(["overview drawn", "TF.js ready", "new image"]):
        a = [r[index] for r in results[0]]
        b = [r[index] for r in results[1]]
        difference = statistics.median(y - x for x, y in zip(a, b, strict=True))
        print(
            f"{name:15s} A median {statistics.median(a):7.1f} ms   B median {statistics.median(b):7.1f} ms   "
            f"B - A run by run: median {difference:+.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "dist")
    parser.add_argument("--versus", type=Path, help="a second site, loaded alternately with --site")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.versus:
        compare(args.site, args.versus, args.runs)
    else:
        measure(args.site, args.runs)


if __name__ == "__main__":
    main()
