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
