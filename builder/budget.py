"""What a model may cost: the limits of an explainer that runs in a browser, and batch sizes that bound memory.

The page keeps every layer's output for the current image, as TF.js tensors and as the copies it draws from,
and the site carries the weights (twice: for the page, and as a reusable model/ folder). The limits below are
where a page stops being usable on an ordinary laptop (docs/data.md gives the measurements); a model beyond
them is refused before anything is computed, with a message naming the layer and the limit.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

from .errors import ModelError
from .spec import SUPPORTED, _inbound_names

MAX_ACTIVATIONS = 6_000_000  # values per image, summed over the input and every layer
MAX_PARAMETERS = 10_000_000  # weights and biases
# What a .keras archive may inflate to before Keras reads it (model_store.check_model_file). Keras reads config.json
# and metadata.json whole; the config of a model the explainer can show takes about 1 KB a layer. Its compressed
# members together may hold what the weights of MAX_PARAMETERS take in float64 with an optimizer's two slots each
# (24 bytes a weight); stored members take on disk what they take in memory.
MAX_CONFIG_BYTES = 4 << 20
MAX_MEMBER_BYTES = 24 * MAX_PARAMETERS + (16 << 20)
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
    from .spec import model_layers

    layers = model_layers(model)

    def copies(layer, is_last: bool) -> int:
        kind = type(layer).__name__
        fused = fused_activation("Conv2D" if kind == "SeparableConv2D" else kind, layer.get_config(), is_last)
        return 2 if fused else 1

    sizes = [(layer.name, _shape(layer.output), copies(layer, i == len(layers) - 1)) for i, layer in enumerate(layers)]
    # a separable convolution is shown as two steps: its depthwise step's output is as large as its input
    steps = [_size(_shape(layer.input)) for layer in layers if type(layer).__name__ == "SeparableConv2D"]
    values = _size(_shape(model.inputs[0])) + sum(_size(shape) * copies for _, shape, copies in sizes) + sum(steps)
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
    """Raise ModelError when the model file at `path` holds more weights than a page can load, or when its config
    gives a layer more weights than the file holds, before Keras loads it: Keras sets aside the weights its config
    describes before it reads them, and loading a model takes several times its size in memory."""
    total = saved_parameters(path)
    if total is not None and total > MAX_PARAMETERS:
        raise ModelError(
            f"--model {path} holds {_millions(total)} weights, more than the {_millions(MAX_PARAMETERS)} a page can "
            "load quickly: explain a smaller model, e.g. one that pools more before Flatten or has fewer Dense units"
        )
    config = saved_config(path)
    counted = [layer for layer in config_weights(config) if layer[2]] if config is not None else []
    if not counted:
        return
    claimed = sum(weights for _, _, weights in counted)
    name, kind, heaviest = max(counted, key=lambda layer: layer[2])
    gives = f"--model {path}: its config gives layer '{name}' ({kind}) {_count(heaviest)} weights"
    if _count(claimed) != _count(heaviest):
        gives += f" ({_count(claimed)} in all)"
    if total is not None and claimed > total:
        raise ModelError(
            f"{gives}, but the file holds {_count(total)}: it was edited or damaged (Keras would set aside memory "
            "for weights it cannot read); save the model again with model.save()"
        )
    if claimed > MAX_PARAMETERS:
        raise ModelError(
            f"{gives}, more than the {_millions(MAX_PARAMETERS)} a page can load quickly: explain a smaller model, "
            "e.g. one that pools more before Flatten or has fewer Dense units"
        )


def _count(count: int) -> str:
    return f"{count:,}" if count < 1_000_000 else _millions(count)


def saved_config(path: Path) -> dict | None:
    """The model config a Keras file keeps (config.json in a .keras archive, the model_config attribute of a legacy
    .h5), read without loading the model; None when there is none to read (loading will tell)."""
    import h5py

    try:
        if Path(path).suffix == ".keras":
            with zipfile.ZipFile(path) as archive, archive.open("config.json") as handle:
                text = handle.read(MAX_CONFIG_BYTES + 1)
            if len(text) > MAX_CONFIG_BYTES:
                return None
        else:
            with h5py.File(path, "r") as f:
                if "model_config" not in f.attrs or f.attrs.get_id("model_config").shape != ():
                    return None  # none, or many texts (check_model_file refuses those)
                text = f.attrs["model_config"]
        config = json.loads(text)
    except (OSError, KeyError, ValueError, RecursionError, TypeError, zipfile.BadZipFile):
        return None
    return config if isinstance(config, dict) else None


# Layers of SUPPORTED that hold no weights and keep the shape of their input; Flatten and pooling change it.
_SAME_SHAPE = ("ReLU", "Activation", "LeakyReLU", "Dropout", "Rescaling")


def config_weights(config: dict) -> list[tuple[str, str, int | None]]:
    """(name, class, weights) of each layer in a Keras model config, nested models' layers included: the weights
    Keras sets aside when it builds the layer from the config, for the kinds of layer in SUPPORTED; None for other
    kinds, and where the config does not tell the shape a layer reads.

    A layer's input shape is its build_config's (Keras builds it from that first), else what the layer before it
    (Sequential) or the one it reads (Functional) puts out, from the model's input on."""
    found: list[tuple[str, str, int | None]] = []
    _walk(config, found)
    return found


