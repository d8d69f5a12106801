import gzip
import struct
import tracemalloc

import numpy as np
import pytest

from builder.datasets import load_dataset
from builder.datasets.idx import IDX_FILES, MAX_IDX_BYTES, load_fashion_mnist, read_idx, split_train_validation
from builder.errors import DataError
from testkit.bombs import write_idx_bomb


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
    assert "\n" not in message, "the CLI prints an error as one line"


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


def write_raw_idx(path, header: bytes, data: bytes = b"", compress: bool = True):
    (path).write_bytes(gzip.compress(header + data) if compress else header + data)


def test_read_idx_reads_an_uncompressed_file_and_wider_types(tmp_path):
    array = (np.arange(2 * 3) * 70_000).reshape(2, 3).astype(">i4")  # 4-byte big-endian values past 65535
    header = bytes([0, 0, 0x0C, 2]) + struct.pack(">II", 2, 3)
    write_raw_idx(tmp_path / "a.idx", header, array.tobytes(), compress=False)
    np.testing.assert_array_equal(read_idx(tmp_path / "a.idx"), array)
    shape = (300, 2)  # a dimension over 255 needs more than the size's last byte
    write_idx(tmp_path / "b.gz", np.zeros(shape, dtype=np.uint8))
    assert read_idx(tmp_path / "b.gz").shape == shape


@pytest.mark.parametrize(
    "header",
    [bytes([1, 0, 0x08, 1]), bytes([0, 1, 0x08, 1]), bytes([0, 0, 0x07, 1]), bytes([0, 0])],
    ids=["first byte", "second byte", "type", "short"],
)
def test_read_idx_checks_every_byte_of_the_magic_number(tmp_path, header):
    write_raw_idx(tmp_path / "m.gz", header + (struct.pack(">I", 1) + b"\x00" if len(header) == 4 else b""))
    with pytest.raises(DataError, match="is not an IDX file"):
        read_idx(tmp_path / "m.gz")


def test_read_idx_says_when_the_header_is_cut_short(tmp_path):
    write_raw_idx(tmp_path / "h.gz", bytes([0, 0, 0x08, 3]) + struct.pack(">I", 4))  # 3 sizes promised, 1 given
    with pytest.raises(DataError, match=r"h\.gz is truncated \(header\)"):
        read_idx(tmp_path / "h.gz")
    (tmp_path / "bad.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataError, match="cannot read .*bad.gz"):
        read_idx(tmp_path / "bad.gz")


def test_load_fashion_mnist_names_itself_and_refuses_labels_it_cannot_name(tmp_path):
    write_fake_fashion_mnist(tmp_path)
    data = load_fashion_mnist(tmp_path)
    assert data.name == "Fashion-MNIST" and data.source == str(tmp_path)
    assert data.test.labels.dtype == np.int64 and data.train.labels.dtype == np.int64
    write_idx(tmp_path / IDX_FILES["test_labels"], (np.arange(20) % 11).astype(np.uint8))
    with pytest.raises(DataError, match="test labels go up to 10, expected 0..9"):
        load_fashion_mnist(tmp_path)
    write_idx(tmp_path / IDX_FILES["test_labels"], (np.arange(19) % 10).astype(np.uint8))
    with pytest.raises(DataError, match=r"test images \(20, 28, 28\) and labels \(19,\) do not match"):
        load_fashion_mnist(tmp_path)


def test_resized_images_stay_uint8_pixels_and_a_size_below_one_is_refused(tmp_path):
    from builder.datasets.dataset import resize_images, with_image_size
    from builder.resize import resize_levels

    images = np.random.default_rng(1).integers(0, 256, (3, 12, 12, 2), dtype=np.uint8)
    resized = resize_images(images, 5)
    assert resized.dtype == np.uint8 and resized.shape == (3, 5, 5, 2)
    np.testing.assert_array_equal(resized[2], resize_levels(images[2], 5, 5))
    assert resize_images(images, 12) is images
    write_fake_fashion_mnist(tmp_path)
    data = load_fashion_mnist(tmp_path)
    assert with_image_size(data, 14).test.images.shape[1:] == (14, 14, 1)
    with pytest.raises(DataError, match="--image-size must be a positive number of pixels, not 0"):
        with_image_size(data, 0)


def test_read_idx_refuses_a_header_that_promises_more_than_the_limit_without_reading_on(tmp_path):
    write_raw_idx(tmp_path / "huge.gz", bytes([0, 0, 0x08, 3]) + struct.pack(">III", 10**9, 28, 28), bytes(100))
    with pytest.raises(DataError) as error:
        read_idx(tmp_path / "huge.gz")
    message = str(error.value)
    assert "huge.gz" in message and "promises 784,000,000,000 bytes" in message and "1000000000 x 28 x 28" in message
    assert f"more than the {MAX_IDX_BYTES >> 20} MiB" in message and "\n" not in message


def test_read_idx_reads_no_more_than_its_header_promises(tmp_path):
    # a gzip bomb: its header promises Fashion-MNIST's 47 MB of training images, its data inflates to 1 GiB
    path = write_idx_bomb(tmp_path / "bomb.gz", data_bytes=1 << 30)
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match=r"bomb\.gz holds more than the 47,040,000 data bytes its header promises"):
            read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20, f"{peak / 2**20:.0f} MiB"


def test_read_idx_says_when_the_compressed_data_is_corrupt(tmp_path):
    packed = bytearray(gzip.compress(bytes([0, 0, 0x08, 1]) + struct.pack(">I", 5000) + bytes(range(256)) * 20))
    packed[20:40] = b"\xff" * 20  # damage the deflate stream (zlib.error), not the gzip header
    (tmp_path / "corrupt.gz").write_bytes(bytes(packed))
    with pytest.raises(DataError, match=r"cannot read .*corrupt\.gz"):
        read_idx(tmp_path / "corrupt.gz")
