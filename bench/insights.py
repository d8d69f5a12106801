"""What the test-set insights cost: bytes by part, and the time to draw what the model looks at.

    .venv/bin/python -m bench.insights --site DIR [--runs 20]

Bytes: data/insights.js by part (the pool's pixels, the confusion matrix, the top examples, the training history;
each as the JSON the file holds), and how much the page's code (app.js, explore.js) and app.css grew, against the
bundle of a git revision (--versus-bundle DIR: a frontend/dist built from it; without it that line is left out).
Time: with the section "What it looks at" on screen, every sample is shown in turn; the page computes the logit's
gradient and Grad-CAM with TF.js and draws both: `timings.saliencyMs` records the gradient's part (computed and
drawn, with the image), `timings.attentionMs` both. Prints the
median over all images of all runs, and the machine's load average during the run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from pathlib import Path

from testkit.chromium import launch, open_when_ready


def insights_bytes(site: Path) -> dict[str, int]:
    text = (site / "data" / "insights.js").read_text(encoding="utf-8")
    raw = json.loads(text[text.index("=") + 1 :].rstrip().rstrip(";"))
    size = lambda value: len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())  # noqa: E731
    pool = raw["pool"]
    parts = {
        "pool pixels (gzip, base64)": len(pool["pixels"]["data"]),
        "pool index, labels, confidences": size({k: v for k, v in pool.items() if k != "pixels"}),
        "confusion matrix and cells": size(raw["confusion"]) + size(raw["mistakes"]),
        "top examples": size(raw["top_examples"]),
        "training history": size(raw["history"]),
    }
    parts["data/insights.js in all"] = len(text.encode())
    return parts


def attention_ms(site: Path, runs: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    saliency, both = [], []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for _ in range(runs):
            page = open_when_ready(browser, site)
            page.evaluate("window.explainer.insights()")
            page.wait_for_selector("#attention")
            page.evaluate("document.getElementById('attention').scrollIntoView()")
            page.wait_for_function("() => window.explainer.timings.attentionMs !== undefined")
            count = page.evaluate("window.CNN_EXPLAIN.samples.count")
            for index in list(range(1, count)) + [0]:
                page.evaluate(
                    "(i) => { delete window.explainer.timings.attentionMs; return window.explainer.selectSample(i); }",
                    index,
                )
                page.wait_for_function("() => window.explainer.timings.attentionMs !== undefined")
                timings = page.evaluate("window.explainer.timings")
                saliency.append(timings["saliencyMs"])
                both.append(timings["attentionMs"])
            page.context.close()
        browser.close()
    return saliency, both


def file_size(path: Path) -> int:
    """The size of file `path` in bytes, 0 when there is none."""
    return path.stat().st_size if path.is_file() else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("dist"))
    parser.add_argument("--versus-bundle", type=Path, help="a frontend/dist built before the insights")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    print(f"site: {args.site}")
    for part, count in insights_bytes(args.site).items():
        print(f"  {part:34s} {count:>9,d} B")
    if args.versus_bundle:
        for name in ("app.js", "explore.js", "app.css"):  # explore.js came later: an older bundle has none
            now, before = (file_size(folder / name) for folder in (args.site, args.versus_bundle))
            print(f"  {name + ' growth':34s} {now - before:>9,d} B  ({before:,d} -> {now:,d})")
    load = os.getloadavg()[0]
    saliency, both = attention_ms(args.site, args.runs)
    for what, times in (("saliency (logit gradient)", saliency), ("saliency and Grad-CAM", both)):
        print(
            f"{what} computed and drawn: median {statistics.median(times):.1f} ms over {len(times)} images "
            f"(max {max(times):.1f} ms)"
        )
    print(f"load average (1 min): {load:.2f} before, {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
