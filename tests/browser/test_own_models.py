"""Bring your own model: generated Keras 3 models of many shapes, explained, run by TF.js in Chromium
(from file://) and compared with Keras layer by layer, on both of TF.js's backends: each site is built with
--backend wasm and opened twice, as built and in a browser without WebAssembly, where the page falls back to cpu.

Each case groups several features (depth, width, kernel size, stride, padding, activation, layer
kinds, input size and channels, class count, file format) so that the whole set builds in a
couple of minutes. Weights are random (seeded), biases too, so every term of every layer counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from testkit.images import write_image_folder

from .conftest import browser_activations, build_site, open_page, screenshot, wait_ready, with_random_biases

pytestmark = pytest.mark.browser

TOLERANCE = 1e-4


@dataclass(frozen=True)
class Case:
    """A generated model, the dataset it reads, and what the builder must make of it."""

    make: object  # () -> keras model
    size: int
    channels: int
    classes: int
    file: str = "m.keras"
    fused: tuple[str, ...] = ()  # layers whose activation is fused and must be split
    pixel_divisor: float = 255.0  # what the spec must say
    divisor_option: float | None = None  # --pixel-divisor, if given
    per_class: int = 12
    image_size: int | None = None


def single_block_1x1():
    """1 block, 1 filter, 1x1 kernel, valid padding, fused ReLU; 8x8 grey input, 2 classes (saved as .h5)."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            layers.Conv2D(1, 1, activation="relu", name="conv"),
            layers.MaxPooling2D(2, name="pool"),
            layers.Flatten(name="flatten"),
            layers.Dense(2, activation="softmax", name="output"),
        ],
        name="single_block",
    )


def three_blocks_mixed():
    """3 blocks: widths 3 and 16, kernels 3 and 5, stride 2, same and valid padding, fused tanh and
    sigmoid, average pooling, a conv without bias, a separate softmax Activation layer; 32x32 RGB."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            layers.Conv2D(3, 3, padding="same", activation="tanh", name="conv_1"),
            layers.AveragePooling2D(2, name="avg_pool_1"),
            layers.Conv2D(16, 5, padding="same", activation="sigmoid", name="conv_2"),
            layers.MaxPooling2D(2, name="max_pool_2"),
            layers.Conv2D(16, 3, strides=2, padding="valid", use_bias=False, name="conv_3"),
            layers.ReLU(name="relu_3"),
            layers.Flatten(name="flatten"),
            layers.Dense(4, name="logits"),
            layers.Activation("softmax", name="probabilities"),
        ],
        name="three_blocks",
    )


def six_blocks_128():
    """6 conv blocks on 128x128 RGB, a hidden Dense with a fused ReLU, Dropout, 5 classes."""
    import keras
    from keras import layers

    blocks = []
    for i in range(1, 7):
        blocks += [
            layers.Conv2D(8, 3, padding="same", activation="relu", name=f"conv_{i}"),
            layers.MaxPooling2D(2, name=f"pool_{i}"),
        ]
    return keras.Sequential(
        [
            keras.Input((128, 128, 3)),
            *blocks,
            layers.Flatten(name="flatten"),
            layers.Dense(32, activation="relu", name="hidden"),
            layers.Dropout(0.3, name="dropout"),
            layers.Dense(5, activation="softmax", name="output"),
        ],
        name="six_blocks",
    )


def leaky_and_wide():
    """64 filters, a LeakyReLU layer, ReLU(negative_slope), stride 2 with valid padding, 5x5 kernels,
    and linear logits as the last layer (the page applies softmax); 16x16 RGB."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            layers.Conv2D(64, 3, padding="same", name="conv_wide"),
            layers.LeakyReLU(negative_slope=0.2, name="leaky"),
            layers.Conv2D(16, 5, strides=2, padding="valid", name="conv_strided"),
            layers.ReLU(negative_slope=0.1, name="relu_leaky"),
            layers.Flatten(name="flatten"),
            layers.Dense(3, name="logits"),
        ],
        name="leaky_wide",
    )


