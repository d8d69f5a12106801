"""Train it yourself: the page trains a fresh copy of the network in a Web Worker, and what it trained is exact. The
held-out accuracy recomputed in Keras from the page's weights() on the images it names equals the page's, and with
those weights in place every layer of the page equals Keras running the same architecture with them; on the default
site (Fashion-MNIST, Tiny VGG) and on a generated colour-image site of 3 classes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from testkit.images import write_image_folder
from testkit.models import photo_model
from testkit.reference import reference_outputs, scaled_pixels
from testkit.site import build_site

from .conftest import browser_activations, open_page, screenshot, wait_ready

pytestmark = pytest.mark.browser

SETTINGS = {"images": 2000, "epochs": 2, "batchSize": 32, "learningRate": 3e-3, "seed": 0}


def keras_twin(site, weights: dict):
    """A fresh Keras model of the site's architecture (a clone of its model) with the page's `weights` loaded: each
    spec layer's into the Keras layer it is (a linear step split off a layer with an activation is that layer)."""
    import keras

    twin = keras.models.clone_model(site.model)
    keras_name = {layer["name"]: layer.get("fused_with", layer["name"]) for layer in site.spec["layers"]}
    for name, given in weights.items():
        values = [np.reshape(np.array(given["kernel"]["data"], np.float32), given["kernel"]["shape"])]
        if given["bias"] is not None:
            values.append(np.reshape(np.array(given["bias"]["data"], np.float32), given["bias"]["shape"]))
        twin.get_layer(keras_name[name]).set_weights(values)
    return twin


