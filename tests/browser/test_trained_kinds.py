"""The layers of the models people train (batch normalisation with non-trivial statistics, global pooling, zero
padding, augmentation and noise layers that pass their input through): every layer equals Keras, computed from the
original model, never through the builder, and each new view prints the numbers Keras holds. Both models are built
in one process with --model and --samples alone."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.images import write_image_folder
from testkit.models import (
    batchnorm_model,
    pass_through_model,
    separable_model,
    with_batchnorm_statistics,
    xception_like_model,
)
from testkit.site import build_site

from .conftest import (
    attention_equals_gradient_tape,
    browser_activations,
    build_sample_sites,
    open_page,
    screenshot,
    wait_ready,
    with_random_biases,
)

pytestmark = pytest.mark.browser

TOLERANCE = 1e-4


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The models' sites, each with its Keras outputs for its samples: {name: (site, expected)}."""
    models = {
        "batchnorm": with_batchnorm_statistics(batchnorm_model(), seed=5),
        "pass_through": pass_through_model(),
        "separable": with_batchnorm_statistics(separable_model(), seed=6),
        "xception_like": with_batchnorm_statistics(xception_like_model(), seed=4),
    }
    return build_sample_sites(tmp_path_factory, models, seed=7)


KINDS = {
    "batchnorm": {"batchnorm", "globalpool"},
    "pass_through": {"padding", "dropout", "globalpool"},
    "separable": {"depthwise", "conv", "batchnorm", "globalpool"},
    "xception_like": {"dropout", "rescaling", "conv", "batchnorm", "depthwise", "pool", "globalpool", "dense"},
}


@pytest.mark.parametrize("name", list(KINDS))
def test_every_layer_equals_keras(sites, pages, name):
    site, expected = sites[name]
    page = pages[name]
    assert KINDS[name] <= {layer["kind"] for layer in site.spec["layers"]}
    assert name != "xception_like" or len(site.spec["layers"]) == 31
    for index in range(len(site.pixels)):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        for layer in ["input", *(layer["name"] for layer in site.spec["layers"])]:
            shape, values = browser_activations(page, layer)
            assert shape == list(expected[layer].shape[1:]), layer
            difference = float(np.abs(values - expected[layer][index].ravel()).max())
            assert difference <= TOLERANCE, f"sample {index}, layer {layer}: max abs difference {difference}"
    assert page.log.errors == [] and page.log.foreign_requests == []


def open_view(page, kind: str, layer: str, neuron: int, pos: list[int] | None = None):
    """Open a view; at position `pos` when given, which also keeps its window from sweeping while a test reads it."""
    view = {"kind": kind, "layer": layer, "neuron": neuron, **({"pos": pos} if pos else {})}
    page.evaluate("(view) => window.explainer.state.set({view})", view)
    page.locator(".vw").first.wait_for(state="visible")


def number(page, testid: str) -> float:
    return float(page.locator(f'[data-testid="{testid}"]').first.get_attribute("data-value"))


