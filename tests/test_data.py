import gzip
import struct

import numpy as np
import pytest

from builder.datasets import load_dataset
from builder.datasets.idx import IDX_FILES, load_fashion_mnist, read_idx, split_train_validation
from builder.errors import DataError


def write_idx(path, array):
    codes = {np.dtype(np.uint8): 0x08}
    header = bytes([0, 0, codes[array.dtype], array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.tobytes())


def write_fake_fashion_mnist(folder, n_train=48, n_test=20):
    rng = np.random.default_rng(0)
    write_idx(folder / IDX_FILES["train_images"], rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8))
    write_idx(folder / IDX_FILES["train_labels"], (np.arange(n_train) % 10).astype(np.uint8))
    write_idx(folder / IDX_FILES["test_images"], rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8))
    write_idx(folder / IDX_FILES["test_labels"], (np.arange(n_test) % 10).astype(np.uint8))


def test_read_idx_round_trips_an_array(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / "a.gz", array)
    np.testing.assert_array_equal(read_idx(tmp_path / "a.gz"), array)


def test_read_idx_rejects_a_truncated_file(tmp_path):
    array = np.zeros((4, 5, 5), dtype=np.uint8)
    write_idx(tmp_path / "a.gz", array)
    raw = gzip.decompress((tmp_path / "a.gz").read_bytes())
    (tmp_path / "b.gz").write_bytes(gzip.compress(raw[:-7]))
    with pytest.raises(DataError, match="header promises 100"):
        read_idx(tmp_path / "b.gz")


def test_read_idx_rejects_a_file_that_is_not_idx(tmp_path):
    (tmp_path / "c.gz").write_bytes(gzip.compress(b"PNG\x00 not an idx file"))
    with pytest.raises(DataError, match="not an IDX file"):
        read_idx(tmp_path / "c.gz")


def test_missing_dataset_error_says_how_to_get_it(tmp_path):
    with pytest.raises(DataError) as error:
        load_fashion_mnist(tmp_path)
    message = str(error.value)
    assert "apt-get install dataset-fashion-mnist" in message
    assert "train-images-idx3-ubyte.gz" in message and "--data" in message


def test_load_dataset_reads_idx_folder_with_deterministic_split(tmp_path):
    write_fake_fashion_mnist(tmp_path)
    first, second = load_dataset(tmp_path, seed=3), load_dataset(tmp_path, seed=3)
    assert first.image_shape == (28, 28, 1)
    assert len(first.train) + len(first.validation) == 48 and len(first.test) == 20
    np.testing.assert_array_equal(first.validation.labels, second.validation.labels)
    assert first.fingerprint() == second.fingerprint()
    assert load_dataset(tmp_path, seed=4).fingerprint() != first.fingerprint()
    assert first.classes[0] == "T-shirt/top" and first.classes[-1] == "Ankle boot"


def test_split_keeps_every_example_exactly_once():
    images = np.arange(100, dtype=np.uint8).reshape(100, 1, 1, 1)
    train, validation = split_train_validation(images, np.arange(100), 0.2, seed=0)
    assert len(train) == 80 and len(validation) == 20
    assert sorted(np.concatenate([train.labels, validation.labels]).tolist()) == list(range(100))
    np.testing.assert_array_equal(train.images[:, 0, 0, 0], train.labels)


def test_missing_data_path_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="no such file or folder"):
        load_dataset(tmp_path / "nowhere")
