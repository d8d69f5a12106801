"""Datasets from a folder of images with one sub-folder per class ("bring your own data").

Every image is read with Pillow (PNG, JPEG, WebP, GIF first frame, BMP; recognised by content,
not by file name), turned upright by its EXIF orientation, composited on white if it has
transparency, centre-cropped to a square and resized to `image_size` pixels with the page's own
filter (resize.py: area averaging when shrinking, bilinear when enlarging). The dataset is grey
(one channel) unless some image has colour. Files Pillow cannot read are skipped with one warning.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import DataError
from ..resize import to_model_pixels
from .dataset import Dataset, Split, parallel

log = logging.getLogger(__name__)

FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")
FORMAT_NAMES = "PNG, JPEG, WebP, GIF or BMP"
MIN_IMAGES_PER_CLASS = 5
MAX_DEFAULT_SIZE = 64
VALIDATION_FRACTION = 0.15
TEST_FRACTION = 0.15
GREY_TOLERANCE = 4  # most a pixel's channels may differ (JPEG rounding) for the image to count as grey
IGNORED_NAMES = {"__MACOSX", "Thumbs.db", "desktop.ini"}
NAMED_SKIPPED = 10  # how many skipped files the warning names


@dataclass(frozen=True)
class LoadedImages:
    """Images read from files, all `size` x `size` x 3; `kept` indexes the files read, `skipped` lists (file, reason)."""

    images: np.ndarray
    kept: list[int]
    skipped: list[tuple[Path, str]]


def _visible(name: str) -> bool:
    return not name.startswith(".") and name not in IGNORED_NAMES


def list_files(folder: Path) -> list[Path]:
    """Every non-hidden file under `folder` (sub-folders included), in sorted order."""
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(name for name in folders if _visible(name))
        found.extend(Path(root) / name for name in names if _visible(name))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def class_folders(path: Path) -> list[Path]:
    """The sub-folders of `path` that are classes (not hidden), sorted by name."""
    return sorted((p for p in path.iterdir() if _visible(p.name) and p.is_dir()), key=lambda p: p.name)


def _open(path: Path) -> Image.Image:
    try:
        return Image.open(path, formats=FORMATS)
    except UnidentifiedImageError:
        raise ValueError(f"not a {FORMAT_NAMES} image") from None


def _upright_size(path: Path) -> tuple[int, int]:
    """The size of the image in `path` once its EXIF orientation is applied (reads the header only)."""
    with _open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1) if image.format in ("JPEG", "PNG", "WEBP") else 1
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _to_rgba(image: Image.Image) -> np.ndarray:
    """`image` as an RGBA uint8 array, with 16-bit or float grey scaled to 8 bits (opaque unless it has alpha)."""
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if values.max() > 255 else 255.0
        image = Image.fromarray(np.clip(values * (255.0 / top) + 0.5, 0, 255).astype(np.uint8), "L")
    return np.asarray(image.convert("RGBA"), dtype=np.uint8)


def read_image(path: Path, size: int, width: int | None = None) -> np.ndarray:
    """The image in `path` as a `size` x `size` (or x `width`) x 3 uint8 array: upright, on white, centre-cropped and resized
    with the page's filter (resize.py), so an upload of the same file gives the same pixels."""
    with _open(path) as image:
        image.seek(0)  # GIF: the first frame
        image.load()
        upright = ImageOps.exif_transpose(image)
    return to_model_pixels(_to_rgba(upright), size, width or size, 3)


def is_grey(image: np.ndarray) -> bool:
    """Whether an RGB image has (nearly) equal channels everywhere."""
    spread = image.max(axis=2).astype(np.int16) - image.min(axis=2)
    return int(spread.max()) <= GREY_TOLERANCE


def to_grey(images: np.ndarray) -> np.ndarray:
    """RGB images (N x H x W x 3) as grey (N x H x W x 1), with Pillow's ITU-R 601 luma."""
    weighted = images[..., 0] * np.uint32(19595) + images[..., 1] * np.uint32(38470) + images[..., 2] * np.uint32(7471)
    return ((weighted + 0x8000) >> 16).astype(np.uint8)[..., None]


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def most_common_size(files: Sequence[Path]) -> tuple[tuple[int, int] | None, list[tuple[Path, str]]]:
    """The most common (width, height) of the images in `files`, and the files whose header is unreadable."""
    sizes: Counter = Counter()
    bad = []

    def probe(path: Path):
        try:
            return _upright_size(path)
        except Exception as error:  # Pillow raises many types for broken files
            return error

    for path, result in zip(files, parallel(probe, files), strict=True):
        if isinstance(result, Exception):
            bad.append((path, _reason(result)))
        else:
            sizes[result] += 1
    if not sizes:
        return None, bad
    best = max(sizes.items(), key=lambda item: (item[1], item[0][0] * item[0][1], item[0]))
    return best[0], bad


def read_images(files: Sequence[Path], size: int, width: int | None = None) -> LoadedImages:
    """Read `files` as `size` x `size` (or x `width`) RGB images in parallel; unreadable ones are left out and listed."""
    images = np.empty((len(files), size, width or size, 3), dtype=np.uint8)

    def load(index: int):
        try:
            images[index] = read_image(files[index], size, width)
        except Exception as error:  # Pillow raises many types for broken files
            return error
        return None

    errors = parallel(load, range(len(files)))
    good = [i for i, error in enumerate(errors) if error is None]
    skipped = [(files[i], _reason(error)) for i, error in enumerate(errors) if error is not None]
    return LoadedImages(images[good], good, skipped)