def rescaling_first():
    """A Rescaling(1/255) input layer: the model reads raw 0..255 pixels; 16x16 RGB."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            layers.Rescaling(1 / 255, name="rescale"),
            layers.Conv2D(4, 3, activation="relu", name="conv"),
            layers.MaxPooling2D(2, name="pool"),
            layers.Flatten(name="flatten"),
            layers.Dense(3, activation="softmax", name="output"),
        ],
        name="rescaling_first",
    )


def functional_linear():
    """The Functional API, one path from input to output; 12x12 grey, fused ReLU, sigmoid and tanh.
    Built with --pixel-divisor 127.5 (a model trained on pixels / 127.5)."""
    import keras
    from keras import layers

    inputs = keras.Input((12, 12, 1), name="pixels")
    x = layers.Conv2D(6, 3, activation="relu", name="conv_a")(inputs)
    x = layers.Conv2D(6, 3, strides=2, padding="same", activation="sigmoid", name="conv_b")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(8, activation="tanh", name="hidden")(x)
    outputs = layers.Dense(3, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs, name="functional_linear")


def hundred_classes():
    """100 classes on 16x16 RGB: the page shows the top ones and sums up the rest."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            layers.Conv2D(8, 3, activation="relu", name="conv"),
            layers.MaxPooling2D(2, name="pool"),
            layers.Flatten(name="flatten"),
            layers.Dense(100, activation="softmax", name="output"),
        ],
        name="hundred_classes",
    )


def every_activation():
    """Every element-wise activation the spec accepts, fused into a Conv2D (so split by the builder),
    plus Activation("leaky_relu"), Activation("swish") and a hidden Dense with a fused leaky_relu."""
    import keras
    from keras import layers

    from builder.spec import ELEMENTWISE_ACTIVATIONS

    convs = [
        layers.Conv2D(2, 3, padding="same", activation=function, name=f"conv_{function}")
        for function in ELEMENTWISE_ACTIVATIONS
    ]
    return keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            *convs,
            layers.Activation("leaky_relu", name="act_leaky_relu"),
            layers.Activation("swish", name="act_swish"),
            layers.Flatten(name="flatten"),
            layers.Dense(6, activation="leaky_relu", name="hidden"),
            layers.Dense(2, activation="sigmoid", name="output"),
        ],
        name="every_activation",
    )


def _fused_every_activation() -> tuple[str, ...]:
    from builder.spec import ELEMENTWISE_ACTIVATIONS

    return tuple(f"conv_{f}" for f in ELEMENTWISE_ACTIVATIONS if f != "linear") + ("hidden",)


CASES = {
    "single_block_h5": Case(single_block_1x1, size=8, channels=1, classes=2, file="m.h5", fused=("conv",)),
    "three_blocks": Case(three_blocks_mixed, size=32, channels=3, classes=4, fused=("conv_1", "conv_2")),
    "six_blocks_128": Case(
        six_blocks_128,
        size=128,
        channels=3,
        classes=5,
        per_class=6,
        image_size=128,  # image folders are read at most 64 pixels wide unless asked
        fused=tuple(f"conv_{i}" for i in range(1, 7)) + ("hidden",),
    ),
    "leaky_wide": Case(leaky_and_wide, size=16, channels=3, classes=3),
    "rescaling": Case(rescaling_first, size=16, channels=3, classes=3, fused=("conv",), pixel_divisor=1.0),
    "functional": Case(
        functional_linear,
        size=12,
        channels=1,
        classes=3,
        fused=("conv_a", "conv_b", "hidden"),
        divisor_option=127.5,
        pixel_divisor=127.5,
    ),
    "every_activation": Case(every_activation, size=8, channels=1, classes=2, fused=_fused_every_activation()),
    "hundred_classes": Case(hundred_classes, size=16, channels=3, classes=100, per_class=5, fused=("conv",)),
}


@dataclass
class Loaded:
    name: str
    case: Case
    site: object
    original: object  # the Keras model as saved, before the builder splits anything
    page: object
    log: object
    backend: str = "wasm"


