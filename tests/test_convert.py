import base64
import json

import numpy as np
import pytest

from builder.convert import convert_to_tfjs, fix_layer_config, fix_weight_name, kept_layers, tfjs_topology


def test_input_layer_batch_shape_becomes_batch_input_shape():
    config = fix_layer_config(
        "InputLayer", {"batch_shape": [None, 28, 28, 1], "dtype": "float32", "name": "input", "optional": False}
    )
    assert config == {"batch_input_shape": [None, 28, 28, 1], "dtype": "float32", "name": "input"}


def test_dtype_policy_object_becomes_a_string_and_leaky_relu_gets_alpha():
    policy = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
    config = fix_layer_config("LeakyReLU", {"name": "l", "dtype": policy, "negative_slope": 0.1})
    assert config == {"name": "l", "dtype": "float32", "alpha": 0.1}


@pytest.mark.parametrize(
    "saved, expected",
    [
        ("conv_1_1/kernel", "conv_1_1/kernel"),
        ("tiny_vgg/conv_1_1/kernel", "conv_1_1/kernel"),
        ("outer/inner/output/bias", "output/bias"),
    ],
)
def test_weight_names_lose_model_name_prefixes(saved, expected):
    assert fix_weight_name(saved, ["conv_1_1", "output"]) == expected


def test_weight_of_unknown_layer_is_an_error():
    with pytest.raises(ValueError, match="belongs to none of the layers"):
        fix_weight_name("model/vars/0", ["conv_1_1"])


def test_functional_config_becomes_a_sequential_topology():
    import keras

    inputs = keras.Input((6, 6, 1), name="pixels")
    x = keras.layers.Conv2D(2, 3, name="c")(inputs)
    x = keras.layers.Flatten(name="f")(x)
    model = keras.Model(inputs, keras.layers.Dense(2, name="d")(x), name="functional_net")
    reads = {"c": ["input"], "f": ["c"], "d": ["f"]}
    topology = tfjs_topology({"class_name": "Functional", "config": model.get_config()}, reads, "net")
    assert topology["class_name"] == "Sequential"
    names = [(layer["class_name"], layer["config"]["name"]) for layer in topology["config"]["layers"]]
    assert names == [("InputLayer", "pixels"), ("Conv2D", "c"), ("Flatten", "f"), ("Dense", "d")]
    assert topology["config"]["layers"][0]["config"]["batch_input_shape"] in ([None, 6, 6, 1], (None, 6, 6, 1))
    assert all("inbound_nodes" not in layer for layer in topology["config"]["layers"])


def test_a_graph_becomes_a_functional_topology_in_the_keras_2_form():
    """A residual block: the Add reads both paths, in order; a left-out layer (RandomFlip) is read through."""
    import keras

    inputs = keras.Input((6, 6, 2), name="pixels")
    flipped = keras.layers.RandomFlip(name="flip")(inputs)
    x = keras.layers.Conv2D(2, 3, padding="same", name="c")(flipped)
    x = keras.layers.Add(name="sum")([x, flipped])
    x = keras.layers.Flatten(name="f")(x)
    model = keras.Model(inputs, keras.layers.Dense(2, name="d")(x), name="residual")
    spec = {
        "layers": [
            {"name": "flip", "id": "flip", "input": "input", "layer_class": "RandomFlip"},
            {"name": "c", "id": "c", "input": "flip"},
            {"name": "sum", "id": "sum", "input": "c", "inputs": ["c", "flip"]},
            {"name": "f", "id": "f", "input": "sum"},
            {"name": "d", "id": "d", "input": "f"},
        ]
    }
    reads = kept_layers(spec)
    assert reads == {"c": ["input"], "sum": ["c", "input"], "f": ["sum"], "d": ["f"]}
    topology = tfjs_topology({"class_name": "Functional", "config": model.get_config()}, reads, "net")
    assert topology["class_name"] == "Model"
    config = topology["config"]
    assert config["input_layers"] == [["pixels", 0, 0]] and config["output_layers"] == [["d", 0, 0]]
    nodes = {layer["name"]: layer["inbound_nodes"] for layer in config["layers"]}
    assert nodes == {
        "pixels": [],
        "c": [[["pixels", 0, 0, {}]]],
        "sum": [[["c", 0, 0, {}], ["pixels", 0, 0, {}]]],
        "f": [[["sum", 0, 0, {}]]],
        "d": [[["f", 0, 0, {}]]],
    }


def test_converted_weights_equal_the_keras_weights(tiny_vgg_model, tmp_path):
    names = [layer.name for layer in tiny_vgg_model.layers]
    chain = ["input", *names]
    spec = {"layers": [{"name": n, "id": n, "input": chain[i]} for i, n in enumerate(names)]}
    artifacts = convert_to_tfjs(tiny_vgg_model, spec, tmp_path)
    model_json = json.loads((tmp_path / "model.json").read_text())
    assert model_json["weightsManifest"][0]["paths"] == ["group1-shard1of1.bin"]
    data = (tmp_path / "group1-shard1of1.bin").read_bytes()
    assert base64.b64decode(artifacts["weightData"]) == data
    offset = 0
    by_name = {}
    for spec in artifacts["weightSpecs"]:
        count = int(np.prod(spec["shape"]))
        by_name[spec["name"]] = np.frombuffer(data, "<f4", count, offset).reshape(spec["shape"])
        offset += 4 * count
    assert offset == len(data)
    for layer in tiny_vgg_model.layers:
        for weight in layer.weights:
            np.testing.assert_array_equal(by_name[f"{layer.name}/{weight.name}"], weight.numpy())
    layers = model_json["modelTopology"]["model_config"]["config"]["layers"]
    assert layers[0]["config"]["batch_input_shape"] == [None, 28, 28, 1]
    assert all(isinstance(layer["config"].get("dtype", "float32"), str) for layer in layers)


def test_leaky_relus_become_tfjs_leaky_relu_layers():
    from builder.convert import fix_layer

    relu = {"name": "r", "dtype": "float32", "max_value": None, "negative_slope": 0.1, "threshold": 0.0}
    assert fix_layer("ReLU", relu) == ("LeakyReLU", {"name": "r", "dtype": "float32", "alpha": 0.1})
    plain = {**relu, "negative_slope": 0.0}
    assert fix_layer("ReLU", plain) == ("ReLU", plain)
    activation = {"name": "a", "dtype": "float32", "activation": "leaky_relu"}
    assert fix_layer("Activation", activation) == ("LeakyReLU", {"name": "a", "dtype": "float32", "alpha": 0.2})


def test_silu_is_written_as_swish_which_tfjs_knows():
    from builder.convert import fix_layer

    assert fix_layer("Activation", {"name": "a", "activation": "silu"}) == (
        "Activation",
        {"name": "a", "activation": "swish"},
    )
    assert fix_layer("Dense", {"name": "d", "units": 2, "activation": "silu"})[1]["activation"] == "swish"
