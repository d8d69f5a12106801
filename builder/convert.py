"""Keras 3 model -> TF.js layers model (model.json + weights), with the fix-ups TF.js 4.22 needs.

The tensorflowjs converter writes what Keras 3 saves, but TF.js 4.22 reads Keras 2 configs:
- an InputLayer's `batch_shape` is `batch_input_shape` there;
- a layer's `dtype` is a plain string there, not a DTypePolicy object;
- LeakyReLU's `negative_slope` is `alpha` there;
- Keras 3 Functional models describe their graph (inbound_nodes) in a form TF.js cannot parse;
- weight names must be `<layer>/<weight>`; saved names may carry the model's name (or a nested
  model's) as a prefix, which TF.js cannot match.
The `.keras` input path of the converter is not used: it names weights `vars/0`, `vars/1`, ...,
which TF.js cannot match either. We load the model with Keras and convert it through HDF5.

Since the explainer accepts linear models only (see spec.py), every model is written as a TF.js
Sequential model: same layers, same weights, same function.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import tempfile
from pathlib import Path

WEIGHTS_FILE = "group1-shard1of1.bin"


def fix_layer_config(class_name: str, config: dict) -> dict:
    """A Keras 3 layer config rewritten in the Keras 2 form that TF.js 4.22 deserialises."""
    config = copy.deepcopy(config)
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


def sequential_topology(model_config: dict, layer_names: list[str], name: str) -> dict:
    """A TF.js Sequential topology holding the InputLayer and `layer_names`, in that order.

    `model_config` is the Keras 3 model config (Sequential or Functional, class_name + config).
    """
    by_name = {}
    for layer in model_config["config"]["layers"]:
        layer_name = layer["config"].get("name") or layer.get("name")
        by_name[layer_name] = layer
    input_layers = [layer for layer in model_config["config"]["layers"] if layer["class_name"] == "InputLayer"]
    if len(input_layers) != 1:
        raise ValueError(f"expected one InputLayer in the model config, found {len(input_layers)}")
    layers = []
    for layer in [input_layers[0], *(by_name[n] for n in layer_names)]:
        layers.append(
            {"class_name": layer["class_name"], "config": fix_layer_config(layer["class_name"], layer["config"])}
        )
    return {"class_name": "Sequential", "config": {"name": name, "layers": layers}}


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


def convert_to_tfjs(model, layer_names: list[str], out_dir: Path) -> dict:
    """Write `model` as a TF.js layers model into `out_dir`; return the in-memory model artifacts.

    `layer_names` are the model's layers in order (without the InputLayer). The result has
    `modelTopology`, `weightSpecs` and `weightData` (base64), ready for `tf.io.fromMemory`.
    """
    # tensorflow_decision_forests, imported by tensorflowjs, imports IPython to greet notebooks
    # whenever stdout is not a terminal; IPython is not installed.
    os.environ.setdefault("TFDF_DISABLE_WELCOME_MESSAGE", "1")
    import tensorflowjs as tfjs

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        tfjs.converters.save_keras_model(model, scratch, weight_shard_size_bytes=1 << 30)
        converted = json.loads(Path(scratch, "model.json").read_text())
        manifest = converted["weightsManifest"]
        weight_data = b"".join(Path(scratch, path).read_bytes() for group in manifest for path in group["paths"])
    weight_specs = [w for group in fix_weights_manifest(manifest, layer_names) for w in group["weights"]]
    topology = converted["modelTopology"]
    topology["model_config"] = sequential_topology(topology["model_config"], layer_names, model.name)
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
