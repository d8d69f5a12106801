"""Generated Keras models the tests and benchmarks share (untrained: seed the weights before building)."""

from __future__ import annotations

WIDE = "64x64x3, 3 blocks of 2 x Conv2D(64) + max pool, Dense(10)"
DEEP = "128x128x3, 6 blocks of Conv2D(64) + max pool, Dense(10)"


def photo_model(size: int, filters: int, classes: int):
    """A small colour model as a user brings one: size x size x 3, Conv2D(filters, 3x3, relu), max pool 2,
    Dense(classes, softmax)."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((size, size, 3)),
            layers.Conv2D(filters, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(classes, activation="softmax"),
        ]
    )


def wide_model(classes: int = 10, size: int = 64):
    """The wide reference model: 64x64x3 input (or `size`), 3 blocks of (Conv2D 64 3x3 same relu x 2, MaxPooling2D 2).
    At `size` 128 it produces 5.9 million values per image, just inside the explainer's budget (builder/budget.py)."""
    import keras
    from keras import layers

    blocks = []
    for b in range(1, 4):
        blocks += [
            layers.Conv2D(64, 3, padding="same", activation="relu", name=f"conv_{b}_1"),
            layers.Conv2D(64, 3, padding="same", activation="relu", name=f"conv_{b}_2"),
            layers.MaxPooling2D(2, name=f"pool_{b}"),
        ]
    return keras.Sequential(
        [keras.Input((size, size, 3)), *blocks, layers.Flatten(), layers.Dense(classes, activation="softmax")],
        name="wide",
    )


def deep_model(classes: int = 10):
    """The deep reference model: 128x128x3 input, 6 blocks of (Conv2D 64 3x3 same relu, MaxPooling2D 2)."""
    import keras
    from keras import layers

    blocks = []
    for b in range(1, 7):
        blocks += [
            layers.Conv2D(64, 3, padding="same", activation="relu", name=f"conv_{b}"),
            layers.MaxPooling2D(2, name=f"pool_{b}"),
        ]
    return keras.Sequential(
        [keras.Input((128, 128, 3)), *blocks, layers.Flatten(), layers.Dense(classes, activation="softmax")],
        name="deep",
    )


def huge_model(pool: int | None = 8):
    """256x256x1 with two Conv2D(128): 42 million values per image; without pooling, 84 million weights too."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((256, 256, 1)),
            layers.Conv2D(128, 3, padding="same", activation="relu"),
            layers.Conv2D(128, 3, padding="same", activation="relu"),
            *([layers.MaxPooling2D(pool)] if pool else []),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ],
        name="huge",
    )
