"""Datasets the builder trains on and explains: Fashion-MNIST's IDX files (idx.py), or a folder with one sub-folder of
images per class (folders.py); dataset.py holds what both share."""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError
from .dataset import Dataset, Split, read_class_names, subset, with_image_size
from .folders import load_image_folder
from .idx import DEFAULT_FASHION_MNIST, FASHION_MNIST_CLASSES, IDX_FILES, load_fashion_mnist

__all__ = [
    "DEFAULT_FASHION_MNIST",
    "FASHION_MNIST_CLASSES",
    "Dataset",
    "Split",
    "load_dataset",
    "read_class_names",
    "subset",
    "with_image_size",
]


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
    return load_image_folder(path, seed=seed, image_size=image_size, channels=channels)
