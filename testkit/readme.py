"""The README's picture of the overview (docs/overview.png), taken from a built site: scripts/readme_images.sh
makes it, and a browser test compares it with the page as it is now, so it cannot fall out of date unnoticed."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .chromium import ROOT

OVERVIEW_PNG = ROOT / "docs" / "overview.png"
VIEWPORT = {"width": 1400, "height": 900}


def overview_screenshot(browser, site: Path) -> bytes:
    """PNG bytes of the default explainer at `site` as it opens on a laptop, once every layer is TF.js's."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto((Path(site) / "index.html").as_uri())
    page.wait_for_function("() => window.explainer && window.explainer.ready", timeout=60_000)
    page.evaluate("window.explainer.ready.then(() => true)")
    page.mouse.move(0, VIEWPORT["height"] - 1)  # no neuron under the pointer
    page.wait_for_timeout(500)
    png = page.screenshot()
    context.close()
    return png


def difference(a: bytes, b: bytes) -> float:
    """The mean absolute difference of two PNGs' RGB levels (0 to 255); infinite when their sizes differ."""
    from PIL import Image

    first, second = (np.asarray(Image.open(io.BytesIO(p)).convert("RGB"), np.float32) for p in (a, b))
    return float("inf") if first.shape != second.shape else float(np.abs(first - second).mean())


def main() -> None:
    """Build the default explainer in a scratch folder and write its picture to docs/overview.png."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from builder.build import BuildOptions, build

    from .chromium import launch

    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        build(BuildOptions(out=site, cache=ROOT / ".cache"))
        with sync_playwright() as playwright:
            browser = launch(playwright)
            OVERVIEW_PNG.write_bytes(overview_screenshot(browser, site))
            browser.close()
    print(f"wrote {OVERVIEW_PNG}")


if __name__ == "__main__":
    main()
