""" "Photos" made from test images, and the page's own photo preparation run on them under node.

A photo of item i: its 28 x 28 test image scaled up 4 to 12 times (bilinear), as a dark item (inverted: the image's
light pixels become ink on the background) or a light one, shifted at random and placed on a larger background that
is light, grey or noisy (Gaussian noise of standard deviation 20 on a level that sets the item off). A light item
is put on a dark background instead of a light one, where it could not be seen. Used by tests/test_photos.py and
bench/photos.py.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .chromium import ROOT

BACKGROUNDS = ("light", "grey", "noisy")  # "light" is "dark" for a light item


@dataclass(frozen=True)
class Photo:
    rgba: np.ndarray  # uint8 H x W x 4
    source: int  # the index of the test image it was made from
    inverted: bool  # a dark item on a lighter background
    background: str  # one of BACKGROUNDS


def make_photos(images: np.ndarray, count: int, seed: int = 0) -> list[Photo]:
    """`count` photos made from uint8 grey `images` (N x 28 x 28 x 1), each from a different image."""
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(images), count, replace=False)
    photos = []
    for index in chosen:
        item = images[index, ..., 0]
        inverted = bool(rng.integers(2))
        background = BACKGROUNDS[rng.integers(3)]
        scale = int(rng.integers(4, 13))
        side = item.shape[0] * scale
        big = np.asarray(Image.fromarray(item).resize((side, side), Image.BILINEAR), dtype=np.float64) / 255
        height = side + int(rng.integers(side // 4, side))
        width = side + int(rng.integers(side // 4, side))
        if background == "light":
            level = rng.uniform(200, 245) if inverted else rng.uniform(10, 60)
            background = "light" if inverted else "dark"
        elif background == "grey":
            level = rng.uniform(110, 150)
        else:
            level = rng.uniform(170, 220) if inverted else rng.uniform(40, 90)
        ground = np.full((height, width), level)
        if background == "noisy":
            ground += rng.normal(0, 20, ground.shape)
        ink = rng.uniform(0, 40) if inverted else rng.uniform(225, 255)
        top, left = int(rng.integers(0, height - side + 1)), int(rng.integers(0, width - side + 1))
        patch = ground[top : top + side, left : left + side]
        ground[top : top + side, left : left + side] = patch * (1 - big) + ink * big
        grey = np.clip(np.round(ground), 0, 255).astype(np.uint8)
        rgba = np.dstack([grey, grey, grey, np.full_like(grey, 255)])
        photos.append(Photo(rgba, int(index), inverted, background))
    return photos


def prepare_in_node(photos: list[Photo], recipe: dict, size: int, folder: Path, plain: bool = False) -> np.ndarray:
    """The model inputs (uint8 N x size x size x 1) the page's image/photo.js makes of `photos` with `recipe`;
    with `plain`, preprocess.js's centre crop and resize instead (what the page did before photo.js). The time each
    took, in milliseconds, is left in `folder`/times.bin (float64)."""
    data = folder / "photos.bin"
    with data.open("wb") as out:
        for photo in photos:
            out.write(photo.rgba.tobytes())
    shapes = [list(photo.rgba.shape[:2]) for photo in photos]
    script = folder / "prepare.mjs"
    source = ROOT / "frontend" / "src" / "image"
    script.write_text(
        f"import {{ readFileSync, writeFileSync }} from 'node:fs';\n"
        f"import {{ preparePhoto }} from '{(source / 'photo.js').as_uri()}';\n"
        f"import {{ toModelPixels }} from '{(source / 'preprocess.js').as_uri()}';\n"
        f"const bytes = readFileSync({json.dumps(str(data))});\n"
        f"const shapes = {json.dumps(shapes)};\n"
        f"const recipe = {json.dumps(recipe)};\n"
        f"const out = new Uint8Array(shapes.length * {size * size});\n"
        "const times = new Float64Array(shapes.length);\n"
        "let offset = 0;\n"
        "shapes.forEach(([height, width], i) => {\n"
        "  const started = performance.now();\n"
        "  const rgba = bytes.subarray(offset, offset + height * width * 4);\n"
        "  offset += height * width * 4;\n"
        f"  const options = {{ outHeight: {size}, outWidth: {size}, channels: 1 }};\n"
        f"  const pixels = {'toModelPixels(rgba, width, height, options)' if plain else 'preparePhoto(rgba, width, height, recipe, options).pixels'};\n"
        f"  out.set(pixels, i * {size * size});\n"
        "  times[i] = performance.now() - started;\n"
        "});\n"
        f"writeFileSync({json.dumps(str(folder / 'times.bin'))}, new Uint8Array(times.buffer));\n"
        f"writeFileSync({json.dumps(str(folder / 'prepared.bin'))}, out);\n"
    )
    subprocess.run(["node", str(script)], check=True)
    prepared = np.frombuffer((folder / "prepared.bin").read_bytes(), dtype=np.uint8)
    return prepared.reshape(len(photos), size, size, 1)