class Cases:
    """Each case built once (in-process, samples=3) and opened from file:// in Chromium once per backend, on first
    use."""

    def __init__(self, browser, tmp_path_factory):
        self.browser, self.tmp_path_factory, self.built, self.loaded = browser, tmp_path_factory, {}, {}

    def get(self, name: str, backend: str = "wasm") -> Loaded:
        if name not in self.built:
            self.built[name] = self._build(name)
        if (name, backend) not in self.loaded:
            site, original = self.built[name]
            page, log = open_page(self.browser, (site.path / "index.html").as_uri(), init_script=BACKENDS[backend])
            wait_ready(page)
            self.loaded[name, backend] = Loaded(name, CASES[name], site, original, page, log, backend)
        return self.loaded[name, backend]

    def _build(self, name: str):
        import keras

        case = CASES[name]
        work = self.tmp_path_factory.mktemp(name)
        keras.utils.set_random_seed(7)
        model = with_random_biases(case.make(), seed=7)
        path = work / case.file
        model.save(path)
        data = work / "data"
        write_image_folder(data, case.classes, per_class=case.per_class, size=case.size, grey=case.channels == 1)
        site = build_site(
            work / "dist",
            model=path,
            data=data,
            samples=3,
            image_size=case.image_size,
            pixel_divisor=case.divisor_option,
            backend="wasm",
        )
        return site, keras.saving.load_model(path, compile=False)

    def close(self):
        for loaded in self.loaded.values():
            loaded.page.context.close()


# How each backend is reached: the site as built, and the same site in a browser without WebAssembly.
BACKENDS = {"wasm": None, "cpu": "delete window.WebAssembly"}


@pytest.fixture(scope="module")
def cases(browser, tmp_path_factory):
    built = Cases(browser, tmp_path_factory)
    yield built
    built.close()


@pytest.fixture(params=list(CASES))
def loaded(request, cases) -> Loaded:
    return cases.get(request.param)


@pytest.fixture(params=[(name, backend) for name in CASES for backend in BACKENDS], ids="-".join)
def on_backend(request, cases) -> Loaded:
    return cases.get(*request.param)


def test_page_loads_without_errors_from_file(on_backend):
    loaded = on_backend
    assert loaded.log.errors == []
    assert loaded.log.foreign_requests == []
    assert loaded.page.evaluate("window.explainer.classes.length") == loaded.case.classes
    assert loaded.page.evaluate("window.explainer.backend") == loaded.backend


def test_fused_activations_are_split_into_a_linear_layer_and_an_activation(loaded):
    layers = {layer["name"]: layer for layer in loaded.site.spec["layers"]}
    for name in loaded.case.fused:
        assert layers[f"{name}_linear"]["fused_with"] == name
        assert layers[name]["kind"] == "activation" and layers[name]["fused"] is True
    fused = {name for name, layer in layers.items() if layer.get("fused")}
    assert fused == set(loaded.case.fused)


def test_every_layer_in_the_browser_equals_keras_for_every_sample(on_backend):
    site, page = on_backend.site, on_backend.page
    expected = site.keras_outputs(site.pixels)
    names = ["input", *(layer["name"] for layer in site.spec["layers"])]
    assert len(site.pixels) == 3
    for index in range(len(site.pixels)):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        for name in names:
            shape, values = browser_activations(page, name)
            assert shape == list(expected[name].shape[1:]), name
            difference = float(np.abs(values - expected[name][index].ravel()).max())
            assert difference <= TOLERANCE, f"sample {index}, layer {name}: max abs difference {difference}"


def test_final_output_equals_the_original_models_predict(on_backend):
    site, page = on_backend.site, on_backend.page
    last = site.spec["layers"][-1]["name"]
    divisor = site.spec["input"]["pixel_divisor"]
    assert divisor == on_backend.case.pixel_divisor
    predicted = on_backend.original.predict(site.pixels.astype(np.float32) / np.float32(divisor), verbose=0)
    for index in range(len(site.pixels)):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        _, values = browser_activations(page, last)
        difference = float(np.abs(values - predicted[index]).max())
        assert difference <= TOLERANCE, f"sample {index}: max abs difference {difference}"


def test_one_neuron_element_per_channel_and_the_keras_prediction_shown(loaded):
    site, page = loaded.site, loaded.page
    for layer in [{"name": "input", "shape": site.spec["input"]["shape"]}, *site.spec["layers"][:-1]]:
        if layer.get("kind") == "flatten":
            continue
        neurons = page.eval_on_selector_all(
            f'[data-layer="{layer["name"]}"][data-neuron]', "els => els.map(e => Number(e.dataset.neuron))"
        )
        assert sorted(neurons) == list(range(layer["shape"][-1])), layer["name"]
    probabilities = site.keras_outputs(site.pixels)[site.spec["layers"][-1]["name"]]
    classes = site.spec["classes"]
    for index in range(len(site.pixels)):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        shown = page.locator('[data-testid="prediction"]').inner_text().strip()
        assert shown == classes[int(probabilities[index].argmax())]


