"""Benchmark the language switch in headless Chromium (Debian's, driven by Playwright).

    .venv/bin/python -m bench.language                  # the site in dist/
    .venv/bin/python -m bench.language --site DIR --runs 20

Prints the median time from choosing a language to the page rebuilt in it (overview, controls, the open view and
the article, every part with words), both ways, with a conv view open; and the bytes the catalogs add to the page.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from pathlib import Path

from testkit.chromium import ROOT, launch

SWITCH = """async (code) => {
  const started = performance.now();
  const select = document.querySelector('[data-testid="language"]');
  select.value = code;
  select.dispatchEvent(new Event("change"));
  // the switch is synchronous: the page is rebuilt when the event returns; the frame after shows it
  const rebuilt = performance.now() - started;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return { rebuilt, painted: performance.now() - started, lang: document.documentElement.lang,
           article: document.querySelectorAll("article.article").length, view: !!document.querySelector(".vh-panel") };
}"""


def catalog_bytes(site: Path) -> int:
    """The bytes of the payload's i18n (every language's messages and class names), as JSON in data/explainer.js."""
    text = (site / "data" / "explainer.js").read_text(encoding="utf-8")
    payload = json.loads(text[text.index("=") + 1 :].rstrip().rstrip(";"))
    return len(json.dumps(payload["i18n"], separators=(",", ":"), ensure_ascii=False).encode())


def measure(site: Path, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    url = (site / "index.html").resolve().as_uri() + "#sample=1&view=conv&layer=conv_1_2&neuron=3&pos=4,4"
    times = {"zh": [], "en": []}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        page.wait_for_function("() => window.explainer && window.explainer.ready")
        page.evaluate("window.explainer.ready.then(() => true)")
        page.wait_for_selector(".article-toc")
        for _ in range(runs):
            for code in ("zh", "en"):
                result = page.evaluate(SWITCH, code)
                assert result["lang"] == code and result["article"] == 1 and result["view"], result
                times[code].append((result["rebuilt"], result["painted"]))
        browser.close()
    for code, samples in times.items():
        rebuilt = statistics.median(s[0] for s in samples)
        painted = statistics.median(s[1] for s in samples)
        print(f"switch to {code}: rebuilt in {rebuilt:.1f} ms, painted in {painted:.1f} ms (median of {runs})")
    print(f"catalogs in the payload: {catalog_bytes(site):,} bytes")
    print(f"load average: {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    measure(args.site, args.runs)


if __name__ == "__main__":
    main()
