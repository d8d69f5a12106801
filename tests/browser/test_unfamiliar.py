""" "This does not look like anything it was trained on": the page's score of an image equals the squared
Mahalanobis distance of its channel statistics computed here from the original Keras model (never through the
builder), the note shows exactly when the score passes the threshold, and the threshold does what the issue asks
of it on the default model (bench/unfamiliar.py measures the rates on every test image)."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from testkit.site import read_insights
from testkit.unfamiliar import families

from .conftest import open_page, wait_ready

pytestmark = pytest.mark.browser

NOTE = '[data-testid="unfamiliar"]'


def channel_statistics(outputs: list[np.ndarray], groups: list[int]) -> np.ndarray:
    """Per layer, for mean, maximum and share above 0 of each channel map, their average over each group of
    channels (channel c of C in group floor(c * g / C)), written out from the recipe's description."""
    rows = []
    for image in range(len(outputs[0])):
        row = []
        for output, count in zip(outputs, groups, strict=True):
            maps = output[image].astype(np.float64)
            channels = maps.shape[-1]
            per_channel = [
                [maps[..., c].mean() for c in range(channels)],
                [maps[..., c].max() for c in range(channels)],
                [(maps[..., c] > 0).mean() for c in range(channels)],
            ]
            for values in per_channel:
                for group in range(count):
                    members = [c for c in range(channels) if c * count // channels == group]
                    row.append(np.mean([values[c] for c in members]))
        rows.append(row)
    return np.array(rows)


def reference_scores(site, recipe: dict, images: np.ndarray) -> np.ndarray:
    """The squared Mahalanobis distances of `images`' statistics, from the original Keras model's outputs."""
    outputs = site.keras_outputs(images)
    names = [layer["name"] for layer in recipe["layers"]]
    features = channel_statistics([outputs[name] for name in names], [layer["groups"] for layer in recipe["layers"]])
    mean = np.array(recipe["mean"])
    size = len(mean)
    factor = np.zeros((size, size))
    factor[np.tril_indices(size)] = np.frombuffer(base64.b64decode(recipe["factor"]["data"]), "<f2")
    return (((features - mean) @ factor) ** 2).sum(axis=1)


@pytest.fixture(scope="module")
def recipe(default_site) -> dict:
    return read_insights(default_site.path)["familiarity"]


@pytest.fixture(scope="module")
def strange_images() -> dict[str, np.ndarray]:
    return families(28, 1, 100, seed=3)


def test_the_recipe_is_small_and_flags_what_is_not_clothing(default_site, recipe, strange_images):
    packed = base64.b64decode(recipe["factor"]["data"])
    assert len(packed) + 8 * len(recipe["mean"]) <= 30 * 1024
    assert recipe["held_out"] == "test" and recipe["held_out_rate"] <= 0.05
    flagged = {
        name: float((reference_scores(default_site, recipe, images) > recipe["threshold"]).mean())
        for name, images in strange_images.items()
    }
    assert np.mean(list(flagged.values())) >= 0.5, flagged
    assert flagged["noise"] >= 0.9 and flagged["letters"] >= 0.8, flagged


def show_and_judge(page, image: np.ndarray) -> dict:
    return page.evaluate(
        """async ([pixels]) => {
            await window.explainer.setImage(pixels, 28, 28, 1);
            const judged = await window.explainer.unfamiliar();
            const note = document.querySelector('[data-testid="unfamiliar"]');
            return {...judged, visible: note.checkVisibility(), text: note.textContent};
        }""",
        [image.reshape(-1).tolist()],
    )


def test_the_page_scores_every_image_as_keras_and_says_so_when_it_is_unfamiliar(
    browser, default_http, default_site, recipe, strange_images
):
    images = np.concatenate([default_site.pixels[:3], *(family[:3] for family in strange_images.values())])
    expected = reference_scores(default_site, recipe, images)
    assert (expected > recipe["threshold"]).any() and (expected <= recipe["threshold"]).any()
    page, log = open_page(browser, default_http)
    wait_ready(page)
    # the first sample, drawn from the payload's values: judged once the insights load
    first = page.evaluate("window.explainer.unfamiliar()")
    assert first["score"] == pytest.approx(expected[0], rel=2e-3)
    for image, score in zip(images, expected, strict=True):
        judged = show_and_judge(page, image)
        assert judged["score"] == pytest.approx(score, rel=1e-3)
        assert judged["threshold"] == recipe["threshold"]
        assert judged["unfamiliar"] == (judged["score"] > judged["threshold"])
        assert judged["visible"] == judged["unfamiliar"]
        if judged["unfamiliar"]:
            assert f"only {max(1, round(100 * recipe['held_out_rate']))}% of its test images" in judged["text"]

    # with the network edited, the image is still judged by the trained network
    letter = strange_images["letters"][0]
    before = show_and_judge(page, letter)
    page.evaluate("window.explainer.silence('conv_1_1', 0)")
    page.wait_for_function("() => window.explainer.state.get().frame.edited === true")
    after = page.evaluate("window.explainer.unfamiliar()")
    assert after["score"] == pytest.approx(before["score"], rel=1e-6)

    # in Chinese, the note says the same
    page.evaluate("window.explainer.state.set({lang: 'zh'})")
    page.wait_for_function(f"() => document.querySelector('{NOTE}').textContent.includes('陌生')")
    assert page.locator(NOTE).is_visible()
    assert not log.errors and not log.foreign_requests
    page.context.close()