def test_rescaling_model_reads_raw_pixels_and_is_not_divided_twice(cases):
    loaded = cases.get("rescaling")
    site, page = loaded.site, loaded.page
    assert site.spec["input"]["pixel_divisor"] == 1.0
    assert site.spec["layers"][0]["kind"] == "rescaling"
    page.evaluate("(i) => window.explainer.selectSample(i)", 0)
    _, values = browser_activations(page, "input")
    np.testing.assert_array_equal(values, site.pixels[0].ravel().astype(np.float32))
    _, rescaled = browser_activations(page, "rescale")
    assert 0.0 <= rescaled.min() and rescaled.max() <= 1.0 and rescaled.max() > 0.2
    # The input is drawn on its own 0..255 scale, not clipped to 0..1 (which would paint it white).
    height, width = site.spec["input"]["shape"][:2]
    drawn = page.evaluate(
        """([height, width]) => {
            const maps = document.querySelector('canvas[data-maps="input"]');
            const neuron = document.querySelector('[data-layer="input"][data-neuron="0"]').getBoundingClientRect();
            const box = maps.getBoundingClientRect();
            const scale = maps.width / box.width;
            const data = maps.getContext("2d").getImageData(0, 0, maps.width, maps.height).data;
            const red = [];  // the red channel's map, read at the centre of each of its pixels
            for (let y = 0; y < height; y++)
                for (let x = 0; x < width; x++) {
                    const px = Math.floor((neuron.left - box.left + ((x + 0.5) * neuron.width) / width) * scale);
                    const py = Math.floor((neuron.top - box.top + ((y + 0.5) * neuron.height) / height) * scale);
                    red.push(data[(py * maps.width + px) * 4]);
                }
            return red; }""",
        [height, width],
    )
    red = np.asarray(drawn, dtype=np.int16)
    assert np.abs(red - site.pixels[0][..., 0].ravel()).max() <= 1
    legend = page.locator(".legend").first.inner_text().split()
    assert legend == ["0", "128", "255"]


def test_hundred_classes_show_the_top_ten_in_order_and_the_rest_summed(cases):
    loaded = cases.get("hundred_classes")
    site, page = loaded.site, loaded.page
    classes = site.spec["classes"]
    probabilities = site.keras_outputs(site.pixels)["output"]
    for index in range(len(site.pixels)):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        rows = page.eval_on_selector_all(
            ".class-row",
            "rows => rows.map(r => ({cls: r.dataset.class ?? null, text: r.innerText,"
            " pct: r.querySelector('.class-pct').textContent}))",
        )
        top = np.argsort(-probabilities[index], kind="stable")[:10]
        assert [row["cls"] for row in rows[:10]] == [classes[i] for i in top]
        assert len(rows) == 11 and "90 other classes" in rows[10]["text"]
        rest = 100 * float(np.sort(probabilities[index])[:-10].sum())
        assert rows[10]["pct"] == f"{rest:.1f}%", rows[10]
    screenshot(page, "own-model-100-classes")