def test_the_batch_normalisation_view_prints_the_channels_numbers_and_its_fold(sites, pages):
    site, expected = sites["batchnorm"]
    page = pages["batchnorm"]
    page.evaluate("window.explainer.selectSample(1)")
    model = site.model
    for layer, conv, channel in (("bn_1", "conv_1", 3), ("bn_2", "conv_2", 5)):
        gamma, beta, mean, variance = model.get_layer(layer).get_weights()
        epsilon = model.get_layer(layer).epsilon
        open_view(page, "batchnorm", layer, channel, [7, 9])
        assert number(page, "bn-mean") == pytest.approx(mean[channel], rel=1e-6)
        assert number(page, "bn-variance") == pytest.approx(variance[channel], rel=1e-6)
        assert number(page, "bn-gamma") == pytest.approx(gamma[channel], rel=1e-6)
        assert number(page, "bn-beta") == pytest.approx(beta[channel], rel=1e-6)
        # the output at the position shown equals Keras's, and folded into the convolution it is the same function
        position = page.evaluate("window.explainer.state.get().view.pos")
        row, col = position
        assert number(page, "activation-output") == pytest.approx(expected[layer][1, row, col, channel], abs=TOLERANCE)
        page.locator(".bn-fold summary").click()
        folded = page.locator(".bn-fold p").inner_text()
        written = page.locator('[data-testid="bn-fold-scale"]').first.inner_text()
        assert folded.count(written) == 3, f"the scale is written wherever the sentence uses it: {folded}"
        scale = gamma[channel] / np.sqrt(variance[channel] + epsilon)
        weights = model.get_layer(conv).get_weights()
        bias = weights[1][channel] if len(weights) == 2 else 0.0
        assert number(page, "bn-fold-scale") == pytest.approx(scale, rel=1e-5)
        assert number(page, "bn-conv-bias") == pytest.approx(bias, rel=1e-6)
        assert number(page, "bn-fold-bias") == pytest.approx(
            bias * scale + beta[channel] - mean[channel] * scale, abs=1e-5
        )
        # the folded convolution (its sum without bias, times the scale, plus the folded bias) gives the layer's output
        products = expected[conv][1, row, col, channel] - bias
        folded = products * number(page, "bn-fold-scale") + number(page, "bn-fold-bias")
        assert folded == pytest.approx(expected[layer][1, row, col, channel], abs=TOLERANCE)
        if layer == "bn_1":
            screenshot(page, "batchnorm-view")
    page.evaluate("window.explainer.state.set({view: null})")


def test_the_global_pooling_views_print_the_mean_and_mark_the_maximum(sites, pages):
    site, expected = sites["batchnorm"]
    page = pages["batchnorm"]
    page.evaluate("window.explainer.selectSample(2)")
    open_view(page, "globalpool", "gap", 4)
    maps = expected["relu_3"][2, ..., 4]
    assert number(page, "globalpool-output") == pytest.approx(expected["gap"][2, 4], abs=TOLERANCE)
    assert number(page, "globalpool-sum") / maps.size == pytest.approx(maps.mean(), abs=TOLERANCE)
    page.evaluate("window.explainer.state.set({view: null})")

    site, expected = sites["pass_through"]
    page = pages["pass_through"]
    page.evaluate("window.explainer.selectSample(0)")
    open_view(page, "globalpool", "gmp", 6)
    maps = expected["conv_2"][0, ..., 6]
    assert number(page, "globalpool-output") == pytest.approx(maps.max(), abs=TOLERANCE)
    where = page.locator('[data-testid="globalpool-position"]')
    row, col = np.unravel_index(int(maps.argmax()), maps.shape)
    assert (int(where.get_attribute("data-row")), int(where.get_attribute("data-col"))) == (row, col)
    # padding: the map with its border of zeros, beside the map it came from
    open_view(page, "dropout", "pad", 0)
    assert "1 rows of zeros above" in page.locator(".vw").first.inner_text()
    open_view(page, "dropout", "flip", 1)
    assert "RandomFlip changes" in page.locator(".vw").first.inner_text()
    page.evaluate("window.explainer.state.set({view: null})")
    assert page.log.errors == []


@pytest.mark.parametrize("name, maps", [("batchnorm", "relu_3"), ("xception_like", "relu_last")])
def test_saliency_and_grad_cam_after_batch_normalisation_equal_gradient_tape(sites, pages, name, maps):
    from testkit.reference import grad_cam_layer

    site, _ = sites[name]
    page = pages[name]
    page.evaluate("window.explainer.selectSample(0)")
    assert grad_cam_layer(site.model) == maps, "the maps after the last Conv-BN-ReLU (a separable one's pointwise step)"
    attention_equals_gradient_tape(page, site, 0, maps)


