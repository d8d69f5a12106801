"""How well the page's photo preparation works: the model's answer on "photos" made from test images, against its
answer on the original images.

    .venv/bin/python -m bench.photos [--photos 200] [--seed 0] [--model FILE]

Photos (testkit/photos.py): each test image scaled up 4 to 12 times, as a dark item or a light one, shifted on a
larger light, grey or noisy background. Each is prepared under node by the page's own code, three ways:
  - plain: preprocess.js's centre crop and resize, as the page did before image/photo.js, untouched;
  - plain, inverted as the page's old hint said: inverted when the item is darker than its background;
  - prepared: image/photo.js with the recipe the builder measures (builder/photo.py).
Prints the share of photos whose answer equals the original image's, in all and by kind of photo, and the median
time to prepare one photo in node. The model is the default one (Tiny VGG on Fashion-MNIST, from the project's
.cache; trained first if it is not there) unless --model names a .keras file of a 28 x 28 grey model.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import numpy as np

from testkit.chromium import ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", type=Path)
    args = parser.parse_args()

    from builder.datasets import load_dataset
    from builder.model import TrainConfig
    from builder.model_store import load_keras_model, trained_model
    from builder.photo import photo_recipe
    from builder.quiet import import_tensorflow
    from testkit.photos import make_photos, prepare_in_node

    import_tensorflow()
    dataset = load_dataset(None)
    model = load_keras_model(args.model) if args.model else trained_model(dataset, TrainConfig(), ROOT / ".cache").model
    recipe = photo_recipe(dataset.train.images)
    photos = make_photos(dataset.test.images, args.photos, seed=args.seed)

    def answer(pixels: np.ndarray) -> np.ndarray:
        return model.predict(pixels.astype(np.float32) / np.float32(255), verbose=0).argmax(axis=1)

    original = answer(dataset.test.images[[photo.source for photo in photos]])
    with tempfile.TemporaryDirectory() as folder:
        plain = prepare_in_node(photos, recipe, 28, Path(folder), plain=True)
        prepared = prepare_in_node(photos, recipe, 28, Path(folder))
        times = np.fromfile(Path(folder) / "times.bin", dtype=np.float64)
    dark = np.array([photo.inverted for photo in photos])
    ways = {
        "plain crop and resize": answer(plain) == original,
        "plain, inverted as the old hint said": answer(np.where(dark[:, None, None, None], 255 - plain, plain))
        == original,
        "prepared like the training images": answer(prepared) == original,
    }
    load = os.getloadavg()[0]
    print(f"{args.photos} photos (seed {args.seed}), recipe {recipe}")
    print(f"answer equal to the original image's, load average {load:.1f}:")
    for name, agree in ways.items():
        print(f"  {name:40s} {agree.mean():6.1%}")
    print("prepared, by kind of photo:")
    for key in ("inverted", "background"):
        for value in sorted({getattr(photo, key) for photo in photos}, key=str):
            chosen = np.array([getattr(photo, key) == value for photo in photos])
            label = f"{key} = {value}"
            print(f"  {label:40s} {ways['prepared like the training images'][chosen].mean():6.1%} of {chosen.sum()}")
    sides = [max(photo.rgba.shape[:2]) for photo in photos]
    print(
        f"median time to prepare one photo in node: {np.median(times):.1f} ms (photos {min(sides)} to {max(sides)} px)"
    )


if __name__ == "__main__":
    main()
