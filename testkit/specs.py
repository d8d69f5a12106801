"""Model specs written by hand (docs/format.md), for tests that render a page without a Keras model."""

from __future__ import annotations


def minimal_spec(classes: list[str]) -> dict:
    """One dense layer (softmax, one unit per class) on 8x8 grey images."""
    return {
        "format": 1,
        "name": "net",
        "classes": classes,
        "input": {"name": "input", "shape": [8, 8, 1], "pixel_divisor": 255.0},
        "layers": [
            {
                "name": "output",
                "kind": "dense",
                "units": len(classes),
                "activation": "softmax",
                "input": "input",
                "input_shape": [64],
                "shape": [len(classes)],
                "use_bias": True,
            }
        ],
    }


def small_cnn_spec() -> dict:
    """conv (4 filters 3x3, same) -> relu -> 2x2 max pool -> flatten -> dense (3 classes), on 8x8 grey images."""
    conv = {"kind": "conv", "filters": 4, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same"}
    conv.update(activation="linear", use_bias=True)
    pool = {"kind": "pool", "op": "max", "pool_size": [2, 2], "strides": [2, 2], "padding": "valid"}
    layers = [
        {"name": "conv", "input": "input", "input_shape": [8, 8, 1], "shape": [8, 8, 4], **conv},
        {"name": "relu", "kind": "activation", "function": "relu", "input": "conv", "input_shape": [8, 8, 4]},
        {"name": "pool", "input": "relu", "input_shape": [8, 8, 4], "shape": [4, 4, 4], **pool},
        {"name": "flatten", "kind": "flatten", "input": "pool", "input_shape": [4, 4, 4], "shape": [64]},
        {"name": "output", "kind": "dense", "units": 3, "activation": "softmax", "use_bias": True},
    ]
    layers[1]["shape"] = [8, 8, 4]
    layers[4].update(input="flatten", input_shape=[64], shape=[3])
    spec = minimal_spec(["cat", "dog", "fox"])
    spec["layers"] = layers
    return spec
