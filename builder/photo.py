"""How the page prepares a visitor's photo, measured on the training images: the spec's `input.photo`.

Fashion-MNIST's images were made from photos by trimming the background, fitting the longest side, centring and
inverting (Xiao et al. 2017), so its items are light on black. When a model's images are of that kind (one channel,
dark borders), the page does the same to a photo (frontend/src/image/photo.js): recipe "object", with `box`, the
median longest side of a training image's object in pixels. Other models get a plain centre crop and resize
(recipe "resize").

Both recipes carry a simple measure to tell the visitor when an input is unlike the training images, with its range
over them (1st and 99th percentiles): for "object", `lit`, the share of pixels above `threshold`; for both, `level`,
the mean grey level.
"""

from __future__ import annotations

import numpy as np

from .resize import luma

OBJECT_THRESHOLD = 32  # a pixel above this level (of 255) is part of the object, in a light-on-dark image
DARK_BORDER = 64  # images whose median border level is below this show objects on a dark background
MEASURED = 10_000  # the most training images measured (a seeded choice)


def grey(images: np.ndarray) -> np.ndarray:
    """Uint8 N x H x W grey levels of N x H x W x C images (Pillow's ITU-R 601-2 luma for colour)."""
    return images[..., 0] if images.shape[-1] == 1 else luma(images)[..., 0]


def photo_recipe(images: np.ndarray, seed: int = 0) -> dict:
    """The spec's input.photo for a model trained on uint8 `images` (N x H x W x C)."""
    if len(images) > MEASURED:
        images = images[np.sort(np.random.default_rng(seed).choice(len(images), MEASURED, replace=False))]
    levels = grey(images)
    border = np.concatenate([levels[:, 0, :], levels[:, -1, :], levels[:, :, 0], levels[:, :, -1]], axis=1)
    means = levels.reshape(len(levels), -1).mean(axis=1)
    recipe = {"recipe": "resize", "level": _range(means), "images": len(images)}
    if images.shape[-1] != 1 or np.median(border) >= DARK_BORDER:
        return recipe
    lit = levels > OBJECT_THRESHOLD
    rows, columns = lit.any(axis=2), lit.any(axis=1)
    longest = np.maximum(_extent(rows), _extent(columns))
    longest = longest[longest > 0]  # blank images have no object
    if not len(longest):
        return recipe
    return {
        **recipe,
        "recipe": "object",
        "box": int(np.median(longest)),
        "threshold": OBJECT_THRESHOLD,
        "lit": _range(lit.reshape(len(lit), -1).mean(axis=1)),
    }


def _extent(any_lit: np.ndarray) -> np.ndarray:
    """The length of the span from the first to the last True of each row of `any_lit` (0 when none)."""
    first = any_lit.argmax(axis=1)
    last = any_lit.shape[1] - 1 - any_lit[:, ::-1].argmax(axis=1)
    return np.where(any_lit.any(axis=1), last - first + 1, 0)


def _range(values: np.ndarray) -> list[float]:
    low, high = np.percentile(values, [1, 99])
    return [round(float(low), 4), round(float(high), 4)]
