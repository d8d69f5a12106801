"""The ReLU and pooling views in Chromium: the values they print against Keras."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.views import (
    SAMPLE,
    assert_shows,
    position_text,
    read_number,
    read_numbers,
    settled_screenshot,
    window_start,
)

from .conftest import open_page, wait_ready

pytestmark = pytest.mark.browser


def open_view(browser, site, fragment: str):
    page, log = open_page(browser, f"{(site.path / 'index.html').as_uri()}#{fragment}")
    wait_ready(page)
    page.wait_for_selector(".vh-panel:not(.is-leaving)")
    return page, log


@pytest.mark.parametrize(("layer", "neuron", "pos"), [("relu_1_1", 4, (10, 12)), ("relu_2_2", 1, (5, 7))])
def test_relu_view_prints_x_and_y_from_keras(browser, default_site, layer, neuron, pos):
    page, log = open_view(
        browser, default_site, f"sample={SAMPLE}&view=activation&layer={layer}&neuron={neuron}&pos={pos[0]},{pos[1]}"
    )
    spec_layer = next(entry for entry in default_site.spec["layers"] if entry["name"] == layer)
    outputs = default_site.keras_outputs(default_site.pixels[SAMPLE : SAMPLE + 1])
    x = float(outputs[spec_layer["input"]][0][pos[0], pos[1], neuron])
    y = float(outputs[layer][0][pos[0], pos[1], neuron])
    assert_shows(read_number(page, "activation-input"), x, "x")
    assert_shows(read_number(page, "activation-output"), y, "y")
    assert page.locator(".pair-call").text_content().startswith("max(0, ")
    # Arrow keys move the pixel; the numbers follow.
    page.keyboard.press("ArrowUp")
    moved = (pos[0] - 1, pos[1])
    assert page.locator(".sweep-readout").inner_text() == position_text(moved)
    assert_shows(
        read_number(page, "activation-input"), float(outputs[spec_layer["input"]][0][moved[0], moved[1], neuron]), "x"
    )
    if layer == "relu_1_1":
        settled_screenshot(page, "view-relu")
    assert log.errors == []
    page.context.close()


@pytest.mark.parametrize(("pos", "neuron"), [((5, 7), 2), ((13, 0), 9)])
def test_max_pool_view_prints_the_window_and_its_max_from_keras(browser, default_site, pos, neuron):
    layer = next(entry for entry in default_site.spec["layers"] if entry["name"] == "max_pool_1")
    page, log = open_view(
        browser, default_site, f"sample={SAMPLE}&view=pool&layer=max_pool_1&neuron={neuron}&pos={pos[0]},{pos[1]}"
    )
    outputs = default_site.keras_outputs(default_site.pixels[SAMPLE : SAMPLE + 1])
    (ph, pw), (sh, sw) = layer["pool_size"], layer["strides"]
    (h, w, _), (oh, ow, _) = layer["input_shape"], layer["shape"]
    top = pos[0] * sh - window_start(h, oh, ph, sh, layer["padding"])
    left = pos[1] * sw - window_start(w, ow, pw, sw, layer["padding"])
    window = outputs[layer["input"]][0][top : top + ph, left : left + pw, neuron]
    cells = read_numbers(page, "pool-value")
    assert len(cells) == ph * pw
    for cell in cells:
        assert_shows(cell, float(window[cell["row"], cell["col"]]), f"window[{cell['row']}, {cell['col']}]")
    result = read_number(page, "pool-result")
    assert_shows(result, float(outputs["max_pool_1"][0][pos[0], pos[1], neuron]), "max")
    assert np.isclose(result["value"], window.max(), atol=1e-4)
    highlighted = page.eval_on_selector(
        '[data-testid="pool-value"].is-max', "e => [Number(e.dataset.row), Number(e.dataset.col)]"
    )
    assert np.isclose(window[highlighted[0], highlighted[1]], window.max(), atol=1e-6)
    assert page.get_by_test_id("pool-window").count() == 1
    if pos == (5, 7):
        settled_screenshot(page, "view-pool")
    assert log.errors == []
    page.context.close()


def test_pool_window_follows_the_pointer_on_the_input_map(browser, default_site):
    page, log = open_view(browser, default_site, f"sample={SAMPLE}&view=pool&layer=max_pool_2&neuron=0&pos=0,0")
    box = page.locator(".pair-body .vmap-frame").first.bounding_box()
    # Input cell (row 9, col 4) of relu_2_2 (14 x 14) lies in window (4, 2) of a 2x2 pooling with stride 2.
    page.mouse.move(box["x"] + (4.5 / 14) * box["width"], box["y"] + (9.5 / 14) * box["height"])
    assert page.locator(".sweep-readout").inner_text() == position_text((4, 2))
    assert log.errors == []
    page.context.close()
