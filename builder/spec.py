"""The model spec: a small JSON description of a Keras model that the front end reads.

It names every layer's kind, shapes, hyper-parameters and the layers it reads, so the browser never guesses
a layer's type from its name. A model is accepted when it is a directed acyclic graph of the layers in SUPPORTED
with one image input and one output; its layers are listed in a topological order (model_layers).
"""

from __future__ import annotations

from .errors import ModelError

SPEC_FORMAT = 6

# Layers that only act while training (regularisation, augmentation): when the model predicts, each passes its input
# through, and the spec says so (kind "dropout", with the layer's class).
PASS_THROUGH = (
    "Dropout",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "GaussianNoise",
    "GaussianDropout",
    "AlphaDropout",
    "ActivityRegularization",
    "RandomFlip",
    "RandomRotation",
    "RandomZoom",
    "RandomTranslation",
    "RandomContrast",
    "RandomBrightness",
)
SUPPORTED = (
    "Conv2D",
    "ReLU",
    "Activation",
    "LeakyReLU",
    "BatchNormalization",
    "MaxPooling2D",
    "AveragePooling2D",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling2D",
    "ZeroPadding2D",
    "DepthwiseConv2D",
    "SeparableConv2D",
    "Flatten",
    "Dense",
    "Rescaling",
    "Add",
    "Concatenate",
    *PASS_THROUGH,
)
MERGES = ("Add", "Concatenate")  # layers that read more than one layer
# What to use instead of a layer the explainer refuses, by its class
NEAREST = {
    "Conv1D": "Conv2D on images",
    "Conv3D": "Conv2D",
    "Conv2DTranspose": "Conv2D (the explainer shows classifiers)",
    "LayerNormalization": "BatchNormalization",
    "GroupNormalization": "BatchNormalization",
    "UnitNormalization": "BatchNormalization",
    "MaxPooling1D": "MaxPooling2D",
    "AveragePooling1D": "AveragePooling2D",
    "GlobalAveragePooling1D": "GlobalAveragePooling2D",
    "GlobalMaxPooling1D": "GlobalMaxPooling2D",
    "Reshape": "Flatten",
    "Permute": "Flatten",
    "Cropping2D": "ZeroPadding2D or a smaller input",
    "UpSampling2D": "a larger input",
    "RandomCrop": "Resizing the images before the model (RandomCrop crops the centre when predicting)",
    "Resizing": "images of the model's input size (--image-size)",
    "PReLU": "LeakyReLU",
    "ELU": "Activation('elu')",
    "Softmax": "Activation('softmax') as the last layer",
    "Normalization": "Rescaling, or normalising the images before the model",
    "Subtract": "Add",
    "Average": "Add",
    "Maximum": "Concatenate and a convolution",
    "Multiply": "Add",
}

ELEMENTWISE_ACTIVATIONS = (
    "relu",
    "tanh",
    "sigmoid",
    "leaky_relu",
    "elu",
    "selu",
    "gelu",
    "swish",
    "silu",
    "softplus",
    "softsign",
    "linear",
)
OUTPUT_ACTIVATIONS = ("softmax", "linear", "sigmoid")
# Element-wise activations the browser cannot compute as Keras does, and why.
UNSUPPORTED_ACTIVATIONS = {
    "hard_sigmoid": "TensorFlow.js computes a different hard sigmoid (0.2 x + 0.5) from Keras 3's (x / 6 + 0.5)",
}
LEAKY_RELU_SLOPE = 0.2  # keras.activations.leaky_relu's slope, for activation="leaky_relu"


def _pair(value) -> list[int]:
    return [int(value), int(value)] if isinstance(value, int) else [int(v) for v in value]


def _shape(tensor) -> list[int]:
    return [int(d) for d in tuple(tensor.shape)[1:]]


SUPPORTED_TEXT = (
    f"Supported layers: {', '.join(SUPPORTED)} in a Sequential or Functional model with one image input "
    "(channels last) and one output."
)


def _unsupported(layer, shown: str, why: str) -> ModelError:
    nearest = NEAREST.get(type(layer).__name__)
    instead = f" Use {nearest} instead." if nearest and why == "is not supported" else ""
    return ModelError(f"layer '{shown}' ({type(layer).__name__}) {why}.{instead} {SUPPORTED_TEXT}")


def _activation_name(value) -> str:
    if isinstance(value, str):
        return value
    return getattr(value, "__name__", str(value))


