import numpy as np

from builder.expand import expand_fused_activations
from builder.spec import model_spec


def test_fused_activations_become_layers_of_their_own_with_the_same_outputs():
    import keras

    keras.utils.set_random_seed(3)
    inputs = keras.Input((9, 9, 3))
    x = keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="tanh", name="c")(inputs)
    x = keras.layers.Flatten(name="f")(x)
    x = keras.layers.Dense(6, activation="relu", name="h")(x)
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax", name="out")(x))
    expanded, fused = expand_fused_activations(model)
    assert fused == {"c_linear": "c", "h_linear": "h"}
    assert [layer.name for layer in expanded.layers] == ["c_linear", "c", "f", "h_linear", "h", "out"]
    images = np.random.default_rng(0).random((2, 9, 9, 3)).astype(np.float32)
    for name in ("c", "h", "out"):
        original = keras.Model(model.inputs, model.get_layer(name).output).predict(images, verbose=0)
        split = keras.Model(expanded.inputs, expanded.get_layer(name).output).predict(images, verbose=0)
        np.testing.assert_array_equal(split, original)
    spec = model_spec(expanded, ["a", "b", "c"], fused=fused)
    by_name = {layer["name"]: layer for layer in spec["layers"]}
    assert by_name["c_linear"]["kind"] == "conv" and by_name["c_linear"]["fused_with"] == "c"
    assert by_name["c"]["kind"] == "activation" and by_name["c"]["function"] == "tanh" and by_name["c"]["fused"]
    assert by_name["out"]["activation"] == "softmax"


def test_model_without_fused_activations_is_returned_as_is(tiny_vgg_model):
    expanded, fused = expand_fused_activations(tiny_vgg_model)
    assert expanded is tiny_vgg_model and fused == {}
