"""What the page needs to train the network itself (frontend/src/training/): a seeded subset of the training images
and a held-out set of test images, as uint8 pixels, gzip-compressed, in data/training.js, which the page loads only
when the visitor opens the training panel. Bounded whatever the dataset: at most TRAIN_IMAGES and HELD_OUT images,
and at most PIXEL_BUDGET bytes of pixels in all."""

from __future__ import annotations

import base64
import gzip

import numpy as np

from .datasets import Dataset

TRAIN_IMAGES = 3000
HELD_OUT = 1000
PIXEL_BUDGET = 6_000_000  # raw uint8 bytes of both sets together (3000 + 1000 Fashion-MNIST images: 3.1 MB)
VARIABLE = "CNN_EXPLAIN_TRAINING"
# the kinds the page trains (frontend/src/training/engine.js), and the activation functions it differentiates
KINDS = ("conv", "dense", "activation", "pool", "flatten", "dropout", "rescaling", "globalpool", "padding")
FUNCTIONS = ("relu", "linear", "tanh", "sigmoid", "leaky_relu", "softmax")


def training_problem(spec: dict) -> str | None:
    """Why the page cannot train the network of `spec` (the first layer it cannot), or None when it can."""
    for layer in spec["layers"]:
        if layer["kind"] not in KINDS:
            return f"layer:{layer['name']}:{layer['kind']}"
        function = layer.get("function", layer.get("activation"))
        if function is not None and function not in FUNCTIONS:
            return f"layer:{layer['name']}:{function}"
    last = spec["layers"][-1]
    if (last.get("activation") if last["kind"] == "dense" else last.get("function")) not in ("softmax", "linear"):
        return "output"
    return None


def _pack(images: np.ndarray) -> str:
    return base64.b64encode(gzip.compress(np.ascontiguousarray(images, np.uint8).tobytes(), 9, mtime=0)).decode()


def training_payload(dataset: Dataset, seed: int = 0) -> dict:
    """The subsets of `dataset` the page trains on and measures with (docs/format.md, data/training.js): a seeded
    choice of training images, and of test images named by their index in the test split."""
    size = int(np.prod(dataset.train.images.shape[1:]))
    held_out = min(HELD_OUT, len(dataset.test), PIXEL_BUDGET // (4 * size))
    train = min(TRAIN_IMAGES, len(dataset.train), (PIXEL_BUDGET - held_out * size) // size)
    rng = np.random.default_rng(seed)
    chosen = rng.permutation(len(dataset.train))[:train]
    tested = np.sort(rng.permutation(len(dataset.test))[:held_out])
    return {
        "shape": [int(d) for d in dataset.train.images.shape[1:]],
        "train": {
            "count": int(train),
            "pixels": _pack(dataset.train.images[chosen]),
            "labels": [int(v) for v in dataset.train.labels[chosen]],
        },
        "held_out": {
            "count": int(held_out),
            "pixels": _pack(dataset.test.images[tested]),
            "labels": [int(v) for v in dataset.test.labels[tested]],
            "indices": [int(v) for v in tested],
        },
    }
