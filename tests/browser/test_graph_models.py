"""Models that are graphs, not chains: a small ResNet (an identity shortcut and a 1x1 stride-2 convolution shortcut),
a model shaped like Keras's "image classification from scratch" example (residual SeparableConv2D blocks with batch
normalisation), and two convolution branches joined by Concatenate. Each is built with --model and --samples alone;
every layer equals Keras run on the original model, never through the builder; saliency and Grad-CAM equal
tf.GradientTape; the overview draws each skip connection as its own bundle, and the views of an addition and a
concatenation print the numbers Keras computes."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.models import branches_model, from_scratch_model, resnet_model, with_batchnorm_statistics

from .conftest import (
    apply_edits,
    attention_equals_gradient_tape,
    browser_activations,
    build_sample_sites,
    screenshot,
)

pytestmark = pytest.mark.browser

TOLERANCE = 1e-4
MODELS = {
    "resnet": lambda: with_batchnorm_statistics(resnet_model(), seed=11),
    "from_scratch": lambda: with_batchnorm_statistics(from_scratch_model(), seed=12),
    "branches": branches_model,
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Each model's site with its Keras outputs for its samples: {name: (site, expected)}."""
    return build_sample_sites(tmp_path_factory, {name: make() for name, make in MODELS.items()}, seed=13)


JOINS = {
    "resnet": {"block_1_add": ["block_1_bn_b", "stem_relu"], "block_2_add": ["block_2_bn_b", "block_2_shortcut"]},
    "from_scratch": {"add_16": ["pool_16", "residual_16"], "add_32": ["pool_32", "residual_32"]},
    "branches": {"joined": ["branch_3x3", "branch_5x5"]},
}


@pytest.mark.parametrize("name", list(MODELS))
def test_every_layer_of_a_graph_equals_keras(sites, pages, name):
    site, expected = sites[name]
    page = pages[name]
    layers = {layer["name"]: layer for layer in site.spec["layers"]}
    for join, inputs in JOINS[name].items():
        assert layers[join]["inputs"] == inputs
    for index in range(len(site.pixels)):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        for layer in ["input", *layers]:
            shape, values = browser_activations(page, layer)
            assert shape == list(expected[layer].shape[1:]), layer
            difference = float(np.abs(values - expected[layer][index].ravel()).max())
            assert difference <= TOLERANCE, f"sample {index}, layer {layer}: max abs difference {difference}"
    assert page.log.errors == [] and page.log.foreign_requests == []


@pytest.mark.parametrize("name, maps", [("resnet", "block_2_out"), ("from_scratch", "add_32"), ("branches", "mix")])
def test_saliency_and_grad_cam_of_a_graph_equal_gradient_tape(sites, pages, name, maps):
    site, _ = sites[name]
    page = pages[name]
    page.evaluate("window.explainer.selectSample(1)")
    attention_equals_gradient_tape(page, site, 1, maps)  # maps that every path to the scores goes through


def test_the_overview_draws_each_skip_connection_as_a_bundle_and_hover_follows_the_graph(sites, pages):
    page = pages["resnet"]
    # a skip: an input not read from the column before: the identity shortcut, the 1x1 shortcut's input, and the
    # main path into block_2_add (the shortcut's column stands between)
    skips = page.locator("path.edge-skip").evaluate_all("(paths) => paths.map((p) => p.getAttribute('d'))")
    assert len(skips) == 3 and all(d.count("H") == 1 for d in skips)
    # the sum's channel 3 reads channel 3 of both paths
    page.locator('[data-layer="block_2_add"][data-neuron="3"]').hover()
    sources = page.locator(".is-source").evaluate_all(
        "(nodes) => nodes.map((n) => n.dataset.layer + ':' + n.dataset.neuron)"
    )
    assert sorted(sources) == ["block_2_bn_b:3", "block_2_shortcut:3"]
    page.mouse.move(5, 5)
    screenshot(page, "resnet-overview")
    page = pages["branches"]
    page.locator('[data-layer="joined"][data-neuron="6"]').hover()
    sources = page.locator(".is-source").evaluate_all(
        "(nodes) => nodes.map((n) => n.dataset.layer + ':' + n.dataset.neuron)"
    )
    assert sources == ["branch_5x5:2"], "channel 6 of the join is channel 2 of the second branch (the first has 4)"
    page.mouse.move(5, 5)


