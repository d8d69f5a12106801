"""Opening, moving and closing the views: keyboard only, touch, clicks outside, and links that restore a view."""

from __future__ import annotations

import pytest

from testkit.views import SAMPLE, assert_shows, conv_arithmetic, position_text, read_number

from .conftest import open_page, wait_ready

pytestmark = pytest.mark.browser

ACTIVE = """() => {
    const e = document.activeElement;
    return e ? {layer: e.dataset.layer || null, neuron: e.dataset.neuron || null, channel: e.dataset.channel || null,
                inPanel: Boolean(e.closest('.vh-panel'))} : null;
}"""


@pytest.fixture
def page(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    yield page
    assert log.errors == []
    page.context.close()


def panel_count(page) -> int:
    return page.locator(".vh-panel:not(.is-leaving)").count()


def test_keyboard_only_walk(page, default_site):
    """Tab to a neuron, Enter opens its view, arrows move the window, Enter opens the arithmetic, Escape twice closes."""
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE)["layer"] == "conv_1_1":
            break
    assert page.evaluate(ACTIVE) == {"layer": "conv_1_1", "neuron": "0", "channel": None, "inPanel": False}
    page.keyboard.press("Enter")
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    active = page.evaluate(ACTIVE)
    assert active["inPanel"] and active["channel"] == "0"
    for key in ["Home", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowDown", "ArrowDown"]:
        page.keyboard.press(key)
    pos = (2, 3)
    assert page.locator(".sweep-readout").inner_text() == position_text(pos)
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="formula-result"]')
    expected = conv_arithmetic(default_site, "conv_1_1", 0, 0, pos)
    assert_shows(read_number(page, "formula-result"), expected["result"], "result")
    assert page.locator(".fx-total").get_attribute("aria-live") == "polite"
    page.keyboard.press("ArrowLeft")  # still moves the window with the formula open
    assert page.locator(".fx-title").inner_text() == f"Channel 0 at {position_text((2, 2))}"
    page.keyboard.press("Escape")
    assert page.locator(".fx").count() == 0
    assert page.evaluate(ACTIVE)["channel"] == "0"
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.vh-panel')")
    assert page.evaluate(ACTIVE) == {"layer": "conv_1_1", "neuron": "0", "channel": None, "inPanel": False}
    page.wait_for_function("() => !location.hash.includes('view=')")


def test_tab_stays_inside_the_open_view(page):
    page.focus('[data-layer="relu_1_2"][data-neuron="3"]')
    page.keyboard.press("Enter")
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate(ACTIVE)["inPanel"]
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(ACTIVE)["inPanel"]


def test_deep_link_round_trip(browser, default_site, page):
    """A view's URL, opened in a new page, shows the same image, view, window and arithmetic."""
    page.evaluate(f"window.explainer.selectSample({SAMPLE})")
    page.click('[data-layer="conv_2_1"][data-neuron="6"]')
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    page.keyboard.press("End")
    for key in ["ArrowUp", "ArrowUp", "ArrowLeft"]:
        page.keyboard.press(key)
    page.click('.conv-card [data-testid="intermediate-value"][data-channel="5"]')
    page.wait_for_selector('[data-testid="formula-result"]')
    page.wait_for_function("() => location.hash.includes('channel=5')")
    url = page.url
    assert url.endswith(f"#sample={SAMPLE}&view=conv&layer=conv_2_1&neuron=6&channel=5&pos=11,12")
    result = read_number(page, "formula-result")
    other, log = open_page(browser, url)
    wait_ready(other)
    other.wait_for_selector('[data-testid="formula-result"]')
    assert other.locator(".sweep-readout").inner_text() == position_text((11, 12))
    assert other.locator(".fx-title").inner_text() == f"Channel 5 at {position_text((11, 12))}"
    assert read_number(other, "formula-result") == result
    assert other.locator('#picker [aria-pressed="true"]').count() == 1
    assert log.errors == []
    other.context.close()


@pytest.mark.parametrize(
    "hash",
    [
        "view=softmax&layer=conv_1_1&neuron=3",
        "view=output&layer=max_pool_2&neuron=0",
        "view=pool&layer=relu_1_1&neuron=1",
    ],
)
def test_a_link_naming_another_layers_view_opens_none(page, hash):
    """Each layer has its own view kind: a link pairing a kind with a layer it does not explain is refused, as
    other bad links are, instead of showing, say, the output's softmax under the name of conv_1_1."""
    page.evaluate(f"location.hash = '#{hash}'")
    page.wait_for_function("() => !location.hash.includes('view=')")
    assert panel_count(page) == 0
    page.evaluate("location.hash = '#view=conv&layer=conv_1_1&neuron=3'")
    page.wait_for_selector(".vh-panel:not(.is-leaving)")


def test_escape_close_button_and_clicks_outside_return_to_the_overview(page):
    target = '[data-layer="max_pool_1"][data-neuron="5"]'
    page.click(target)
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    assert page.locator(".ov-stage.has-view").count() == 1
    page.click(".vh-close")
    page.wait_for_function("() => !document.querySelector('.vh-panel')")
    assert page.evaluate(ACTIVE)["layer"] == "max_pool_1"
    assert page.locator(".ov-stage.has-view").count() == 0
    page.click(target)
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    page.click(".site-header h1")
    page.wait_for_function("() => !document.querySelector('.vh-panel')")
    page.click(target)
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    page.click("#picker button >> nth=1")  # another image: the view stays
    assert panel_count(page) == 1
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('.vh-panel')")


def test_a_visible_neuron_opens_its_own_view_in_place(page):
    page.click('[data-layer="relu_1_1"][data-neuron="2"]')
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    page.click('[data-layer="conv_1_1"][data-neuron="2"]')  # the column this view reads stays in sight
    page.wait_for_selector(".vw-conv")
    assert panel_count(page) == 1
    assert page.locator(".vw-title").inner_text() == "conv_1_1 · channel 2"


# true once the last element matching the selector (arg) has kept its place for three frames (polled every frame)
STILL = """(selector) => {
  const rect = [...document.querySelectorAll(selector)].pop()?.getBoundingClientRect();
  const place = rect ? `${rect.x},${rect.y},${rect.width},${rect.height}` : "";
  const seen = (window.__still ??= { place: null, frames: 0 });
  seen.frames = place && place === seen.place ? seen.frames + 1 : 0;
  seen.place = place;
  return seen.frames >= 3;
}"""


def test_touch_opens_a_view_and_drags_the_window(browser, default_site):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{(default_site.path / 'index.html').as_uri()}")
    wait_ready(page)
    page.tap('[data-layer="relu_2_1"][data-neuron="0"]')
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    # Measure the map where it comes to rest: after the opening transition, once its place has not changed for three
    # frames (a smooth scroll or content arriving can still move it, as seen once on a loaded machine)
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    page.wait_for_function(STILL, arg=".pair-body .vmap-frame", polling="raf")
    box = page.locator(".pair-body .vmap-frame").last.bounding_box()
    page.touchscreen.tap(box["x"] + (3.5 / 14) * box["width"], box["y"] + (8.5 / 14) * box["height"])
    assert page.locator(".sweep-readout").inner_text() == position_text((8, 3))
    page.tap(".vh-close")
    page.wait_for_function("() => !document.querySelector('.vh-panel')")
    context.close()
