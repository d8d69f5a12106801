"""Photos prepared like the training images: the page's own image/photo.js, run under node on "photos" made from
test images (testkit/photos.py), must give the model's answer on the original image for at least 85% of them.

It needs no browser (the module is pure), only the default explainer's spec and model, built once per session."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

pytestmark = pytest.mark.integration

PHOTOS = 200


@pytest.fixture(scope="module")
def answers(default_site, tmp_path_factory):
    """The model's answers on the original test images, on the photos as the page prepares them, and on the photos
    with a plain centre crop and resize (what the page did before photo.js)."""
    if shutil.which("node") is None:
        pytest.skip("node runs the page's code")
    from builder.datasets import load_dataset
    from testkit.photos import make_photos, prepare_in_node

    test = load_dataset(None).test
    photos = make_photos(test.images, PHOTOS, seed=0)
    folder = tmp_path_factory.mktemp("photos")
    recipe = default_site.spec["input"]["photo"]
    size = default_site.spec["input"]["shape"][0]

    def answer(pixels: np.ndarray) -> np.ndarray:
        return default_site.model.predict(pixels.astype(np.float32) / np.float32(255), verbose=0).argmax(axis=1)

    return {
        "photos": photos,
        "original": answer(test.images[[photo.source for photo in photos]]),
        "prepared": answer(prepare_in_node(photos, recipe, size, folder)),
        "plain": answer(prepare_in_node(photos, recipe, size, folder, plain=True)),
    }


def test_the_default_model_gets_the_object_recipe_measured_on_fashion_mnist(default_site):
    photo = default_site.spec["input"]["photo"]
    assert photo["recipe"] == "object"
    assert photo["box"] == 28  # Fashion-MNIST's items fill the frame by their longest side
    assert photo["images"] == 10_000
    low, high = photo["lit"]
    assert 0.05 < low < 0.25 and 0.6 < high < 0.9


def test_prepared_photos_get_the_answer_of_their_original_image(answers):
    agree = answers["prepared"] == answers["original"]
    assert agree.mean() >= 0.85, f"{agree.mean():.1%} of {PHOTOS} photos"
    for key in ("inverted", "background"):  # no kind of photo is left behind
        for value in {getattr(photo, key) for photo in answers["photos"]}:
            chosen = np.array([getattr(photo, key) == value for photo in answers["photos"]])
            assert agree[chosen].mean() >= 0.75, f"{key} {value}: {agree[chosen].mean():.1%} of {chosen.sum()}"


def test_a_plain_resize_of_the_same_photos_mostly_fails(answers):
    """What the measure measures: the photos are hard without the recipe."""
    assert (answers["plain"] == answers["original"]).mean() < 0.5
