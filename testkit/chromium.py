"""Debian's Chromium driven by Playwright (never a downloaded browser), headless, with no network of its own."""

from __future__ import annotations

from pathlib import Path

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
