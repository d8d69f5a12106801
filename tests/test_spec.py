import pytest

from builder.datasets import FASHION_MNIST_CLASSES
from builder.errors import ModelError
from builder.spec import SUPPORTED_TEXT, check_supported, model_spec


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
            keras.layers.LayerNormalization(name="bn"),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    with pytest.raises(ModelError) as error:
        model_spec(model, ["a", "b"])
    message = str(error.value)
    assert "'bn' (LayerNormalization) is not supported. Use BatchNormalization instead." in message
    assert "Conv2D" in message and "AveragePooling2D" in message and "Dropout" in message


def test_branches_joined_by_add_and_concatenate_are_described_with_what_they_read():
    import keras

    inputs = keras.Input((8, 8, 1))
    a = keras.layers.Conv2D(2, 3, padding="same", name="a")(inputs)
    b = keras.layers.Conv2D(2, 3, padding="same", name="b")(inputs)
    x = keras.layers.Add(name="add")([a, b])
    c = keras.layers.Conv2D(3, 1, name="c")(x)
    x = keras.layers.Concatenate(name="cat")([x, c])
    x = keras.layers.Flatten(name="f")(x)
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax", name="d")(x))
    layers = {layer["name"]: layer for layer in model_spec(model, ["a", "b"])["layers"]}
    assert list(layers) == ["a", "b", "add", "c", "cat", "f", "d"]
    assert layers["add"] == {
        "name": "add",
        "id": "add",
        "input": "a",
        "inputs": ["a", "b"],
        "input_shape": [8, 8, 2],
        "shape": [8, 8, 2],
        "kind": "add",
    }
    assert layers["cat"]["kind"] == "concatenate" and layers["cat"]["inputs"] == ["add", "c"]
    assert layers["cat"]["channels"] == [2, 3] and layers["cat"]["shape"] == [8, 8, 5]
    assert "inputs" not in layers["c"] and layers["c"]["input"] == "add"


@pytest.mark.parametrize("merge, nearest", [("Multiply", "Add"), ("Subtract", "Add")])
def test_other_merges_and_shared_layers_are_refused_with_a_way_out(merge, nearest):
    import keras

    inputs = keras.Input((8, 8, 1))
    a = keras.layers.Conv2D(2, 3, padding="same", name="a")(inputs)
    b = keras.layers.Conv2D(2, 3, padding="same", name="b")(inputs)
    x = getattr(keras.layers, merge)(name="m")([a, b])
    x = keras.layers.Flatten()(x)
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(x))
    with pytest.raises(ModelError, match=f"layer 'm' \\({merge}\\) is not supported. Use {nearest} instead"):
        model_spec(model, ["a", "b"])
    shared = keras.layers.Conv2D(1, 3, padding="same", name="twice")
    y = shared(shared(inputs))
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Flatten()(y)))
    with pytest.raises(ModelError, match="layer 'twice' is used 2 times"):
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
    check_supported(tiny_vgg_model)  # the early check knows no class names


def test_the_photo_recipe_is_the_inputs_last_field(tiny_vgg_model):
    photo = {"recipe": "resize", "level": [1.0, 2.0], "images": 3}
    spec = model_spec(tiny_vgg_model, FASHION_MNIST_CLASSES, 255.0, photo=photo)
    assert list(spec["input"].items()) == [
        ("name", "input"),
        ("shape", [28, 28, 1]),
        ("pixel_divisor", 255.0),
        ("photo", photo),
    ]


def test_the_early_check_refuses_an_input_or_an_output_the_page_cannot_show():
    import keras

    flat = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")], name="flat")
    with pytest.raises(ModelError, match=r"model 'flat' reads input of shape \(8,\)"):
        check_supported(flat)
    pooled = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.MaxPooling2D(2)], name="pooled")
    with pytest.raises(ModelError, match="model 'shown' must end with a Dense layer giving one score per class"):
        check_supported(pooled, name="shown")


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