def _check_activation(layer, shown: str, function: str, allowed: tuple[str, ...], what: str) -> None:
    if function in UNSUPPORTED_ACTIVATIONS:
        raise _unsupported(layer, shown, f"{what} '{function}': {UNSUPPORTED_ACTIVATIONS[function]}")
    if function not in allowed:
        raise _unsupported(
            layer, shown, f"{what} '{function}', which the explainer cannot show here (allowed: {', '.join(allowed)})"
        )


def _sliding(layer, shown: str, config: dict) -> dict:
    """The fields of a kernel that slides over the maps (conv, depthwise): its window, stride, padding, fused
    activation (checked) and bias."""
    activation = _activation_name(config["activation"])
    _check_activation(layer, shown, activation, ELEMENTWISE_ACTIVATIONS, "has a fused activation")
    return {
        "kernel_size": _pair(config["kernel_size"]),
        "strides": _pair(config["strides"]),
        "padding": config["padding"],
        "activation": activation,
        "use_bias": bool(config["use_bias"]),
    }


def _describe(layer, reads: list[str], position: int, count: int, shown: str, leading: bool = False) -> dict:
    """The spec entry of `layer` (at `position` of `count`, reading the layers named `reads`); `leading`: only layers
    that pass their input through come before it."""
    kind = type(layer).__name__
    config = layer.get_config()
    first_input = layer.input[0] if isinstance(layer.input, (list, tuple)) else layer.input
    entry = {
        "name": shown,
        "id": layer.name,
        "input": reads[0],
        "input_shape": _shape(first_input),
        "shape": _shape(layer.output),
    }
    if kind in MERGES:
        entry["inputs"] = list(reads)
        if len(entry["shape"]) != 3:
            raise _unsupported(layer, shown, "joins vectors; the explainer shows Add and Concatenate on maps")
    if config.get("data_format", "channels_last") != "channels_last":
        raise _unsupported(layer, shown, "uses channels_first data")
    if kind == "Conv2D":
        if _pair(config["dilation_rate"]) != [1, 1] or config.get("groups", 1) != 1:
            raise _unsupported(layer, shown, "uses dilation or groups")
        entry.update(kind="conv", filters=int(config["filters"]), **_sliding(layer, shown, config))
    elif kind == "DepthwiseConv2D":
        if _pair(config["dilation_rate"]) != [1, 1]:
            raise _unsupported(layer, shown, "uses dilation")
        if int(config["depth_multiplier"]) != 1:
            raise _unsupported(
                layer, shown, f"makes {config['depth_multiplier']} channels of each (depth_multiplier 1 is shown)"
            )
        entry.update(kind="depthwise", **_sliding(layer, shown, config))
    elif kind == "ReLU":
        slope = float(config.get("negative_slope") or 0.0)
        if config.get("max_value") is not None or float(config.get("threshold") or 0.0) != 0.0:
            raise _unsupported(layer, shown, "uses max_value or threshold")
        if slope:
            entry.update(kind="activation", function="leaky_relu", alpha=slope)
        else:
            entry.update(kind="activation", function="relu")
    elif kind == "LeakyReLU":
        alpha = config.get("negative_slope", config.get("alpha", 0.3))
        entry.update(kind="activation", function="leaky_relu", alpha=float(alpha))
    elif kind == "Activation":
        function = _activation_name(config["activation"])
        allowed = ELEMENTWISE_ACTIVATIONS + (("softmax",) if position == count - 1 else ())
        _check_activation(layer, shown, function, allowed, "applies")
        entry.update(kind="activation", function=function)
        if function == "leaky_relu":
            entry["alpha"] = LEAKY_RELU_SLOPE
    elif kind in ("MaxPooling2D", "AveragePooling2D"):
        entry.update(
            kind="pool",
            op="max" if kind == "MaxPooling2D" else "average",
            pool_size=_pair(config["pool_size"]),
            strides=_pair(config["strides"] or config["pool_size"]),
            padding=config["padding"],
        )
    elif kind == "BatchNormalization":
        axis = config["axis"]
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        if [a % (len(entry["input_shape"]) + 1) for a in axes] != [len(entry["input_shape"])]:
            raise _unsupported(layer, shown, f"normalises along axis {axis}, not the channels (axis=-1)")
        entry.update(
            kind="batchnorm",
            epsilon=float(config["epsilon"]),
            center=bool(config["center"]),
            scale=bool(config["scale"]),
        )
    elif kind in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
        if config.get("keepdims"):
            raise _unsupported(layer, shown, "keeps the pooled axes (keepdims=True; use keepdims=False)")
        entry.update(kind="globalpool", op="max" if kind == "GlobalMaxPooling2D" else "average")
    elif kind == "ZeroPadding2D":
        padding = config["padding"]
        if isinstance(padding, int):
            padding = ((padding, padding), (padding, padding))
        padding = [_pair(side) if not isinstance(side, int) else [side, side] for side in padding]
        entry.update(kind="padding", padding=padding)
    elif kind == "Flatten":
        entry.update(kind="flatten")
    elif kind == "Dense":
        activation = _activation_name(config["activation"])
        allowed = OUTPUT_ACTIVATIONS if position == count - 1 else ELEMENTWISE_ACTIVATIONS
        _check_activation(layer, shown, activation, allowed, "has activation")
        if len(entry["input_shape"]) != 1:
            raise _unsupported(layer, shown, "reads a tensor of more than one axis (add a Flatten before it)")
        entry.update(kind="dense", units=int(config["units"]), activation=activation, use_bias=bool(config["use_bias"]))
    elif kind in PASS_THROUGH:
        rate = config.get("rate") if "Dropout" in kind else None  # a share of values dropped while training
        entry.update(kind="dropout", rate=None if rate is None else float(rate))
        if kind != "Dropout":
            entry["layer_class"] = kind
    elif kind == "Add":
        shapes = [_shape(tensor) for tensor in layer.input]
        if any(shape != entry["shape"] for shape in shapes):
            raise _unsupported(layer, shown, f"adds tensors of shapes {shapes} (the explainer adds equal shapes)")
        entry.update(kind="add")
    elif kind == "Concatenate":
        if config["axis"] not in (-1, len(entry["shape"])):
            raise _unsupported(layer, shown, f"joins along axis {config['axis']}, not the channels (axis=-1)")
        entry.update(kind="concatenate", channels=[_shape(tensor)[-1] for tensor in layer.input])
    elif kind == "Rescaling":
        if not leading:
            raise _unsupported(layer, shown, "is only supported as the first layer")
        scale, offset = config["scale"], config["offset"]
        if not isinstance(scale, (int, float)) or not isinstance(offset, (int, float)):
            raise _unsupported(layer, shown, "uses per-channel scale or offset")
        entry.update(kind="rescaling", scale=float(scale), offset=float(offset))
    else:
        raise _unsupported(layer, shown, "is not supported")
    return entry


