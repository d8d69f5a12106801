"""Every kind of layer the builder accepts, as a model's first layer: the page starts, every layer equals Keras, and
the first layer's view opens. A model that starts with a layer the page derives from another (pooling, flatten,
dropout, ReLU) once built a page that never became ready, as did a plain MLP (Flatten, Dense, Dense).

The models are built in this process, one after another, and opened in one browser context, to keep the time low.
"""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import browser_activations, build_site, open_page, wait_ready, with_random_biases

pytestmark = pytest.mark.browser

TOLERANCE = 1e-4
SIZE = 8


def first_layers():
    """(name, the first layer) for every kind the builder accepts first; Dense needs a Flatten before it."""
    from keras import layers

    return {
        "conv": layers.Conv2D(3, 3, activation="relu", name="first"),
        "relu": layers.ReLU(name="first"),
        "activation": layers.Activation("tanh", name="first"),
        "leaky_relu": layers.LeakyReLU(0.1, name="first"),
        "max_pool": layers.MaxPooling2D(2, name="first"),
        "average_pool": layers.AveragePooling2D(2, name="first"),
        "flatten": layers.Flatten(name="first"),
        "dropout": layers.Dropout(0.5, name="first"),
        "rescaling": layers.Rescaling(1 / 127.5, offset=-1, name="first"),
    }


def model_starting_with(kind: str, first):
    import keras
    from keras import layers

    keras.utils.set_random_seed(7)
    if kind == "flatten":  # a plain MLP
        rest = [layers.Dense(6, activation="relu", name="hidden"), layers.Dense(3, activation="softmax", name="out")]
    else:
        rest = [
            layers.Conv2D(4, 3, padding="same", activation="relu", name="conv"),
            layers.Flatten(name="flatten"),
            layers.Dense(3, activation="softmax", name="out"),
        ]
    return with_random_biases(keras.Sequential([keras.Input((SIZE, SIZE, 3)), first, *rest], name=kind), seed=3)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    from testkit.images import write_image_folder

    work = tmp_path_factory.mktemp("first-layers")
    write_image_folder(work / "samples", 3, per_class=1, size=SIZE, grey=False)
    built = {}
    for kind, first in first_layers().items():
        model_starting_with(kind, first).save(work / f"{kind}.keras")
        built[kind] = build_site(work / kind, model=work / f"{kind}.keras", samples=work / "samples")
    return built


@pytest.mark.parametrize("kind", list(first_layers()))
def test_a_model_starting_with_each_kind_of_layer_is_explained(sites, browser, kind):
    site = sites[kind]
    first = site.spec["layers"][0]
    assert first["input"] == "input" and first["name"] in ("first", "first_linear")  # a fused ReLU is split off
    page, log = open_page(browser, (site.path / "index.html").as_uri())
    try:
        wait_ready(page)
        expected = site.keras_outputs(site.pixels[:1])
        for layer in site.spec["layers"]:
            shape, values = browser_activations(page, layer["name"])
            assert shape == layer["shape"]
            np.testing.assert_allclose(
                values, expected[layer["name"]][0].ravel(), atol=TOLERANCE, rtol=TOLERANCE, err_msg=layer["name"]
            )
        if kind != "flatten":  # flatten has no column of its own: the overview goes on to what reads it
            page.locator(f'[data-layer="{first["name"]}"][data-neuron="0"]').click()
            page.wait_for_selector(".vh-panel:not(.is-leaving)")
        assert log.errors == []
    finally:
        page.context.close()