def open_view(page, layer: str, neuron: int, pos: list[int]):
    page.evaluate(
        "(view) => window.explainer.state.set({view})", {"kind": "merge", "layer": layer, "neuron": neuron, "pos": pos}
    )
    page.locator(".vw").first.wait_for(state="visible")


def numbers(page, testid: str) -> list[float]:
    cells = page.locator(f'[data-testid="{testid}"]')
    return [float(v) for v in cells.evaluate_all("(cells) => cells.map((c) => c.dataset.value)")]


def test_the_addition_and_concatenation_views_print_what_keras_computes(sites, pages):
    site, expected = sites["resnet"]
    page = pages["resnet"]
    page.evaluate("window.explainer.selectSample(2)")
    open_view(page, "block_2_add", 5, [3, 6])
    page.wait_for_function("() => document.querySelector('[data-testid=\"merge-output\"]').dataset.value")
    terms = numbers(page, "merge-term")
    assert terms == pytest.approx(
        [expected["block_2_bn_b"][2, 3, 6, 5], expected["block_2_shortcut"][2, 3, 6, 5]], abs=TOLERANCE
    )
    (total,) = numbers(page, "merge-output")
    assert total == pytest.approx(expected["block_2_add"][2, 3, 6, 5], abs=TOLERANCE)
    assert sum(terms) == pytest.approx(total, abs=TOLERANCE)
    drawn = page.locator(".vw .vmap").evaluate_all("(maps) => maps.map((m) => m.dataset.map + ':' + m.dataset.channel)")
    assert drawn == ["block_2_bn_b:5", "block_2_shortcut:5", "block_2_add:5"]
    screenshot(page, "add-view")
    page.evaluate("window.explainer.state.set({view: null})")

    site, expected = sites["branches"]
    page = pages["branches"]
    page.evaluate("window.explainer.selectSample(0)")
    open_view(page, "joined", 6, [5, 2])
    page.wait_for_function("() => document.querySelector('[data-testid=\"merge-output\"]').dataset.value")
    (term,) = numbers(page, "merge-term")
    assert term == pytest.approx(expected["branch_5x5"][0, 5, 2, 2], abs=TOLERANCE)
    assert numbers(page, "merge-output") == pytest.approx([expected["joined"][0, 5, 2, 6]], abs=TOLERANCE)
    text = page.locator(".vw").first.inner_text()
    assert "channels 0 to 3: branch_3x3" in text and "channels 4 to 8: branch_5x5" in text
    page.evaluate("window.explainer.state.set({view: null})")
    assert page.log.errors == []


def test_edits_and_the_tour_follow_the_graph(sites, pages):
    """Silencing a shortcut's channel and the sum's, and editing a weight on the main path, reach every layer after
    them as Keras computes it; the tour walks the residual network from its first stop to its last."""
    from testkit.reference import edited_outputs

    site, _ = sites["resnet"]
    page = pages["resnet"]
    page.evaluate("window.explainer.selectSample(0)")
    edits = [
        {"layer": "block_2_shortcut", "silence": 2},
        {"layer": "block_1_add", "silence": 1},
        {"layer": "block_1_conv_a", "weight": "kernel", "index": 17, "value": 1.25},
        {"layer": "block_2_shortcut", "weight": "bias", "index": 4, "value": -0.5},
    ]
    apply_edits(page, edits)
    expected = edited_outputs(site.model, site.spec, site.pixels[:1], edits)
    assert float(np.abs(expected["block_2_add"] - sites["resnet"][1]["block_2_add"][:1]).max()) > 1e-2
    for layer in ["input", *(entry["name"] for entry in site.spec["layers"])]:
        _, values = browser_activations(page, layer)
        difference = float(np.abs(values - expected[layer][0].ravel()).max())
        assert difference <= TOLERANCE, f"edited, layer {layer}: max abs difference {difference}"
    page.evaluate("explainer.resetEdits()")

    page.click('[data-testid="tour-start"]')
    page.locator('[data-testid="tour-step"]').wait_for(state="visible")
    steps = 0
    while page.locator('[data-testid="tour-next"]').is_visible() and steps < 30:
        page.locator('[data-testid="tour-next"]').click()
        steps += 1
    assert 8 <= steps < 30
    assert page.log.errors == []
