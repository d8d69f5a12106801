"""The class names of a build, in the model's output order: from --classes files (one that names them in every
language, or NAME.<lang>.txt for one language), the dataset, the model's own metrics.json, or the --samples
sub-folders; and the names in each of the page's languages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from .datasets import Dataset, read_class_names
from .errors import DataError
from .i18n import class_names
from .model_store import classes_beside
from .samples import folder_classes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClassFiles:
    """The --classes files, read: the names in every language (or None), and the names in one language
    (NAME.<lang>.txt), by language; each with the file it came from, for messages."""

    every: tuple[Path, tuple[str, ...]] | None
    by_language: dict[str, tuple[Path, tuple[str, ...]]]


def read_class_files(files: Path | tuple[Path, ...] | None, languages: dict[str, dict]) -> ClassFiles:
    """The --classes `files`, read: the one that names the classes in every language, and those that name them in
    one language (NAME.<lang>.txt, for a language with a catalog in `languages`)."""
    files = () if files is None else (files,) if isinstance(files, Path) else files
    every, by_language = [], {}
    for path in map(Path, files):
        code = Path(path.stem).suffix[1:]
        if code in by_language:
            raise DataError(f"--classes {by_language[code][0]} and {path} both name the classes in {code}: keep one")
        read = (path, read_class_names(path))
        if code in languages:
            by_language[code] = read
        else:
            every.append(read)
    if len(every) > 1:
        raise DataError(
            f"--classes {every[0][0]} and {every[1][0]} both name the classes: pass one file, and name a file "
            f"NAME.<language>.txt for the names in one language ({', '.join(languages)})"
        )
    return ClassFiles(every[0] if every else None, by_language)


def model_classes(
    files: ClassFiles, count: int, dataset: Dataset | None, model_file: Path, samples_folder: Path | None
) -> tuple[str, ...]:
    """The names of the model's `count` classes, in its output order: --classes, else the dataset's, else the model's
    own (from the metrics.json `cnn-explain train` writes beside `model_file`), else the --samples sub-folders when
    there is one per class (sorted, as Keras's image_dataset_from_directory numbers them), else "class 0", ..."""
    if files.every is not None:
        every, names = files.every
        expected = len(dataset.classes) if dataset is not None else count
        if len(names) != expected:
            what = f"the dataset {dataset.name} has" if dataset is not None else "the model gives scores for"
            raise DataError(
                f"--classes {every} lists {len(names)} class names but {what} {expected} classes: "
                "write one name per line, in the order of the model's outputs"
            )
        return names
    if dataset is not None:
        return dataset.classes
    carried = classes_beside(model_file, count)
    if carried is not None:
        log.info("class names from %s", Path(model_file).parent / "metrics.json")
        return carried
    if samples_folder is not None:
        folders = folder_classes(samples_folder)
        if len(folders) == count:
            log.info(
                "class names from the sub-folders of --samples %s, in sorted order (pass --classes FILE if the "
                "model numbers them otherwise): %s",
                samples_folder,
                ", ".join(folders),
            )
            return tuple(folders)
    log.info("the model gives %d class scores; pass --classes FILE to name them (now 'class 0', ...)", count)
    return tuple(f"class {i}" for i in range(count))


def localized_classes(files: ClassFiles, code: str, catalog: dict, classes: tuple[str, ...]) -> list[str]:
    """The class names in language `code` (`catalog`'s): its --classes NAME.<lang>.txt, else the names the catalog
    knows (Fashion-MNIST's), else `classes` as they are."""
    if code not in files.by_language:
        return class_names(catalog, classes)
    path, names = files.by_language[code]
    if len(names) != len(classes):
        raise DataError(
            f"--classes {path} lists {len(names)} class names but the model has {len(classes)} classes: "
            "write one name per line, in the order of the model's outputs"
        )
    return list(names)
