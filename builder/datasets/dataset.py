"""A classification dataset with a fixed split, and what every kind of dataset shares: subsets, resizing, class
names from a file, reading images in parallel."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataError
from ..resize import resize_levels


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


def parallel(function, items: Sequence, chunk: int = 32) -> list:
    """`[function(item) for item in items]` on a thread pool (Pillow decodes without the GIL), in chunks."""
    chunks = [items[start : start + chunk] for start in range(0, len(items), chunk)]
    if len(chunks) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(min(8, os.cpu_count() or 1, len(chunks))) as pool:
        done = pool.map(lambda part: [function(item) for item in part], chunks)
        return [result for part in done for result in part]


def resize_images(images: np.ndarray, size: int) -> np.ndarray:
    """Square uint8 images (N x H x W x C) resized to `size` x `size` with the page's filter (resize.py)."""
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


def readable_name(name: str) -> str:
    """A file or folder name as the page can show it: bytes that are not UTF-8 (kept by Python as surrogates) become
    U+FFFD, which every text file and JSON can hold."""
    return os.fsencode(name).decode("utf-8", "replace") if any("\udc80" <= c <= "\udcff" for c in name) else name


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
    # Lines end at "\n" alone: str.splitlines would also cut a name at a form feed, U+0085 or U+2028 inside it.
    names = tuple(line.strip() for line in text.split("\n") if line.strip())
    if not names:
        raise DataError(f"--classes {path} is empty: write one class name per line, in the model's output order")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise DataError(f"--classes {path} names some classes twice: {', '.join(repeated)}")
    return names
