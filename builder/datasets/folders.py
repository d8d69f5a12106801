"""Datasets from a folder of images with one sub-folder per class ("bring your own data").

Every image is read with Pillow (PNG, JPEG, WebP, GIF first frame, BMP; recognised by content,
not by file name), turned upright by its EXIF orientation, composited on white if it has
transparency, centre-cropped to a square and resized to `image_size` pixels with the page's own
filter (resize.py: area averaging when shrinking, bilinear when enlarging). The dataset is grey
(one channel) unless some image has colour. Files Pillow cannot read are skipped with one warning,
and so are images of more than MAX_PIXELS, refused from their header before they are decoded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ..errors import DataError
from ..resize import STRIP_PIXELS, area_average, area_taps, centre_crop, crop_levels, resize_levels, working_size
from .dataset import Dataset, Split, parallel, readable_name

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
WIDE_GREY = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")  # modes of 16-bit or float grey, scaled to 8 bits
# The most pixels an image may have. Pillow holds a decoded colour image at 4 bytes a pixel: an 8000 x 6000 PNG
# takes 190 MB beside TensorFlow's 700, and builds in 7 s at a peak of 920 MiB (bench/bombs.py). Phones' 48 and 50
# megapixel photos fit (JPEGs are decoded at a fraction of their size, see _draft).
MAX_PIXELS = 50_000_000
# Images of more decoded pixels than this are decoded one at a time, so that the threads of read_images do not
# each hold one.
SHARED_PIXELS = 4_000_000
_ONE_LARGE_IMAGE = threading.Lock()
# Pillow's own check would refuse large images first (DecompressionBombError, a message about attacks); _open
# refuses them at MAX_PIXELS instead, with one that says what to do.
Image.MAX_IMAGE_PIXELS = None
_TRANSPOSES = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}  # EXIF orientation: what turns the stored image upright, as ImageOps.exif_transpose does
_SWAPS_AXES = (
    Image.Transpose.TRANSPOSE,
    Image.Transpose.ROTATE_270,
    Image.Transpose.TRANSVERSE,
    Image.Transpose.ROTATE_90,
)


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
    """The image in `path`, opened (its header read, nothing decoded); ValueError if it is not one, or too large."""
    try:
        image = Image.open(path, formats=FORMATS)
    except UnidentifiedImageError:
        raise ValueError(f"not a {FORMAT_NAMES} image") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise ValueError(
            f"{width} x {height} pixels, {width * height / 1e6:.1f} megapixels, more than the {MAX_PIXELS / 1e6:.0f} "
            "an image may have: scale it down to 2000 pixels or fewer on its longer side (the model reads far fewer)"
        )
    return image


def _upright_size(path: Path) -> tuple[int, int]:
    """The size of the image in `path` once its EXIF orientation is applied (reads the header only)."""
    with _open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1) if image.format in ("JPEG", "PNG", "WEBP") else 1
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _to_rgba(image: Image.Image, top: float = 255.0) -> np.ndarray:
    """`image` as an RGBA uint8 array, with 16-bit or float grey scaled to 8 bits from 0..`top` (see _top) (opaque
    unless it has alpha)."""
    if image.mode in WIDE_GREY:
        values = np.asarray(image, dtype=np.float64)
        image = Image.fromarray(np.clip(values * (255.0 / top) + 0.5, 0, 255).astype(np.uint8), "L")
    return np.asarray(image.convert("RGBA"), dtype=np.uint8)


def _top(image: Image.Image) -> float:
    """The white level of a 16-bit or float grey image: 65535 when some pixel is above 255, else 255."""
    if image.mode not in WIDE_GREY:
        return 255.0
    return 65535.0 if image.getextrema()[1] > 255 else 255.0


def _stored_box(
    transpose: Image.Transpose | None, size: tuple[int, int], box: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    """The box (left, upper, right, lower) of the stored image (`size`) that `transpose` turns into `box` of the
    upright image."""
    width, height = size
    left, upper, right, lower = box
    if transpose in _SWAPS_AXES:  # the upright image's x runs along the stored image's y
        left, upper, right, lower = upper, left, lower, right
    flip_x = transpose in (Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_90)
    flip_y = transpose in (Image.Transpose.FLIP_TOP_BOTTOM, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_270)
    if transpose == Image.Transpose.TRANSVERSE:
        flip_x = flip_y = True
    if flip_x:
        left, right = width - right, width - left
    if flip_y:
        upper, lower = height - lower, height - upper
    return left, upper, right, lower


def _draft(image: Image.Image, box: tuple[int, int, int, int], working: tuple[int, int]) -> int:
    """Have a JPEG decoded at 1/2, 1/4 or 1/8 of its size (in the DCT, so at a fraction of the time and memory)
    while `box` keeps at least `working` pixels; the scale it will be decoded at (1 for other formats)."""
    most = min((box[2] - box[0]) // working[0], (box[3] - box[1]) // working[1])
    if image.format not in ("JPEG", "MPO") or most < 2:
        return 1
    width, height = image.size
    drafted = image.draft(image.mode, (-(-width // most), -(-height // most)))
    return 1 if drafted is None else round(width / drafted[1][2])


def _strips(image: Image.Image, left: int, upper: int, right: int, lower: int, top: float):
    """The rows upper..lower of columns left..right of `image` as RGBA arrays, a few at a time."""
    rows = max(1, STRIP_PIXELS // (right - left))
    for y in range(upper, lower, rows):
        yield _to_rgba(image.crop((left, y, right, min(lower, y + rows))), top)


def read_image(path: Path, size: int, width: int | None = None) -> np.ndarray:
    """The image in `path` as a `size` x `size` (or x `width`) x 3 uint8 array: upright, on white, centre-cropped and resized
    with the page's filter (resize.py), so an upload of the same file gives the same pixels.

    Only the crop is converted, in the stored orientation, and a crop larger than the working size is averaged down
    a strip at a time (a JPEG first decoded at a fraction of its size), so memory is the decoded image's and little
    more."""
    out_width = width or size
    with _open(path) as image, _one_at_a_time(image):
        image.seek(0)  # GIF: the first frame
        transpose = _TRANSPOSES.get(image.getexif().get(0x0112, 1))
        swapped = transpose in _SWAPS_AXES
        upright = image.size[::-1] if swapped else image.size
        x, y, crop_width, crop_height = centre_crop(*upright, out_width, size)
        box = _stored_box(transpose, image.size, (x, y, x + crop_width, y + crop_height))
        working = working_size(crop_width, crop_height, out_width, size)
        if working == (crop_width, crop_height) or working[0] > crop_width or working[1] > crop_height:
            region = image.crop(box)
            region = region.transpose(transpose) if transpose is not None else region
            return crop_levels(_to_rgba(region, _top(image)), size, out_width)
        stored_working = working[::-1] if swapped else working
        step = _draft(image, box, stored_working)
        across = area_taps(stored_working[0], box[0], box[2], step)
        down = area_taps(stored_working[1], box[1], box[3], step)
        right, lower = across.offset + len(across.first), down.offset + len(down.first)
        levels = area_average(_strips(image, across.offset, down.offset, right, lower, _top(image)), across, down)
    if transpose is not None:
        levels = np.asarray(Image.fromarray(levels, "RGB").transpose(transpose))
    return resize_levels(levels, out_width, size)


def _one_at_a_time(image: Image.Image):
    """A lock that lets one thread at a time decode an image of more than SHARED_PIXELS (else no lock)."""
    return _ONE_LARGE_IMAGE if image.size[0] * image.size[1] > SHARED_PIXELS else contextlib.nullcontext()


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
    classes = tuple(readable_name(folder.name) for folder in folders)
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
        readable_name(path.resolve().name),
        classes,
        Split(images[train], labels[train]),
        Split(images[validation], labels[validation]),
        Split(images[test], labels[test]),
        str(path),
    )
