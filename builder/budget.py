"""What a model may cost: the limits of an explainer that runs in a browser, and batch sizes that bound memory.

The page keeps every layer's output for the current image, as TF.js tensors and as the copies it draws from,
and the site carries the weights (twice: for the page, and as a reusable model/ folder). The limits below are
where a page stops being usable on an ordinary laptop (docs/data.md gives the measurements); a model beyond
them is refused before anything is computed, with a message naming the layer and the limit.
"""

from __future__ import annotations

import math

from .errors import ModelError

MAX_ACTIVATIONS = 8_000_000  # values per image, summed over the input and every layer
MAX_PARAMETERS = 10_000_000  # weights and biases
MAX_STORED_BYTES = 48 * 1024 * 1024  # precomputed float16 activations of all samples, before compression
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


def _millions(count: int) -> str:
    return f"{count / 1e6:.1f} million"


def check_budget(spec: dict, parameters: dict[str, int]) -> None:
    """Raise ModelError when the explainer of a model with this spec (and `parameters`, a count per layer name)
    could not work in a browser."""
    values = activation_values(spec)
    if values > MAX_ACTIVATIONS:
        largest = max(spec["layers"], key=lambda layer: _size(layer["shape"]))
        shape = "x".join(str(d) for d in largest["shape"])
        side = spec["input"]["shape"][0]
        raise ModelError(
            f"model '{spec['name']}' produces {_millions(values)} values per image (its largest layer, "
            f"'{largest['name']}', is {shape}), more than the {_millions(MAX_ACTIVATIONS)} a browser page can hold "
            f"and draw: train it on smaller images (--image-size {max(4, side // 2)} halves each side) "
            "or with fewer filters"
        )
    total = sum(parameters.values())
    if total > MAX_PARAMETERS:
        heaviest = max(parameters, key=parameters.get)
        raise ModelError(
            f"model '{spec['name']}' has {_millions(total)} weights ({_millions(parameters[heaviest])} of them in "
            f"'{heaviest}'), more than the {_millions(MAX_PARAMETERS)} a page can load quickly: use a smaller "
            "model, e.g. more pooling before Flatten or fewer Dense units"
        )


def check_stored(spec: dict, stored_values_per_image: int, count: int) -> None:
    """Raise ModelError when `count` samples' precomputed activations would make the site too large."""
    stored = 2 * stored_values_per_image * count
    if stored > MAX_STORED_BYTES:
        most = max(1, MAX_STORED_BYTES // (2 * stored_values_per_image))
        raise ModelError(
            f"{count} samples of model '{spec['name']}' would store {stored / 2**20:.0f} MB of precomputed "
            f"activations, more than {MAX_STORED_BYTES // 2**20} MB: pass --samples {most} or fewer"
        )
