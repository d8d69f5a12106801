"""A visitor's own image in the page, as the browser tests give it and check it: the upload panel's parts, the
preprocessing frontend/src/image/preprocess.js documents (written independently in NumPy), and "photos" of test
images (photos.py)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image

from .chromium import browser_activations

FILE_INPUT = '[data-testid="upload-input"]'
ALERT = '[data-testid="upload-error"]'
PREDICTION = '[data-testid="prediction"]'


# ---- the documented preprocessing, written independently in NumPy ----


def _area_sums(values: np.ndarray, size: int, axis: int) -> tuple[np.ndarray, int]:
    """Area averaging along `axis` in whole numbers: repeat each pixel up to a common multiple of both sizes, add up
    blocks; returns the sums and the block length that divides them."""
    n = values.shape[axis]
    common = math.lcm(n, size)
    fine = np.repeat(values, common // n, axis=axis)
    shape = fine.shape[:axis] + (size, common // size) + fine.shape[axis + 1 :]
    return fine.reshape(shape).sum(axis=axis + 1), common // size


def _bilinear(values: np.ndarray, size: int, axis: int) -> np.ndarray:
    """Bilinear interpolation along `axis` between pixel centres, clamped at the edges."""
    n = values.shape[axis]
    positions = np.clip((np.arange(size) + 0.5) * n / size - 0.5, 0, n - 1)
    return np.apply_along_axis(lambda line: np.interp(positions, np.arange(n), line), axis, values)


def expected_input(image: Image.Image, size: int, invert: bool = False) -> np.ndarray:
    """The grey model input (size x size, uint8) the page documents for `image` (exact when shrinking)."""
    rgba = np.asarray(image.convert("RGBA"), dtype=np.int64)
    rgb = 65025 + (rgba[..., :3] - 255) * rgba[..., 3:]  # on white, times 255
    height, width = rgb.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = rgb[top : top + side, left : left + side]
    if side >= size:
        rows, first = _area_sums(square, size, 0)
        sums, second = _area_sums(rows, size, 1)
        divisor = 255 * first * second
        levels = (2 * sums + divisor) // (2 * divisor)  # rounded half up
    else:
        levels = np.floor(_bilinear(_bilinear(square / 255, size, 0), size, 1) + 0.5).astype(np.int64)
    grey = (levels[..., 0] * 19595 + levels[..., 1] * 38470 + levels[..., 2] * 7471 + 0x8000) >> 16
    return (255 - grey if invert else grey).astype(np.uint8)


def as_input(levels: np.ndarray) -> np.ndarray:
    """What the network reads for grey uint8 `levels` (H x W): levels / 255 in float32, H x W x 1."""
    return levels.astype(np.float32)[..., None] / np.float32(255)


# ---- images ----


def save(image: Image.Image, path: Path, **options) -> Path:
    """`image` saved at `path` (Pillow's `options`); returns `path`."""
    image.save(path, **options)
    return path


def made_photo(index: int, inverted: bool, tmp_path: Path):
    """Test image `index` as a photo (photos.py) of a dark item (`inverted`) or a light one, saved as PNG;
    returns (path, photo, the test image)."""
    from builder.datasets import load_dataset

    from .photos import make_photos

    test = load_dataset(None).test
    for seed in range(100):
        (made,) = make_photos(test.images[index : index + 1], 1, seed=seed)
        if made.inverted == inverted:
            break
    path = tmp_path / "photo.png"
    Image.fromarray(made.rgba, "RGBA").save(path)
    return path, made, test.images[index]


# ---- the page ----


def model_input(page, site) -> np.ndarray:
    """What the network of `page` reads now (H x W x C float32), checked to be of the shape of `site`'s spec."""
    shape, values = browser_activations(page, "input")
    assert shape == site.spec["input"]["shape"]
    return values.reshape(shape)


def upload(page, path: Path) -> None:
    """Choose `path` in the file input (from sample 0, so the wait sees the change) and wait until it is explained."""
    page.evaluate("window.explainer.selectSample(0)")
    page.set_input_files(FILE_INPUT, str(path))
    wait_for_own_image(page)


def wait_for_own_image(page) -> None:
    """Wait until the visitor's own image is the one shown (sample null), explained by TF.js."""
    page.wait_for_function(
        "() => window.explainer.state.get().sample === null && !document.querySelector('#own-panel').hidden",
        timeout=20_000,
    )
