"""Which TF.js backend a page starts with, from the model's multiply-adds per image."""

from __future__ import annotations

import pytest

from builder.budget import WASM_FROM, choose_backend, multiply_adds


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