def test_a_refusal_lists_the_supported_layers():
    import keras

    inputs = keras.Input((8, 8, 1))
    a = keras.layers.Conv2D(2, 3, padding="same", name="a")(inputs)
    b = keras.layers.Conv2D(2, 3, padding="same", name="b")(inputs)
    x = keras.layers.Flatten()(keras.layers.Maximum(name="max")([a, b]))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(x))
    with pytest.raises(ModelError, match="Supported layers: Conv2D, ReLU"):
        model_spec(model, ["a", "b"])


def test_every_supported_layer_is_described_field_by_field():
    """One model with every supported kind and non-default settings: each entry exactly as docs/format.md says."""
    import keras

    model = keras.Sequential(
        [
            keras.Input((9, 8, 3)),
            keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="scale"),
            keras.layers.Conv2D(4, (3, 2), strides=(2, 1), activation="tanh", use_bias=False, name="conv"),
            keras.layers.ReLU(name="relu"),
            keras.layers.ReLU(negative_slope=0.1, name="leaky"),
            keras.layers.LeakyReLU(negative_slope=0.25, name="leaky_layer"),
            keras.layers.Activation("sigmoid", name="sig"),
            keras.layers.MaxPooling2D((2, 3), name="max"),
            keras.layers.AveragePooling2D(pool_size=2, strides=1, padding="same", name="avg"),
            keras.layers.Flatten(name="flat"),
            keras.layers.Dense(5, activation="relu", name="hidden"),
            keras.layers.Dropout(0.3, name="drop"),
            keras.layers.Dense(3, activation="sigmoid", use_bias=False, name="out"),
        ],
        name="every_kind",
    )
    spec = model_spec(model, ["a", "b", "c"], pixel_divisor=1.0)
    assert spec["name"] == "every_kind" and spec["input"] == {"name": "input", "shape": [9, 8, 3], "pixel_divisor": 1.0}

    def entry(name, previous, input_shape, shape, **fields):
        return {"name": name, "id": name, "input": previous, "input_shape": input_shape, "shape": shape, **fields}

    conv = {"filters": 4, "kernel_size": [3, 2], "strides": [2, 1], "padding": "valid", "use_bias": False}
    assert spec["layers"] == [
        entry("scale", "input", [9, 8, 3], [9, 8, 3], kind="rescaling", scale=1 / 127.5, offset=-1.0),
        entry("conv", "scale", [9, 8, 3], [4, 7, 4], kind="conv", activation="tanh", **conv),
        entry("relu", "conv", [4, 7, 4], [4, 7, 4], kind="activation", function="relu"),
        entry("leaky", "relu", [4, 7, 4], [4, 7, 4], kind="activation", function="leaky_relu", alpha=0.1),
        entry("leaky_layer", "leaky", [4, 7, 4], [4, 7, 4], kind="activation", function="leaky_relu", alpha=0.25),
        entry("sig", "leaky_layer", [4, 7, 4], [4, 7, 4], kind="activation", function="sigmoid"),
        entry(
            "max", "sig", [4, 7, 4], [2, 2, 4], kind="pool", op="max", pool_size=[2, 3], strides=[2, 3], padding="valid"
        ),
        entry(
            "avg",
            "max",
            [2, 2, 4],
            [2, 2, 4],
            kind="pool",
            op="average",
            pool_size=[2, 2],
            strides=[1, 1],
            padding="same",
        ),
        entry("flat", "avg", [2, 2, 4], [16], kind="flatten"),
        entry("hidden", "flat", [16], [5], kind="dense", units=5, activation="relu", use_bias=True),
        entry("drop", "hidden", [5], [5], kind="dropout", rate=0.3),
        entry("out", "drop", [5], [3], kind="dense", units=3, activation="sigmoid", use_bias=False),
    ]