def warn_skipped(skipped: Sequence[tuple[Path, str]], folder: Path) -> None:
    """One warning that counts and names (the first few of) the files that could not be read."""
    if not skipped:
        return
    named = [f"{_relative(path, folder)} ({reason})" for path, reason in skipped[:NAMED_SKIPPED]]
    more = len(skipped) - len(named)
    listing = "; ".join(named) + (f"; and {more} more" if more else "")
    log.warning(
        "skipped %d file%s in %s that could not be read as %s images: %s",
        len(skipped),
        "" if len(skipped) == 1 else "s",
        folder,
        FORMAT_NAMES,
        listing,
    )


def _relative(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def choose_size(image_size: int | None, files: Sequence[Path]) -> tuple[int, list[tuple[Path, str]]]:
    """`image_size`, or the side of the most common image size capped at MAX_DEFAULT_SIZE."""
    if image_size is not None:
        if image_size < 1:
            raise DataError(f"--image-size must be a positive number of pixels, not {image_size}")
        return image_size, []
    common, bad = most_common_size(files)
    if common is None:
        return MAX_DEFAULT_SIZE, bad
    return min(common[0], common[1], MAX_DEFAULT_SIZE), bad


def stratified_split(
    labels: np.ndarray, num_classes: int, validation_fraction: float, test_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices of train, validation and test examples: each class cut by the same fractions, seeded."""
    rng = np.random.default_rng(seed)
    parts: list[list[np.ndarray]] = [[], [], []]
    for cls in range(num_classes):
        members = rng.permutation(np.flatnonzero(labels == cls))
        count = len(members)
        n_test = max(1, round(count * test_fraction)) if test_fraction > 0 else 0
        n_validation = max(1, round(count * validation_fraction)) if validation_fraction > 0 else 0
        parts[2].append(members[:n_test])
        parts[1].append(members[n_test : n_test + n_validation])
        parts[0].append(members[n_test + n_validation :])
    train, validation, test = (np.sort(np.concatenate(p)).astype(np.int64) for p in parts)
    return train, validation, test


def load_image_folder(
    path: Path,
    seed: int = 0,
    image_size: int | None = None,
    validation_fraction: float = VALIDATION_FRACTION,
    test_fraction: float = TEST_FRACTION,
    channels: int | None = None,
) -> Dataset:
    """A dataset from `path`, a folder with one sub-folder of images per class (see the module docstring).

    The images are grey when they all are, else colour; `channels` (1 or 3) decides instead, for a given model.
    """
    path = Path(path)
    if not path.is_dir():
        raise DataError(
            f"--data {path} is not a folder: pass a folder holding one sub-folder of images per class "
            "(unpack archives first), or a folder of Fashion-MNIST IDX files"
        )
    if not 0 <= validation_fraction < 1 or not 0 <= test_fraction < 1 or validation_fraction + test_fraction >= 1:
        raise DataError("the validation and test fractions must be between 0 and 1 and leave images to train on")
    folders = class_folders(path)
    if len(folders) < 2:
        found = f"only the sub-folder '{folders[0].name}'" if folders else "no sub-folders"
        raise DataError(
            f"--data {path} has {found}: an image-folder dataset needs at least 2 classes, "
            "each a sub-folder named after the class and holding its images (e.g. cats/1.jpg, dogs/1.jpg)"
        )
    classes = tuple(folder.name for folder in folders)
    per_class = [list_files(folder) for folder in folders]
    files = [file for group in per_class for file in group]
    labels = np.repeat(np.arange(len(classes)), [len(group) for group in per_class])

    size, unreadable = choose_size(image_size, files)
    broken = {file for file, _ in unreadable}
    readable = [i for i, file in enumerate(files) if file not in broken]
    loaded = read_images([files[i] for i in readable], size)
    labels = labels[readable][loaded.kept]
    warn_skipped(sorted(unreadable + loaded.skipped), path)

    if not len(loaded.images):
        raise DataError(
            f"--data {path}: none of the {len(files)} files in its class folders could be read as {FORMAT_NAMES} images"
        )
    counts = np.bincount(labels, minlength=len(classes))
    short = [f"'{name}' has {int(n)}" for name, n in zip(classes, counts, strict=True) if n < MIN_IMAGES_PER_CLASS]
    if short:
        raise DataError(
            f"--data {path}: every class needs at least {MIN_IMAGES_PER_CLASS} readable images, but class "
            f"{', '.join(short)}. Add images to those folders or remove them."
        )

    images = loaded.images
    grey = all(is_grey(image) for image in images) if channels is None else channels == 1
    if grey:
        images = to_grey(images)
    train, validation, test = stratified_split(labels, len(classes), validation_fraction, test_fraction, seed)
    log.info(
        "read %d %s images of %d classes from %s as %dx%d (%d train / %d validation / %d test)",
        len(images),
        "grey" if grey else "colour",
        len(classes),
        path,
        size,
        size,
        len(train),
        len(validation),
        len(test),
    )
    return Dataset(
        path.resolve().name,
        classes,
        Split(images[train], labels[train]),
        Split(images[validation], labels[validation]),
        Split(images[test], labels[test]),
        str(path),
    )
