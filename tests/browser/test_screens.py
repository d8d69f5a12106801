"""Readable on every screen: a phone (390 x 844, touch), a tablet (1024 x 768) and two desktops (1400 x 900,
1920 x 1080). The page and the views never scroll sideways as a whole; every figure of a view is inside it or in a
strip that visibly scrolls; one sample is chosen; the faintest map is drawn with a readable contrast; axe-core finds
nothing serious on the overview or any view. Screenshots of the overview and of every view at every size go to
artifacts/screen-<size>-<what>.png."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from testkit.accessibility import serious_violations
from testkit.chromium import SCREENS

from .conftest import screenshot, wait_ready

pytestmark = pytest.mark.browser

VIEWS = {
    "conv": "view=conv&layer=conv_1_2&neuron=2",
    "conv-deep": "view=conv&layer=conv_2_1&neuron=7",
    "formula": "view=conv&layer=conv_2_1&neuron=7&pos=3,5&channel=3",
    "relu": "view=activation&layer=relu_1_1&neuron=1&pos=10,12",
    "pool": "view=pool&layer=max_pool_1&neuron=2&pos=5,7",
    "output": "view=output&layer=output&neuron=0",
    "softmax": "view=softmax&layer=output&neuron=0",
}

# Every figure of the open view: inside the panel's box, or inside a strip of the panel that scrolls (overflow auto
# or scroll, with more to see than it shows) and says so (data-scroll names the directions with more, ui/scroll.js).
PLACED = """() => {
  const panel = document.querySelector('.vh-panel:not(.is-leaving)');
  const box = panel.getBoundingClientRect();
  const inside = (r, b) => r.left >= b.left - 1 && r.right <= b.right + 1 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  const strip = (node) => {
    for (let n = node.parentElement; n && n !== document.body; n = n.parentElement) {
      const style = getComputedStyle(n);
      const scrolls = /(auto|scroll)/.test(style.overflowX + style.overflowY);
      const more = n.scrollWidth > n.clientWidth + 1 || n.scrollHeight > n.clientHeight + 1;
      if (scrolls && more) return n;
      if (n === panel) return null;
    }
    return null;
  };
  const lost = [];
  for (const node of panel.querySelectorAll('figure, .vmap, canvas, .mx, table, .pair-call, svg.vw-plot')) {
    const r = node.getBoundingClientRect();
    if (r.width === 0 || inside(r, box)) continue;
    const s = strip(node);
    if (s && s.dataset.scroll) continue;
    lost.push({node: node.className.baseVal ?? node.className, tag: node.tagName, left: r.left, right: r.right,
               top: r.top, bottom: r.bottom, strip: s ? s.className : null});
  }
  const body = panel.querySelector('.vh-body');
  const wide = Math.max(panel.scrollWidth - panel.clientWidth, body.scrollWidth - body.clientWidth);
  return {lost, panel: [box.left, box.right, box.top, box.bottom], wide};
}"""


@pytest.fixture(params=list(SCREENS), scope="module")
def screen(request, browser):
    return request.param


def open_at(browser, site, screen, fragment=""):
    context = browser.new_context(bypass_csp=True, **SCREENS[screen])  # axe-core is injected as a script
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{(site.path / 'index.html').as_uri()}#sample=0&{fragment}")
    wait_ready(page)
    page.errors = errors
    return page


def assert_no_sideways_scroll(page, what):
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{what}: the page scrolls sideways ({width[0]} > {width[1]} px)"


def test_the_overview_fits_and_says_how_to_see_the_rest(browser, default_site, screen):
    page = open_at(browser, default_site, screen)
    page.wait_for_timeout(400)
    assert_no_sideways_scroll(page, "overview")
    intro = page.locator(".intro").inner_text()
    assert ("tap a neuron" in intro) == (screen == "phone") and ("hover" in intro) == (screen != "phone")
    pressed = page.eval_on_selector_all("#picker [aria-pressed='true']", "els => els.length")
    assert pressed == 1, "one sample is shown as chosen"
    overview = page.evaluate(
        """() => { const o = document.getElementById('overview');
                   return {more: o.scrollWidth > o.clientWidth + 1, hint: o.dataset.scroll || ''}; }"""
    )
    if overview["more"]:
        assert "right" in overview["hint"], "a network wider than the screen says it scrolls"
    labels = page.eval_on_selector_all(
        ".ov-label",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right, r.top, e.scrollWidth > e.clientWidth + 1]; })",
    )
    assert not any(cut for *_, cut in labels), "no layer name is cut"
    rows = {top: sorted((left, right) for left, right, t, _ in labels if t == top) for _, _, top, _ in labels}
    for row in rows.values():
        for (_, right), (left, _) in zip(row, row[1:], strict=False):
            assert right <= left + 0.5, "layer names in a row do not overlap"
    screenshot(page, f"screen-{screen}-overview")
    assert serious_violations(page) == []
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("what", list(VIEWS))
def test_every_view_fits_its_screen(browser, default_site, screen, what):
    page = open_at(browser, default_site, screen, VIEWS[what])
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    page.wait_for_timeout(450)  # the opening transition
    screenshot(page, f"screen-{screen}-{what}")
    assert_no_sideways_scroll(page, what)
    placed = page.evaluate(PLACED)
    assert placed["wide"] <= 1, f"{what}: the view scrolls sideways as a whole by {placed['wide']} px"
    assert placed["lost"] == [], f"{what}: figures outside the view and in no scrolling strip: {placed['lost']}"
    assert serious_violations(page, ".vh-panel") == []
    assert page.errors == []
    page.context.close()


def luminance_spread(src: str) -> float:
    """The 98th minus the 2nd percentile of a map image's luminance (0..255)."""
    pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB"), np.float64)
    luminance = pixels @ np.array([0.2126, 0.7152, 0.0722])
    return float(np.percentile(luminance, 98) - np.percentile(luminance, 2))


