"""Image-folder datasets drawn on the fly with Pillow: coloured shapes on plain backgrounds.

Each class is one kind of shape (disc, square, triangle, stripes, ...) and, with more classes than
kinds, one of a few hues too, so a small network can tell them apart. Used by the tests of "bring
your own data and model" and by bench/own_data.py; nothing here touches the network.
"""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

KINDS = ("disc", "square", "triangle", "horizontal", "vertical", "cross", "ring", "diagonal")


def class_names(count: int) -> list[str]:
    """`count` class names: the shape kinds, or numbered names when there are more classes than kinds."""
    return list(KINDS[:count]) if count <= len(KINDS) else [f"class_{i:03d}" for i in range(count)]


def draw_shape(kind: int, hue: float, size: int, rng: np.random.Generator, grey: bool) -> Image.Image:
    """One `size` x `size` image of shape `kind` (an index into KINDS) in colour `hue`, placed at random."""
    background = tuple(int(v) for v in rng.integers(0, 70, 3))
    colour = tuple(int(255 * c) for c in colorsys.hsv_to_rgb(hue, 0.8, rng.uniform(0.75, 1.0)))
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    extent = rng.uniform(0.45, 0.8) * size
    x0, y0 = rng.uniform(0, size - extent, 2)
    x1, y1 = x0 + extent, y0 + extent
    line = max(1, int(size / 8))
    name = KINDS[kind % len(KINDS)]
    if name == "disc":
        draw.ellipse((x0, y0, x1, y1), fill=colour)
    elif name == "square":
        draw.rectangle((x0, y0, x1, y1), fill=colour)
    elif name == "triangle":
        draw.polygon([(x0, y1), (x1, y1), ((x0 + x1) / 2, y0)], fill=colour)
    elif name == "horizontal":
        for y in range(int(rng.integers(0, 2 * line)), size, 3 * line):
            draw.rectangle((0, y, size, y + line - 1), fill=colour)
    elif name == "vertical":
        for x in range(int(rng.integers(0, 2 * line)), size, 3 * line):
            draw.rectangle((x, 0, x + line - 1, size), fill=colour)
    elif name == "cross":
        draw.line((x0, y0, x1, y1), fill=colour, width=line)
        draw.line((x0, y1, x1, y0), fill=colour, width=line)
    elif name == "ring":
        draw.ellipse((x0, y0, x1, y1), outline=colour, width=line)
    else:  # diagonal stripes
        for offset in range(-size, size, 3 * line):
            draw.line((offset, 0, offset + size, size), fill=colour, width=line)
    return image.convert("L") if grey else image


def write_image_folder(
    folder: Path,
    classes: int | Sequence[str] = 3,
    per_class: int = 12,
    size: int = 16,
    grey: bool = False,
    seed: int = 0,
) -> list[str]:
    """Write a class-per-folder dataset of PNGs into `folder`; return the class names (folder names)."""
    names = class_names(classes) if isinstance(classes, int) else list(classes)
    hues = max(1, -(-len(names) // len(KINDS)))  # enough hues that (kind, hue) differs for every class
    rng = np.random.default_rng(seed)
    for index, name in enumerate(names):
        target = Path(folder) / name
        target.mkdir(parents=True, exist_ok=True)
        kind, hue = index % len(KINDS), (index // len(KINDS)) / hues
        for n in range(per_class):
            draw_shape(kind, hue, size, rng, grey).save(target / f"{n:04d}.png")
    return names
