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
half-transparent pixel of an upload can differ by one level.
"""

from __future__ import annotations

import numpy as np

MAX_WORKING_SIDE = 1024


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


def to_model_pixels(rgba: np.ndarray, out_height: int, out_width: int, channels: int) -> np.ndarray:
    """The model's uint8 input (out_height x out_width x channels) for an RGBA uint8 image (H x W x 4)."""
    height, width = rgba.shape[:2]
    x, y, crop_width, crop_height = centre_crop(width, height, out_width, out_height)
    crop = rgba[y : y + crop_height, x : x + crop_width].astype(np.int64)
    composited = 65025 + (crop[..., :3] - 255) * crop[..., 3:4]  # 255 times the colour on white
    working = crop_width, crop_height
    if max(crop_width, crop_height) > MAX_WORKING_SIDE:
        factor = max(1, MAX_WORKING_SIDE // max(out_width, out_height))
        working = out_width * factor, out_height * factor
        composited = resize_levels(composited, *working, scale=255).astype(np.int64) * 255
    levels = resize_levels(composited, out_width, out_height, scale=255)
    return levels if channels == 3 else luma(levels)