def model_layers(model) -> list:
    """The model's layers (without InputLayers) in a topological order: see layer_graph."""
    return [layer for layer, _ in layer_graph(model)]


def layer_graph(model) -> list[tuple[object, list[str | None]]]:
    """Each layer of `model` (without InputLayers) with the names of the layers it reads (None for the model's input:
    a layer may be named "input"), in a topological order that keeps branches together: depth first from the output, each layer's inputs in
    the order it reads them, so that a residual block's main path comes before its shortcut, as people write it.
    Raises ModelError for what is not a graph of single layers from one image input to one output."""
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    if type(model).__name__ == "Sequential":
        names = [None, *(layer.name for layer in layers)]
        return [(layer, [names[i]]) for i, layer in enumerate(layers)]
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ModelError(
            f"model '{model.name}' has {len(model.inputs)} inputs and {len(model.outputs)} outputs; "
            "the explainer supports one image input and one class output"
        )
    by_name = {layer.name: layer for layer in layers}
    reads: dict[str, list[str]] = {}
    inputs = set()
    for layer_config in model.get_config()["layers"]:
        name = layer_config["config"]["name"] if "name" in layer_config["config"] else layer_config["name"]
        if layer_config["class_name"] == "InputLayer":
            inputs.add(name)
            continue
        nodes = layer_config.get("inbound_nodes", [])
        if len(nodes) > 1:
            raise ModelError(
                f"layer '{name}' is used {len(nodes)} times: the explainer shows each layer once "
                f"(no shared layers). {SUPPORTED_TEXT}"
            )
        if isinstance(layer_config["config"].get("layers"), list):
            raise ModelError(
                f"layer '{name}' is a model inside the model: build one model of its layers to explain it. "
                f"{SUPPORTED_TEXT}"
            )
        inbound = _inbound_names(nodes)
        reads[name] = [None if source in inputs else source for source in inbound]
    output = model.outputs[0]._keras_history[0].name
    ordered, done, stack = [], {None}, [(output, False)]
    while stack:  # depth first, post-order, without recursion
        name, expanded = stack.pop()
        if name in done:
            continue
        if expanded:
            done.add(name)
            ordered.append(name)
            continue
        stack.append((name, True))
        stack.extend((source, False) for source in reversed(reads[name]) if source not in done)
    return [(by_name[name], reads[name]) for name in ordered]


