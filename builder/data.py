"""Datasets: Fashion-MNIST from its IDX files (or an image folder, see image_folder.py), split deterministically."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import DataError

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


@dataclass(frozen=True)
class Split:
    """Images (uint8, N x H x W x C) and integer labels of one part of a dataset."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Dataset:
    """A classification dataset with a fixed train/validation/test split."""

    name: str
    classes: tuple[str, ...]
    train: Split
    validation: Split
    test: Split
    source: str

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """Height, width and channels of every image."""
        return tuple(int(d) for d in self.train.images.shape[1:])  # type: ignore[return-value]

    def fingerprint(self) -> str:
        """A hash of every image, label and class name: equal datasets give equal fingerprints."""
        digest = hashlib.sha256()
        digest.update("\0".join(self.classes).encode())
        for split in (self.train, self.validation, self.test):
            digest.update(str(split.images.shape).encode())
            digest.update(np.ascontiguousarray(split.images).tobytes())
            digest.update(np.ascontiguousarray(split.labels, dtype=np.int64).tobytes())
        return digest.hexdigest()


def read_idx(path: Path) -> np.ndarray:
    """The array stored in an IDX file (optionally gzip-compressed), as described by LeCun et al."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as error:
        raise DataError(f"cannot read {path}: {error}") from error
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise DataError(f"{path} is not an IDX file (bad magic number)")
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataError(f"{path} is truncated (header)")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise DataError(f"{path} holds {len(raw) - header} data bytes, its header promises {expected}")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)


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
            f"Fashion-MNIST not found in {folder}: missing {', '.join(missing)}.\n"
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


def subset(dataset: Dataset, per_split: int, seed: int = 0) -> Dataset:
    """A smaller copy of `dataset` with at most `per_split` examples in each split (for quick runs)."""

    def take(split: Split) -> Split:
        if len(split) <= per_split:
            return split
        pick = np.sort(np.random.default_rng(seed).permutation(len(split))[:per_split])
        return Split(split.images[pick], split.labels[pick])

    return Dataset(
        dataset.name,
        dataset.classes,
        take(dataset.train),
        take(dataset.validation),
        take(dataset.test),
        dataset.source,
    )


def resize_images(images: np.ndarray, size: int) -> np.ndarray:
    """Square uint8 images (N x H x W x C) resized to `size` x `size` with the page's filter (resize.py)."""
    from .image_folder import parallel
    from .resize import resize_levels

    if images.shape[1] == images.shape[2] == size:
        return images
    out = np.empty((len(images), size, size, images.shape[3]), dtype=np.uint8)

    def resize(i: int) -> None:
        out[i] = resize_levels(images[i], size, size)

    parallel(resize, range(len(images)), chunk=1024)
    return out


def with_image_size(dataset: Dataset, size: int | None) -> Dataset:
    """`dataset` with every image resized to `size` x `size` (unchanged when `size` is None)."""
    if size is None or dataset.image_shape[:2] == (size, size):
        return dataset
    if size < 1:
        raise DataError(f"--image-size must be a positive number of pixels, not {size}")

    def resize(split: Split) -> Split:
        return Split(resize_images(split.images, size), split.labels)

    return Dataset(
        dataset.name,
        dataset.classes,
        resize(dataset.train),
        resize(dataset.validation),
        resize(dataset.test),
        dataset.source,
    )


def read_class_names(path: Path) -> tuple[str, ...]:
    """Class names from a UTF-8 text file, one per line (blank lines and surrounding spaces ignored)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"--classes {path}: no such file") from None
    except UnicodeDecodeError as error:
        raise DataError(f"--classes {path} is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise DataError(f"--classes {path}: cannot read it: {error}") from None
    names = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not names:
        raise DataError(f"--classes {path} is empty: write one class name per line, in the model's output order")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise DataError(f"--classes {path} names some classes twice: {', '.join(repeated)}")
    return names


def load_dataset(
    path: Path | None, seed: int = 0, image_size: int | None = None, channels: int | None = None
) -> Dataset:
    """The dataset at `path`: a folder of Fashion-MNIST IDX files (default: Debian's copy), or a
    folder with one sub-folder of images per class; images are resized to `image_size` if given, and an
    image folder is read with `channels` channels if given (else grey when every image is)."""
    if path is None:
        return with_image_size(load_fashion_mnist(DEFAULT_FASHION_MNIST, seed=seed), image_size)
    path = Path(path)
    if not path.exists():
        raise DataError(f"--data {path}: no such file or folder")
    if any((path / name).is_file() for name in IDX_FILES.values()):
        return with_image_size(load_fashion_mnist(path, seed=seed), image_size)
    from .image_folder import load_image_folder

    return load_image_folder(path, seed=seed, image_size=image_size, channels=channels)
