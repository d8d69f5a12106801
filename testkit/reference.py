"""Reference values for the tests, computed from the user's original Keras model and never through the builder.

Each layer's output comes from `keras.Model(model.inputs, layer.output)` on the original model; the pixels are
scaled here. A layer whose activation the builder split off (spec "fused_with") is recomputed as a fresh copy of
the original layer with a linear activation and the same weights, applied to that layer's input.
"""

from __future__ import annotations

import numpy as np


def scaled_pixels(images: np.ndarray, divisor: float) -> np.ndarray:
    """What a Keras model reads for uint8 `images`: float32 pixels divided by `divisor`."""
    return images.astype(np.float32) / np.float32(divisor)


def _linear_part(model, name: str, x: np.ndarray) -> np.ndarray:
    import keras

    original = model.get_layer(name)
    inputs = keras.Model(model.inputs, original.input).predict(x, verbose=0)
    linear = type(original).from_config({**original.get_config(), "activation": "linear", "name": f"{name}_ref"})
    linear.build(inputs.shape)
    linear.set_weights(original.get_weights())
    return np.asarray(linear(inputs), dtype=np.float32)


def reference_outputs(
    model, spec: dict, images: np.ndarray, divisor: float | None = None, renamed: dict | None = None
) -> dict[str, np.ndarray]:
    """Every spec layer's output (and "input") for uint8 `images`, by the original Keras `model`, keyed by the
    names the page uses (the spec's layer names). `renamed` maps spec names to `model`'s own layer names, for a
    twin of the user's model whose names TensorFlow accepts."""
    x = scaled_pixels(images, spec["input"]["pixel_divisor"] if divisor is None else divisor)
    return outputs_for_input(model, spec, x, renamed)


def outputs_for_input(model, spec: dict, x: np.ndarray, renamed: dict | None = None) -> dict[str, np.ndarray]:
    """Every spec layer's output (and "input") for float32 model input `x` (N x H x W x C), by the original model."""
    import keras

    own = (renamed or {}).get
    outputs = {"input": x}
    for layer in spec["layers"]:
        name = layer["name"]
        if "fused_with" in layer:
            outputs[name] = _linear_part(model, own(layer["fused_with"], layer["fused_with"]), x)
        else:
            probe = keras.Model(model.inputs, model.get_layer(own(name, name)).output)
            outputs[name] = np.asarray(probe.predict(x, verbose=0), dtype=np.float32)
    return outputs
