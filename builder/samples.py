"""The sample images a site explains: a folder of the user's images, or some picked from a dataset's test split."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .datasets.dataset import readable_name
from .datasets.folders import FORMAT_NAMES, class_folders, list_files, read_images, to_grey, warn_skipped
from .errors import DataError

log = logging.getLogger(__name__)

MAX_SAMPLES = 100


@dataclass(frozen=True)
class SampleImages:
    """Images to explain: those at `indices` of `images`; `labels[i]` is None when the class is unknown.

    `files` names the file of each chosen image (in `indices` order) when they come from a folder.
    """

    images: np.ndarray
    labels: list[int | None]
    indices: list[int]
    files: list[str] | None = None


def pick_samples(labels: np.ndarray, predicted: np.ndarray, count: int, num_classes: int, seed: int = 0) -> list[int]:
    """Indices of `count` examples: classes in turn, correctly classified ones first, deterministic."""
    order = np.random.default_rng(seed).permutation(len(labels))
    queues = []
    for cls in range(num_classes):
        members = order[labels[order] == cls]
        correct = members[predicted[members] == cls]
        wrong = members[predicted[members] != cls]
        queues.append(list(correct) + list(wrong))
    picked: list[int] = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(int(queue.pop(0)))
    return picked


def folder_classes(folder: Path) -> list[str]:
    """The names of the sub-folders of a --samples folder that hold files, sorted as Keras's
    image_dataset_from_directory numbers classes."""
    return [readable_name(sub.name) for sub in class_folders(Path(folder)) if list_files(sub)]


def load_sample_folder(
    folder: Path, shape: Sequence[int], classes: Sequence[str], limit: int = MAX_SAMPLES
) -> SampleImages:
    """The images in `folder` as samples of shape `shape` (height, width, 1 or 3), prepared like uploads.

    The folder may be flat, or hold sub-folders named after classes: their images get that class as their label.
    Files that cannot be read as images are skipped and named in one warning.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"--samples {folder}: expected a number or a folder of images")
    height, width, channels = (int(d) for d in shape)
    files = list_files(folder)
    if len(files) > limit:
        log.warning("--samples %s holds %d files: using the first %d", folder, len(files), limit)
        files = files[:limit]
    loaded = read_images(files, height, width)
    warn_skipped(loaded.skipped, folder)
    if not loaded.kept:
        raise DataError(f"--samples {folder}: found no {FORMAT_NAMES} images in it (sub-folders included)")
    index = {name: i for i, name in enumerate(classes)}
    labels: list[int | None] = []
    unknown: set[str] = set()
    for i in loaded.kept:
        parts = [readable_name(part) for part in files[i].relative_to(folder).parts]
        label = index.get(parts[0]) if len(parts) > 1 else None
        if len(parts) > 1 and label is None:
            unknown.add(parts[0])
        labels.append(label)
    if unknown:
        log.warning(
            "--samples %s: the sub-folder%s %s %s not named after a class, so %s images have no label",
            folder,
            "s" if len(unknown) > 1 else "",
            ", ".join(f"'{name}'" for name in sorted(unknown)),
            "are" if len(unknown) > 1 else "is",
            "their" if len(unknown) > 1 else "its",
        )
    images = loaded.images if channels == 3 else to_grey(loaded.images)
    names = [readable_name(files[i].relative_to(folder).as_posix()) for i in loaded.kept]
    return SampleImages(images, labels, list(range(len(labels))), names)


def from_test_split(
    images: np.ndarray, labels: np.ndarray, predicted: np.ndarray, count: int, num_classes: int, seed: int
) -> SampleImages:
    """`count` test images to explain: one class after another, correctly classified ones first."""
    picked = pick_samples(labels, predicted, count, num_classes, seed)
    return SampleImages(images, [int(label) for label in labels], picked)
