"""The views on a generated model with what Tiny VGG lacks: 64 input channels, 5x5 and 4x4 kernels, stride 2,
valid and asymmetric same padding, a conv without bias, tanh and leaky ReLU, average pooling over padding, dropout."""

from __future__ import annotations

import pytest

from testkit.views import (
    assert_shows,
    check_formula,
    conv_arithmetic,
    read_number,
    read_numbers,
    settled_screenshot,
    window_start,
)

from .conftest import build_generated_site, open_page, wait_ready

pytestmark = pytest.mark.browser


def varied_model():
    """15x15 RGB -> conv 64 (tanh) -> dropout -> average pool (same) -> conv 5x5/2 valid, no bias -> leaky ReLU
    -> conv 4x4 same (padding 1 before, 2 after) -> dense softmax over 3 classes."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((15, 15, 3)),
            layers.Conv2D(64, 3, padding="same", activation="tanh", name="conv_wide"),
            layers.Dropout(0.25, name="dropout"),
            layers.AveragePooling2D(2, padding="same", name="avg_pool"),
            layers.Conv2D(6, 5, strides=2, padding="valid", use_bias=False, name="conv_strided"),
            layers.LeakyReLU(negative_slope=0.2, name="leaky"),
            layers.Conv2D(4, 4, padding="same", name="conv_even"),
            layers.Flatten(name="flatten"),
            layers.Dense(3, activation="softmax", name="output"),
        ],
        name="varied",
    )


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    import keras

    keras.utils.set_random_seed(11)
    return build_generated_site(tmp_path_factory.mktemp("varied"), varied_model(), seed=11, size=15)


@pytest.fixture
def visit(browser, varied):
    pages = []

    def visit(fragment: str):
        page, log = open_page(browser, f"{(varied.path / 'index.html').as_uri()}#{fragment}")
        wait_ready(page)
        page.wait_for_selector(".vh-panel:not(.is-leaving)")
        pages.append((page, log))
        return page

    yield visit
    for page, log in pages:
        assert log.errors == []
        page.context.close()


@pytest.mark.parametrize(
    ("layer", "neuron", "pos", "channel"),
    [
        ("conv_wide_linear", 63, (14, 0), 2),  # 3 input channels, the corner: padding on two sides
        ("conv_strided", 5, (1, 0), 40),  # 64 input channels, 5x5 kernel, stride 2, valid, no bias
        ("conv_even", 1, (0, 1), 3),  # 4x4 kernel on 2x2, same: padding 1 above and left, 2 below and right
    ],
)
def test_conv_formula_on_any_kernel_stride_and_padding(visit, varied, layer, neuron, pos, channel):
    page = visit(f"sample=1&view=conv&layer={layer}&neuron={neuron}&channel={channel}&pos={pos[0]},{pos[1]}")
    page.wait_for_selector('[data-testid="formula-result"]')
    expected = conv_arithmetic(varied, layer, 1, neuron, pos)
    check_formula(page, expected, channel)
    padded = [cell for cell in read_numbers(page, "formula-input") if not expected["inside"][cell["row"], cell["col"]]]
    assert page.locator(".fx-cell.is-pad").count() == len(padded)
    if layer == "conv_wide_linear":
        assert len(padded) == 5  # a 3x3 window at the bottom-left corner
    if layer == "conv_even":
        assert len(padded) == 12  # only the 2x2 input inside the 4x4 window


def test_a_conv_view_over_64_channels_stays_compact(visit, varied):
    page = visit("sample=0&view=conv&layer=conv_strided&neuron=0&pos=1,1")
    assert page.locator(".conv-card").count() == 64
    values = read_numbers(page, "intermediate-value")
    expected = conv_arithmetic(varied, "conv_strided", 0, 0, (1, 1))
    for value in values:
        assert_shows(value, expected["intermediates"][value["channel"]], f"intermediate {value['channel']}")
    assert page.get_by_test_id("conv-bias").count() == 0
    assert_shows(read_number(page, "conv-output"), expected["output"], "output")
    channels = page.locator(".conv-channels")
    assert channels.evaluate("e => e.scrollHeight > e.clientHeight")  # scrolls rather than overflowing the page
    panel = page.locator(".vh-panel").bounding_box()
    assert panel["y"] + panel["height"] <= page.viewport_size["height"] + 1
    settled_screenshot(page, "view-conv-64-channels")


@pytest.mark.parametrize(("layer", "start"), [("conv_wide", "tanh("), ("leaky", "max(0.2 × ")])
def test_tanh_and_leaky_relu_views(visit, varied, layer, start):
    pos = (1, 0)
    page = visit(f"sample=0&view=activation&layer={layer}&neuron=2&pos={pos[0]},{pos[1]}")
    spec_layer = next(entry for entry in varied.spec["layers"] if entry["name"] == layer)
    outputs = varied.keras_outputs(varied.pixels[:1])
    x = float(outputs[spec_layer["input"]][0][pos[0], pos[1], 2])
    y = float(outputs[layer][0][pos[0], pos[1], 2])
    assert page.locator(".pair-call").text_content().startswith(start)
    for number in read_numbers(page, "activation-input"):
        assert_shows(number, x, "x")
    assert_shows(read_number(page, "activation-output"), y, "y")
    if layer == "conv_wide":
        settled_screenshot(page, "view-tanh")


def test_average_pooling_over_the_padding_ignores_it(visit, varied):
    pos = (7, 7)  # the last window of a 15 -> 8 pooling: 1 cell inside, 3 in the padding
    page = visit(f"sample=0&view=pool&layer=avg_pool&neuron=5&pos={pos[0]},{pos[1]}")
    outputs = varied.keras_outputs(varied.pixels[:1])
    top = pos[0] * 2 - window_start(15, 8, 2, 2, "same")
    cells = read_numbers(page, "pool-value")
    inside = [cell for cell in cells if cell["value"] is not None]
    assert len(inside) == 1 and page.locator('[data-testid="pool-value"].is-pad').count() == 3
    assert_shows(inside[0], float(outputs["dropout"][0][top, top, 5]), "the one cell inside")
    assert_shows(read_number(page, "pool-result"), float(outputs["avg_pool"][0][pos[0], pos[1], 5]), "mean")
    assert page.locator(".pool-call").inner_text().startswith("mean")


def test_dropout_view_says_output_equals_input(visit):
    page = visit("sample=0&view=dropout&layer=dropout&neuron=7")
    text = page.locator(".vh-panel").inner_text()
    assert "25%" in text and "inactive" in text and "output equals its input" in text
    assert page.locator(".vmap").count() == 2
    settled_screenshot(page, "view-dropout")
