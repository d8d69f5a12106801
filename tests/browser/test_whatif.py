"""What if: an edited network is still computed exactly. Random weight and bias edits and silenced channels, on the
default model and on a generated model of two conv blocks with fused activations: every layer the page computes
equals Keras run on copies of the layers with the same edits (testkit/reference.py edited_outputs), the trained
network's values stay at hand, the gradients follow the edits, and a link with the edits restores them."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.chromium import show_section
from testkit.reference import edited_outputs, logit_gradient, reference_outputs, scaled_pixels

from .conftest import apply_edits, browser_activations, build_generated_site, open_page, wait_ready

pytestmark = pytest.mark.browser

TOLERANCE = 1e-4


def two_blocks_model():
    """16x16 RGB -> conv 3x3 (ReLU, fused) -> max pool -> conv 3x3 valid (tanh, fused) -> max pool -> dense softmax."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            layers.Conv2D(4, 3, padding="same", activation="relu", name="conv_a"),
            layers.MaxPooling2D(2, name="pool_a"),
            layers.Conv2D(6, 3, padding="valid", activation="tanh", name="conv_b"),
            layers.MaxPooling2D(2, name="pool_b"),
            layers.Flatten(name="flatten"),
            layers.Dense(3, activation="softmax", name="output"),
        ],
        name="two_blocks",
    )


@pytest.fixture(scope="module")
def blocks(tmp_path_factory):
    import keras

    keras.utils.set_random_seed(5)
    return build_generated_site(tmp_path_factory.mktemp("blocks"), two_blocks_model(), seed=5, size=16)


def random_edits(spec: dict, rng: np.random.Generator, count: int = 12) -> list[dict]:
    """Weight, bias and silence edits spread over the spec's layers, as the page's API takes them."""
    weighted = [layer for layer in spec["layers"] if layer["kind"] in ("conv", "dense")]
    silenceable = [layer for layer in spec["layers"] if layer["kind"] in ("conv", "activation", "pool")]
    edits = []
    for n in range(count):
        if n % 3 == 2:
            layer = silenceable[rng.integers(len(silenceable))]
            edits.append({"layer": layer["name"], "silence": int(rng.integers(layer["shape"][-1]))})
            continue
        layer = weighted[rng.integers(len(weighted))]
        units = layer["filters"] if layer["kind"] == "conv" else layer["units"]
        inputs = layer["input_shape"][-1]
        size = units * inputs * (np.prod(layer["kernel_size"]) if layer["kind"] == "conv" else 1)
        if n % 3 == 1:
            edits.append({"layer": layer["name"], "weight": "bias", "index": int(rng.integers(units)), "value": 0.75})
        else:
            value = float(np.round(rng.normal(0, 1.5), 3))
            edits.append({"layer": layer["name"], "weight": "kernel", "index": int(rng.integers(size)), "value": value})
    return edits


def in_force(edits: list[dict]) -> list[dict]:
    """The edits that hold after all of them: the last value of each weight, each silenced channel once."""
    kept = {}
    for edit in edits:
        key = (
            (edit["layer"], "silence", edit["silence"])
            if "silence" in edit
            else (edit["layer"], edit["weight"], edit["index"])
        )
        kept[key] = edit
    return list(kept.values())


def pixels_shown(page, site) -> np.ndarray:
    shape, data = browser_activations(page, "input")
    return np.rint(data * site.spec["input"]["pixel_divisor"]).astype(np.uint8).reshape(shape)


def assert_layers_equal(page, site, expected: dict, what: str) -> None:
    for layer in ["input", *(entry["name"] for entry in site.spec["layers"])]:
        _, data = browser_activations(page, layer)
        np.testing.assert_allclose(
            data, expected[layer][0].ravel(), rtol=TOLERANCE, atol=TOLERANCE, err_msg=f"{what}: {layer}"
        )


