"""What the page trains on (builder/training.py): bounded, seeded, named by test index, and refused with a reason."""

from __future__ import annotations

import base64
import gzip

import numpy as np

from builder.datasets import Dataset, Split
from builder.training import PIXEL_BUDGET, training_payload, training_problem
from tests.conftest import make_dataset


def test_the_subsets_are_seeded_bounded_and_name_their_test_images():
    dataset = make_dataset(n_classes=3, size=12, per_class=40)
    payload = training_payload(dataset, seed=1)
    again = training_payload(dataset, seed=1)
    assert payload == again and payload != training_payload(dataset, seed=2)
    held = payload["held_out"]
    pixels = np.frombuffer(gzip.decompress(base64.b64decode(held["pixels"])), np.uint8).reshape(-1, 12, 12, 1)
    assert np.array_equal(pixels, dataset.test.images[held["indices"]])
    assert held["labels"] == [int(v) for v in dataset.test.labels[held["indices"]]]
    assert payload["train"]["count"] == len(dataset.train) and payload["shape"] == [12, 12, 1]


def test_large_images_are_held_to_the_pixel_budget():
    big = Split(np.zeros((500, 128, 128, 3), np.uint8), np.zeros(500, np.int64))
    dataset = Dataset("big", ("a", "b"), big, big, big, "generated")
    payload = training_payload(dataset)
    size = 128 * 128 * 3
    assert (payload["train"]["count"] + payload["held_out"]["count"]) * size <= PIXEL_BUDGET
    assert payload["train"]["count"] > 0 and payload["held_out"]["count"] > 0


def test_a_network_the_page_cannot_train_is_refused_naming_the_layer():
    layers = [
        {"name": "c", "kind": "conv", "activation": "linear"},
        {"name": "bn", "kind": "batchnorm"},
        {"name": "out", "kind": "dense", "activation": "softmax"},
    ]
    assert training_problem({"layers": layers}) == "layer:bn:batchnorm"
    assert training_problem({"layers": [layers[0], layers[2]]}) is None
    assert training_problem({"layers": [layers[0], {**layers[2], "activation": "sigmoid"}]}) == "output"
    gelu = {"name": "g", "kind": "activation", "function": "gelu"}
    assert training_problem({"layers": [gelu, layers[2]]}) == "layer:g:gelu"
