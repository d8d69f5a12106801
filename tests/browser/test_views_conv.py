"""The convolution views in Chromium: every number they print against Keras, for the first and a second-block layer."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.views import (
    SAMPLE,
    assert_shows,
    check_formula,
    conv_arithmetic,
    position_text,
    read_number,
    read_numbers,
    settled_screenshot,
)

from .conftest import open_page, wait_ready

pytestmark = pytest.mark.browser


def open_view(browser, site, fragment: str):
    page, log = open_page(browser, f"{(site.path / 'index.html').as_uri()}#{fragment}")
    wait_ready(page)
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    return page, log


@pytest.mark.parametrize(
    ("layer", "neuron", "pos", "channel"), [("conv_2_1", 4, (5, 7), 3), ("conv_1_2", 2, (0, 27), 9)]
)
def test_conv_formula_shows_keras_numbers(browser, default_site, layer, neuron, pos, channel):
    """A deep link opens the arithmetic at a window; every product, sum, the bias and the result equal Keras's."""
    page, log = open_view(
        browser,
        default_site,
        f"sample={SAMPLE}&view=conv&layer={layer}&neuron={neuron}&channel={channel}&pos={pos[0]},{pos[1]}",
    )
    page.wait_for_selector('[data-testid="formula-result"]')
    expected = conv_arithmetic(default_site, layer, SAMPLE, neuron, pos)
    check_formula(page, expected, channel)
    padded = [cell for cell in read_numbers(page, "formula-input") if not expected["inside"][cell["row"], cell["col"]]]
    assert all(cell["value"] == 0 for cell in padded)
    assert len(padded) == int((~expected["inside"]).sum())
    assert page.locator(".fx-cell.is-pad").count() == len(padded)
    # TF.js's own output at the window equals the arithmetic too.
    tfjs = page.evaluate(
        "([name, r, c, n]) => { const a = window.explainer.activations(name); return a.data[(r * a.shape[1] + c) * a.shape[2] + n]; }",
        [layer, pos[0], pos[1], neuron],
    )
    assert abs(read_number(page, "formula-result")["value"] - tfjs) <= 1e-4
    if layer == "conv_2_1":
        settled_screenshot(page, "view-conv-formula")
    assert log.errors == []
    page.context.close()


def test_conv_expanded_view_of_second_block_sums_to_keras(browser, default_site):
    """conv_2_1's expanded view: one card per input channel; intermediates, bias and output equal Keras's."""
    pos = (6, 2)
    page, log = open_view(
        browser, default_site, f"sample={SAMPLE}&view=conv&layer=conv_2_1&neuron=4&pos={pos[0]},{pos[1]}"
    )
    expected = conv_arithmetic(default_site, "conv_2_1", SAMPLE, 4, pos)
    values = read_numbers(page, "intermediate-value")
    assert [v["channel"] for v in values] == list(range(10))
    for value in values:
        assert_shows(value, expected["intermediates"][value["channel"]], f"intermediate {value['channel']}")
    assert_shows(read_number(page, "conv-bias"), expected["bias"], "bias")
    assert_shows(read_number(page, "conv-output"), expected["output"], "output")
    assert page.locator(".sweep-readout").inner_text() == position_text(pos)
    settled_screenshot(page, "view-conv-expanded")
    assert log.errors == []
    page.context.close()


def test_conv_1_1_opens_by_click_moves_by_keys_and_by_hover(browser, default_site):
    """Click a conv_1_1 neuron; the window follows the keys and the pointer; an intermediate opens its arithmetic."""
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    page.evaluate(f"window.explainer.selectSample({SAMPLE})")
    page.click('[data-layer="conv_1_1"][data-neuron="7"]')
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    settled_screenshot(page, "view-conv-1-1")
    for key in ["Home", "ArrowDown", "ArrowDown", "ArrowRight"]:
        page.keyboard.press(key)
    assert page.locator(".sweep-readout").inner_text() == position_text((2, 1))
    assert page.locator(".sweep").get_attribute("class") == "sweep"  # keys pause the animation
    # Hover the output map's cell (row 20, col 9): the window follows.
    frame = page.locator(".conv-sum .vmap-frame").bounding_box()
    page.mouse.move(frame["x"] + (9.5 / 28) * frame["width"], frame["y"] + (20.5 / 28) * frame["height"])
    assert page.locator(".sweep-readout").inner_text() == position_text((20, 9))
    # Click intermediate 0 at (row 4, col 11): the arithmetic opens for that window.
    pos = (4, 11)
    box = page.locator('.conv-card button[data-channel="0"] .vmap-frame').bounding_box()
    page.mouse.click(box["x"] + (11.5 / 28) * box["width"], box["y"] + (4.5 / 28) * box["height"])
    page.wait_for_selector('[data-testid="formula-result"]')
    assert page.locator(".fx-title").inner_text() == f"Channel 0 at {position_text(pos)}"
    check_formula(page, conv_arithmetic(default_site, "conv_1_1", SAMPLE, 7, pos), 0)
    assert log.errors == []
    page.context.close()


def test_conv_view_for_every_conv_layer_adds_up_to_tfjs(browser, default_site):
    """For every conv layer and a few windows, the printed result equals TF.js's conv output (1e-4)."""
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    for layer in (entry for entry in default_site.spec["layers"] if entry["kind"] == "conv"):
        oh, ow, filters = layer["shape"]
        for neuron, pos in [(0, (0, 0)), (filters - 1, (oh - 1, ow - 1)), (filters // 2, (oh // 2, ow // 3))]:
            page.evaluate(
                "h => { location.hash = h; }",
                f"sample=0&view=conv&layer={layer['name']}&neuron={neuron}&channel=0&pos={pos[0]},{pos[1]}",
            )
            page.wait_for_function(
                "t => document.querySelector('.fx-title') && document.querySelector('.fx-title').textContent.endsWith(t)",
                arg=position_text(pos),
            )
            result = read_number(page, "formula-result")["value"]
            tfjs = page.evaluate(
                "([name, r, c, n]) => { const a = window.explainer.activations(name); return a.data[(r * a.shape[1] + c) * a.shape[2] + n]; }",
                [layer["name"], pos[0], pos[1], neuron],
            )
            assert abs(result - tfjs) <= 1e-4, (layer["name"], neuron, pos)
    assert log.errors == []
    page.context.close()


def test_changing_the_image_keeps_the_view_and_updates_its_numbers(browser, default_site):
    pos = (5, 7)
    page, log = open_view(
        browser, default_site, f"sample=0&view=conv&layer=conv_2_1&neuron=1&channel=2&pos={pos[0]},{pos[1]}"
    )
    before = read_number(page, "formula-result")["value"]
    page.click(f"#picker button >> nth={SAMPLE}")
    expected = conv_arithmetic(default_site, "conv_2_1", SAMPLE, 1, pos)
    page.wait_for_function(
        "v => Math.abs(Number(document.querySelector('[data-testid=\"formula-result\"]').dataset.value) - v) < 1e-4",
        arg=float(expected["result"]),
    )
    check_formula(page, expected, 2)
    assert not np.isclose(before, expected["result"])
    page.wait_for_function("() => location.hash.startsWith('#sample=3&view=conv')")
    assert log.errors == []
    page.context.close()
