"""The photo recipe the builder measures on the training images (builder/photo.py, the spec's input.photo)."""

from __future__ import annotations

import numpy as np

from builder.photo import OBJECT_THRESHOLD, photo_recipe


def items(count: int, side: int, size: int = 28, light: int = 200, seed: int = 0) -> np.ndarray:
    """`count` grey images with a `side`-pixel light square (level `light`) on black, each at a random place."""
    rng = np.random.default_rng(seed)
    images = np.zeros((count, size, size, 1), np.uint8)
    for image in images:
        top, left = rng.integers(0, size - side + 1, 2)
        image[top : top + side, left : left + side] = light
    return images


def test_light_items_on_black_get_the_object_recipe_with_their_measured_box():
    images = items(50, side=20)
    recipe = photo_recipe(images)
    assert recipe["recipe"] == "object"
    assert recipe["box"] == 20
    assert recipe["threshold"] == OBJECT_THRESHOLD
    assert recipe["lit"] == [round(400 / 784, 4)] * 2  # every image lights 20 x 20 of 28 x 28 pixels
    assert recipe["level"] == [round(400 * 200 / 784, 4)] * 2
    assert recipe["images"] == 50


def test_the_box_is_the_median_longest_side_and_the_ranges_the_1st_and_99th_percentiles():
    images = np.concatenate([items(30, side=10), items(31, side=16, seed=1), items(30, side=24, seed=2)])
    recipe = photo_recipe(images)
    assert recipe["box"] == 16
    shares = (images[..., 0] > OBJECT_THRESHOLD).reshape(len(images), -1).mean(axis=1)
    assert recipe["lit"] == [round(float(np.percentile(shares, q)), 4) for q in (1, 99)]
    thin = np.zeros((11, 28, 28, 1), np.uint8)
    thin[:, 5:7, 1:28] = 255  # 2 x 27 pixels: an object counts by its longest side
    assert photo_recipe(np.concatenate([thin, items(10, side=10)]))["box"] == 27


def test_blank_images_do_not_count_towards_the_box():
    images = np.concatenate([items(10, side=14), np.zeros((30, 28, 28, 1), np.uint8)])
    assert photo_recipe(images)["box"] == 14


def test_dark_items_on_white_colour_images_and_blank_sets_get_a_plain_resize():
    light_background = 255 - items(20, side=20)
    assert photo_recipe(light_background) == {
        "recipe": "resize",
        "level": [round(float(light_background.mean(axis=(1, 2, 3))[0]), 4)] * 2,
        "images": 20,
    }
    colour = np.repeat(items(20, side=20), 3, axis=3)
    assert photo_recipe(colour)["recipe"] == "resize"
    assert photo_recipe(np.zeros((4, 28, 28, 1), np.uint8))["recipe"] == "resize"
    assert photo_recipe(items(5, side=12, light=OBJECT_THRESHOLD))["recipe"] == "resize"  # at the threshold: not lit


def test_the_background_is_read_from_the_border_median():
    images = items(20, side=20)
    images[:, 0, :] = 255  # a light top row: a quarter of the border, not its median
    assert photo_recipe(images)["recipe"] == "object"
    images[:, :, 0] = 255
    images[:, -1, :] = 255  # three sides of four
    assert photo_recipe(images)["recipe"] == "resize"


def test_at_most_10000_images_are_measured_a_seeded_choice():
    images = items(10_050, side=8, size=12)
    first, again = photo_recipe(images), photo_recipe(images)
    assert first == again and first["images"] == 10_000
