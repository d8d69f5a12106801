"""Debian's Chromium driven by Playwright (never a downloaded browser), headless, with no network of its own; the
screens the page is checked on, and what the tests read from a page: screenshots, a layer's values."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts"  # screenshots for people to look at (git-ignored)

SCREENS = {  # the screens the page must be readable on, as Playwright's browser.new_context options
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "has_touch": True,
        "is_mobile": True,
        "device_scale_factor": 2,
    },
    "tablet": {"viewport": {"width": 1024, "height": 768}},
    "laptop": {"viewport": {"width": 1400, "height": 900}},
    "desktop": {"viewport": {"width": 1920, "height": 1080}},
}


def launch(playwright, **options):
    """Debian's Chromium, started by `playwright` (a sync_playwright() instance) with the flags above."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **options)


def open_when_ready(browser, site: Path, viewport=(1400, 900)):
    """A page in a fresh context showing the explainer at `site` from file://, once TF.js has computed its image.
    The caller closes `page.context`."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    page.wait_for_function("() => window.explainer && window.explainer.ready", timeout=120_000)
    page.evaluate("window.explainer.ready.then(() => true)")
    return page


def screenshot(page, name: str) -> Path:
    """Save a screenshot under artifacts/ (kept for people to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


# A layer's float32 values as base64: a wide layer's quarter of a million numbers cross over in a fraction of the time
# a JSON array takes, and bit for bit.
ACTIVATIONS_BASE64 = """(name) => {
  const { shape, data } = window.explainer.activations(name);
  if (!(data instanceof Float32Array)) throw new Error(`layer ${name} holds ${data.constructor.name}, not float32`);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { shape, data: btoa(text) };
}"""


def browser_activations(page, name: str) -> tuple[list[int], np.ndarray]:
    """The shape and the float32 values (flat) of layer `name` as TF.js computed it for the image `page` shows."""
    result = page.evaluate(ACTIVATIONS_BASE64, name)
    return result["shape"], np.frombuffer(base64.b64decode(result["data"]), dtype="<f4")


def show_section(page, name: str) -> None:
    """Scroll the article's section `name` (its heading's id without "article-") into view, as a reader does, and
    wait until the page has built it (frontend/README.md: the rest of a section is built near the screen)."""
    heading = f"#article-{name}"
    page.wait_for_selector(heading, state="attached", timeout=60_000)
    page.locator(heading).scroll_into_view_if_needed()
    page.wait_for_function(
        "(id) => !document.getElementById(id).closest('section').querySelector('.section-rest')", arg=heading[1:]
    )


def build_article(page) -> None:
    """Every section of the article built, as when the reader searches the page (Ctrl+F; frontend/README.md)."""
    page.wait_for_selector("article.article", state="attached", timeout=60_000)
    page.keyboard.press("Control+f")
    page.wait_for_function("() => !document.querySelector('.section-rest')")
