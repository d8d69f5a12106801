"""Benchmark the explanation views in headless Chromium (Debian's, driven by Playwright).

    .venv/bin/python -m bench.views                  # the site in dist/
    .venv/bin/python -m bench.views --site DIR --runs 9

Prints, for each view kind (conv, its formula, activation, pool, dropout when the model has one, output and
softmax from a class row), the median time from the click (its event timestamp) to the view drawn (the frame
after it is built), as the page records it in window.explainer.timings.views. Target: <= 100 ms each.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from testkit.chromium import ROOT, launch

TARGET_MS = 100


def first_layer(spec: dict, kind: str, skip: int = 0) -> str | None:
    """The name of the (skip+1)-th spec layer of `kind` (the second conv is more work than the first)."""
    names = [layer["name"] for layer in spec["layers"] if layer["kind"] == kind]
    return names[min(skip, len(names) - 1)] if names else None


def timed_click(page, selector: str, what: str) -> float:
    """Click `selector`; the ms from the click to `what` drawn, as the page measured it."""
    count = page.evaluate("window.explainer.timings.viewsDrawn")
    page.click(selector)
    page.wait_for_function("n => window.explainer.timings.viewsDrawn > n", arg=count)
    return page.evaluate("w => window.explainer.timings.views[w]", what)


def close_views(page) -> None:
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.vh-panel')")


def measure(site: Path, runs: int) -> None:
    """Print the median open time of each view kind for the explainer in `site`."""
    from playwright.sync_api import sync_playwright

    url = (site / "index.html").resolve().as_uri()
    times: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.explainer && window.explainer.ready")
        page.evaluate("window.explainer.ready.then(() => true)")
        spec = page.evaluate("window.CNN_EXPLAIN.spec")
        conv = first_layer(spec, "conv", skip=2)
        relu = next((layer["name"] for layer in spec["layers"] if layer.get("function") == "relu"), None)
        pool = first_layer(spec, "pool")
        dropout = first_layer(spec, "dropout")
        classes = spec["classes"]
        for run in range(runs):
            neuron = run % 4
            if conv:
                times.setdefault("conv", []).append(
                    timed_click(page, f'[data-layer="{conv}"][data-neuron="{neuron}"]', "conv")
                )
                times.setdefault("formula", []).append(
                    timed_click(page, f'.conv-card button[data-channel="{neuron}"]', "formula")
                )
                close_views(page)
            for kind, name in (("activation", relu), ("pool", pool), ("dropout", dropout)):
                if name:
                    selector = f'[data-layer="{name}"][data-neuron="{neuron}"]'
                    times.setdefault(kind, []).append(timed_click(page, selector, kind))
                    close_views(page)
            row = f'.class-row[data-class="{classes[run % len(classes)]}"]'
            if page.locator(row).count():
                times.setdefault("output", []).append(timed_click(page, row, "output"))
                if page.locator(".vo-next").count():
                    times.setdefault("softmax", []).append(timed_click(page, ".vo-next", "softmax"))
                close_views(page)
        context.close()
        browser.close()
    print(
        f"site: {site}  ({runs} runs, headless Chromium, 1400x900, file://; conv: {conv}, relu: {relu}, pool: {pool}, "
        f"dropout: {dropout}; load average {', '.join(f'{v:.1f}' for v in os.getloadavg())})"
    )
    for kind, values in times.items():
        median = statistics.median(values)
        verdict = "ok" if median <= TARGET_MS else f"over the {TARGET_MS} ms target"
        print(f"open {kind:10s} median {median:6.1f} ms   max {max(values):6.1f} ms   ({verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    measure(args.site, args.runs)


if __name__ == "__main__":
    main()