def _walk(model: dict, found: list) -> None:
    body = model.get("config")
    entries = body if isinstance(body, list) else body.get("layers") if isinstance(body, dict) else None
    if not isinstance(entries, list):
        return
    sequential = model.get("class_name") == "Sequential"
    start = body.get("build_input_shape") if isinstance(body, dict) else None
    previous = _config_shape(start if start is not None else (model.get("build_config") or {}).get("input_shape"))
    outputs: dict[str, tuple | None] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
            continue
        kind, layer = str(entry.get("class_name")), entry["config"]
        name = str(layer.get("name") or entry.get("name") or kind)
        if sequential:
            incoming = previous
        else:
            inbound = _inbound_names(entry.get("inbound_nodes", []))
            incoming = outputs.get(inbound[0]) if len(inbound) == 1 else None
        built = entry.get("build_config")
        declared = layer.get("batch_input_shape") or layer.get("batch_shape")
        shape = _config_shape(built.get("input_shape")) if isinstance(built, dict) and "input_shape" in built else None
        shape = shape or incoming or _config_shape(declared)
        if kind == "InputLayer":
            output = _config_shape(declared)
        elif isinstance(layer.get("layers"), list):  # a model used as a layer
            _walk(entry, found)
            output = None
        else:
            found.append((name, kind, _layer_weights(kind, layer, shape)))
            output = _output_shape(kind, layer, shape)
        outputs[name] = previous = output


def _config_shape(value) -> tuple | None:
    """A shape from a config (batch axis first), with None for unknown sizes; None when it is not one."""
    if not isinstance(value, (list, tuple)) or not value:
        return None
    dims = tuple(None if d is None else _whole(d) for d in value)
    return None if any(d is None and v is not None for d, v in zip(dims, value, strict=True)) else dims


def _whole(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _pair(value) -> tuple[int | None, int | None]:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return _whole(value[0]), _whole(value[1])
    return _whole(value), _whole(value)


def _channels_first(layer: dict) -> bool:
    return layer.get("data_format") == "channels_first"


def _layer_weights(kind: str, layer: dict, shape: tuple | None) -> int | None:
    if kind in SUPPORTED and kind not in ("Conv2D", "Dense"):
        return 0
    if kind not in ("Conv2D", "Dense") or shape is None:
        return None
    bias = layer.get("use_bias", True) is not False
    dtype = layer.get("dtype")
    quantized = layer.get("quantization_config") is not None or (
        isinstance(dtype, dict) and str(dtype.get("class_name", "")).startswith("Quantized")
    )
    packed = 2 if quantized else 1  # a quantized kernel may hold two 4-bit weights in each value it saves
    if kind == "Dense":
        inputs, units = shape[-1], _whole(layer.get("units"))
        return None if inputs is None or units is None else inputs * units // packed + (units if bias else 0)
    if len(shape) != 4:
        return None
    channels = shape[1] if _channels_first(layer) else shape[-1]
    (height, width), filters = _pair(layer.get("kernel_size")), _whole(layer.get("filters"))
    groups = _whole(layer.get("groups", 1)) or 1
    if None in (channels, height, width, filters):
        return None
    return height * width * (channels // groups) * filters // packed + (filters if bias else 0)


def _output_shape(kind: str, layer: dict, shape: tuple | None) -> tuple | None:
    if shape is None:
        return None
    if kind in _SAME_SHAPE:
        return shape
    if kind == "Dense":
        return (*shape[:-1], _whole(layer.get("units")))
    if kind == "Flatten":
        return None if None in shape[1:] else (shape[0], math.prod(shape[1:]))
    if kind not in ("Conv2D", "MaxPooling2D", "AveragePooling2D") or len(shape) != 4:
        return None
    first = _channels_first(layer)
    sides = shape[2:] if first else shape[1:3]
    if kind == "Conv2D":
        window, strides, dilation = (
            _pair(layer.get("kernel_size")),
            _pair(layer.get("strides", 1)),
            _pair(layer.get("dilation_rate", 1)),
        )
        channels = _whole(layer.get("filters"))
    else:
        window = _pair(layer.get("pool_size"))
        strides, dilation = _pair(layer.get("strides") or layer.get("pool_size")), (1, 1)
        channels = shape[1] if first else shape[3]
    same = layer.get("padding") == "same"
    out = tuple(_side(n, k, s, d, same) for n, k, s, d in zip(sides, window, strides, dilation, strict=True))
    return (shape[0], channels, *out) if first else (shape[0], *out, channels)


def _side(size: int | None, window: int | None, stride: int | None, dilation: int | None, same: bool) -> int | None:
    if None in (size, window, stride, dilation) or not stride:
        return None
    if same:
        return -(-size // stride)
    return max(0, (size - dilation * (window - 1) - 1) // stride + 1)


def _shape(tensor) -> list[int]:
    return [int(d) for d in tuple(tensor.shape)[1:]]