def read_weights(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries(Object.entries(explainer.weights()).map(([name, w]) => [name, {
            kernel: {shape: w.kernel.shape, data: Array.from(w.kernel.data)},
            bias: w.bias && {shape: w.bias.shape, data: Array.from(w.bias.data)}}]))"""
    )


def train_and_check(page, site, test_images, test_labels, settings, least):
    """Train with `settings`; the Keras accuracy on the held-out images the page names equals the page's and is at
    least `least`; then with the weights after the last epoch in place, every layer equals Keras's."""
    started = time.monotonic()
    result = page.evaluate("(s) => explainer.train(s)", settings)
    seconds = time.monotonic() - started
    assert seconds <= 180, f"training took {seconds:.0f} s"
    history = result["history"]
    assert len(history["loss"]) == len(history["valAccuracy"]) == settings["epochs"]
    assert history["loss"][-1] < history["loss"][0]
    page.evaluate("(e) => explainer.useTrained(e)", settings["epochs"])
    weights = read_weights(page)
    twin = keras_twin(site, weights)
    held = np.array(result["heldOut"])
    x = scaled_pixels(test_images[held], site.spec["input"]["pixel_divisor"])
    predicted = np.asarray(twin.predict(x, verbose=0)).argmax(axis=1)
    accuracy = float((predicted == test_labels[held]).mean())
    assert accuracy >= least, f"held-out accuracy {accuracy}"
    assert abs(accuracy - result["heldOutAccuracy"]) <= 0.003, (accuracy, result["heldOutAccuracy"])
    # the confusion matrix the page computed on them is Keras's, up to the same near ties
    classes = len(site.spec["classes"])
    counts = np.zeros((classes, classes), int)
    np.add.at(counts, (test_labels[held], predicted), 1)
    assert np.abs(np.array(result["confusion"]) - counts).sum() <= 2 * 0.003 * len(held)
    shown = page.locator('[data-testid="train-panel"] [data-testid="confusion-matrix"] [data-count]')
    assert [int(n) for n in shown.evaluate_all("(cells) => cells.map((c) => c.dataset.count)")] == [
        n for row in result["confusion"] for n in row
    ]
    pixels = np.rint(browser_activations(page, "input")[1] * site.spec["input"]["pixel_divisor"]).astype(np.uint8)
    expected = reference_outputs(twin, site.spec, pixels.reshape(1, *site.spec["input"]["shape"]))
    for layer in ["input", *(entry["name"] for entry in site.spec["layers"])]:
        _, values = browser_activations(page, layer)
        difference = float(np.abs(values - expected[layer][0].ravel()).max())
        assert difference <= 1e-4, f"trained, layer {layer}: max abs difference {difference}"
    return result, expected


def test_the_default_network_trained_in_the_page_is_what_keras_computes(browser, default_site):
    from builder.datasets import load_dataset

    test = load_dataset(None).test
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    page.click('[data-testid="train-open"]')
    panel = page.locator('[data-testid="train-panel"]')
    panel.wait_for(state="visible")
    page.locator('[data-testid="train-start"]').wait_for(state="visible")  # once its images and words have loaded
    result, expected = train_and_check(page, default_site, test.images, test.labels, SETTINGS, 0.70)
    # the panel shows the run: the slider over both epochs, the prediction on screen is the trained network's
    slider = page.locator('[data-testid="train-epoch"]')
    assert slider.get_attribute("max") == "2" and not slider.is_disabled()
    top = int(np.argmax(expected[default_site.spec["layers"][-1]["name"]][0]))
    assert page.locator('[data-testid="prediction"]').inner_text() == page.evaluate("explainer.classes")[top]
    screenshot(page, "training-done")
    # the weights download as a TF.js layers model: model.json names every weight, weights.bin holds them in order
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.click('[data-testid="train-download"]')
    page.wait_for_timeout(500)
    files = {d.suggested_filename: Path(d.path()) for d in downloads}
    manifest = json.loads(files["model.json"].read_text())["weightsManifest"][0]
    binary = np.frombuffer(files["weights.bin"].read_bytes(), "<f4")
    trained = read_weights(page)
    offset = 0
    for spec in manifest["weights"]:
        layer, part = spec["name"].split("/")
        size = int(np.prod(spec["shape"]))
        assert np.array_equal(binary[offset : offset + size], np.array(trained[layer][part]["data"], np.float32))
        offset += size
    assert offset == binary.size and len(manifest["weights"]) == 10
    # epoch 1's weights differ from epoch 2's; back to the shipped network, the shipped weights again
    page.evaluate("explainer.useTrained(1)")
    first = read_weights(page)["conv_1_1"]["kernel"]["data"]
    assert first != read_weights_after(page, 2)
    page.evaluate("explainer.useShipped()")
    shipped = default_site.model.get_layer("conv_1_1").get_weights()[0].ravel()
    assert np.allclose(read_weights(page)["conv_1_1"]["kernel"]["data"], shipped, atol=0)
    assert log.errors == []
    page.context.close()


def read_weights_after(page, epoch: int) -> list:
    page.evaluate("(e) => explainer.useTrained(e)", epoch)
    return read_weights(page)["conv_1_1"]["kernel"]["data"]


def test_a_generated_colour_site_trains_too_and_a_site_without_data_says_why_not(browser, tmp_path):
    from builder.datasets import load_dataset

    model = photo_model(size=16, filters=6, classes=3)
    model.save(tmp_path / "m.keras")
    names = write_image_folder(tmp_path / "data", 3, per_class=300, size=16)
    site = build_site(tmp_path / "dist", model=tmp_path / "m.keras", data=tmp_path / "data", samples=3)
    test = load_dataset(tmp_path / "data", channels=3).test
    page, log = open_page(browser, (site.path / "index.html").as_uri())
    wait_ready(page)
    settings = {**SETTINGS, "images": 1000, "epochs": 3}
    train_and_check(page, site, test.images, test.labels, settings, 0.70)
    assert log.errors == []
    page.context.close()

    # where no worker can start, the same run shares the page's thread, a batch per task
    page, log = open_page(browser, (site.path / "index.html").as_uri(), init_script="window.Worker = undefined;")
    wait_ready(page)
    result = page.evaluate("() => explainer.train({images: 200, epochs: 1})")
    assert len(result["history"]["loss"]) == 1 and len(result["heldOut"]) > 0
    assert page.locator('[data-testid="train-panel"] .train-kernel-grid canvas').first.is_visible()
    assert log.errors == []
    page.context.close()

    plain = build_site(tmp_path / "plain", model=tmp_path / "m.keras", samples=tmp_path / "data" / names[0])
    page, log = open_page(browser, (plain.path / "index.html").as_uri())
    wait_ready(page)
    page.click('[data-testid="train-open"]')
    why = page.locator('[data-testid="train-why"]')
    why.wait_for(state="visible")
    assert "--data" in why.inner_text()
    assert page.locator('[data-testid="train-start"]').count() == 0
    page.context.close()
