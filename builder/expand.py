"""The model as the explainer runs it: fused activations split into layers of their own, safe layer names.

`Conv2D(..., activation="relu")` computes a convolution and then a ReLU in one layer; a learner
should see both. A `SeparableConv2D` is two steps too: a depthwise convolution (one kernel per input
channel), named `<name>_depthwise`, then a 1x1 convolution across the channels (the pointwise step,
with the layer's bias and activation), which keeps the name. The explained model has a linear layer named `<name>_linear` with the same
weights, followed by an Activation layer that keeps the original name, so every original layer
name still gives the original layer's output. The last layer keeps its activation (softmax is
explained from the logits by the output view).

Keras accepts any layer name ("café", "conv 1", "层", "<b>x</b>"), but TensorFlow refuses most of
them as scope names when the model runs, and TF.js refuses them too. So every layer of the explained
model gets an `id` that both accept (its name when that is already safe, else `layer_<n>`); the spec
keeps the original names for people (`name`) next to the ids (`id`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .spec import MERGES, layer_graph

FUSED_KINDS = ("Conv2D", "DepthwiseConv2D", "Dense")
SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
RESERVED = ("input",)  # the page's name for the model's input


@dataclass(frozen=True)
class ExplainedModel:
    """A Keras model equivalent to the user's, as the explainer runs it.

    `names` maps each layer id to the name people see; `fused` maps each split-off linear layer's name to the
    name of the activation layer after it (both display names); `parts` maps the depthwise step of a separable
    convolution to the layer's name.
    """

    model: object
    names: dict[str, str]
    fused: dict[str, str]
    name: str  # the original model's name
    parts: dict[str, str] = field(default_factory=dict)


def fused_activation(kind: str, config: dict, is_last: bool) -> str | None:
    """The activation fused into a layer of class `kind` with `config` (a Conv2D, DepthwiseConv2D or Dense that is
    not the last layer), or None."""
    if is_last or kind not in FUSED_KINDS:
        return None
    activation = config.get("activation", "linear")
    name = activation if isinstance(activation, str) else getattr(activation, "__name__", str(activation))
    return None if name == "linear" else name


class _Names:
    """Unique display names and safe ids, handed out in layer order."""

    def __init__(self, originals: list[str]) -> None:
        self.shown = set(originals) | set(RESERVED)
        self.ids: set[str] = set(RESERVED)
        self.count = 0

    def display(self, wanted: str) -> str:
        name = wanted
        while name in self.shown:
            name += "_"
        self.shown.add(name)
        return name

    def id_for(self, name: str) -> str:
        self.count += 1
        candidate = name if SAFE_ID.fullmatch(name) else f"layer_{self.count}"
        while candidate in self.ids:
            candidate += "_"
        self.ids.add(candidate)
        return candidate


def explainable_model(model) -> ExplainedModel:
    """The explained form of `model` (see the module docstring): same function, same weights, layer by layer."""
    import keras

    graph = layer_graph(model)
    names = _Names([layer.name for layer, _ in graph])
    ids: dict[str, str] = {}
    fused: dict[str, str] = {}
    inputs = keras.Input(shape=tuple(model.inputs[0].shape[1:]), name="input")
    tensors = {None: inputs}  # each original layer's output in the explained model, by the original name
    weights: dict[str, list] = {}
    parts: dict[str, str] = {}
    for position, (layer, reads) in enumerate(graph):
        read = [tensors[source] for source in reads]
        x = read if type(layer).__name__ in MERGES else read[0]
        kind, config, values = type(layer).__name__, layer.get_config(), layer.get_weights()
        shown = layer.name if layer.name not in RESERVED else names.display(layer.name)
        if kind == "SeparableConv2D":
            depthwise = names.display(f"{shown}_depthwise")
            depthwise_id = names.id_for(depthwise)
            ids[depthwise_id] = depthwise
            parts[depthwise] = shown
            depthwise_layer = keras.layers.DepthwiseConv2D(**_depthwise_config(config), name=depthwise_id)
            x = depthwise_layer(x)
            weights[depthwise_id] = values[:1]
            kind, config, values = "Conv2D", _pointwise_config(config), values[1:]
        layer_class = getattr(keras.layers, kind) if kind != type(layer).__name__ else type(layer)
        activation = fused_activation(kind, config, position == len(graph) - 1)
        if activation is not None:
            linear = names.display(f"{shown}_linear")
            linear_id = names.id_for(linear)
            ids[linear_id] = linear
            fused[linear] = shown
            x = layer_class.from_config({**config, "activation": "linear", "name": linear_id})(x)
            weights[linear_id] = values
            layer_id = names.id_for(shown)
            x = keras.layers.Activation(activation, name=layer_id)(x)
        else:
            layer_id = names.id_for(shown)
            x = layer_class.from_config({**config, "name": layer_id})(x)
            weights[layer_id] = values
        ids[layer_id] = shown
        tensors[layer.name] = x
    explained = keras.Model(inputs, x, name="explained")
    for layer_id, values in weights.items():
        if values:
            explained.get_layer(layer_id).set_weights(values)
    return ExplainedModel(explained, ids, fused, model.name, parts)


def _depthwise_config(config: dict) -> dict:
    """The DepthwiseConv2D that is a SeparableConv2D's first step (no bias, no activation)."""
    keys = ("kernel_size", "strides", "padding", "depth_multiplier", "dilation_rate", "data_format")
    return {**{key: config[key] for key in keys if key in config}, "use_bias": False}


def _pointwise_config(config: dict) -> dict:
    """The 1x1 Conv2D that is a SeparableConv2D's second step, with its bias and activation."""
    return {
        "filters": config["filters"],
        "kernel_size": 1,
        "use_bias": config["use_bias"],
        "activation": config["activation"],
        "data_format": config.get("data_format", "channels_last"),
    }
