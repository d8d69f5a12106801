"""An image as the network sees it: centre crop, resize, grey; the same arithmetic as the page's preprocess.js.

The builder (image folders, --samples DIR) and the page (a visitor's upload) prepare images with one filter, so
the same file gives the same pixels in both:
  1. composite on white: c' = 255 + (c - 255) * alpha / 255 (transparent pixels become white);
  2. centre crop to the model's aspect ratio;
  3. resize each RGB channel separably: area averaging (a box filter with fractional coverage at the edges) when
     shrinking, so thin lines survive; bilinear (pixel centres aligned, edges clamped) when enlarging;
  4. round to 0..255, half up. Steps 1 to 4 use whole-number weights and sums below 2**53, so they are exact in
     float64 whatever the order of summation, and equal to the page's;
  5. grey, when the model reads one channel, with Pillow's ITU-R 601-2 luma (convert("L")).
Images whose crop is larger than MAX_WORKING_SIDE are first scaled down (the browser does that with its own
filter, so those can differ by a level or two), and a browser keeps canvases with premultiplied alpha, so a
half-transparent pixel of an upload can differ by one level. The builder scales those crops down by area averaging
too, a strip of rows at a time (area_average), so that a photo of 50 megapixels needs memory for a strip, not for
the whole image in 64-bit numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

MAX_WORKING_SIDE = 1024
STRIP_PIXELS = 1 << 18  # source pixels area_average reads at a time: 6 MB of 64-bit sums for three channels


def centre_crop(width: int, height: int, out_width: int, out_height: int) -> tuple[int, int, int, int]:
    """The centred crop (x, y, width, height) of a `width` x `height` image with the output's aspect ratio."""
    crop_width = width
    crop_height = _round_half_up(width * out_height / out_width)
    if crop_height > height:
        crop_height = height
        crop_width = _round_half_up(height * out_width / out_height)
    crop_width = max(1, min(width, crop_width))
    crop_height = max(1, min(height, crop_height))
    return (width - crop_width) // 2, (height - crop_height) // 2, crop_width, crop_height


def _round_half_up(value: float) -> int:
    return int(np.floor(value + 0.5))  # JavaScript's Math.round


