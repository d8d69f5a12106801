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


def _logits_model(model):
    """The original model's last layer, a Dense whose kernel and bias, applied to what it reads, give the logits
    (the scores before its activation, softmax)."""
    import keras

    last = model.layers[-1]
    if not isinstance(last, keras.layers.Dense):
        raise ValueError(f"the reference logits expect a Dense last layer, not {type(last).__name__}")
    return last


def logit_gradient(model, x: np.ndarray, class_index: int) -> np.ndarray:
    """d logit[class_index] / d x for float32 model input `x` (1 x H x W x C), by tf.GradientTape on the original
    model: the logit is the last Dense layer's kernel and bias applied to what it reads."""
    import keras
    import tensorflow as tf

    last = _logits_model(model)
    features = keras.Model(model.inputs, last.input)
    kernel, bias = last.kernel, last.bias
    inputs = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        logits = tf.matmul(features(inputs, training=False), kernel) + bias
        score = logits[:, class_index]
    return tape.gradient(score, inputs).numpy()[0]


def grad_cam(model, x: np.ndarray, class_index: int, layer_name: str) -> np.ndarray:
    """Grad-CAM of `class_index` on layer `layer_name`'s output A of the original (sequential) model, for input `x`
    (1 x H x W x C): ReLU(sum_k alpha_k A_k), alpha_k the mean over positions of d logit / d A_k (h x w), by
    tf.GradientTape over the layers after A applied one by one (a functional model's intermediate outputs are not
    on the tape)."""
    import keras
    import tensorflow as tf

    last = _logits_model(model)
    layers = model.layers
    after = layers[[layer.name for layer in layers].index(layer_name) + 1 : -1]  # sequential: the layers in between
    maps = keras.Model(model.inputs, model.get_layer(layer_name).output)(tf.convert_to_tensor(x), training=False)
    with tf.GradientTape() as tape:
        tape.watch(maps)
        features = maps
        for layer in after:
            features = layer(features, training=False)
        score = (tf.matmul(features, last.kernel) + last.bias)[:, class_index]
    grads = tape.gradient(score, maps)
    alpha = tf.reduce_mean(grads, axis=(0, 1, 2))
    return tf.nn.relu(tf.reduce_sum(maps[0] * alpha, axis=-1)).numpy()