def test_a_separable_convolution_is_shown_as_its_depthwise_and_pointwise_steps(sites, pages):
    site, expected = sites["separable"]
    page = pages["separable"]
    names = [layer["name"] for layer in site.spec["layers"]]
    assert names[:3] == ["sep_1_depthwise", "sep_1_linear", "sep_1"], "depthwise, 1x1 pointwise, its ReLU"
    pointwise = site.spec["layers"][1]
    assert pointwise["kind"] == "conv" and pointwise["kernel_size"] == [1, 1] and pointwise["filters"] == 8
    depthwise_kernel, pointwise_kernel, bias = site.model.get_layer("sep_1").get_weights()
    page.evaluate("window.explainer.selectSample(2)")
    # the depthwise step: channel 1's own kernel, the window's sum, the output (same padding: pos 0,0 reads zeros)
    open_view(page, "depthwise", "sep_1_depthwise", 1, [4, 6])
    page.wait_for_function("() => document.querySelector('[data-testid=\"depthwise-result\"]').dataset.value")
    shown = [
        float(v)
        for v in page.locator('[data-testid="depthwise-kernel-value"]').evaluate_all(
            "(cells) => cells.map((c) => c.dataset.value)"
        )
    ]
    assert np.allclose(shown, depthwise_kernel[..., 1, 0].ravel(), atol=1e-7)
    assert number(page, "depthwise-result") == pytest.approx(expected["sep_1_depthwise"][2, 4, 6, 1], abs=TOLERANCE)
    assert page.locator('[data-testid="depthwise-bias"]').count() == 0, "no bias in a separable's depthwise step"
    # the pointwise step is a 1x1 convolution: its weights are the separable layer's pointwise kernel
    weights = page.evaluate("window.explainer.weights('sep_1_linear')")
    assert weights["kernel"]["shape"] == [1, 1, 3, 8]
    assert np.allclose(np.array(weights["kernel"]["data"]), pointwise_kernel.ravel(), atol=0)
    assert np.allclose(np.array(weights["bias"]["data"]), bias, atol=0)
    # a depthwise layer of its own, with a bias
    open_view(page, "depthwise", "depthwise", 5, [3, 5])
    assert number(page, "depthwise-bias") == pytest.approx(site.model.get_layer("depthwise").get_weights()[1][5])
    position = page.evaluate("window.explainer.state.get().view.pos")
    result = expected["depthwise"][2, position[0], position[1], 5]
    assert number(page, "depthwise-result") == pytest.approx(result, abs=TOLERANCE)
    bias = number(page, "depthwise-bias")
    assert number(page, "depthwise-sum") + bias == pytest.approx(result, abs=TOLERANCE), (
        "the window's sum, plus the bias"
    )
    screenshot(page, "depthwise-view")
    page.evaluate("window.explainer.state.set({view: null})")
    assert page.log.errors == []


def test_with_data_and_a_history_beside_it_a_batch_norm_model_gets_the_insights(browser, tmp_path):
    """--model with --data: the confusion matrix of its own predictions, the top examples, and the training curves
    of the Keras History dumped beside the model."""
    import json

    from testkit.chromium import show_section

    model = with_random_biases(with_batchnorm_statistics(batchnorm_model(classes=3), seed=8), seed=9)
    model.save(tmp_path / "m.keras")
    curves = {"loss": [1.1, 0.8, 0.6], "accuracy": [0.4, 0.6, 0.7], "val_loss": [1.0, 0.9, 0.95]}
    (tmp_path / "history.json").write_text(json.dumps(curves))
    write_image_folder(tmp_path / "data", 3, per_class=20, size=32)
    site = build_site(tmp_path / "dist", model=tmp_path / "m.keras", data=tmp_path / "data", samples=3)
    page, log = open_page(browser, (site.path / "index.html").as_uri())
    wait_ready(page)
    insights = page.evaluate(
        "window.explainer.insights().then((i) => ({history: i.history, count: i.testCount,"
        " counted: i.counts.flat().reduce((a, b) => a + b, 0), examples: i.hasExamples('relu_3')}))"
    )
    assert insights["history"]["epochs"] == curves
    assert insights["counted"] == insights["count"] > 0 and insights["examples"]
    show_section(page, "training")
    assert page.locator('[data-testid="training-curves"]').is_visible()
    assert page.locator('[data-testid="confusion-matrix"] [data-count]').count() == 9
    assert log.errors == []
    page.context.close()