@pytest.mark.parametrize("which", ["default", "blocks"])
def test_an_edited_network_equals_keras_with_the_same_edits(browser, default_site, blocks, which):
    site = default_site if which == "default" else blocks
    page, log = open_page(browser, (site.path / "index.html").as_uri())
    wait_ready(page)
    rng = np.random.default_rng(17 if which == "default" else 18)
    pixels = pixels_shown(page, site)[None]
    trained = reference_outputs(site.model, site.spec, pixels)
    edits = random_edits(site.spec, rng)
    apply_edits(page, edits)
    expected_edits = in_force(edits)
    key = lambda e: (e["layer"], "silence" in e, e.get("silence", e.get("index")))  # noqa: E731
    assert sorted(page.evaluate("explainer.edits()"), key=key) == sorted(expected_edits, key=key)
    edited = edited_outputs(site.model, site.spec, pixels, expected_edits)
    assert_layers_equal(page, site, edited, "edited")
    for layer in ["input", *(entry["name"] for entry in site.spec["layers"])]:
        original = page.evaluate("(n) => Array.from(explainer.originalActivations(n).data)", layer)
        np.testing.assert_allclose(original, trained[layer][0].ravel(), rtol=TOLERANCE, atol=TOLERANCE, err_msg=layer)
    # the prediction on screen is the edited network's
    top = int(np.argmax(edited[site.spec["layers"][-1]["name"]][0]))
    assert page.locator('[data-testid="prediction"]').inner_text() == page.evaluate("explainer.classes")[top]

    # a link with the edits restores them, and the same values
    page.wait_for_function("() => location.hash.includes('edits=')")
    other, more = open_page(browser, page.url)
    wait_ready(other)
    other.wait_for_function("(n) => explainer.edits().length === n", arg=len(expected_edits))
    other.wait_for_function("() => explainer.state.get().frame.base !== null")
    assert_layers_equal(other, site, edited, "restored from the link")

    # back to the trained network
    page.evaluate("explainer.resetEdits().then(() => null)")
    assert page.evaluate("explainer.edits()") == []
    assert_layers_equal(page, site, trained, "reset")
    assert log.errors == [] and more.errors == []
    page.context.close()
    other.context.close()


def test_the_gradient_follows_the_edited_weights(browser, default_site):
    import keras

    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    edits = [
        {"layer": "conv_1_1", "weight": "kernel", "index": 40, "value": 2.5},
        {"layer": "conv_2_2", "weight": "bias", "index": 3, "value": -1.25},
        {"layer": "output", "weight": "kernel", "index": 123, "value": 4.0},
    ]
    apply_edits(page, edits)
    edited = keras.models.clone_model(default_site.model)
    weights = {layer.name: [np.array(w, copy=True) for w in layer.get_weights()] for layer in default_site.model.layers}
    for edit in edits:
        weights[edit["layer"]][0 if edit["weight"] == "kernel" else 1].reshape(-1)[edit["index"]] = edit["value"]
    for layer in edited.layers:
        layer.set_weights(weights[layer.name])
    x = scaled_pixels(pixels_shown(page, default_site)[None], default_site.spec["input"]["pixel_divisor"])
    for class_index in (0, 6):
        expected = logit_gradient(edited, x, class_index).ravel()
        got = np.array(page.evaluate(f"explainer.saliency({class_index}).then((s) => Array.from(s.data))"))
        np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-5 * np.abs(expected).max())
    assert log.errors == []
    page.context.close()


def legend_extent(page, layer: str) -> float:
    """The unrounded top of the overview's legend of `layer` (one legend a layer in the difference mode)."""
    return float(page.get_attribute(f'[data-testid="legend"][data-layers="{layer}"]', "data-max"))


