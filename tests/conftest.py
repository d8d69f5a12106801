"""Shared fixtures: small generated models and datasets for fast tests."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from builder.datasets import Dataset, Split  # noqa: E402


def make_dataset(n_classes: int = 3, size: int = 12, channels: int = 1, per_class: int = 20, seed: int = 0) -> Dataset:
    """A tiny dataset of noisy stripes whose orientation/position is the class."""
    rng = np.random.default_rng(seed)

    def images(count):
        labels = np.arange(count) % n_classes
        x = rng.integers(0, 60, size=(count, size, size, channels)).astype(np.uint8)
        for i, label in enumerate(labels):
            x[i, :, label * size // n_classes : (label + 1) * size // n_classes, :] += 150
        return Split(x, labels.astype(np.int64))

    return Dataset(
        "stripes",
        tuple(f"class {i}" for i in range(n_classes)),
        images(per_class * n_classes),
        images(per_class),
        images(per_class),
        "generated",
    )


@pytest.fixture(scope="session")
def tiny_vgg_model():
    """An untrained Tiny VGG for 28x28 grey images, with fixed random weights."""
    import keras

    from builder.model import tiny_vgg

    keras.utils.set_random_seed(1)
    return tiny_vgg((28, 28, 1), 10)
