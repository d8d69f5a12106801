import re

import numpy as np
import pytest

from builder.expand import explainable_model
from builder.spec import model_spec


def fused_model(names=("c", "f", "h", "out")):
    import keras

    keras.utils.set_random_seed(3)
    inputs = keras.Input((9, 9, 3))
    x = keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="tanh", name=names[0])(inputs)
    x = keras.layers.Flatten(name=names[1])(x)
    x = keras.layers.Dense(6, activation="relu", name=names[2])(x)
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax", name=names[3])(x), name="net")


def test_fused_activations_become_layers_of_their_own_with_the_same_outputs():
    import keras

    model = fused_model()
    explained = explainable_model(model)
    assert explained.fused == {"c_linear": "c", "h_linear": "h"}
    assert [layer.name for layer in explained.model.layers] == ["input", "c_linear", "c", "f", "h_linear", "h", "out"]
    images = np.random.default_rng(0).random((2, 9, 9, 3)).astype(np.float32)
    for name in ("c", "h", "out"):
        original = keras.Model(model.inputs, model.get_layer(name).output).predict(images, verbose=0)
        split = keras.Model(explained.model.inputs, explained.model.get_layer(name).output).predict(images, verbose=0)
        np.testing.assert_array_equal(split, original)
    spec = model_spec(explained.model, ["a", "b", "c"], fused=explained.fused, names=explained.names)
    by_name = {layer["name"]: layer for layer in spec["layers"]}
    assert by_name["c_linear"]["kind"] == "conv" and by_name["c_linear"]["fused_with"] == "c"
    assert by_name["c"]["kind"] == "activation" and by_name["c"]["function"] == "tanh" and by_name["c"]["fused"]
    assert by_name["out"]["activation"] == "softmax"


def test_any_keras_name_is_kept_for_people_and_given_a_safe_id():
    import keras

    hostile = ("café", "conv 1", "层", "<img src=x onerror=alert(1)>")
    safe = fused_model()
    model = fused_model(hostile)
    model.set_weights(safe.get_weights())
    explained = explainable_model(model)
    spec = model_spec(explained.model, ["a", "b", "c"], 255.0, explained.fused, explained.names, explained.name)
    assert [layer["name"] for layer in spec["layers"]] == [
        "café_linear",
        "café",
        "conv 1",
        "层_linear",
        "层",
        "<img src=x onerror=alert(1)>",
    ]
    assert [layer["input"] for layer in spec["layers"]][1:] == [layer["name"] for layer in spec["layers"]][:-1]
    ids = [layer["id"] for layer in spec["layers"]]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", i) for i in ids)
    images = np.random.default_rng(0).random((2, 9, 9, 3)).astype(np.float32)
    for shown, original in (("café", "c"), ("层", "h"), ("<img src=x onerror=alert(1)>", "out")):
        layer_id = next(layer["id"] for layer in spec["layers"] if layer["name"] == shown)
        expected = keras.Model(safe.inputs, safe.get_layer(original).output).predict(images, verbose=0)
        got = keras.Model(explained.model.inputs, explained.model.get_layer(layer_id).output).predict(images, verbose=0)
        np.testing.assert_array_equal(got, expected)


def test_ids_do_not_collide_with_names_that_look_like_ids_or_the_input():
    explained = explainable_model(fused_model(("layer_2", "input", "层", "layer_4")))
    ids = [layer.name for layer in explained.model.layers][1:]
    assert len(set(ids)) == len(ids) and "input" not in ids
    assert "input" not in explained.names.values(), "the page's name for the model's input stays unique"


def test_model_without_fused_activations_keeps_its_layers(tiny_vgg_model):
    explained = explainable_model(tiny_vgg_model)
    assert explained.fused == {}
    assert [layer.name for layer in explained.model.layers][1:] == [layer.name for layer in tiny_vgg_model.layers]
    assert explained.names == {layer.name: layer.name for layer in tiny_vgg_model.layers}


def test_a_layer_keras_does_not_name_is_refused_by_the_spec_not_by_a_traceback():
    """A custom layer (here a Conv2D subclass) keeps its own class when the model is split, so the spec check that
    follows refuses it in one sentence naming it."""
    import keras

    from builder.errors import ModelError
    from builder.expand import explainable_model
    from builder.spec import check_supported

    class Doubled(keras.layers.Conv2D):
        pass

    model = keras.Sequential(
        [keras.Input((8, 8, 1)), Doubled(2, 3, name="twice"), keras.layers.Flatten(), keras.layers.Dense(2)]
    )
    explained = explainable_model(model)
    with pytest.raises(ModelError, match=r"layer 'twice' \(Doubled\) is not supported"):
        check_supported(explained.model, explained.fused, explained.names, explained.name, explained.parts)


def test_a_residual_block_keeps_its_graph_and_its_function():
    """The explained model of a residual block computes what the original does, layer by layer, with the shortcut's
    1x1 convolution after the main path (depth first from the output) and the Add reading both, in order."""
    import keras

    keras.utils.set_random_seed(4)
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="main")(inputs)
    shortcut = keras.layers.Conv2D(4, 1, name="shortcut")(inputs)
    x = keras.layers.Add(name="sum")([x, shortcut])
    x = keras.layers.GlobalAveragePooling2D(name="gap")(x)
    model = keras.Model(inputs, keras.layers.Dense(2, name="out")(x), name="res")
    explained = explainable_model(model)
    spec = model_spec(explained.model, ["a", "b"], fused=explained.fused, names=explained.names)
    reads = [(layer["name"], layer.get("inputs", [layer["input"]])) for layer in spec["layers"]]
    assert reads == [
        ("main_linear", ["input"]),
        ("main", ["main_linear"]),
        ("shortcut", ["input"]),
        ("sum", ["main", "shortcut"]),
        ("gap", ["sum"]),
        ("out", ["gap"]),
    ]
    images = np.random.default_rng(1).random((2, 8, 8, 3)).astype(np.float32)
    for name in ("main", "shortcut", "sum", "out"):
        original = keras.Model(model.inputs, model.get_layer(name).output).predict(images, verbose=0)
        split = keras.Model(explained.model.inputs, explained.model.get_layer(name).output).predict(images, verbose=0)
        np.testing.assert_allclose(split, original, atol=1e-6)