def resize_weights(in_size: int, out_size: int) -> tuple[np.ndarray, int]:
    """The whole-number weights (out_size x in_size) and their common denominator for resizing one axis."""
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    if in_size >= out_size:  # area averaging: each weight is the overlap, in 1/out_size source pixels
        for i in range(out_size):
            start, end = i * in_size, (i + 1) * in_size
            for j in range(start // out_size, -(-end // out_size)):
                weights[i, j] = min(end, (j + 1) * out_size) - max(start, j * out_size)
        return weights, in_size
    denominator = 2 * out_size  # bilinear between pixel centres, clamped at the edges
    for i in range(out_size):
        centre = min((in_size - 1) * denominator, max(0, (2 * i + 1) * in_size - out_size))
        first = min(centre // denominator, max(0, in_size - 2))
        fraction = centre - first * denominator
        if in_size == 1:
            weights[i, 0] = denominator
        else:
            weights[i, first] += denominator - fraction
            weights[i, first + 1] += fraction
    return weights, denominator


def resize_levels(values: np.ndarray, out_width: int, out_height: int, scale: int = 1) -> np.ndarray:
    """The uint8 H' x W' x C image resized from whole-number values (H x W x C, `scale` times 0..255)."""
    height, width = values.shape[:2]
    across, across_denominator = resize_weights(width, out_width)
    down, down_denominator = resize_weights(height, out_height)
    planes = np.moveaxis(values.astype(np.float64), 2, 0)  # C x H x W
    sums = down @ (planes @ across.T)  # C x H' x W'
    divisor = float(scale * across_denominator * down_denominator)
    return np.moveaxis(np.floor((2 * sums + divisor) / (2 * divisor)), 0, 2).astype(np.uint8)


def luma(rgb: np.ndarray) -> np.ndarray:
    """Pillow's ITU-R 601-2 luma of uint8 RGB (... x 3) as uint8 (... x 1)."""
    r, g, b = (rgb[..., i].astype(np.uint32) for i in range(3))
    return ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16).astype(np.uint8)[..., None]


def working_size(crop_width: int, crop_height: int, out_width: int, out_height: int) -> tuple[int, int]:
    """The size (width, height) a crop is scaled to first, as the page's workingSize: the crop itself when no side
    exceeds MAX_WORKING_SIDE, else the largest whole multiple of the output size that fits."""
    if max(crop_width, crop_height) <= MAX_WORKING_SIDE:
        return crop_width, crop_height
    factor = max(1, MAX_WORKING_SIDE // max(out_width, out_height))
    return out_width * factor, out_height * factor


@dataclass(frozen=True)
class AreaTaps:
    """Area averaging along one axis in whole numbers: source pixel `offset + k` gives `weight[k]` of itself to
    output pixel `first[k]` and `rest[k]` to the next one; the shares of each output pixel add up to `denominator`."""

    offset: int
    first: np.ndarray
    weight: np.ndarray
    rest: np.ndarray
    size: int
    denominator: int


def area_taps(out_size: int, start: int, end: int, step: int = 1) -> AreaTaps:
    """The taps that average [start, end) of an axis down to `out_size` pixels, read from source pixels `step`
    wide (source pixel k covers [k * step, (k + 1) * step)); with step 1 and start 0, resize_weights's weights.

    Lengths are counted in 1/out_size units, so every share is whole. (end - start) must be at least
    step * out_size: then no source pixel straddles more than one output pixel's edge.
    """
    length = end - start
    if out_size < 1 or length < step * out_size:
        raise ValueError(f"cannot average {length} pixels {step} wide down to {out_size}")
    offset = start // step
    edges = np.arange(offset, -(-end // step) + 1, dtype=np.int64) * step
    edges = (np.clip(edges, start, end) - start) * out_size  # [edges[k], edges[k + 1]) is source pixel offset + k
    low, high = edges[:-1], edges[1:]
    first = low // length
    weight = np.minimum((first + 1) * length, high) - low
    return AreaTaps(offset, first, weight, high - low - weight, out_size, length)


def _shares(values: np.ndarray, first: np.ndarray, weight: np.ndarray, rest: np.ndarray, axis: int):
    """(outputs, sums) pairs that together add `values` (whole numbers along `axis`) into their output pixels."""
    shape = [1] * values.ndim
    shape[axis] = len(first)
    heads = np.flatnonzero(np.diff(first, prepend=-1))
    yield first[heads], np.add.reduceat(values * weight.reshape(shape), heads, axis=axis)
    spills = np.flatnonzero(rest)
    shape[axis] = len(spills)
    yield first[spills] + 1, np.take(values, spills, axis=axis) * rest[spills].reshape(shape)


def area_average(strips: Iterable[np.ndarray], across: AreaTaps, down: AreaTaps) -> np.ndarray:
    """The uint8 RGB image (down.size x across.size x 3) area-averaged from RGBA uint8 source pixels composited on
    white, given as strips of whole rows from top to bottom (the columns and rows the taps read, from their offset
    on). The arithmetic of resize_levels, to the last bit, in memory for one strip at a time."""
    sums = np.zeros((down.size, across.size, 3), dtype=np.int64)
    row = 0
    for strip in strips:
        rows = np.zeros((len(strip), across.size, 3), dtype=np.int64)
        for outputs, part in _shares(composite(strip), across.first, across.weight, across.rest, axis=1):
            rows[:, outputs] += part
        end = row + len(strip)
        for outputs, part in _shares(rows, down.first[row:end], down.weight[row:end], down.rest[row:end], axis=0):
            sums[outputs] += part
        row = end
    if row != len(down.first):
        raise ValueError(f"area_average read {row} rows, expected {len(down.first)}")
    divisor = float(255 * across.denominator * down.denominator)
    levels = np.empty(sums.shape, dtype=np.uint8)
    for y in range(0, down.size, 64):  # a block of rows at a time: float64 copies of every sum would take 24 MB each
        levels[y : y + 64] = np.floor((2 * sums[y : y + 64] + divisor) / (2 * divisor))
    return levels


def composite(rgba: np.ndarray) -> np.ndarray:
    """255 times the colour of RGBA uint8 pixels (... x 4) on white, as whole numbers (... x 3)."""
    colour = rgba[..., :3].astype(np.int32)
    return 65025 + (colour - 255) * rgba[..., 3:4]


def crop_levels(crop: np.ndarray, out_height: int, out_width: int) -> np.ndarray:
    """The uint8 RGB image (out_height x out_width x 3) resized from an RGBA crop with the output's aspect ratio."""
    height, width = crop.shape[:2]
    working = working_size(width, height, out_width, out_height)
    if working == (width, height):
        return resize_levels(composite(crop), out_width, out_height, scale=255)
    if working[0] <= width and working[1] <= height:
        rows = max(1, STRIP_PIXELS // width)
        strips = (crop[y : y + rows] for y in range(0, height, rows))
        levels = area_average(strips, area_taps(working[0], 0, width), area_taps(working[1], 0, height))
    else:  # an output larger than MAX_WORKING_SIDE, enlarged from a crop between the two
        levels = resize_levels(composite(crop), *working, scale=255)
    return resize_levels(levels, out_width, out_height)


def to_model_pixels(rgba: np.ndarray, out_height: int, out_width: int, channels: int) -> np.ndarray:
    """The model's uint8 input (out_height x out_width x channels) for an RGBA uint8 image (H x W x 4)."""
    height, width = rgba.shape[:2]
    x, y, crop_width, crop_height = centre_crop(width, height, out_width, out_height)
    levels = crop_levels(rgba[y : y + crop_height, x : x + crop_width], out_height, out_width)
    return levels if channels == 3 else luma(levels)
