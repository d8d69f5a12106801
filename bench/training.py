"""Training in the page: the time of one epoch of 2,000 images and the longest main-thread task while it trains.

    .venv/bin/python -m bench.training                # the site in dist/, 3 runs
    .venv/bin/python -m bench.training --site DIR --runs 3

Each run is a fresh page (file://, 1400x900) that trains Tiny VGG from the seed's random weights for one epoch of
2,000 images (batch 32, Adam 3e-3) through window.explainer.train; its time runs from the call to the result, the
held-out measurement of the epoch included, and so is loading the training code and images. Long tasks (over 50 ms)
on the page's main thread are recorded by a PerformanceObserver from the call on (two seconds after the page is
ready, once what it builds in idle time is built); the page must stay responsive, with none over 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from testkit.chromium import ROOT, launch

OBSERVE = """window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
  .observe({ type: "longtask" });"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"{os.cpu_count()} CPUs, load average before: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    seconds, longest, accuracy = [], [], []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for run in range(args.runs):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.goto((args.site / "index.html").resolve().as_uri())
            page.wait_for_function("() => window.explainer && window.explainer.ready")
            page.evaluate("window.explainer.ready.then(() => true)")
            page.wait_for_timeout(2000)  # the page settles: parts of the article are built in idle time after ready
            page.evaluate(OBSERVE)
            result = page.evaluate(
                """(seed) => { const started = performance.now();
                  return explainer.train({images: 2000, epochs: 1, batchSize: 32, learningRate: 3e-3, seed})
                    .then((r) => ({ms: performance.now() - started, accuracy: r.heldOutAccuracy})); }""",
                run,
            )
            page.wait_for_timeout(300)
            tasks = page.evaluate("window.__longTasks")
            seconds.append(result["ms"] / 1000)
            longest.append(max(tasks, default=0.0))
            accuracy.append(result["accuracy"])
            context.close()
        browser.close()
    print(f"site: {args.site}  ({args.runs} runs, one epoch of 2,000 images each, batch 32, Adam 3e-3)")
    print(f"epoch: median {statistics.median(seconds):.1f} s  (runs: {', '.join(f'{s:.1f}' for s in seconds)})")
    print(f"held-out accuracy after it: {', '.join(f'{a:.3f}' for a in accuracy)}")
    print(
        f"longest main-thread task while training: median {statistics.median(longest):.0f} ms, worst {max(longest):.0f} ms"
    )
    print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