def test_the_faintest_first_relu_channel_is_drawn_readably(browser, default_site, screen):
    relu = default_site.keras_outputs(default_site.pixels[:1])["relu_1_1"][0]
    faintest = int(np.argmin(relu.reshape(-1, relu.shape[-1]).max(axis=0)))
    page = open_at(browser, default_site, screen, f"view=activation&layer=relu_1_1&neuron={faintest}")
    page.wait_for_selector(".vh-panel:not(.is-leaving) [data-map] img.vmap-image")
    sources = page.eval_on_selector_all(".vh-panel [data-map] img.vmap-image", "els => els.map(e => e.src)")
    spreads = [luminance_spread(src) for src in sources]
    assert len(spreads) == 2 and min(spreads) >= 80, f"channel {faintest}: luminance spreads {spreads}"
    page.context.close()


def test_your_own_image_does_not_reflow_the_overview(browser, default_site, tmp_path):
    """Opening an image of your own adds its panel above the overview: the network moves down, but keeps its size,
    its neurons' places and its one row of labels."""
    photo = tmp_path / "photo.png"
    pixels = np.full((60, 40, 3), 230, np.uint8)
    pixels[10:50, 8:32] = np.random.default_rng(0).integers(0, 80, (40, 24, 3), np.uint8)  # a dark item on light
    Image.fromarray(pixels).save(photo)
    page = open_at(browser, default_site, "laptop")
    geometry = """() => {
      const o = document.getElementById('overview');
      const at = (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top - o.getBoundingClientRect().top), Math.round(r.width)]; };
      return {size: [o.clientWidth, o.clientHeight], labels: [...o.querySelectorAll('.ov-label')].map(at),
              neurons: [...o.querySelectorAll('[data-neuron="0"]')].map(at)};
    }"""
    before = page.evaluate(geometry)
    page.set_input_files("[data-testid='upload-input']", str(photo))
    page.wait_for_function("() => window.explainer.state.get().sample === null")
    page.wait_for_timeout(300)  # a relayout would come in the next frames
    assert page.evaluate(geometry) == before
    assert len({top for _, top, _ in before["labels"]}) == 1, "one row of labels"
    assert page.errors == []
    page.context.close()


@pytest.mark.parametrize("screen", ["phone", "laptop"])
def test_closing_a_view_leaves_no_tooltip_or_highlight(browser, default_site, screen):
    page = open_at(browser, default_site, screen)
    neuron = page.locator("[data-layer='conv_1_2'][data-neuron='3']")
    neuron.scroll_into_view_if_needed()
    if screen == "phone":
        neuron.tap()
    else:
        neuron.hover()
        neuron.click()
    page.wait_for_selector(".vh-panel:not(.is-leaving):not(.is-entering)")
    if screen == "phone":
        page.locator(".vh-panel .vh-close").tap()
    else:
        page.mouse.move(5, 5)  # off the network: a pointer resting on a neuron rightly points at it again
        page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.vh-panel')")
    page.wait_for_timeout(200)
    left = page.evaluate(
        """() => ({tip: document.querySelectorAll('.ov-tip.is-visible').length,
                   marked: document.querySelectorAll('.is-focusing, .is-active, .is-source, .in-view, .has-view').length})"""
    )
    assert left == {"tip": 0, "marked": 0}
    page.context.close()
