"""What if, timed in headless Chromium (Debian's, driven by Playwright): an edit of the network and its recompute,
and a drag of a weight.

    .venv/bin/python -m bench.edits                    # the site in dist/
    .venv/bin/python -m bench.edits --site DIR --edits 40

Edit: window.explainer.setWeight on conv_1_2 (or the first conv layer), a new value each time, with the conv view
of that neuron open: from the call until its Promise resolves (TF.js computes every layer with the edit, the
overview and the open view are redrawn), and until the next frame has been painted. Drag: the mouse drags a weight
of the conv formula up by 150 pixels in 60 moves, one every 16 ms; frames are counted by requestAnimationFrame
during the drag, with the longest gap between two of them. Medians, with the load of the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from testkit.chromium import ROOT, launch

EDIT = """async ([layer, index, value]) => {
  const start = performance.now();
  await explainer.setWeight(layer, index, value);
  const computed = performance.now() - start;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return [computed, performance.now() - start];
}"""

COUNT_FRAMES = """() => {
  window.__frames = [];
  const tick = (time) => { window.__frames.push(time); if (window.__counting) requestAnimationFrame(tick); };
  window.__counting = true;
  requestAnimationFrame(tick);
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "dist")
    parser.add_argument("--edits", type=int, default=30)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto((args.site / "index.html").resolve().as_uri())
        page.wait_for_function("() => window.explainer && window.explainer.ready")
        page.evaluate("window.explainer.ready.then(() => true)")
        layer = page.evaluate(
            "explainer.state.get().frame && CNN_EXPLAIN.spec.layers.find((l) => l.kind === 'conv').name"
        )
        layer = "conv_1_2" if page.evaluate("CNN_EXPLAIN.spec.layers.some((l) => l.name === 'conv_1_2')") else layer
        page.evaluate(f"location.hash = '#view=conv&layer={layer}&neuron=0&pos=5,5&channel=0'")
        page.wait_for_selector('[data-testid="weight-input"]')
        computed, painted = [], []
        for n in range(args.edits):
            c, p = page.evaluate(EDIT, [layer, 4, round(0.5 + 0.01 * n, 3)])
            computed.append(c)
            painted.append(p)
        page.evaluate("explainer.resetEdits()")
        box = page.locator('[data-testid="weight-input"]').first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.evaluate(COUNT_FRAMES)
        page.mouse.move(x, y)
        page.mouse.down()
        start = page.evaluate("performance.now()")
        for step in range(1, 61):
            page.mouse.move(x, y - 2.5 * step)
            page.wait_for_timeout(16)
        page.mouse.up()
        end = page.evaluate("performance.now()")
        frames = page.evaluate("window.__counting = false, window.__frames")
        browser.close()
    during = [f for f in frames if start <= f <= end]
    gaps = [b - a for a, b in zip(during, during[1:], strict=False)]
    load = os.getloadavg()[0]
    print(f"site: {args.site}  (headless Chromium, 1400x900, file://; load {load:.2f})")
    print(
        f"an edit of {layer}, computed and drawn: median {statistics.median(computed):.1f} ms, to the next frame "
        f"{statistics.median(painted):.1f} ms, over {args.edits} edits (max {max(painted):.1f} ms)"
    )
    print(
        f"a drag of a weight over {end - start:.0f} ms: {len(during)} frames ({1000 * len(during) / (end - start):.0f} per "
        f"second), longest gap {max(gaps):.0f} ms, median gap {statistics.median(gaps):.1f} ms"
    )


if __name__ == "__main__":
    main()
