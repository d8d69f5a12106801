"""Images that are not clothing, for measuring when the page says an image is unlike the training images
(builder/familiarity.py): letters and digits drawn with Pillow, noise, gradients and simple shapes, light on dark as
Fashion-MNIST's items are."""

from __future__ import annotations

import string

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FAMILIES = ("letters", "noise", "gradients", "shapes")


def _letter(draw: ImageDraw.ImageDraw, size: int, index: int, rng: np.random.Generator) -> None:
    characters = string.ascii_uppercase + string.digits
    font = ImageFont.load_default(size=round(size * (0.5 + 0.15 * (index % 3))))
    middle = size / 2 + rng.integers(-size // 9, size // 9 + 1, 2)
    draw.text(tuple(middle), characters[index % len(characters)], fill=255, font=font, anchor="mm")


def _shape(draw: ImageDraw.ImageDraw, size: int, index: int, rng: np.random.Generator) -> None:
    left, top = rng.integers(size // 14, size // 3, 2)
    right, bottom = rng.integers(2 * size // 3, size - size // 14, 2)
    fill = int(rng.integers(120, 256))
    if index % 3 == 0:
        draw.ellipse((left, top, right, bottom), fill=fill)
    elif index % 3 == 1:
        draw.rectangle((left, top, right, bottom), fill=fill)
    else:
        draw.polygon([(left, bottom), ((left + right) / 2, top), (right, bottom)], fill=fill)


def _drawn(kind, size: int, count: int, rng: np.random.Generator) -> np.ndarray:
    images = []
    for index in range(count):
        image = Image.new("L", (size, size), 0)
        kind(ImageDraw.Draw(image), size, index, rng)
        images.append(np.asarray(image))
    return np.stack(images)


def _gradients(size: int, count: int, rng: np.random.Generator) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size] / (size - 1)
    images = []
    for angle in rng.random(count) * 2 * np.pi:
        ramp = np.cos(angle) * x + np.sin(angle) * y
        images.append((ramp - ramp.min()) / np.ptp(ramp))
    return (np.stack(images) * 255).astype(np.uint8)


def families(size: int = 28, channels: int = 1, count: int = 200, seed: int = 0) -> dict[str, np.ndarray]:
    """`count` uint8 images (count x size x size x channels) of each family, by family name."""
    rng = np.random.default_rng(seed)
    grey = {
        "letters": _drawn(_letter, size, count, rng),
        "noise": (rng.random((count, size, size)) * 255 * rng.random((count, 1, 1))).astype(np.uint8),
        "gradients": _gradients(size, count, rng),
        "shapes": _drawn(_shape, size, count, rng),
    }
    return {name: np.repeat(images[..., None], channels, axis=-1) for name, images in grey.items()}
