"""Every view kind at every width a person brings, from a small phone to a laptop, in both languages: no two figures
overlap or cover each other, no caption, number or map is cut, nothing scrolls sideways without its edge saying so,
and on a phone nothing but a long formula scrolls sideways at all (testkit/layout.js). And on a projector's 1280x720
with text and numbers enlarged (big=1), the same.

One page per width and language opens the views one after another through the URL hash, as a shared link would.
"""

from __future__ import annotations

import pytest

from testkit.chromium import ROOT

from .conftest import screenshot, wait_ready

pytestmark = pytest.mark.browser

CHECK = (ROOT / "testkit" / "layout.js").read_text(encoding="utf-8")
WIDTHS = (320, 390, 768, 1024, 1400)
VIEWS = {
    "conv": "view=conv&layer=conv_1_2&neuron=2&pos=5,5",  # 10 input channels: a grid of cards
    "conv-one-channel": "view=conv&layer=conv_1_1&neuron=2&pos=5,5",  # one card, large maps
    "conv-formula": "view=conv&layer=conv_2_1&neuron=7&pos=3,5&channel=3",
    "activation": "view=activation&layer=relu_1_1&neuron=2&pos=4,4",
    "pool": "view=pool&layer=max_pool_1&neuron=1&pos=3,3",
    "output": "view=output&layer=output&neuron=0",
    "softmax": "view=softmax&layer=output&neuron=0",
}
PANEL = ".vh-panel:not(.is-leaving)"
PROJECTOR = 1280  # with big=1, 720 high
SCREENS = [(lang, width) for lang in ("en", "zh") for width in (*WIDTHS, PROJECTOR)]


@pytest.fixture(scope="module", params=SCREENS, ids=str)
def screen(request, browser, default_site):
    lang, width = request.param
    phone = width < 700
    height = 844 if phone else 720 if width == PROJECTOR else 900
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((default_site.path / "index.html").as_uri() + ("#lang=zh" if lang == "zh" else ""))
    wait_ready(page)
    yield lang, width, page, errors
    assert errors == []
    context.close()


@pytest.mark.parametrize("kind", list(VIEWS))
def test_every_view_fits_every_screen(screen, kind):
    lang, width, page, _ = screen
    language = "&lang=zh" if lang == "zh" else ""
    big = "&big=1" if width == PROJECTOR else ""
    page.evaluate(f"location.hash = '#{VIEWS[kind]}{language}{big}'")
    page.wait_for_selector(f"{PANEL}:not(.is-entering)", state="attached")
    if kind == "conv-formula":
        page.wait_for_selector('[data-testid="formula-result"]')
    page.wait_for_timeout(300)  # the panel's entrance, and the marks of boxes that scroll (one frame later)
    assert page.locator(f"{PANEL} .vw-title, {PANEL} h2").first.inner_text().strip()
    if big:
        assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.vh-panel p')).fontSize)") > 17
    # on a phone a view's parts stack: only a long formula may scroll sideways (with its edge saying so)
    across = [".vs-formulas"] if width < 700 else []
    problems = page.evaluate(CHECK, {"selector": PANEL, "across": across})
    if problems:
        screenshot(page, f"layout-{lang}-{width}-{kind}")
    assert problems == [], "\n".join(problems)
