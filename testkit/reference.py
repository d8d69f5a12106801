"""Reference values for the tests, computed from the user's original Keras model and never through the builder.

Every layer's output comes from one `keras.Model(model.inputs, [each layer's output])` on the original model; the
pixels are scaled here. A layer whose activation the builder split off (spec "fused_with") is recomputed as a fresh
copy of the original layer with a linear activation and the same weights, applied to that layer's input; the
depthwise step of a SeparableConv2D (spec "part_of") as a fresh DepthwiseConv2D with its depthwise kernel.
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
    plain = [layer["name"] for layer in spec["layers"] if "fused_with" not in layer and "part_of" not in layer]
    # one probe with every layer's output as its outputs: one pass over the images, not one per layer
    probe = keras.Model(model.inputs, [model.get_layer(own(name, name)).output for name in plain])
    results = probe.predict(x, batch_size=256, verbose=0)
    for name, output in zip(plain, results if isinstance(results, list) else [results], strict=True):
        outputs[name] = np.asarray(output, dtype=np.float32)
    for layer in spec["layers"]:
        if "fused_with" in layer:
            outputs[layer["name"]] = _linear_part(model, own(layer["fused_with"], layer["fused_with"]), x)
        if "part_of" in layer:
            outputs[layer["name"]] = _depthwise_part(model, own(layer["part_of"], layer["part_of"]), x)
    return outputs


def _depthwise_part(model, name: str, x: np.ndarray) -> np.ndarray:
    """The first step of SeparableConv2D `name`: a fresh DepthwiseConv2D with its depthwise kernel, no bias."""
    import keras

    original = model.get_layer(name)
    config = original.get_config()
    inputs = keras.Model(model.inputs, original.input).predict(x, verbose=0)
    depthwise = keras.layers.DepthwiseConv2D(
        config["kernel_size"],
        strides=config["strides"],
        padding=config["padding"],
        depth_multiplier=config["depth_multiplier"],
        use_bias=False,
        name=f"{name}_depthwise_ref",
    )
    depthwise.build(inputs.shape)
    depthwise.set_weights([original.get_weights()[0]])
    return np.asarray(depthwise(inputs), dtype=np.float32)


def _logit_head(model):
    """What the logits are computed from, and how: (the tensor of the original model the last layer reads, a
    function of it giving the logits). A last Dense layer's kernel and bias give them (its activation left out);
    a last Activation layer (a separate softmax) reads them."""
    import keras
    import tensorflow as tf

    last = model.layers[-1]
    if isinstance(last, keras.layers.Dense):
        return (
            last.input,
            lambda h: tf.matmul(h, last.kernel) + last.bias if last.use_bias else tf.matmul(h, last.kernel),
        )
    if isinstance(last, (keras.layers.Activation, keras.layers.Softmax)):
        return last.input, lambda h: h
    raise ValueError(f"the reference logits expect a Dense or Activation last layer, not {type(last).__name__}")


def grad_cam_layer(model) -> str:
    """The layer whose maps Grad-CAM weighs: the last Conv2D (or SeparableConv2D, whose last step is a convolution);
    itself when it has an activation of its own, else after the BatchNormalization layers that follow it and the
    activation layer after them, if any."""
    import keras

    layers = model.layers
    convolutions = (keras.layers.Conv2D, keras.layers.SeparableConv2D)
    last = max(i for i, layer in enumerate(layers) if isinstance(layer, convolutions))
    if layers[last].get_config().get("activation") not in (None, "linear"):
        return layers[last].name
    activations = (keras.layers.Activation, keras.layers.ReLU, keras.layers.LeakyReLU, keras.layers.ELU)
    while last + 1 < len(layers) and isinstance(layers[last + 1], keras.layers.BatchNormalization):
        last += 1
    after = layers[last + 1] if last + 1 < len(layers) else None
    return after.name if isinstance(after, activations) else layers[last].name


def logit_gradient(model, x: np.ndarray, class_index: int) -> np.ndarray:
    """d logit[class_index] / d x for float32 model input `x` (1 x H x W x C), by tf.GradientTape on the original
    model: the logits are the scores before the last layer's activation (_logit_head). Compiled by XLA: TensorFlow
    2.19's oneDNN kernels corrupt memory in the gradient of a 1x1 convolution with stride 2 (a ResNet's shortcut)."""
    import keras
    import tensorflow as tf

    features, head = _logit_head(model)
    reads = keras.Model(model.inputs, features)

    @tf.function(jit_compile=True)  # not oneDNN's kernels: see the docstring
    def gradient(inputs):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            score = head(reads(inputs, training=False))[:, class_index]
        return tape.gradient(score, inputs)

    return gradient(tf.convert_to_tensor(x)).numpy()[0]


def grad_cam(model, x: np.ndarray, class_index: int, layer_name: str) -> np.ndarray:
    """Grad-CAM of `class_index` on layer `layer_name`'s output A of the original model, for input `x` (1 x H x W x C):
    ReLU(sum_k alpha_k A_k), alpha_k the mean over positions of d logit / d A_k (h x w), by tf.GradientTape (compiled
    by XLA, as logit_gradient is) over the layers after A: for a chain, applied one by one (a functional model's
    intermediate outputs are not on the tape); for a graph (Add, Concatenate), a Keras model of the original's layers
    from A to what the logits are computed from, which Keras connects as the original does."""
    import keras
    import tensorflow as tf

    features, head = _logit_head(model)
    a = model.get_layer(layer_name).output
    maps = keras.Model(model.inputs, a)(tf.convert_to_tensor(x), training=False)
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    if any(isinstance(layer, (keras.layers.Add, keras.layers.Concatenate)) for layer in layers):
        rest = keras.Model(a, features)
    else:
        after = layers[[layer.name for layer in layers].index(layer_name) + 1 : -1]  # a chain: the layers in between

        def rest(features, training):
            for layer in after:
                features = layer(features, training=training)
            return features

    @tf.function(jit_compile=True)  # not oneDNN's kernels: see logit_gradient
    def gradient(maps):
        with tf.GradientTape() as tape:
            tape.watch(maps)
            score = head(rest(maps, training=False))[:, class_index]
        return tape.gradient(score, maps)

    alpha = tf.reduce_mean(gradient(maps), axis=(0, 1, 2))
    return tf.nn.relu(tf.reduce_sum(maps[0] * alpha, axis=-1)).numpy()


def _edited_copy(original, config_changes: dict, inputs: np.ndarray, layer_edits: list[dict]):
    """A fresh copy of Keras layer `original` (its config changed by `config_changes`), built for `inputs`, with its
    weights and `layer_edits` written into them: each edit's `index` is flat, row-major, in the weight as Keras
    stores it (kernel [kh, kw, cin, cout] or [in, out], bias [out])."""
    copy = type(original).from_config({**original.get_config(), **config_changes, "name": f"{original.name}_edited"})
    copy.build(inputs.shape)
    weights = [np.array(w, dtype=np.float32, copy=True) for w in original.get_weights()]
    for edit in layer_edits:
        target = weights[0] if edit["weight"] == "kernel" else weights[1]
        target.reshape(-1)[edit["index"]] = np.float32(edit["value"])
    copy.set_weights(weights)
    return copy


def edited_outputs(model, spec: dict, images: np.ndarray, edits: list[dict]) -> dict[str, np.ndarray]:
    """Every spec layer's output (and "input") for uint8 `images` by the original Keras `model` with `edits` (the
    page's: {layer, weight, index, value} or {layer, silence}) applied to copies of its layers, never through the
    builder or the page. Layer by layer along the spec (a merge on the list it reads): a conv or dense layer as a copy with the edited weights (its
    activation left out when the builder split it off: spec "fused_with"), an activation split off a Keras layer as
    that activation, any other layer as Keras's own; then each silenced channel of a layer set to 0."""
    import keras

    x = scaled_pixels(images, spec["input"]["pixel_divisor"])
    outputs = {"input": x}
    for layer in spec["layers"]:
        name = layer["name"]
        inputs = [outputs[n] for n in layer["inputs"]] if "inputs" in layer else outputs[layer["input"]]
        own = [e for e in edits if e["layer"] == name]
        original = model.get_layer(layer.get("fused_with", name))
        if layer["kind"] in ("conv", "dense"):
            changes = {"activation": "linear"} if "fused_with" in layer else {}
            weights = [e for e in own if "weight" in e]
            result = _edited_copy(original, changes, inputs, weights)(inputs)
        elif layer["kind"] == "activation" and isinstance(original, (keras.layers.Conv2D, keras.layers.Dense)):
            result = keras.activations.get(layer["function"])(inputs)  # the activation a Keras layer fused
        else:
            result = original(inputs, training=False)
        result = np.array(result, dtype=np.float32)
        for edit in own:
            if "silence" in edit:
                result[..., edit["silence"]] = 0
        outputs[name] = result
    return outputs