def test_neurons_lie_inside_the_page_without_overlapping(loaded):
    """Every neuron box is in the overview (which scrolls sideways when the network is wider than the page, saying so)
    and no two overlap; a screenshot is kept in artifacts/ to look at."""
    boxes = loaded.page.eval_on_selector_all(
        "[data-layer][data-neuron], .class-row",
        """els => { const o = document.getElementById('overview').getBoundingClientRect();
            const x = document.getElementById('overview').scrollLeft;
            return els.map(e => { const r = e.getBoundingClientRect();
              return [r.left - o.left + x, r.top + scrollY, r.width, r.height]; }); }""",
    )
    width, page_width, view_width, hint = loaded.page.evaluate(
        """() => { const o = document.getElementById('overview');
                   return [o.scrollWidth, document.documentElement.scrollWidth, innerWidth, o.dataset.scroll || '']; }"""
    )
    assert page_width <= view_width, "the page itself never scrolls sideways"
    if width > view_width:
        assert "right" in hint, "a network wider than the page says it scrolls"
    boxes = np.asarray(boxes)
    assert (boxes[:, 2] >= 2).all() and (boxes[:, 3] >= 2).all(), "every neuron is visible"
    assert (boxes[:, 0] >= 0).all() and (boxes[:, 0] + boxes[:, 2] <= width + 0.5).all()
    left, top = boxes[:, 0], boxes[:, 1]
    right, bottom = left + boxes[:, 2], top + boxes[:, 3]
    overlap = (
        (left[:, None] < right[None, :] - 0.5)
        & (left[None, :] < right[:, None] - 0.5)
        & (top[:, None] < bottom[None, :] - 0.5)
        & (top[None, :] < bottom[:, None] - 0.5)
    )
    np.fill_diagonal(overlap, False)
    assert not overlap.any(), f"{int(overlap.sum()) // 2} pairs of neurons overlap"
    screenshot(loaded.page, f"own-model-{loaded.name}")


def test_linear_logits_are_shown_as_softmax_probabilities(cases):
    """A model whose last layer gives raw scores (no softmax): the class rows show softmax of Keras's scores."""
    loaded = cases.get("leaky_wide")
    site, page = loaded.site, loaded.page
    assert site.spec["layers"][-1]["activation"] == "linear"
    logits = site.keras_outputs(site.pixels)[site.spec["layers"][-1]["name"]].astype(np.float64)
    for index in range(len(site.pixels)):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        shown = dict(
            page.eval_on_selector_all(
                ".class-row", "rows => rows.map(r => [r.dataset.class, r.querySelector('.class-pct').textContent])"
            )
        )
        exp = np.exp(logits[index] - logits[index].max())
        probabilities = exp / exp.sum()
        assert shown == {name: f"{100 * p:.1f}%" for name, p in zip(site.spec["classes"], probabilities, strict=True)}


def test_saliency_and_grad_cam_equal_gradient_tape(on_backend):
    """The logit's gradient and Grad-CAM for models whose logits come from a separate softmax layer, a linear last
    layer or a fused softmax; read through Rescaling or another pixel divisor; on either backend."""
    from testkit.reference import grad_cam, grad_cam_layer, logit_gradient, scaled_pixels

    site, page, original = on_backend.site, on_backend.page, on_backend.original
    divisor = site.spec["input"]["pixel_divisor"]
    page.evaluate("(i) => window.explainer.selectSample(i)", 1)
    x = scaled_pixels(site.pixels[1:2], divisor)
    layer = grad_cam_layer(original)
    for class_index in range(min(on_backend.case.classes, 3)):
        saliency = page.evaluate("(c) => window.explainer.saliency(c).then((s) => Array.from(s.data))", class_index)
        expected = logit_gradient(original, x, class_index)
        scale = max(1.0, float(np.abs(expected).max()))
        difference = float(np.abs(np.reshape(saliency, expected.shape) - expected).max())
        assert difference <= 1e-4 * scale, f"saliency of class {class_index}: {difference}"
        cam = page.evaluate(
            "(c) => window.explainer.gradCam(c).then((g) => ({layer: g.layer, data: Array.from(g.data)}))",
            class_index,
        )
        assert cam["layer"] == layer
        expected_cam = grad_cam(original, x, class_index, layer)
        scale = max(1.0, float(np.abs(expected_cam).max()))
        difference = float(np.abs(np.reshape(cam["data"], expected_cam.shape) - expected_cam).max())
        assert difference <= 1e-4 * scale, f"Grad-CAM of class {class_index}: {difference}"
    # the forward pass after them runs on the page's backend again, with the same numbers
    page.evaluate("(i) => window.explainer.selectSample(i)", 2)
    assert page.evaluate("window.explainer.backend") == on_backend.backend
    last = site.spec["layers"][-1]["name"]
    _, output = browser_activations(page, last)
    expected = original.predict(scaled_pixels(site.pixels[2:3], divisor), verbose=0)[0]
    assert float(np.abs(output - expected).max()) <= 1e-4
