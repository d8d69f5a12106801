"""Fashion-MNIST from its IDX files (LeCun et al.'s format), with a deterministic train/validation split."""

from __future__ import annotations

import gzip
import math
import zlib
from pathlib import Path

import numpy as np

from ..errors import DataError
from .dataset import Dataset, Split

DEFAULT_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

IDX_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}

_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
# The most data an IDX file may promise. Fashion-MNIST's largest file, its training images, holds 47 MB (60,000 x
# 28 x 28 bytes), as MNIST's and Kuzushiji-MNIST's do. The reader holds each file whole in memory, beside
# TensorFlow's 700 MB and the copies the split makes, so it allows 40 % more than that and no further.
MAX_IDX_BYTES = 64 << 20
_READ_CHUNK = 1 << 20


def read_idx(path: Path) -> np.ndarray:
    """The array stored in an IDX file (optionally gzip-compressed), as described by LeCun et al.: the header first,
    then no more data than it promises (at most MAX_IDX_BYTES), so a small gzip file cannot inflate to gigabytes."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            return _read_idx(path, handle)
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(f"cannot read {path}: {error}") from error


def _read_idx(path: Path, handle) -> np.ndarray:
    magic = handle.read(4)
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0 or magic[2] not in _IDX_DTYPES:
        raise DataError(f"{path} is not an IDX file (bad magic number)")
    dtype = np.dtype(_IDX_DTYPES[magic[2]])
    ndim = magic[3]
    sizes = handle.read(4 * ndim)
    if len(sizes) < 4 * ndim:
        raise DataError(f"{path} is truncated (header)")
    shape = tuple(int.from_bytes(sizes[4 * i : 4 * i + 4], "big") for i in range(ndim))
    expected = math.prod(shape) * dtype.itemsize
    if expected > MAX_IDX_BYTES:
        raise DataError(
            f"{path}: its header promises {expected:,} bytes of data ({' x '.join(map(str, shape))}), more than the "
            f"{MAX_IDX_BYTES >> 20} MiB an IDX file may hold (Fashion-MNIST's largest holds 47 MB): pass the "
            "Fashion-MNIST files, or a folder of images with one sub-folder per class"
        )
    data = bytearray(expected + 1)  # one byte more, to tell a file that holds more than it promises
    view = memoryview(data)
    filled = 0
    while filled < len(data):
        count = handle.readinto(view[filled : filled + _READ_CHUNK])
        if not count:
            break
        filled += count
    if filled > expected:
        raise DataError(
            f"{path} holds more than the {expected:,} data bytes its header promises: it is damaged or not an IDX "
            "file; download it again"
        )
    if filled != expected:
        raise DataError(f"{path} holds {filled} data bytes, its header promises {expected}")
    return np.frombuffer(data, dtype=dtype, count=math.prod(shape)).reshape(shape)


def split_train_validation(
    images: np.ndarray, labels: np.ndarray, validation_fraction: float, seed: int
) -> tuple[Split, Split]:
    """Shuffle with `seed` and cut off `validation_fraction` of the examples for validation."""
    order = np.random.default_rng(seed).permutation(len(labels))
    cut = int(round(len(labels) * (1 - validation_fraction)))
    train, validation = order[:cut], order[cut:]
    return Split(images[train], labels[train]), Split(images[validation], labels[validation])


def load_fashion_mnist(
    folder: Path = DEFAULT_FASHION_MNIST, validation_fraction: float = 1 / 12, seed: int = 0
) -> Dataset:
    """Fashion-MNIST from the four IDX files in `folder` (60k train, 10k test, 28x28 grey)."""
    folder = Path(folder)
    missing = [name for name in IDX_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise DataError(
            f"Fashion-MNIST not found in {folder}: missing {', '.join(missing)}. "
            "Install it with `apt-get install dataset-fashion-mnist` (Debian), or pass "
            "--data PATH to a folder holding those four files, or to a folder with one "
            "sub-folder of images per class."
        )
    arrays = {key: read_idx(folder / name) for key, name in IDX_FILES.items()}
    for part in ("train", "test"):
        images, labels = arrays[f"{part}_images"], arrays[f"{part}_labels"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise DataError(f"{folder}: {part} images {images.shape} and labels {labels.shape} do not match")
        if labels.max() >= len(FASHION_MNIST_CLASSES):
            raise DataError(f"{folder}: {part} labels go up to {labels.max()}, expected 0..9")
    train, validation = split_train_validation(
        arrays["train_images"][..., None],
        arrays["train_labels"].astype(np.int64),
        validation_fraction,
        seed,
    )
    test = Split(arrays["test_images"][..., None], arrays["test_labels"].astype(np.int64))
    return Dataset("Fashion-MNIST", FASHION_MNIST_CLASSES, train, validation, test, str(folder))
