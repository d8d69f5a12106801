"""What a model may cost: the limits of an explainer that runs in a browser, and batch sizes that bound memory.

The page keeps every layer's output for the current image, as TF.js tensors and as the copies it draws from,
and the site carries the weights (twice: for the page, and as a reusable model/ folder). The limits below are
where a page stops being usable on an ordinary laptop (docs/data.md gives the measurements); a model beyond
them is refused before anything is computed, with a message naming the layer and the limit.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

from .errors import ModelError

MAX_ACTIVATIONS = 6_000_000  # values per image, summed over the input and every layer
MAX_PARAMETERS = 10_000_000  # weights and biases
BATCH_BYTES = 256 * 1024 * 1024  # float32 activations held at once while predicting
MAX_BATCH = 512


def _size(shape) -> int:
    return math.prod(int(d) for d in shape)


def activation_values(spec: dict) -> int:
    """The values one image produces in the whole network (the input and every layer's output)."""
    return _size(spec["input"]["shape"]) + sum(_size(layer["shape"]) for layer in spec["layers"])


def batch_size(spec: dict, most: int = MAX_BATCH) -> int:
    """How many images to run at once so that all their activations stay within BATCH_BYTES."""
    return max(1, min(most, BATCH_BYTES // (4 * activation_values(spec))))


BACKENDS = ("auto", "wasm", "cpu")  # what --backend accepts
WASM_FROM = 10_000_000  # multiply-adds per image from which "auto" picks TF.js's WebAssembly backend (docs/data.md)


def multiply_adds(spec: dict) -> int:
    """The multiply-adds of one image through the conv and dense layers of `spec` (the rest is negligible)."""
    total = 0
    previous = spec["input"]["shape"]
    for layer in spec["layers"]:
        if layer["kind"] == "conv":
            height, width = layer["kernel_size"]
            total += _size(layer["shape"]) * height * width * previous[-1]
        elif layer["kind"] == "dense":
            total += _size(previous) * layer["units"]
        previous = layer["shape"]
    return total


def choose_backend(spec: dict, requested: str = "auto") -> str:
    """The TF.js backend the page of `spec` starts with: "wasm" (the site then carries its 300 KB script) or "cpu".
    The page falls back to cpu wherever WebAssembly cannot run; both compute the same numbers."""
    if requested not in BACKENDS:
        raise ValueError(f"backend {requested!r} is not one of {', '.join(BACKENDS)}")
    if requested != "auto":
        return requested
    return "wasm" if multiply_adds(spec) >= WASM_FROM else "cpu"


def _millions(count: int) -> str:
    return f"{count / 1e6:.1f} million"


def check_budget(model) -> None:
    """Raise ModelError when the explainer of the Keras `model` (the user's, before expand.py splits it) could not
    work in a browser. Cheap: it reads the layers' shapes and weight counts, and computes nothing."""
    from .expand import fused_activation
    from .spec import linear_layers

    layers = linear_layers(model)
    sizes = [
        (layer.name, _shape(layer.output), 2 if fused_activation(layer, i == len(layers) - 1) else 1)
        for i, layer in enumerate(layers)
    ]
    values = _size(_shape(model.inputs[0])) + sum(_size(shape) * copies for _, shape, copies in sizes)
    if values > MAX_ACTIVATIONS:
        name, shape, _ = max(sizes, key=lambda item: _size(item[1]))
        raise ModelError(
            f"model '{model.name}' produces {_millions(values)} values per image (its largest layer, '{name}', "
            f"is {'x'.join(map(str, shape))}), more than the {_millions(MAX_ACTIVATIONS)} a browser page can hold "
            "and draw: explain a model that reads smaller images, pools sooner or has fewer filters"
        )
    parameters = {layer.name: layer.count_params() for layer in layers}
    total = sum(parameters.values())
    if total > MAX_PARAMETERS:
        heaviest = max(parameters, key=parameters.get)
        raise ModelError(
            f"model '{model.name}' has {_millions(total)} weights ({_millions(parameters[heaviest])} of them in "
            f"'{heaviest}'), more than the {_millions(MAX_PARAMETERS)} a page can load quickly: explain a smaller "
            "model, e.g. one that pools more before Flatten or has fewer Dense units"
        )


def saved_parameters(path: Path) -> int | None:
    """The number of weights a Keras model file holds (its layers', not its optimizer's), read from the file's
    dataset shapes without loading them; None when the file is not laid out as expected (loading will tell)."""
    import h5py

    def count(group) -> int:
        total = 0
        for name, item in group.items():
            if isinstance(item, h5py.Dataset):
                total += math.prod(item.shape)
            elif name not in ("optimizer", "optimizer_weights"):
                total += count(item)
        return total

    try:
        if Path(path).suffix == ".keras":
            with zipfile.ZipFile(path) as archive, archive.open("model.weights.h5") as handle, h5py.File(handle) as f:
                return count(f)
        with h5py.File(path, "r") as f:
            return count(f["model_weights"] if "model_weights" in f else f)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


def check_saved_parameters(path: Path) -> None:
    """Raise ModelError when the model file at `path` holds more weights than a page can load, before Keras
    loads it (loading a model takes several times its size in memory)."""
    total = saved_parameters(path)
    if total is not None and total > MAX_PARAMETERS:
        raise ModelError(
            f"--model {path} holds {_millions(total)} weights, more than the {_millions(MAX_PARAMETERS)} a page can "
            "load quickly: explain a smaller model, e.g. one that pools more before Flatten or has fewer Dense units"
        )


def _shape(tensor) -> list[int]:
    return [int(d) for d in tuple(tensor.shape)[1:]]