def _inbound_names(nodes) -> list[str]:
    """The names of the layers a Keras 3 config's inbound nodes read, in order."""
    names = []

    def walk(value):
        if isinstance(value, dict):
            history = (
                value.get("config", {}).get("keras_history") if value.get("class_name") == "__keras_tensor__" else None
            )
            if history:
                names.append(history[0])
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(nodes)
    return names


RAW_PIXELS = 1.0  # the divisor for a model that scales its input itself (a leading Rescaling layer)
UNIT_PIXELS = 255.0  # the divisor for a model that reads pixels scaled to 0..1


def default_pixel_divisor(model) -> float:
    """What the builder divides 0..255 pixels by before the model reads them.

    A model whose first layer is Rescaling (e.g. `Rescaling(1/255)`; augmentation layers may come before it, as they
    pass their input through when predicting) scales the pixels itself and
    reads them raw (divisor 1); any other model is taken to read pixels scaled to 0..1 (divisor 255),
    as Tiny VGG does. `--pixel-divisor` overrides this.
    """
    layers = [layer for layer in model_layers(model) if type(layer).__name__ not in PASS_THROUGH]
    return RAW_PIXELS if layers and type(layers[0]).__name__ == "Rescaling" else UNIT_PIXELS


def check_supported(
    model,
    fused: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
    name: str | None = None,
    parts: dict[str, str] | None = None,
) -> None:
    """Raise ModelError when `model` has what the spec cannot describe (an unsupported layer, input or output),
    before its class names are known; the arguments are model_spec's."""
    _layer_entries(model, fused or {}, names or {}, name or model.name, parts or {})


def model_spec(
    model,
    classes: list[str] | tuple[str, ...],
    pixel_divisor: float = 255.0,
    fused: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
    name: str | None = None,
    photo: dict | None = None,
    parts: dict[str, str] | None = None,
) -> dict:
    """The spec of a Keras model (see docs/format.md); raises ModelError for what is unsupported.

    `names` maps layer ids (the Keras names of `model`) to the names people see, and `name` is the model's own
    name (both default to `model`'s names); `fused` maps linear layers split off by expand.py to the activation
    layer that follows them, by the names people see; `parts` maps the depthwise step of a separable convolution to
    the layer's name. `photo` is how the page prepares a visitor's photo (photo.py), the input's `photo` when given.
    """
    name = name or model.name
    input_shape, entries = _layer_entries(model, fused or {}, names or {}, name, parts or {})
    if entries[-1]["shape"][0] != len(classes):
        raise ModelError(
            f"model '{name}' outputs {entries[-1]['shape'][0]} classes but {len(classes)} class names were given"
        )
    model_input = {"name": "input", "shape": input_shape, "pixel_divisor": float(pixel_divisor)}
    if photo is not None:
        model_input["photo"] = photo
    return {
        "format": SPEC_FORMAT,
        "name": name,
        "input": model_input,
        "classes": list(classes),
        "layers": entries,
    }


def _layer_entries(
    model, fused: dict[str, str], names: dict[str, str], name: str, parts: dict[str, str]
) -> tuple[list[int], list[dict]]:
    """The input shape of `model` and the spec entries of its layers; raises ModelError for what is unsupported."""
    graph = layer_graph(model)
    input_shape = _shape(model.inputs[0])
    if len(input_shape) != 3 or input_shape[2] not in (1, 3):
        raise ModelError(
            f"model '{name}' reads input of shape {tuple(input_shape)}; "
            "the explainer supports images of shape (height, width, 1 or 3)"
        )
    entries = []
    for position, (layer, reads) in enumerate(graph):
        shown = names.get(layer.name, layer.name)
        reads = ["input" if source is None else names.get(source, source) for source in reads]
        leading = all(before["kind"] == "dropout" for before in entries) and reads == [
            entries[-1]["name"] if entries else "input"
        ]
        entry = _describe(layer, reads, position, len(graph), shown, leading)
        if shown in fused:
            entry["fused_with"] = fused[shown]
        if shown in fused.values():
            entry["fused"] = True
        if shown in parts:
            entry["part_of"] = parts[shown]
        entries.append(entry)
    last = entries[-1] if entries else None
    if last is None or last["kind"] not in ("dense", "activation") or len(last["shape"]) != 1:
        raise ModelError(f"model '{name}' must end with a Dense layer giving one score per class")
    return input_shape, entries