def test_a_learner_edits_by_typing_dragging_and_switching_and_the_page_says_so(browser, default_site):
    page, log = open_page(
        browser, (default_site.path / "index.html").as_uri() + "#view=conv&layer=conv_1_2&neuron=2&pos=5,5&channel=3"
    )
    wait_ready(page)
    # the open view asked for the insights: its top examples come in under it, and may move what the pointer aims at
    page.wait_for_selector('.vh-panel [data-testid="top-examples"]')
    cell = page.locator('[data-testid="weight-input"][data-row="1"][data-col="1"]')
    # typed, with the minus sign the page prints: kernel [row 1, col 1, channel 3, filter 2] of a 3x3x10x10 kernel
    cell.click()
    cell.fill("\u22121.5")
    cell.press("Enter")
    page.wait_for_function("() => explainer.edits().length === 1")
    assert page.evaluate("explainer.edits()") == [
        {"layer": "conv_1_2", "weight": "kernel", "index": ((1 * 3 + 1) * 10 + 3) * 10 + 2, "value": -1.5}
    ]
    page.wait_for_function("() => document.querySelectorAll('[data-testid=formula-weight].is-edited').length === 1")
    # the bar at the top says the network is edited, and the prediction's two values
    bar = page.locator('[data-testid="whatif-bar"]')
    bar.locator(".whatif-state").wait_for()
    assert "edited" in bar.inner_text()
    # dragged up: the weight grows, in one step to undo; aimed once the page has stopped moving (the article and what
    # fills it arrive after the first picture)
    page.wait_for_selector("article.article", state="attached")
    target = page.locator('[data-testid="weight-input"][data-row="0"][data-col="0"]')
    target.scroll_into_view_if_needed()  # the click above scrolled only its own row into view
    box, previous = target.bounding_box(), None
    while box != previous:
        page.wait_for_timeout(250)
        box, previous = target.bounding_box(), box
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    start = float(page.get_attribute('[data-testid="formula-weight"][data-row="0"][data-col="0"]', "data-value"))
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x, y - 3 * step)
        page.wait_for_timeout(20)
    page.mouse.up()
    page.wait_for_function("() => explainer.edits().length === 2")
    dragged = [e for e in page.evaluate("explainer.edits()") if e["index"] == 3 * 10 + 2][0]["value"]
    assert dragged > start
    assert page.evaluate("explainer.state.get().editHistory.past.length") == 2, "a drag is one step to undo"
    # the view's switch, then the overview's: channels off
    page.click('.vh-panel [data-testid="silence"]')
    page.wait_for_function("() => explainer.edits().some((e) => e.silence === 2)")
    assert page.locator(".vh-silenced").is_visible()
    page.click(".vh-panel .vh-close")
    page.wait_for_function("() => explainer.state.get().view === null")
    page.hover('[data-layer="max_pool_1"][data-neuron="6"]')
    page.click('.ov-silence[data-for-layer="max_pool_1"][data-for-neuron="6"]')
    page.wait_for_function("() => explainer.edits().some((e) => e.layer === 'max_pool_1' && e.silence === 6)")
    assert page.locator('[data-layer="max_pool_1"][data-neuron="6"].is-silenced').count() == 1
    _, pooled = browser_activations(page, "max_pool_1")
    assert np.all(pooled[6::10] == 0), "switched off: 0 everywhere"
    # the difference mode draws what changed: nothing before conv_1_2, something after it
    bar.locator('[data-testid="whatif-difference"]').click()
    page.wait_for_function("() => explainer.state.get().colorMode === 'difference'")
    assert legend_extent(page, "conv_1_1") == 0 and legend_extent(page, "input") == 0
    assert legend_extent(page, "conv_1_2") > 0 and legend_extent(page, "conv_2_1") > 0
    # undo twice, redo once, then back to the trained network
    bar.locator('[data-testid="whatif-undo"]').click()
    bar.locator('[data-testid="whatif-undo"]').click()
    page.wait_for_function("() => explainer.edits().length === 2")
    bar.locator('[data-testid="whatif-redo"]').click()
    page.wait_for_function("() => explainer.edits().length === 3")
    bar.locator('[data-testid="whatif-reset"]').click()
    page.wait_for_function("() => explainer.edits().length === 0")
    assert log.errors == []
    page.context.close()


def test_a_link_with_edits_says_so_at_the_top(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri() + "#edits=conv_2_1:s3,b4=1.5&lang=zh")
    wait_ready(page)
    bar = page.locator('[data-testid="whatif-bar"]')
    bar.locator(".whatif-state").wait_for()
    assert bar.is_visible() and "已修改" in bar.inner_text()
    assert bar.bounding_box()["y"] < page.locator("#overview").bounding_box()["y"], "above the network"
    assert log.errors == []
    page.context.close()


