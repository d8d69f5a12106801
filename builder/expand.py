"""Split fused activations into layers of their own, so the explainer can show each step.

`Conv2D(..., activation="relu")` computes a convolution and then a ReLU in one layer; a learner
should see both. The expanded model has a linear layer named `<name>_linear` with the same
weights, followed by an Activation layer that keeps the original name, so every original layer
name still gives the original layer's output. The last layer keeps its activation (softmax is
explained from the logits by the output view).
"""

from __future__ import annotations

from .spec import linear_layers

FUSED_KINDS = ("Conv2D", "Dense")


def _fused_activation(layer, is_last: bool) -> str | None:
    if is_last or type(layer).__name__ not in FUSED_KINDS:
        return None
    activation = layer.get_config().get("activation", "linear")
    name = activation if isinstance(activation, str) else getattr(activation, "__name__", str(activation))
    return None if name == "linear" else name


def expand_fused_activations(model) -> tuple[object, dict[str, str]]:
    """An equivalent model without fused activations, and a map from each split-off linear layer
    to the activation layer that follows it (`model` itself and {} when nothing is fused)."""
    import keras

    layers = linear_layers(model)
    if not any(_fused_activation(layer, i == len(layers) - 1) for i, layer in enumerate(layers)):
        return model, {}
    taken = {layer.name for layer in layers}
    fused: dict[str, str] = {}
    rebuilt, weights = [keras.Input(shape=tuple(model.inputs[0].shape[1:]), name="input")], {}
    for position, layer in enumerate(layers):
        config = layer.get_config()
        activation = _fused_activation(layer, position == len(layers) - 1)
        if activation is None:
            rebuilt.append(type(layer).from_config(config))
            weights[layer.name] = layer.get_weights()
            continue
        linear_name = f"{layer.name}_linear"
        while linear_name in taken:
            linear_name += "_"
        taken.add(linear_name)
        fused[linear_name] = layer.name
        rebuilt.append(type(layer).from_config({**config, "activation": "linear", "name": linear_name}))
        rebuilt.append(keras.layers.Activation(activation, name=layer.name))
        weights[linear_name] = layer.get_weights()
    expanded = keras.Sequential(rebuilt, name=model.name)
    for name, values in weights.items():
        if values:
            expanded.get_layer(name).set_weights(values)
    return expanded, fused
