"""The builder prepares images with the page's own arithmetic (builder/resize.py, frontend/src/image/preprocess.js):
the same RGBA pixels give the same model input, byte for byte, in Python and in the page's JavaScript."""

from __future__ import annotations

import json
import shutil
import subprocess
import tracemalloc
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from builder import resize
from builder.resize import centre_crop, resize_levels, resize_weights, to_model_pixels

FRONTEND = Path(__file__).resolve().parents[1] / "frontend"

# (width, height, out, channels): shrinking by whole and fractional factors, enlarging, 1-pixel edges,
# wide and tall images (centre crops), grey and colour models.
CASES = [
    (28, 28, 28, 1),
    (56, 56, 28, 1),
    (57, 40, 28, 3),
    (40, 57, 13, 3),
    (9, 9, 28, 1),
    (1, 5, 4, 3),
    (300, 200, 64, 3),
    (17, 3, 8, 1),
    (1200, 1100, 32, 3),  # larger than the working side: scaled down first
]


def random_rgba(width: int, height: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rgba = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    rgba[..., 3] = np.where(rng.random((height, width)) < 0.7, 255, rgba[..., 3])  # mostly opaque, some alpha
    return rgba


@pytest.mark.skipif(shutil.which("node") is None, reason="node runs the page's code")
def test_python_and_the_page_give_the_same_pixels(tmp_path):
    images = [random_rgba(w, h, seed) for seed, (w, h, _, _) in enumerate(CASES)]
    for image, (w, h, _, _) in zip(images, CASES, strict=True):
        (tmp_path / f"{w}x{h}.bin").write_bytes(image.tobytes())
    script = tmp_path / "run.mjs"
    script.write_text(
        f"import {{ readFileSync }} from 'node:fs';\n"
        f"import {{ toModelPixels }} from '{(FRONTEND / 'src' / 'image' / 'preprocess.js').as_uri()}';\n"
        f"const cases = {json.dumps(CASES)};\n"
        "const out = cases.map(([w, h, size, channels]) => {\n"
        f"  const rgba = new Uint8ClampedArray(readFileSync('{tmp_path.as_posix()}/' + w + 'x' + h + '.bin'));\n"
        "  return Array.from(toModelPixels(rgba, w, h, { outHeight: size, outWidth: size, channels }));\n"
        "});\n"
        "console.log(JSON.stringify(out));\n"
    )
    page = json.loads(subprocess.run(["node", str(script)], capture_output=True, text=True, check=True).stdout)
    for image, (w, h, out, channels), expected in zip(images, CASES, page, strict=True):
        ours = to_model_pixels(image, out, out, channels)
        if max(w, h) > 1024:  # the page scales big crops down with the browser's filter, not its own
            assert ours.shape == (out, out, channels)
            continue
        np.testing.assert_array_equal(ours.ravel(), np.asarray(expected, np.uint8), f"{w}x{h} -> {out}x{channels}")


def test_area_weights_cover_each_source_pixel_once():
    weights, denominator = resize_weights(7, 3)
    np.testing.assert_array_equal(weights.sum(axis=0), np.full(7, 3))  # each source pixel is shared out whole
    np.testing.assert_array_equal(weights.sum(axis=1), np.full(3, denominator))
    np.testing.assert_array_equal(weights[1], [0, 0, 2, 3, 2, 0, 0])


def test_enlarging_is_bilinear_between_pixel_centres():
    row = np.array([[[0], [100]]], dtype=np.float64)  # 1 x 2, one channel
    np.testing.assert_array_equal(resize_levels(row, 4, 1)[0, :, 0], [0, 25, 75, 100])


def test_a_uniform_image_stays_uniform_and_halves_average():
    np.testing.assert_array_equal(resize_levels(np.full((6, 10, 3), 77.0), 3, 5), np.full((5, 3, 3), 77))
    two = np.array([[[10], [21]]], dtype=np.float64)
    assert resize_levels(two, 1, 1)[0, 0, 0] == 16  # 15.5 rounds half up


def test_centre_crop_matches_the_pages():
    assert centre_crop(40, 30, 28, 28) == (5, 0, 30, 30)
    assert centre_crop(30, 41, 10, 10) == (0, 5, 30, 30)
    assert centre_crop(100, 50, 20, 10) == (0, 0, 100, 50)


def test_transparent_pixels_become_white():
    clear = np.zeros((4, 4, 4), dtype=np.uint8)
    assert (to_model_pixels(clear, 2, 2, 1) == 255).all()


def dense_model_pixels(rgba: np.ndarray, out_height: int, out_width: int) -> np.ndarray:
    """to_model_pixels as it was first written, with whole-image weight matrices: the crop averaged down to the
    working size (a whole multiple of the output within 1024 pixels), then to the output."""
    height, width = rgba.shape[:2]
    x, y, crop_width, crop_height = centre_crop(width, height, out_width, out_height)
    crop = rgba[y : y + crop_height, x : x + crop_width].astype(np.int64)
    composited = 65025 + (crop[..., :3] - 255) * crop[..., 3:4]
    factor = max(1, 1024 // max(out_width, out_height))
    working = resize_levels(composited, out_width * factor, out_height * factor, scale=255)
    return resize_levels(working, out_width, out_height)


@pytest.mark.parametrize(("width", "height", "out_width", "out_height"), [(1200, 1100, 32, 32), (2000, 1301, 64, 48)])
def test_large_crops_are_averaged_a_strip_at_a_time_exactly_as_with_whole_matrices(
    width, height, out_width, out_height
):
    rgba = random_rgba(width, height, seed=width)
    expected = dense_model_pixels(rgba, out_height, out_width)
    np.testing.assert_array_equal(to_model_pixels(rgba, out_height, out_width, 3), expected)


def test_area_taps_share_each_source_pixel_by_its_overlap_with_each_output_pixel():
    # source pixels 3 wide (a JPEG decoded at 1/3) covering [4, 40) of an axis, averaged down to 5 outputs
    start, end, step, out = 4, 40, 3, 5
    taps = resize.area_taps(out, start, end, step)
    shares = np.zeros((out, len(taps.first)), dtype=object)
    for k in range(len(taps.first)):
        shares[taps.first[k], k] += int(taps.weight[k])
        if taps.rest[k]:
            shares[taps.first[k] + 1, k] += int(taps.rest[k])
    for i in range(out):
        low, high = start + Fraction(i * (end - start), out), start + Fraction((i + 1) * (end - start), out)
        for k in range(len(taps.first)):
            pixel_low, pixel_high = (taps.offset + k) * step, (taps.offset + k + 1) * step
            overlap = max(Fraction(0), min(high, pixel_high) - max(low, pixel_low))
            assert Fraction(int(shares[i, k]), out) == overlap, (i, k)
    assert taps.denominator == end - start and shares.sum(axis=1).tolist() == [end - start] * out
    plain = resize.area_taps(3, 0, 7)  # the weights resize_weights gives
    weights, denominator = resize_weights(7, 3)
    for k in range(7):
        assert weights[plain.first[k], k] == plain.weight[k] and plain.denominator == denominator


def test_shrinking_a_large_image_needs_memory_for_a_strip_not_for_the_whole_image():
    rgba = random_rgba(3000, 3000, seed=1)  # 36 MB; its crop as 64-bit numbers would be 288 MB
    tracemalloc.start()
    try:
        to_model_pixels(rgba, 28, 28, 1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"{peak / 2**20:.0f} MiB"
