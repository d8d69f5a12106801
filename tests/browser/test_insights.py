"""What the network learned, and where it fails, against Keras: the confusion matrix, a cell's images, the mistakes
in the picker, each channel's top examples, and the gradient and Grad-CAM of the image shown.

Every reference comes from the original Keras model and the Fashion-MNIST test files read here, never from the
builder's code (testkit/reference.py)."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from testkit.chromium import show_section
from testkit.reference import grad_cam, logit_gradient, scaled_pixels

from .conftest import browser_activations, open_page, wait_ready

pytestmark = pytest.mark.browser

FASHION = "/usr/share/datasets/fashion-mnist"
TOLERANCE = 1e-4


def read_idx(name: str, offset: int) -> np.ndarray:
    with gzip.open(f"{FASHION}/{name}", "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


@pytest.fixture(scope="module")
def test_set():
    images = read_idx("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28, 1)
    labels = read_idx("t10k-labels-idx1-ubyte.gz", 8)
    return images, labels


@pytest.fixture(scope="module")
def predicted(default_site, test_set):
    images, _ = test_set
    x = scaled_pixels(images, default_site.spec["input"]["pixel_divisor"])
    return default_site.model.predict(x, batch_size=1000, verbose=0).argmax(axis=1)


@pytest.fixture(scope="module")
def page(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    page.evaluate("window.explainer.insights().then(() => true)")
    yield page
    assert log.errors == []
    page.context.close()


def show_test_image(page, default_site, test_set, index: int) -> None:
    images, _ = test_set
    page.evaluate("([pixels]) => window.explainer.setImage(pixels, 28, 28, 1)", [images[index].reshape(-1).tolist()])


def test_the_confusion_matrix_equals_keras_predictions_on_the_test_set(page, default_site, test_set, predicted):
    _, labels = test_set
    classes = default_site.spec["classes"]
    expected = np.zeros((len(classes), len(classes)), dtype=int)
    np.add.at(expected, (labels, predicted), 1)
    show_section(page, "mistakes")
    page.wait_for_selector('[data-testid="confusion-matrix"] [data-true-class]')
    cells = page.eval_on_selector_all(
        '[data-testid="confusion-matrix"] [data-true-class]',
        "nodes => nodes.map(n => [n.dataset.trueClass, n.dataset.predictedClass, Number(n.dataset.count)])",
    )
    assert len(cells) == len(classes) ** 2
    shown = np.full_like(expected, -1)
    for truth, said, count in cells:
        shown[classes.index(truth), classes.index(said)] = count
    np.testing.assert_array_equal(shown, expected)


def test_a_clicked_cell_loads_a_test_image_of_that_true_and_predicted_class(page, default_site, test_set, predicted):
    images, labels = test_set
    classes = default_site.spec["classes"]
    page.locator("#article-mistakes").scroll_into_view_if_needed()
    page.locator('[data-true-class="Shirt"][data-predicted-class="T-shirt/top"]').click()
    thumbnails = page.locator(".confusion-detail [data-test-index]")
    assert thumbnails.count() >= 1
    for i in range(thumbnails.count()):
        index = int(thumbnails.nth(i).get_attribute("data-test-index"))
        assert classes[labels[index]] == "Shirt" and classes[predicted[index]] == "T-shirt/top"
    last = thumbnails.nth(thumbnails.count() - 1)
    index = int(last.get_attribute("data-test-index"))
    last.click()
    page.wait_for_function(
        f"() => window.explainer.state.get().testIndex === {index} && window.explainer.state.get().frame.live"
    )
    _, shown = browser_activations(page, "input")
    np.testing.assert_array_equal(shown, scaled_pixels(images[index], 255.0).reshape(-1))
    assert page.locator('[data-testid="prediction"]').inner_text() == "T-shirt/top"
    page.wait_for_function(f"() => location.hash.includes('test={index}')")


def test_the_picker_offers_real_mistakes_marked_as_such(page, default_site, test_set, predicted):
    images, labels = test_set
    mistakes = page.locator("#picker [data-test-index]")
    assert mistakes.count() >= 3
    for i in range(mistakes.count()):
        item = mistakes.nth(i)
        index = int(item.get_attribute("data-test-index"))
        assert predicted[index] != labels[index]
        assert "mistake" in item.get_attribute("aria-label")
        assert "is-misclassified" in item.get_attribute("class")
    first = mistakes.nth(0)
    index = int(first.get_attribute("data-test-index"))
    first.click()
    page.wait_for_function(f"() => window.explainer.state.get().testIndex === {index}")
    assert first.get_attribute("aria-pressed") == "true"
    _, shown = browser_activations(page, "input")
    np.testing.assert_array_equal(shown, scaled_pixels(images[index], 255.0).reshape(-1))


@pytest.fixture(scope="module")
def channel_maxima(default_site, test_set):
    """Per spatial layer, every test image's maximum over positions of each channel (N x C), by Keras: the layers
    of the original (sequential) model applied in turn to all 10,000 images. A probe model with every layer's output
    as its outputs (reference_outputs) gives the same, but takes ten times as long on this many images."""
    import tensorflow as tf

    images, _ = test_set
    spatial = {
        layer["name"]
        for layer in default_site.spec["layers"]
        if layer["kind"] in ("conv", "activation", "pool") and len(layer["shape"]) == 3
    }
    features = tf.convert_to_tensor(scaled_pixels(images, default_site.spec["input"]["pixel_divisor"]))
    maxima = {}
    for layer in default_site.model.layers:
        features = layer(features, training=False)
        if layer.name in spatial:
            maxima[layer.name] = np.asarray(tf.reduce_max(features, axis=(1, 2)))
    assert maxima.keys() == spatial
    return maxima


def test_every_channels_top_examples_are_its_true_top_activations_over_the_test_set(page, default_site, channel_maxima):
    channels = {layer["name"]: layer["shape"][-1] for layer in default_site.spec["layers"]}
    stored = page.evaluate(
        """(counts) => window.explainer.insights().then((insights) => Object.fromEntries(Object.entries(counts).map(
             ([name, count]) => [name, Array.from({length: count}, (_, c) => (insights.examples(name, c) || [])
               .map((e) => [insights.pool.image(e.ref).testIndex, e.value]))])))""",
        {name: channels[name] for name in channel_maxima},
    )
    shown_in_all = 0
    for name, per_image in channel_maxima.items():
        for channel, examples in enumerate(stored[name]):
            ranked = np.sort(per_image[:, channel])[::-1]
            # the first 8, less those tied with the ninth: which of a tie would be shown is an accident of order
            expected = ranked[:8][ranked[:8] > ranked[8]]
            assert len(examples) == len(expected), (name, channel)
            values = [value for _, value in examples]
            indices = [index for index, _ in examples]
            np.testing.assert_allclose(values, expected, rtol=1e-3, atol=1e-6, err_msg=f"{name} {channel}")
            np.testing.assert_allclose(
                per_image[indices, channel], expected, rtol=1e-3, atol=1e-6, err_msg=f"{name} {channel}"
            )
            shown_in_all += len(examples)
    assert shown_in_all >= 0.9 * 8 * sum(channels[name] for name in channel_maxima)  # most channels show 8


@pytest.mark.parametrize("layer,neuron", [("conv_1_1", 4), ("relu_2_1", 3), ("max_pool_2", 7)])
def test_a_neurons_view_lists_its_top_examples_in_order_and_a_click_loads_one(
    page, default_site, test_set, channel_maxima, layer, neuron
):
    images, _ = test_set
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator(f'[data-layer="{layer}"][data-neuron="{neuron}"] >> visible=true').first.click()
    examples = page.locator('.vh-panel [data-testid="top-examples"] [data-test-index]')
    examples.first.wait_for()
    values = [float(examples.nth(i).get_attribute("data-value")) for i in range(examples.count())]
    indices = [int(examples.nth(i).get_attribute("data-test-index")) for i in range(examples.count())]
    assert len(values) >= 8 and values == sorted(values, reverse=True)
    top = np.sort(channel_maxima[layer][:, neuron])[::-1][: len(values)]
    np.testing.assert_allclose(values, top, rtol=1e-3)
    np.testing.assert_allclose(channel_maxima[layer][indices, neuron], values, rtol=1e-3)
    examples.nth(1).click()
    page.wait_for_function(f"() => window.explainer.state.get().testIndex === {indices[1]}")
    page.wait_for_function("() => window.explainer.state.get().frame.live")
    _, shown = browser_activations(page, "input")
    np.testing.assert_array_equal(shown, scaled_pixels(images[indices[1]], 255.0).reshape(-1))
    page.keyboard.press("Escape")


@pytest.mark.parametrize("index", [0, 1017])
def test_saliency_and_grad_cam_match_gradient_tape(page, default_site, test_set, index):
    images, _ = test_set
    show_test_image(page, default_site, test_set, index)
    x = scaled_pixels(images[index : index + 1], 255.0)
    probabilities = default_site.model.predict(x, verbose=0)[0]
    for class_index in (int(probabilities.argmax()), int(probabilities.argmin()), 6):
        result = page.evaluate(
            "(c) => window.explainer.saliency(c).then((s) => ({shape: s.shape, data: Array.from(s.data)}))",
            class_index,
        )
        expected = logit_gradient(default_site.model, x, class_index)
        assert result["shape"] == [28, 28, 1]
        got = np.asarray(result["data"], dtype=np.float32).reshape(28, 28, 1)
        assert np.abs(expected).max() > 1e-3  # a gradient worth comparing
        np.testing.assert_allclose(got, expected, atol=TOLERANCE, rtol=0)
        cam = page.evaluate(
            "(c) => window.explainer.gradCam(c).then((g) => ({layer: g.layer, shape: g.shape, data: Array.from(g.data)}))",
            class_index,
        )
        assert cam["layer"] == "relu_2_2"
        expected_cam = grad_cam(default_site.model, x, class_index, "relu_2_2")
        assert cam["shape"] == list(expected_cam.shape)
        np.testing.assert_allclose(np.reshape(cam["data"], expected_cam.shape), expected_cam, atol=TOLERANCE, rtol=0)


def test_a_link_to_a_test_image_and_a_view_shows_both_once_the_insights_load(
    browser, default_site, test_set, predicted
):
    images, labels = test_set
    index = int(np.flatnonzero(predicted != labels)[0])
    page, log = open_page(
        browser, (default_site.path / "index.html").as_uri() + f"#test={index}&view=conv&layer=conv_1_1&neuron=4"
    )
    wait_ready(page)
    page.wait_for_function(f"() => window.explainer.state.get().testIndex === {index}")
    page.wait_for_function("() => window.explainer.state.get().frame.live")
    _, shown = browser_activations(page, "input")
    np.testing.assert_array_equal(shown, scaled_pixels(images[index], 255.0).reshape(-1))
    # the view opened before the insights came, and gets its examples when they do
    page.locator('.vh-panel [data-testid="top-examples"] [data-test-index]').first.wait_for()
    page.goto("about:blank")
    page, log2 = open_page(browser, (default_site.path / "index.html").as_uri() + "#test=99999")
    wait_ready(page)
    page.locator("#notice").wait_for(state="visible")
    assert "does not hold test image 99999" in page.locator("#notice").inner_text()
    assert page.evaluate("window.explainer.state.get().sample") == 0
    assert log.errors == [] and log2.errors == []


# ColorBrewer's Greens, the stops of d3's interpolateGreens: the scale of "What it looks at", which no other map uses
GREENS = ["f7fcf5", "e5f5e0", "c7e9c0", "a1d99b", "74c476", "41ab5d", "238b45", "006d2c", "00441b"]


def greens_lut(size: int = 256) -> np.ndarray:
    """The page's lookup table of the Greens scale (size x 3), computed here as d3 does: a uniform B-spline through
    the stops, each channel rounded."""
    stops = np.array([[int(h[i : i + 2], 16) for i in (0, 2, 4)] for h in GREENS], dtype=np.float64)
    n = len(stops) - 1
    lut = np.zeros((size, 3))
    for k in range(size):
        t = k / (size - 1)
        i = n - 1 if t >= 1 else int(np.floor(t * n))
        v1, v2 = stops[i], stops[i + 1]
        v0 = stops[i - 1] if i > 0 else 2 * v1 - v2
        v3 = stops[i + 2] if i < n - 1 else 2 * v2 - v1
        u = (t - i / n) * n
        lut[k] = (
            (1 - 3 * u + 3 * u**2 - u**3) * v0
            + (4 - 6 * u**2 + 3 * u**3) * v1
            + (1 + 3 * u + 3 * u**2 - 3 * u**3) * v2
            + u**3 * v3
        ) / 6
    return np.clip(np.floor(lut + 0.5), 0, 255)


def drawn(page, testid: str) -> np.ndarray:
    return np.asarray(
        page.evaluate(
            """(testid) => { const c = document.querySelector(`[data-testid="${testid}"]`);
                 return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); }""",
            testid,
        ),
        dtype=np.float64,
    ).reshape(28, 28, 4)


def legend_of(page, testid: str) -> dict:
    """The legend under map `testid`: its unrounded range, its labels, and whether it sits under the map."""
    return page.evaluate(
        """(testid) => { const map = document.querySelector(`[data-testid="${testid}"]`);
             const legend = map.closest('figure').querySelector('.vlegend');
             const m = map.getBoundingClientRect(), l = legend.getBoundingClientRect();
             return { min: Number(legend.dataset.min), max: Number(legend.dataset.max),
                      ticks: [...legend.querySelectorAll('.vlegend-ticks > span')].map((s) => s.textContent),
                      under: l.top >= m.bottom - 1 && l.left < m.right && l.right > m.left && l.width > 0 }; }""",
        testid,
    )


def wait_drawn(page) -> None:
    page.wait_for_function("() => document.getElementById('attention').getAttribute('aria-busy') === 'false'")


def assert_drawn_on_scale(page, testid: str, strength: np.ndarray, top: float) -> None:
    """Map `testid` is `strength` coloured by the Greens scale from 0 to `top`."""
    lut = greens_lut()
    index = np.floor(np.clip(strength / top, 0, 1) * 255 + 0.5).astype(int)
    got = drawn(page, testid)
    # float32 on the page, float64 here: a value on the edge between two entries may take its neighbour
    assert np.abs(got[..., :3] - lut[index]).max() <= 4, testid
    assert (got[..., 3] == 255).all()


def test_what_it_looks_at_draws_each_map_on_a_green_scale_with_its_real_range_under_it(page, default_site, test_set):
    """Both maps are drawn on the Greens scale (a hue no other part of the page uses), each from 0 to its own largest
    value, with that range written under it; the class's probability is written beside them, since a class the model
    rules out can have larger values than the one it predicts. Every number is Keras's."""
    import tensorflow as tf

    images, _ = test_set
    show_test_image(page, default_site, test_set, 0)
    page.locator("#attention").scroll_into_view_if_needed()
    x = scaled_pixels(images[0:1], 255.0)
    probabilities = default_site.model.predict(x, verbose=0)[0]
    predicted = int(probabilities.argmax())
    tops = {}
    for chosen in (predicted, int(probabilities.argmin()), 5):
        page.select_option('[data-testid="attention-class"]', str(chosen))
        wait_drawn(page)
        gradient = np.abs(logit_gradient(default_site.model, x, chosen)).max(axis=-1)
        cam = grad_cam(default_site.model, x, chosen, "relu_2_2")
        resized = tf.image.resize(cam[..., None], (28, 28), method="bilinear").numpy()[..., 0]
        for testid, values, picture in (("saliency-map", gradient, gradient), ("gradcam-map", cam, resized)):
            top = float(values.max())
            legend = legend_of(page, testid)
            assert legend["under"], f"{testid}: the legend is under its map"
            assert legend["min"] == 0
            assert abs(legend["max"] - top) <= TOLERANCE * max(1.0, top), (testid, chosen, legend["max"], top)
            assert legend["ticks"][0] == "0"
            assert abs(float(legend["ticks"][-1]) - top) <= 0.005 * top, (testid, legend["ticks"])
            assert_drawn_on_scale(page, testid, picture, top)
            tops[testid, chosen] = top
        status = page.locator(".attention-status").inner_text()
        assert f"{probabilities[chosen] * 100:.1f}%" in status, status
    # why the scale is per map: here Sandal (5), which the model rules out, peaks far above the predicted class
    assert tops["gradcam-map", 5] > 10 * tops["gradcam-map", predicted]
    assert "its own largest value" in page.locator(".attention-scale").inner_text()
    # the Greens scale: no pixel of either map is red, orange, blue or purple, the colours of values and weights
    for testid in ("saliency-map", "gradcam-map"):
        rgb = drawn(page, testid)[..., :3]
        assert (rgb[..., 1] >= rgb[..., 0]).all() and (rgb[..., 1] >= rgb[..., 2]).all(), testid
    # the image's edges are traced over both maps
    for testid in ("saliency-map", "gradcam-map"):
        path = page.eval_on_selector(f'[data-testid="{testid}"]', "c => c.parentElement.querySelector('path')")
        assert path is not None
    assert page.eval_on_selector(".attention-edges path", "p => p.getAttribute('d').length") > 100
    with pytest.raises(Exception, match="no class 1.5"):
        page.evaluate("() => window.explainer.saliency(1.5)")
    with pytest.raises(Exception, match="no class 10"):
        page.evaluate("() => window.explainer.gradCam(10)")
