"""Which TF.js backend a page starts with, from the model's multiply-adds per image."""

from __future__ import annotations

import pytest

from builder.budget import WASM_FROM, choose_backend, config_weights, multiply_adds


def spec_of(*layers, input_shape=(8, 8, 1)) -> dict:
    return {"input": {"shape": list(input_shape)}, "layers": list(layers)}


SMALL = spec_of(
    {"kind": "conv", "kernel_size": [3, 3], "filters": 4, "shape": [6, 6, 4]},
    {"kind": "activation", "shape": [6, 6, 4]},
    {"kind": "conv", "kernel_size": [1, 3], "filters": 2, "shape": [6, 4, 2]},
    {"kind": "pool", "shape": [3, 2, 2]},
    {"kind": "flatten", "shape": [12]},
    {"kind": "dense", "units": 5, "shape": [5]},
)


def test_multiply_adds_count_every_output_times_its_kernel_window_and_input_channels():
    # 6*6*4 outputs of a 3x3x1 window, 6*4*2 outputs of a 1x3x4 window, 12 inputs to each of 5 units
    assert multiply_adds(SMALL) == 6 * 6 * 4 * 9 + 6 * 4 * 2 * 3 * 4 + 12 * 5


def test_auto_picks_webassembly_from_the_threshold_on_and_an_explicit_choice_wins():
    at = spec_of({"kind": "dense", "units": WASM_FROM // 64, "shape": [WASM_FROM // 64]}, input_shape=(8, 8, 1))
    below = spec_of({"kind": "dense", "units": WASM_FROM // 64 - 1, "shape": [WASM_FROM // 64 - 1]})
    assert multiply_adds(at) == WASM_FROM
    assert choose_backend(at) == "wasm" and choose_backend(below) == "cpu"
    assert choose_backend(SMALL, "wasm") == "wasm" and choose_backend(at, "cpu") == "cpu"
    with pytest.raises(ValueError):
        choose_backend(SMALL, "webgl")


def layer(kind: str, build_shape=None, **config) -> dict:
    entry = {"class_name": kind, "config": {"name": config.pop("name", kind.lower()), **config}}
    if build_shape is not None:
        entry["build_config"] = {"input_shape": build_shape}
    return entry


def test_config_weights_follow_the_shape_from_the_input_through_conv_pool_and_flatten():
    # as a legacy .h5 keeps it: no build shapes, so each layer reads what the one before puts out
    config = {
        "class_name": "Sequential",
        "config": {
            "layers": [
                layer("InputLayer", batch_shape=[None, 20, 18, 3]),
                layer("Rescaling", scale=1 / 255, offset=0.0),
                layer("Conv2D", filters=6, kernel_size=[3, 5], strides=[2, 2], padding="valid", name="c1"),
                layer("Conv2D", filters=4, kernel_size=3, dilation_rate=2, use_bias=False, padding="valid", name="c2"),
                layer("AveragePooling2D", pool_size=[2, 2], strides=None, padding="same"),
                layer("Conv2D", filters=8, kernel_size=1, groups=2, padding="same", name="grouped"),
                layer("Flatten"),
                layer("Dense", units=7, name="hidden"),
                layer("Dropout", rate=0.5),
                layer("Dense", units=3, use_bias=False, name="out"),
            ]
        },
    }
    # c1: 20x18x3 -> 9x7x6; c2 (dilated 3x3 spans 5): 5x3x4; pool (same): 3x2x4; grouped: 3x2x8; flatten: 48
    assert config_weights(config) == [
        ("rescaling", "Rescaling", 0),
        ("c1", "Conv2D", 3 * 5 * 3 * 6 + 6),
        ("c2", "Conv2D", 3 * 3 * 6 * 4),
        ("averagepooling2d", "AveragePooling2D", 0),
        ("grouped", "Conv2D", 1 * 1 * 2 * 8 + 8),
        ("flatten", "Flatten", 0),
        ("hidden", "Dense", 48 * 7 + 7),
        ("dropout", "Dropout", 0),
        ("out", "Dense", 7 * 3),
    ]


def test_config_weights_take_a_layers_build_shape_first_and_do_not_guess_other_kinds():
    config = {
        "class_name": "Sequential",
        "config": {
            "layers": [
                layer("InputLayer", batch_shape=[None, 12, 12, 3]),
                layer("Flatten", [None, 12, 12, 3]),
                layer("Dense", [None, 135_000_000], units=3, name="claims"),  # what Keras builds, whatever came before
                layer("Embedding", [None, 3], input_dim=10**9, output_dim=8, name="other"),
                layer("Dense", units=2, name="after"),  # reads what an unknown kind puts out
            ]
        },
    }
    assert config_weights(config) == [
        ("flatten", "Flatten", 0),
        ("claims", "Dense", 405_000_003),
        ("other", "Embedding", None),
        ("after", "Dense", None),
    ]
    assert config_weights({"class_name": "Sequential", "config": "not a model"}) == []
