"""Keras 3 model -> TF.js layers model (model.json + weights), with the fix-ups TF.js 4.22 needs.

The tensorflowjs converter writes what Keras 3 saves, but TF.js 4.22 reads Keras 2 configs:
- an InputLayer's `batch_shape` is `batch_input_shape` there;
- a layer's `dtype` is a plain string there, not a DTypePolicy object;
- LeakyReLU's `negative_slope` is `alpha` there;
- ReLU has no `negative_slope` there (it is silently ignored): a leaky ReLU is written as LeakyReLU;
- the activation functions `silu` (Keras 3's name for swish) and `leaky_relu` do not exist there:
  `silu` is written `swish` (the same function), an Activation("leaky_relu") a LeakyReLU layer;
- Keras 3 Functional models describe their graph (inbound_nodes) in a form TF.js cannot parse;
- weight names must be `<layer>/<weight>`; saved names may carry the model's name (or a nested
  model's) as a prefix, which TF.js cannot match.
The `.keras` input path of the converter is not used: it names weights `vars/0`, `vars/1`, ...,
which TF.js cannot match either. We load the model with Keras and convert it through HDF5.

A chain of layers is written as a TF.js Sequential model; a graph (residual blocks, branches) as a Functional
model whose `inbound_nodes` are in the Keras 2 form TF.js reads: `[[[layer, 0, 0, {}], ...]]`. Same layers, same
weights, same function. The page itself runs the spec's layers with tfjs-core (frontend/src/model/layers.js) and does
not read this topology: it is there for anyone who loads model.json with tf.loadLayersModel.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import io
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path

from .spec import LEAKY_RELU_SLOPE

WEIGHTS_FILE = "group1-shard1of1.bin"


# Activation functions whose Keras 3 name TF.js 4.22 does not know, with TF.js's name for the same function.
TFJS_ACTIVATION_NAMES = {"silu": "swish"}


def fix_layer(class_name: str, config: dict) -> tuple[str, dict]:
    """A Keras 3 layer (class name and config) rewritten as the TF.js 4.22 layer that computes the same.

    Like fix_layer_config, and also: a ReLU with a negative slope becomes a LeakyReLU (TF.js's ReLU
    ignores the slope), and an Activation("leaky_relu") a LeakyReLU (TF.js has no such activation).
    """
    config = fix_layer_config(class_name, config)
    if class_name == "ReLU" and float(config.get("negative_slope") or 0.0) != 0.0:
        slope = float(config["negative_slope"])
        kept = {key: value for key, value in config.items() if key in ("name", "dtype", "trainable")}
        return "LeakyReLU", {**kept, "alpha": slope}
    if class_name == "Activation" and config.get("activation") == "leaky_relu":
        kept = {key: value for key, value in config.items() if key in ("name", "dtype", "trainable")}
        return "LeakyReLU", {**kept, "alpha": LEAKY_RELU_SLOPE}
    return class_name, config


def fix_layer_config(class_name: str, config: dict) -> dict:
    """A Keras 3 layer config rewritten in the Keras 2 form that TF.js 4.22 deserialises."""
    config = copy.deepcopy(config)
    activation = config.get("activation")
    if isinstance(activation, str) and activation in TFJS_ACTIVATION_NAMES:
        config["activation"] = TFJS_ACTIVATION_NAMES[activation]
    dtype = config.get("dtype")
    if isinstance(dtype, dict):
        config["dtype"] = dtype.get("config", {}).get("name", "float32")
    if class_name == "InputLayer" and "batch_shape" in config:
        config["batch_input_shape"] = config.pop("batch_shape")
    if class_name == "LeakyReLU" and "negative_slope" in config:
        config["alpha"] = config.pop("negative_slope")
    for key in ("optional", "quantization_config", "lora_rank", "lora_alpha"):
        config.pop(key, None)
    return config


def tfjs_topology(model_config: dict, reads: dict[str, list[str]], name: str) -> dict:
    """The TF.js topology of the layers `reads` names, in its order, each reading the layers it lists ("input": the
    model's input): Sequential when each reads the one before it, else Functional.

    `model_config` is the Keras 3 model config (Sequential or Functional, class_name + config).
    """
    by_name = {}
    for layer in model_config["config"]["layers"]:
        layer_name = layer["config"].get("name") or layer.get("name")
        by_name[layer_name] = layer
    input_layers = [layer for layer in model_config["config"]["layers"] if layer["class_name"] == "InputLayer"]
    if len(input_layers) != 1:
        raise ValueError(f"expected one InputLayer in the model config, found {len(input_layers)}")
    input_name = input_layers[0]["config"]["name"]
    names = list(reads)
    chain = all(reads[n] == [names[i - 1] if i else "input"] for i, n in enumerate(names))
    layers = []
    for layer_name in [input_name, *names]:
        layer = by_name[layer_name]
        class_name, config = fix_layer(layer["class_name"], layer["config"])
        entry = {"class_name": class_name, "config": config}
        if not chain:
            sources = [] if layer_name == input_name else reads[layer_name]
            nodes = [[input_name if source == "input" else source, 0, 0, {}] for source in sources]
            entry.update(name=layer_name, inbound_nodes=[nodes] if nodes else [])
        layers.append(entry)
    if chain:
        return {"class_name": "Sequential", "config": {"name": name, "layers": layers}}
    config = {
        "name": name,
        "layers": layers,
        "input_layers": [[input_name, 0, 0]],
        "output_layers": [[names[-1], 0, 0]],
    }
    return {"class_name": "Model", "config": config}


def kept_layers(spec: dict) -> dict[str, list[str]]:
    """The layers of the TF.js model of `spec`, by id, each with the ids of the layers it reads ("input": the model's
    input). Layers that pass their input through when predicting, other than Dropout, are left out (TF.js 4.22 cannot
    load RandomFlip or SpatialDropout2D, and none of them has weights): a layer reading one reads what it read."""
    ids = {layer["name"]: layer["id"] for layer in spec["layers"]}
    left_out = {layer["name"]: layer["input"] for layer in spec["layers"] if "layer_class" in layer}

    def source(name: str) -> str:
        while name in left_out:
            name = left_out[name]
        return "input" if name == "input" else ids[name]

    return {
        layer["id"]: [source(name) for name in layer.get("inputs", [layer["input"]])]
        for layer in spec["layers"]
        if layer["name"] not in left_out
    }


def fix_weight_name(weight_name: str, layer_names: list[str]) -> str:
    """`<layer>/<weight>` from a saved weight name that may carry model-name prefixes."""
    parts = weight_name.split("/")
    known = set(layer_names)
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] in known:
            return "/".join(parts[index:])
    raise ValueError(f"weight {weight_name!r} belongs to none of the layers {layer_names}")


def fix_weights_manifest(manifest: list[dict], layer_names: list[str]) -> list[dict]:
    """The weights manifest with every weight renamed by `fix_weight_name`."""
    manifest = copy.deepcopy(manifest)
    for group in manifest:
        for weight in group["weights"]:
            weight["name"] = fix_weight_name(weight["name"], layer_names)
    return manifest


def _not_the_legacy_hdf5_warning(record: logging.LogRecord) -> bool:
    """False for Keras's "You are saving your model as an HDF5 file ... legacy" warning."""
    return "as an HDF5 file" not in record.getMessage()


def convert_to_tfjs(model, spec: dict, out_dir: Path) -> dict:
    """Write `model` (the explained model of `spec`) as a TF.js layers model into `out_dir`; return the in-memory
    model artifacts. The result has
    `modelTopology`, `weightSpecs` and `weightData` (base64), ready for `tf.io.fromMemory`.
    """
    # tensorflow_decision_forests, imported by tensorflowjs, imports IPython to greet notebooks
    # whenever stdout is not a terminal; IPython is not installed.
    os.environ.setdefault("TFDF_DISABLE_WELCOME_MESSAGE", "1")
    with warnings.catch_warnings():
        # tensorflow_hub, imported by tensorflowjs, imports setuptools' pkg_resources, which warns that it is
        # deprecated (pyproject.toml pins a setuptools that still has it)
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        import tensorflowjs as tfjs

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        absl = logging.getLogger("absl")
        absl.addFilter(_not_the_legacy_hdf5_warning)  # we chose HDF5 (see above); the user did not
        try:  # the converter prints "failed to lookup keras version" to stdout for some models: not ours to say
            with contextlib.redirect_stdout(io.StringIO()):
                tfjs.converters.save_keras_model(model, scratch, weight_shard_size_bytes=1 << 30)
        finally:
            absl.removeFilter(_not_the_legacy_hdf5_warning)
        converted = json.loads(Path(scratch, "model.json").read_text())
        manifest = converted["weightsManifest"]
        weight_data = b"".join(Path(scratch, path).read_bytes() for group in manifest for path in group["paths"])
    reads = kept_layers(spec)
    weight_specs = [w for group in fix_weights_manifest(manifest, list(reads)) for w in group["weights"]]
    topology = converted["modelTopology"]
    topology["model_config"] = tfjs_topology(topology["model_config"], reads, model.name)
    topology.pop("training_config", None)
    model_json = {
        "format": "layers-model",
        "generatedBy": converted.get("generatedBy"),
        "convertedBy": converted.get("convertedBy"),
        "modelTopology": topology,
        "weightsManifest": [{"paths": [WEIGHTS_FILE], "weights": weight_specs}],
    }
    (out_dir / "model.json").write_text(json.dumps(model_json, separators=(",", ":")))
    (out_dir / WEIGHTS_FILE).write_bytes(weight_data)
    return {
        "modelTopology": topology,
        "weightSpecs": weight_specs,
        "weightData": base64.b64encode(weight_data).decode("ascii"),
    }
