import base64
import gzip

import numpy as np

from builder.activations import encode, float16_block
from builder.samples import pick_samples


def test_pick_samples_takes_one_per_class_correct_first_and_is_deterministic():
    labels = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2])
    predicted = np.array([1, 1, 0, 0, 1, 2, 0, 1, 1])
    picked = pick_samples(labels, predicted, 3, 3, seed=5)
    assert picked == pick_samples(labels, predicted, 3, 3, seed=5)
    assert [labels[i] for i in picked] == [0, 1, 2]
    assert all(predicted[i] == labels[i] for i in picked)


def test_pick_samples_falls_back_to_misclassified_and_cycles_classes():
    labels = np.array([0, 0, 1])
    predicted = np.array([1, 1, 0])
    picked = pick_samples(labels, predicted, 3, 2)
    assert sorted(picked) == [0, 1, 2]
    assert [labels[i] for i in picked] == [0, 1, 0]


def test_float16_encoding_round_trips_per_example_blocks():
    a = np.arange(2 * 3, dtype=np.float32).reshape(2, 3) / 7
    b = -np.arange(2 * 2, dtype=np.float32).reshape(2, 1, 2)
    encoded = encode(float16_block([a, b]))
    raw = np.frombuffer(gzip.decompress(base64.b64decode(encoded["data"])), dtype="<f2").reshape(2, 5)
    np.testing.assert_array_equal(raw[:, :3], a.astype(np.float16))
    np.testing.assert_array_equal(raw[:, 3:], b.reshape(2, 2).astype(np.float16))
    assert encoded["encoding"] == "float16-le" and encoded["compression"] == "gzip"


# Every kind of layer the spec holds, with the fields that decide whether the page derives it.
LAYER_KINDS = [
    {"kind": "conv", "input": "conv_0"},
    {"kind": "dense", "input": "flatten"},
    {"kind": "activation", "function": "relu", "input": "conv"},
    {"kind": "activation", "function": "tanh", "input": "conv"},
    {"kind": "activation", "function": "leaky_relu", "input": "conv"},
    {"kind": "activation", "function": "softmax", "input": "dense"},
    {"kind": "pool", "op": "max", "input": "conv"},
    {"kind": "pool", "op": "average", "input": "conv"},
    {"kind": "flatten", "input": "pool"},
    {"kind": "dropout", "input": "dense"},
    {"kind": "rescaling", "input": "input"},
]


def test_the_layers_the_builder_leaves_out_are_those_the_page_derives(tmp_path):
    """The payload leaves out exactly the layers whose float16 output the page recomputes exactly (relu, max
    pooling, flatten, dropout): the page's table of kinds (network/kinds.js) must agree, layer by layer."""
    import json
    import shutil
    import subprocess

    import pytest

    from builder.activations import derived_in_browser
    from testkit.chromium import ROOT

    ours = [derived_in_browser(layer) for layer in LAYER_KINDS]
    assert ours == [False, False, True, False, False, False, True, False, True, True, False]
    if shutil.which("node") is None:
        pytest.skip("node runs the page's code")
    script = tmp_path / "derive.mjs"
    kinds = (ROOT / "frontend" / "src" / "network" / "kinds.js").as_uri()
    script.write_text(
        f"import {{ kindOf }} from '{kinds}';\n"
        f"const layers = {json.dumps(LAYER_KINDS)};\n"
        "console.log(JSON.stringify(layers.map((layer) => kindOf(layer).derive(layer) !== null)));\n"
    )
    page = json.loads(subprocess.run(["node", str(script)], capture_output=True, text=True, check=True).stdout)
    assert page == ours


def test_a_layer_that_reads_the_input_is_stored_whatever_its_kind():
    """The page derives a layer from a stored layer, and the input is pixels, not a stored layer: a model that
    starts with max pooling, flatten, dropout or ReLU stores that first layer (its page never started before)."""
    from builder.activations import derived_in_browser

    assert not any(derived_in_browser({**layer, "input": "input"}) for layer in LAYER_KINDS)


def test_the_encoding_is_the_same_bytes_for_the_same_values():
    values = [np.linspace(-2, 2, 24, dtype=np.float32).reshape(2, 3, 4)]
    first, second = encode(float16_block(values)), encode(float16_block(values))
    assert first == second  # no time stamp in the gzip header: a rebuild changes no byte
    assert gzip.decompress(base64.b64decode(first["data"]))[:4] == float16_block(values)[:4]
