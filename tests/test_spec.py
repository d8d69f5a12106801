import pytest

from builder.data import FASHION_MNIST_CLASSES
from builder.errors import ModelError
from builder.spec import model_spec


def test_tiny_vgg_spec_names_kinds_and_shapes(tiny_vgg_model):
    spec = model_spec(tiny_vgg_model, FASHION_MNIST_CLASSES)
    layers = {layer["name"]: layer for layer in spec["layers"]}
    assert [layer["name"] for layer in spec["layers"]] == [
        "conv_1_1",
        "relu_1_1",
        "conv_1_2",
        "relu_1_2",
        "max_pool_1",
        "conv_2_1",
        "relu_2_1",
        "conv_2_2",
        "relu_2_2",
        "max_pool_2",
        "flatten",
        "output",
    ]
    assert spec["input"] == {"name": "input", "shape": [28, 28, 1], "pixel_divisor": 255.0}
    assert layers["conv_1_1"] == {
        "name": "conv_1_1",
        "input": "input",
        "input_shape": [28, 28, 1],
        "shape": [28, 28, 10],
        "kind": "conv",
        "filters": 10,
        "kernel_size": [3, 3],
        "strides": [1, 1],
        "padding": "same",
        "activation": "linear",
        "use_bias": True,
    }
    assert layers["relu_1_1"]["kind"] == "activation" and layers["relu_1_1"]["function"] == "relu"
    assert (
        layers["max_pool_2"].items()
        >= {"kind": "pool", "op": "max", "pool_size": [2, 2], "strides": [2, 2], "shape": [7, 7, 10]}.items()
    )
    assert layers["flatten"]["shape"] == [490]
    assert (
        layers["output"].items() >= {"kind": "dense", "units": 10, "activation": "softmax", "input": "flatten"}.items()
    )
    assert spec["classes"] == list(FASHION_MNIST_CLASSES)


def test_unsupported_layer_is_named_with_the_supported_list():
    import keras

    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(2, 3, name="c"),
            keras.layers.BatchNormalization(name="bn"),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    with pytest.raises(ModelError) as error:
        model_spec(model, ["a", "b"])
    message = str(error.value)
    assert "'bn' (BatchNormalization) is not supported" in message
    assert "Conv2D" in message and "AveragePooling2D" in message and "Dropout" in message


def test_branching_functional_model_is_rejected():
    import keras

    inputs = keras.Input((8, 8, 1))
    a = keras.layers.Conv2D(2, 3, padding="same", name="a")(inputs)
    b = keras.layers.Conv2D(2, 3, padding="same", name="b")(inputs)
    x = keras.layers.Add(name="add")([a, b])
    x = keras.layers.Flatten()(x)
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(x))
    with pytest.raises(ModelError, match="linear"):
        model_spec(model, ["a", "b"])


def test_linear_functional_model_is_accepted():
    import keras

    inputs = keras.Input((10, 10, 3), name="image")
    x = keras.layers.Rescaling(1 / 255, name="scale")(inputs)
    x = keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu", name="c")(x)
    x = keras.layers.AveragePooling2D(2, name="avg")(x)
    x = keras.layers.Flatten(name="f")(x)
    x = keras.layers.Dropout(0.5, name="drop")(x)
    x = keras.layers.Dense(5, activation="tanh", name="hidden")(x)
    outputs = keras.layers.Dense(3, activation="softmax", name="out")(x)
    spec = model_spec(keras.Model(inputs, outputs), ["x", "y", "z"])
    kinds = [(layer["name"], layer["kind"]) for layer in spec["layers"]]
    assert kinds == [
        ("scale", "rescaling"),
        ("c", "conv"),
        ("avg", "pool"),
        ("f", "flatten"),
        ("drop", "dropout"),
        ("hidden", "dense"),
        ("out", "dense"),
    ]
    conv = spec["layers"][1]
    assert conv["strides"] == [2, 2] and conv["padding"] == "same" and conv["activation"] == "relu"
    assert conv["shape"] == [5, 5, 4] and spec["layers"][2]["op"] == "average"


def test_class_count_must_match_the_output(tiny_vgg_model):
    with pytest.raises(ModelError, match="outputs 10 classes but 3 class names"):
        model_spec(tiny_vgg_model, ["a", "b", "c"])