def _refusal(*layers, input_shape=(8, 8, 3)):
    """The ModelError message for a model of `layers` then Flatten and a 2-class softmax Dense (the same from
    model_spec and from check_supported, which the build runs before the class names are known)."""
    import keras

    model = keras.Sequential(
        [keras.Input(input_shape), *layers, keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")]
    )
    with pytest.raises(ModelError) as error:
        model_spec(model, ["a", "b"])
    with pytest.raises(ModelError) as early:
        check_supported(model)
    assert str(early.value) == str(error.value)
    return str(error.value)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda k: [k.Conv2D(2, 3, dilation_rate=2, name="x")], "layer 'x' (Conv2D) uses dilation or groups."),
        (lambda k: [k.Conv2D(3, 3, groups=3, name="x")], "layer 'x' (Conv2D) uses dilation or groups."),
        (lambda k: [k.ReLU(max_value=6.0, name="x")], "layer 'x' (ReLU) uses max_value or threshold."),
        (lambda k: [k.ReLU(threshold=0.5, name="x")], "layer 'x' (ReLU) uses max_value or threshold."),
        (
            lambda k: [k.Conv2D(2, 3, activation="softmax", name="x")],
            "layer 'x' (Conv2D) has a fused activation 'softmax', which the explainer cannot show here (allowed: ",
        ),
        (
            lambda k: [k.Activation("softmax", name="x")],
            "layer 'x' (Activation) applies 'softmax', which the explainer cannot show here (allowed: ",
        ),
        (
            lambda k: [k.ReLU(), k.Rescaling(2.0, name="x")],
            "layer 'x' (Rescaling) is only supported as the first layer.",
        ),
        (lambda k: [k.Rescaling([1.0, 2.0, 3.0], name="x")], "layer 'x' (Rescaling) uses per-channel scale or offset."),
        (lambda k: [k.Rescaling(1.0, offset=[0.0, 1.0, 2.0], name="x")], "uses per-channel scale or offset."),
        (
            lambda k: [k.Cropping2D(1, name="x")],
            "layer 'x' (Cropping2D) is not supported. Use ZeroPadding2D or a smaller input instead.",
        ),
        (
            lambda k: [k.UpSampling2D(name="x")],
            "layer 'x' (UpSampling2D) is not supported. Use a larger input instead.",
        ),
        (
            lambda k: [k.BatchNormalization(axis=1, name="x")],
            "layer 'x' (BatchNormalization) normalises along axis 1, not the channels (axis=-1).",
        ),
        (
            lambda k: [k.GlobalAveragePooling2D(keepdims=True, name="x")],
            "layer 'x' (GlobalAveragePooling2D) keeps the pooled axes (keepdims=True; use keepdims=False).",
        ),
    ],
)
def test_what_the_explainer_cannot_show_is_refused_with_what_is_wrong(make, expected):
    import keras

    message = _refusal(*make(keras.layers))
    assert expected in message, message
    assert message.endswith(SUPPORTED_TEXT)


def test_a_dense_layer_must_read_one_axis_and_a_channels_first_layer_is_refused():
    import keras

    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Dense(2, activation="softmax", name="d")])
    with pytest.raises(ModelError, match=r"layer 'd' \(Dense\) reads a tensor of more than one axis \(add a Flatten"):
        model_spec(model, ["a", "b"])
    channels_first = keras.layers.MaxPooling2D(2, data_format="channels_first", name="p")
    assert "layer 'p' (MaxPooling2D) uses channels_first data." in _refusal(channels_first, input_shape=(8, 8, 3))
    # a hidden Dense with softmax is refused; on the last layer it is the output
    hidden = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(4, activation="softmax", name="h"),
            keras.layers.Dense(2, activation="softmax", name="o"),
        ]
    )
    with pytest.raises(ModelError, match=r"layer 'h' \(Dense\) has activation 'softmax', which the explainer cannot"):
        model_spec(hidden, ["a", "b"])


def test_a_merge_of_vectors_is_refused_saying_maps_are_shown():
    import keras

    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Flatten()(keras.layers.Conv2D(2, 3, name="a")(inputs))
    y = keras.layers.Dense(4, name="h")(x)
    z = keras.layers.Add(name="sum")([keras.layers.Dense(4, name="g")(x), y])
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(z))
    with pytest.raises(ModelError, match="layer 'sum' \\(Add\\) joins vectors"):
        model_spec(model, ["a", "b"])
