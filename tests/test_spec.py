import pytest

from builder.datasets import FASHION_MNIST_CLASSES
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
        "id": "conv_1_1",
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


def _sequential(*middle, output_activation="softmax"):
    import keras

    return keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            *middle,
            keras.layers.Conv2D(2, 3, name="c"),
            keras.layers.Flatten(name="f"),
            keras.layers.Dense(2, activation=output_activation, name="out"),
        ]
    )


def test_hard_sigmoid_is_refused_because_tfjs_computes_another_function():
    import keras

    with pytest.raises(ModelError, match="TensorFlow.js computes a different hard sigmoid") as error:
        model_spec(_sequential(keras.layers.Activation("hard_sigmoid", name="hs")), ["a", "b"])
    assert "'hs' (Activation)" in str(error.value)


def test_last_dense_layer_must_give_probabilities_or_scores():
    with pytest.raises(ModelError, match="has activation 'relu'.*allowed: softmax, linear, sigmoid"):
        model_spec(_sequential(output_activation="relu"), ["a", "b"])


def test_leaky_relu_activation_layer_has_kerass_slope():
    import keras

    spec = model_spec(_sequential(keras.layers.Activation("leaky_relu", name="lr")), ["a", "b"])
    assert spec["layers"][0] == {**spec["layers"][0], "kind": "activation", "function": "leaky_relu", "alpha": 0.2}


def test_pixel_divisor_is_1_when_the_model_rescales_its_input_itself():
    import keras

    from builder.spec import default_pixel_divisor

    assert default_pixel_divisor(_sequential(keras.layers.Rescaling(1 / 255))) == 1.0
    assert default_pixel_divisor(_sequential()) == 255.0
    assert default_pixel_divisor(_sequential(keras.layers.ReLU(), keras.layers.Rescaling(2.0))) == 255.0


def test_branching_model_error_lists_the_supported_layers():
    import keras

    inputs = keras.Input((8, 8, 1))
    a = keras.layers.Conv2D(2, 3, padding="same", name="a")(inputs)
    b = keras.layers.Conv2D(2, 3, padding="same", name="b")(inputs)
    x = keras.layers.Flatten()(keras.layers.Add(name="add")([a, b]))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(x))
    with pytest.raises(ModelError, match="Supported layers: Conv2D, ReLU"):
        model_spec(model, ["a", "b"])