def shifted(pixels: np.ndarray, n: int) -> np.ndarray:
    """`pixels` (H x W x C) moved `n` to the right, the strip filled with the top-left pixel."""
    out = np.empty_like(pixels)
    out[:] = pixels[0, 0]
    out[:, n:] = pixels[:, : pixels.shape[1] - n]
    return out


def test_comparing_an_image_with_itself_shifted_shows_b_minus_a_and_both_answers(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    a = default_site.pixels[0]
    page.click('[data-testid="pin"]')
    page.locator('[data-testid="whatif-shift"][data-pixels="3"]').click()
    page.wait_for_function("() => explainer.comparison() && explainer.comparison().b === null")
    page.wait_for_function("() => explainer.state.get().frame.base !== null && explainer.state.get().sample === null")
    assert page.evaluate("explainer.comparison()") == {"a": 0, "b": None}
    b = shifted(a, 3)
    assert np.array_equal(pixels_shown(page, default_site), b)
    expected_a = reference_outputs(default_site.model, default_site.spec, a[None])
    expected_b = reference_outputs(default_site.model, default_site.spec, b[None])
    assert_layers_equal(page, default_site, expected_b, "B")
    base = page.evaluate("Array.from(explainer.state.get().frame.base.activations.get('conv_2_1').data)")
    np.testing.assert_allclose(base, expected_a["conv_2_1"][0].ravel(), rtol=TOLERANCE, atol=TOLERANCE)
    # the overview draws B - A: the input's legend is the shift's largest change of a pixel
    assert page.evaluate("explainer.state.get().colorMode") == "difference"
    change = np.abs(b.astype(np.float32) - a.astype(np.float32)).max() / default_site.spec["input"]["pixel_divisor"]
    assert legend_extent(page, "input") == pytest.approx(change, rel=1e-5)
    # both answers: the bars are B's, the ticks A's
    probabilities_a = expected_a["output"][0]
    ticks = page.eval_on_selector_all(
        ".class-row", "rows => rows.map(r => r.querySelector('.class-base').dataset.value)"
    )
    np.testing.assert_allclose([float(v) for v in ticks], probabilities_a, atol=1e-5)
    text = page.locator('[data-testid="whatif-bar"]').inner_text()
    assert f"{100 * probabilities_a.max():.1f}%" in text and f"{100 * expected_b['output'][0].max():.1f}%" in text
    assert log.errors == []
    page.context.close()


def test_a_classic_kernel_replaces_a_channels_kernel_and_the_maps_follow(browser, default_site):
    page, log = open_page(
        browser, (default_site.path / "index.html").as_uri() + "#view=conv&layer=conv_1_1&neuron=4&pos=9,9&channel=0"
    )
    wait_ready(page)
    page.click('[data-testid="classic-kernel"][data-kernel="edge"]')
    page.wait_for_function("() => explainer.edits().length === 9")
    edits = page.evaluate("explainer.edits()")
    # the 3 x 3 edge kernel: 8 at the centre, -1 around it, into kernel[r, c, 0, 4] of a 3x3x1x10 kernel
    assert sorted((e["index"], e["value"]) for e in edits) == sorted(
        ((r * 3 + c) * 10 + 4, 8.0 if (r, c) == (1, 1) else -1.0) for r in range(3) for c in range(3)
    )
    assert page.evaluate("explainer.state.get().editHistory.past.length") == 1, "one step to undo"
    expected = edited_outputs(default_site.model, default_site.spec, pixels_shown(page, default_site)[None], edits)
    assert_layers_equal(page, default_site, expected, "edge kernel")
    assert page.locator('[data-testid="formula-weight"].is-edited').count() == 9
    # what the model looks at follows the edited network, and says so
    page.click(".vh-panel .vh-close")
    show_section(page, "attention")
    page.locator("#attention").scroll_into_view_if_needed()
    page.wait_for_selector('#attention[aria-busy="false"]', timeout=30_000)
    assert "edited" in page.locator(".attention-status").inner_text()
    assert log.errors == []
    page.context.close()
