"""Which map feeds which figure: every map a view draws is checked pixel by pixel against the Keras tensor it says
it shows (data-map, data-channel), so a view that prints the right numbers next to the wrong picture fails."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.views import SAMPLE, assert_draws, drawn_maps, window_start

from .conftest import open_page, wait_ready

pytestmark = pytest.mark.browser


def intermediate(x: np.ndarray, weights: np.ndarray, layer: dict) -> np.ndarray:
    """One input channel `x` (H x W) correlated with one kernel slice (kh x kw), zero padding as Keras pads."""
    (kh, kw), (sh, sw) = layer["kernel_size"], layer["strides"]
    (h, w, _), (oh, ow, _) = layer["input_shape"], layer["shape"]
    top, left = window_start(h, oh, kh, sh, layer["padding"]), window_start(w, ow, kw, sw, layer["padding"])
    padded = np.pad(x.astype(np.float64), ((top, kh + sh * oh), (left, kw + sw * ow)))
    out = np.empty((oh, ow))
    for r in range(oh):
        for c in range(ow):
            out[r, c] = (padded[r * sh : r * sh + kh, c * sw : c * sw + kw] * weights).sum()
    return out


def expected_maps(site, sample: int, view: dict) -> dict:
    """What each map of the open view must show: (map, channel) -> (values H x W, lookup table)."""
    outputs = site.keras_outputs(site.pixels[sample : sample + 1])
    layer = next(entry for entry in site.spec["layers"] if entry["name"] == view["layer"])

    def expect(name: str, channel: int):
        if name in ("kernel", "intermediate"):
            kernel = site.model.get_layer(layer.get("fused_with", layer["name"])).get_weights()[0]
            weights = kernel[:, :, channel, view["neuron"]].astype(np.float64)
            if name == "kernel":
                return weights, "weights"
            return intermediate(outputs[layer["input"]][0][..., channel], weights, layer), "diverging"
        return outputs[name][0][..., channel], "grey" if name == "input" else "diverging"

    return expect


def assert_view_maps(page, site, sample: int, minimum: int) -> list[str]:
    view = page.evaluate("window.explainer.state.get().view")
    expect = expected_maps(site, sample, view)
    maps = drawn_maps(page)
    assert len(maps) >= minimum, f"{view['kind']} view: {len(maps)} maps drawn"
    for drawn in maps:
        values, lut = expect(drawn["map"], drawn["channel"])
        assert_draws(drawn["pixels"], values, lut, f"{view['kind']} view, {drawn['map']} channel {drawn['channel']}")
    return sorted({drawn["map"] for drawn in maps})


@pytest.mark.parametrize(
    ("fragment", "shown"),
    [
        ("view=conv&layer=conv_1_1&neuron=4&pos=3,5", ["conv_1_1", "input", "intermediate", "kernel"]),
        ("view=conv&layer=conv_1_2&neuron=2&pos=9,0", ["conv_1_2", "intermediate", "kernel", "relu_1_1"]),
        ("view=conv&layer=conv_2_1&neuron=7&pos=0,13&channel=3", ["conv_2_1", "intermediate", "kernel", "max_pool_1"]),
        ("view=activation&layer=relu_1_1&neuron=4&pos=10,12", ["conv_1_1", "relu_1_1"]),
        ("view=activation&layer=relu_2_2&neuron=1&pos=5,7", ["conv_2_2", "relu_2_2"]),
        ("view=pool&layer=max_pool_1&neuron=2&pos=5,7", ["max_pool_1", "relu_1_2"]),
        ("view=output&layer=output&neuron=3", ["max_pool_2"]),
    ],
    ids=["conv-input", "conv", "conv-formula", "relu", "relu-deep", "pool", "output"],
)
def test_every_map_in_a_view_is_the_map_it_names(browser, default_site, fragment, shown):
    page, log = open_page(browser, f"{(default_site.path / 'index.html').as_uri()}#sample={SAMPLE}&{fragment}")
    wait_ready(page)
    # a visible map: under an open conv formula, the cards it covers are hidden
    page.wait_for_selector(".vh-panel:not(.is-leaving) [data-map] >> visible=true")
    assert assert_view_maps(page, default_site, SAMPLE, minimum=2) == shown
    assert log.errors == []
    page.context.close()
