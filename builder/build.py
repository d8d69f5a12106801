"""The build pipeline: inputs checked -> model (trained or the user's) -> spec -> TF.js model -> samples -> site.

The output folder is checked and a staging folder made before anything slow runs, and the site replaces the
previous one only when every step succeeded (output.py).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .budget import batch_size, check_budget, check_saved_parameters, choose_backend
from .convert import convert_to_tfjs
from .datasets import Dataset, load_dataset, read_class_names, subset
from .errors import DataError, ExplainError, ModelError
from .expand import ExplainedModel, explainable_model
from .i18n import check_language, class_names, load_catalogs
from .model import TrainConfig, evaluate, predict
from .model_store import TrainedModel, check_cache, check_model_file, classes_beside, load_keras_model, trained_model
from .output import SITE, staged_output
from .photo import photo_recipe
from .quiet import import_tensorflow
from .render import LOCALES, render_site
from .samples import SampleImages, folder_classes, from_test_split, load_sample_folder
from .spec import default_pixel_divisor, model_spec

log = logging.getLogger(__name__)

DEFAULT_CACHE = Path(".cache")
PIXEL_DIVISORS = (1e-6, 1e6)  # the range --pixel-divisor accepts
IMAGE_SIZES = (4, 256)  # the range --image-size accepts


@dataclass(frozen=True)
class BuildOptions:
    """Everything `cnn-explain build` needs to know."""

    out: Path = Path("dist")
    data: Path | None = None
    model: Path | None = None
    samples: int | Path = 10  # how many test images to explain, or a folder of images
    subset: int | None = None
    image_size: int | None = None
    # text files of class names, one per line: NAME.<lang>.txt names them in that language, any other in all
    classes: Path | tuple[Path, ...] | None = None
    pixel_divisor: float | None = None  # what 0..255 pixels are divided by; None: spec.default_pixel_divisor
    train: TrainConfig = field(default_factory=TrainConfig)
    cache: Path = DEFAULT_CACHE
    retrain: bool = False  # train even when the cache, or the tool itself, holds the model these inputs make
    title: str | None = None  # None: the model and its data, e.g. "Tiny VGG on Fashion-MNIST, explained"
    backend: str = "auto"  # the TF.js backend the page starts with: budget.choose_backend
    lang: str = "en"  # the page's language when it opens (it can switch to any other it has a catalog for)
    locales: Path = LOCALES  # the message catalogs, one per language (i18n.py)


@dataclass(frozen=True)
class BuildResult:
    """What a build made: the site's folder, its spec and metrics, the samples, and the Keras model it explains
    (in its explained form, expand.py: the spec's layer ids name its layers)."""

    out: Path
    spec: dict
    model: object
    samples: SampleImages
    metrics: dict | None
    model_file: Path  # the user's --model, or the trained model (in the cache, or shipped with the tool)


@dataclass(frozen=True)
class ClassFiles:
    """The --classes files, read: the names in every language (or None), and the names in one language
    (NAME.<lang>.txt), by language; each with the file it came from, for messages."""

    every: tuple[Path, tuple[str, ...]] | None
    by_language: dict[str, tuple[Path, tuple[str, ...]]]


def check_options(options: BuildOptions) -> tuple[dict[str, dict], ClassFiles]:
    """Raise ExplainError for options that cannot work, before anything slow runs; else return the message
    catalogs (i18n.load_catalogs) and the --classes files, each read once."""
    divisor = options.pixel_divisor
    if divisor is not None:
        if options.model is None:
            raise ModelError(
                "--pixel-divisor goes with --model: the Tiny VGG that cnn-explain trains reads pixels / 255"
            )
        if not (math.isfinite(divisor) and PIXEL_DIVISORS[0] <= divisor <= PIXEL_DIVISORS[1]):
            raise ModelError(
                f"--pixel-divisor {divisor} is not a number from {PIXEL_DIVISORS[0]:g} to {PIXEL_DIVISORS[1]:g}: "
                "pass what your model divides 0..255 pixels by (255 for inputs in 0..1, 1 for raw pixels)"
            )
    if options.model is not None:
        if options.retrain:
            raise ModelError("--retrain trains the Tiny VGG cnn-explain makes, but --model explains yours: pass one")
        check_model_file(options.model)
        check_saved_parameters(options.model)
    check_cache(options.cache)
    catalogs = load_catalogs(options.locales)
    check_language(options.lang, catalogs)
    class_files = _class_files(options, catalogs)
    if options.data is not None and not Path(options.data).exists():
        raise DataError(f"--data {options.data}: no such file or folder")
    return catalogs, class_files


def build(options: BuildOptions) -> BuildResult:
    """Build the explainer into `options.out`."""
    started = time.monotonic()
    catalogs, class_files = check_options(options)
    samples_folder = options.samples if isinstance(options.samples, Path) else None
    inputs = {"--data": options.data, "--model": options.model, "--samples": samples_folder, "--cache": options.cache}
    with staged_output(options.out, SITE, inputs) as site:
        import_tensorflow()
        trained, explained, dataset = _model_and_data(options)
        classes = _class_names(options, class_files, trained, dataset, _output_count(explained.model))
        if dataset is not None and classes != dataset.classes:  # after training: renaming classes does not retrain
            dataset = replace(dataset, classes=classes)
        divisor = options.pixel_divisor or default_pixel_divisor(explained.model)
        spec = model_spec(explained.model, classes, divisor, explained.fused, explained.names, explained.name)
        metrics = _metrics(options, trained, explained, spec, dataset)
        insights = _insights(trained, explained, spec, dataset)
        chosen = _samples(options, explained, spec, dataset, samples_folder)
        spec["input"]["photo"] = photo_recipe(dataset.train.images if dataset is not None else chosen.images)
        languages = {
            code: {
                "messages": catalog,
                "classes": _localized_classes(class_files, code, catalog, classes),
                "title": options.title or default_title(options, spec, dataset, catalog),
            }
            for code, catalog in catalogs.items()
        }
        backend = choose_backend(spec, options.backend)
        write_site(site, spec, explained, chosen, metrics, languages, options.lang, backend, insights)
    log.info("built %s in %.1f s", options.out, time.monotonic() - started)
    return BuildResult(Path(options.out), spec, explained.model, chosen, metrics, Path(trained.path))


def default_title(options: BuildOptions, spec: dict, dataset: Dataset | None, catalog: dict) -> str:
    """The page's title in `catalog`'s language when --title is not given: the model and the data it explains."""
    model = "Tiny VGG" if options.model is None else spec["name"]
    if dataset is None:
        return catalog["page.title.model"].replace("{model}", model)
    return catalog["page.title"].replace("{model}", model).replace("{data}", dataset.name)


def write_site(
    site: Path,
    spec: dict,
    explained: ExplainedModel,
    chosen: SampleImages,
    metrics,
    languages: dict[str, dict],
    language: str = "en",
    backend: str = "cpu",
    insights: dict | None = None,
) -> None:
    """Convert the model, compute the samples' activations and render the page into `site` (with the test
    split's `insights` when the build has a dataset). `languages`: each language's messages, class names and
    title."""
    from .activations import samples_payload

    tfjs_model = convert_to_tfjs(explained.model, [layer["id"] for layer in spec["layers"]], site / "model")
    samples = samples_payload(explained.model, spec, chosen.images, chosen.labels, chosen.indices, chosen.files)
    render_site(site, spec, tfjs_model, samples, metrics, languages, language, backend, insights)


def _insights(trained: TrainedModel, explained: ExplainedModel, spec: dict, dataset: Dataset | None) -> dict | None:
    """What the model learned and where it goes wrong on the test split (insights.py); None without test images."""
    from .insights import insights_payload

    if dataset is None or len(dataset.test) == 0:
        return None
    return insights_payload(explained.model, spec, dataset, trained.history)


def _model_and_data(options: BuildOptions) -> tuple[TrainedModel, ExplainedModel, Dataset | None]:
    """The model to explain, in its explained form, and the dataset it goes with (None with --model and
    --samples DIR but no --data). A user's model is checked before any data is read."""
    if options.model is None:
        dataset = _dataset(options.data, options, None)
        trained = trained_model(dataset, options.train, options.cache, reuse=not options.retrain)
        return trained, explainable_model(trained.model), dataset
    trained = TrainedModel(load_keras_model(options.model), None, None, Path(options.model))
    check_budget(trained.model)
    explained = explainable_model(trained.model)
    count = _output_count(explained.model)
    model_spec(  # refuses unsupported layers now, before any data is read
        explained.model, [f"class {i}" for i in range(count)], 255.0, explained.fused, explained.names, explained.name
    )
    if options.data is not None:
        dataset = _dataset(options.data, options, _input_shape(explained.model))
    elif isinstance(options.samples, Path):
        return trained, explained, None
    else:
        dataset = _dataset(None, options, None)
        log.info(
            "--model without --data or --samples DIR: explaining it on %s test images; pass --data DIR or "
            "--samples DIR if it was trained on other images",
            dataset.name,
        )
    _check_fits(explained.model, dataset, options)
    return trained, explained, dataset


def _metrics(
    options: BuildOptions, trained: TrainedModel, explained: ExplainedModel, spec: dict, dataset: Dataset | None
) -> dict | None:
    """Test metrics: those of training, or computed on --data's test split; None without a dataset of the model."""
    if trained.metrics is not None:
        metrics = dict(trained.metrics)
        if metrics.get("classes") != spec["classes"]:  # --classes renamed them
            accuracy = list(metrics["per_class_accuracy"].values())
            metrics["per_class_accuracy"] = dict(zip(spec["classes"], accuracy, strict=True))
            metrics["classes"] = list(spec["classes"])
        return metrics
    if dataset is None or options.data is None:
        return None
    return evaluate(explained.model, dataset, spec["input"]["pixel_divisor"], batch_size(spec))


def _input_shape(model) -> tuple[int, ...]:
    return tuple(int(d) for d in model.inputs[0].shape[1:])


def _output_count(model) -> int:
    return int(model.outputs[0].shape[-1])


def _dataset(path: Path | None, options: BuildOptions, shape: tuple[int, ...] | None) -> Dataset:
    """The dataset at `path` (the default one when None); read at the size and channels of a model's input
    `shape` when there is one and --image-size is not given."""
    size = options.image_size
    channels = None
    if shape is not None and len(shape) == 3:
        channels = shape[2] if shape[2] in (1, 3) else None
        if size is None and shape[0] == shape[1] and IMAGE_SIZES[0] <= shape[0] <= IMAGE_SIZES[1]:
            size = shape[0]
    dataset = load_dataset(path, seed=options.train.seed, image_size=size, channels=channels)
    return subset(dataset, options.subset, seed=options.train.seed) if options.subset else dataset


def _check_fits(model, dataset: Dataset, options: BuildOptions) -> None:
    """Raise ExplainError when `dataset`'s images or classes do not fit `model`."""
    shape = _input_shape(model)
    outputs = _output_count(model)
    if tuple(dataset.image_shape) == shape and len(dataset.classes) == outputs:
        return
    if options.data is None:
        raise DataError(
            f"the model reads {_shape_text(shape)} images into {outputs} classes, but the default dataset "
            f"{dataset.name} has {_shape_text(dataset.image_shape)} images of {len(dataset.classes)} classes: "
            "pass --samples DIR (a folder of your images) or --data DIR (your dataset)"
        )
    if tuple(dataset.image_shape) != shape:
        hint = ""
        if shape[0] == shape[1] and dataset.image_shape[2:] == shape[2:]:
            if IMAGE_SIZES[0] <= shape[0] <= IMAGE_SIZES[1]:
                hint = f" (pass --image-size {shape[0]} to resize them)"
            else:
                hint = (
                    f" (datasets are read at {IMAGE_SIZES[0]} to {IMAGE_SIZES[1]} pixels a side: pass --samples DIR "
                    "instead of --data to explain the model on a folder of your images)"
                )
        raise ModelError(
            f"the model reads {_shape_text(shape)} images but --data {options.data} has "
            f"{_shape_text(dataset.image_shape)} images{hint}"
        )
    raise DataError(
        f"the model gives {outputs} class scores but --data {options.data} has {len(dataset.classes)} classes "
        f"({', '.join(dataset.classes[:5])}{', ...' if len(dataset.classes) > 5 else ''})"
    )


def _shape_text(shape) -> str:
    return "x".join(str(d) for d in shape)


def _class_names(
    options: BuildOptions, files: ClassFiles, trained: TrainedModel, dataset: Dataset | None, count: int
) -> tuple[str, ...]:
    """The class names, in the model's output order: --classes, else the dataset's, else the model's own (from the
    metrics.json `cnn-explain train` writes beside it), else the --samples sub-folders when there is one per class
    (sorted, as Keras's image_dataset_from_directory numbers them), else "class 0", "class 1", ..."""
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
    carried = classes_beside(trained.path, count)
    if carried is not None:
        log.info("class names from %s", Path(trained.path).parent / "metrics.json")
        return carried
    if isinstance(options.samples, Path):
        folders = folder_classes(options.samples)
        if len(folders) == count:
            log.info(
                "class names from the sub-folders of --samples %s, in sorted order (pass --classes FILE if the "
                "model numbers them otherwise): %s",
                options.samples,
                ", ".join(folders),
            )
            return tuple(folders)
    log.info("the model gives %d class scores; pass --classes FILE to name them (now 'class 0', ...)", count)
    return tuple(f"class {i}" for i in range(count))


def _class_files(options: BuildOptions, languages: dict[str, dict]) -> ClassFiles:
    """The --classes files, read: the one that names the classes in every language, and those that name them in one
    language (NAME.<lang>.txt, for a language with a catalog in `languages`)."""
    files = (
        () if options.classes is None else (options.classes,) if isinstance(options.classes, Path) else options.classes
    )
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


def _localized_classes(files: ClassFiles, code: str, catalog: dict, classes: tuple[str, ...]) -> list[str]:
    """The class names in language `code` (`catalog`'s): its --classes NAME.<lang>.txt, else the names the catalog knows
    (Fashion-MNIST's), else `classes` as they are."""
    if code not in files.by_language:
        return class_names(catalog, classes)
    path, names = files.by_language[code]
    if len(names) != len(classes):
        raise DataError(
            f"--classes {path} lists {len(names)} class names but the model has {len(classes)} classes: "
            "write one name per line, in the order of the model's outputs"
        )
    return list(names)


def _samples(
    options: BuildOptions, explained: ExplainedModel, spec: dict, dataset: Dataset | None, folder: Path | None
) -> SampleImages:
    """The images to explain: those in the --samples folder, or some picked from the test split."""
    if folder is not None:
        return load_sample_folder(folder, spec["input"]["shape"], spec["classes"])
    if dataset is None:  # _model_and_data loads a dataset unless there is a samples folder
        raise ExplainError("no images to explain: pass --samples DIR or --data DIR")
    test = dataset.test
    predicted = predict(explained.model, test.images, spec["input"]["pixel_divisor"], batch_size(spec)).argmax(axis=1)
    return from_test_split(
        test.images, test.labels, predicted, options.samples, len(spec["classes"]), options.train.seed
    )
