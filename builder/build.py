"""The pipelines of `cnn-explain build` (inputs checked -> model, trained or the user's -> class names -> spec -> one
pass over the test split -> samples -> site) and of `cnn-explain train`.

The output folder is checked and a staging folder made before anything slow runs, and the output replaces the
previous one only when every step succeeded (output.py).
"""

from __future__ import annotations

import logging
import math
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .budget import check_budget, check_saved_parameters, choose_backend
from .classes import ClassFiles, localized_classes, model_classes, read_class_files
from .convert import convert_to_tfjs
from .datasets import Dataset, load_dataset, subset
from .errors import DataError, ExplainError, ModelError
from .expand import ExplainedModel, explainable_model
from .familiarity import familiarity
from .i18n import check_language, load_catalogs
from .insights import Predictions, insights_payload, predict_test_split
from .model import classification_metrics
from .model_store import (
    TrainedModel,
    check_cache,
    check_model_file,
    history_beside,
    load_keras_model,
    trained_model,
)
from .options import IMAGE_SIZES, PIXEL_DIVISORS, BuildOptions, TrainOptions
from .output import SITE, TRAINED_MODEL, staged_output
from .photo import photo_recipe
from .quiet import import_tensorflow
from .render import Page, render_site
from .samples import SampleImages, from_test_split, load_sample_folder
from .spec import check_supported, default_pixel_divisor, model_spec
from .training import training_payload, training_problem

log = logging.getLogger(__name__)

TRAINED_FILES = ("model.keras", "history.json", "metrics.json")  # what `cnn-explain train` writes


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
    class_files = read_class_files(options.classes, catalogs)
    _check_data(options.data)
    return catalogs, class_files


def build(options: BuildOptions) -> BuildResult:
    """Build the explainer into `options.out`; returns what the build made."""
    started = time.monotonic()
    catalogs, class_files = check_options(options)
    folder = options.samples_folder
    inputs = {"--data": options.data, "--model": options.model, "--samples": folder, "--cache": options.cache}
    with staged_output(options.out, SITE, inputs) as site:
        import_tensorflow()
        trained, explained, dataset = _model_and_data(options)
        classes = model_classes(class_files, _output_count(explained.model), dataset, trained.path, folder)
        if dataset is not None and classes != dataset.classes:  # after training: renaming classes does not retrain
            dataset = replace(dataset, classes=classes)
        own = load_sample_folder(folder, _input_shape(explained.model), classes) if folder is not None else None
        # how the page prepares a visitor's photo, measured on the training images (or, without them, the samples)
        photo = photo_recipe(dataset.train.images if dataset is not None else own.images)
        divisor = options.pixel_divisor or default_pixel_divisor(explained.model)
        spec = model_spec(
            explained.model, classes, divisor, explained.fused, explained.names, explained.name, photo, explained.parts
        )
        predictions = _predictions(explained, spec, dataset)  # the one pass of the model over the test split
        metrics = _metrics(options, trained, spec, dataset, predictions)
        insights = insights_payload(dataset, predictions, trained.history) if predictions is not None else None
        if insights is not None:  # what the page compares a visitor's image with (familiarity.py)
            train = dataset.train.images
            insights["familiarity"] = familiarity(explained.model, spec, train, dataset.test.images, options.train.seed)
        chosen = own if own is not None else _picked(options, spec, dataset, predictions)
        languages = _languages(options, catalogs, class_files, spec, dataset)
        backend = choose_backend(spec, options.backend)
        training = _training(spec, dataset, options.train.seed)
        page = Page(spec, languages, options.lang, metrics, insights, backend, training)
        write_site(site, page, explained, chosen)
    log.info("built %s in %.1f s", options.out, time.monotonic() - started)
    return BuildResult(Path(options.out), spec, explained.model, chosen, metrics, Path(trained.path))


def train_model(options: TrainOptions) -> TrainedModel:
    """Train Tiny VGG (or take the cached or shipped one trained on the same inputs) and write its model.keras,
    history.json and metrics.json into `options.out`."""
    check_cache(options.cache)
    _check_data(options.data)
    with staged_output(options.out, TRAINED_MODEL, {"--data": options.data, "--cache": options.cache}) as stage:
        import_tensorflow()
        dataset = _dataset(options.data, options.image_size, options.subset, options.train.seed)
        trained = trained_model(dataset, options.train, options.cache, reuse=not options.retrain)
        for name in TRAINED_FILES:
            shutil.copyfile(Path(trained.path).parent / name, stage / name)
    return trained


def default_title(options: BuildOptions, spec: dict, dataset: Dataset | None, catalog: dict) -> str:
    """The page's title in `catalog`'s language when --title is not given: the model and the data it explains."""
    model = "Tiny VGG" if options.model is None else spec["name"]
    if dataset is None:
        return catalog["page.title.model"].replace("{model}", model)
    return catalog["page.title"].replace("{model}", model).replace("{data}", dataset.name)


def write_site(site: Path, page: Page, explained: ExplainedModel, chosen: SampleImages) -> None:
    """Convert the model, compute the `chosen` samples' activations and render the `page` into `site`."""
    from .activations import samples_payload

    spec = page.spec
    tfjs_model = convert_to_tfjs(explained.model, spec, site / "model")
    samples = samples_payload(explained.model, spec, chosen.images, chosen.labels, chosen.indices, chosen.files)
    render_site(site, page, tfjs_model, samples)


def _training(spec: dict, dataset: Dataset | None, seed: int) -> dict:
    """What the page trains on (training.py), or {"problem": why the page cannot train this network}."""
    problem = "no-data" if dataset is None or not len(dataset.train) or not len(dataset.test) else None
    problem = problem or training_problem(spec)
    return {"problem": problem} if problem else training_payload(dataset, seed)


def _check_data(data: Path | None) -> None:
    """Raise DataError when --data names nothing."""
    if data is not None and not Path(data).exists():
        raise DataError(f"--data {data}: no such file or folder")


def _model_and_data(options: BuildOptions) -> tuple[TrainedModel, ExplainedModel, Dataset | None]:
    """The model to explain, in its explained form, and the dataset it goes with (None with --model and
    --samples DIR but no --data). A user's model is checked before any data is read."""
    if options.model is None:
        dataset = _build_dataset(options.data, options, None)
        trained = trained_model(dataset, options.train, options.cache, reuse=not options.retrain)
        return trained, explainable_model(trained.model), dataset
    trained = TrainedModel(load_keras_model(options.model), history_beside(options.model), None, Path(options.model))
    check_budget(trained.model)
    explained = explainable_model(trained.model)
    # before any data is read
    check_supported(explained.model, explained.fused, explained.names, explained.name, explained.parts)
    if options.data is not None:
        dataset = _build_dataset(options.data, options, _input_shape(explained.model))
    elif options.samples_folder is not None:
        return trained, explained, None
    else:
        dataset = _build_dataset(None, options, None)
        log.info(
            "--model without --data or --samples DIR: explaining it on %s test images; pass --data DIR or "
            "--samples DIR if it was trained on other images",
            dataset.name,
        )
    _check_fits(explained.model, dataset, options)
    return trained, explained, dataset


def _predictions(explained: ExplainedModel, spec: dict, dataset: Dataset | None) -> Predictions | None:
    """The model's predictions on the test split (insights.predict_test_split); None without test images."""
    if dataset is None or len(dataset.test) == 0:
        return None
    return predict_test_split(explained.model, spec, dataset.test.images)


def _metrics(
    options: BuildOptions,
    trained: TrainedModel,
    spec: dict,
    dataset: Dataset | None,
    predictions: Predictions | None,
) -> dict | None:
    """Test metrics: those of training, or those of the `predictions` on --data's test split; None without a
    dataset of the model."""
    if trained.metrics is not None:
        metrics = dict(trained.metrics)
        if metrics.get("classes") != spec["classes"]:  # --classes renamed them
            accuracy = list(metrics["per_class_accuracy"].values())
            metrics["per_class_accuracy"] = dict(zip(spec["classes"], accuracy, strict=True))
            metrics["classes"] = list(spec["classes"])
        return metrics
    if predictions is None or options.data is None:
        return None
    return classification_metrics(dataset.test.labels, predictions.predicted, dataset.classes)


def _picked(
    options: BuildOptions, spec: dict, dataset: Dataset | None, predictions: Predictions | None
) -> SampleImages:
    """The images to explain when there is no --samples folder: some picked from the test split, one class after
    another, correctly classified ones first."""
    if dataset is None or predictions is None:  # _model_and_data loads a dataset unless there is a samples folder
        raise ExplainError("no images to explain: pass --samples DIR or --data DIR")
    test = dataset.test
    return from_test_split(
        test.images, test.labels, predictions.predicted, options.samples, len(spec["classes"]), options.train.seed
    )


def _languages(
    options: BuildOptions, catalogs: dict[str, dict], files: ClassFiles, spec: dict, dataset: Dataset | None
) -> dict[str, dict]:
    """Each language's messages (its catalog), class names and title, by language (render.Page.languages)."""
    return {
        code: {
            "messages": catalog,
            "classes": localized_classes(files, code, catalog, tuple(spec["classes"])),
            "title": options.title or default_title(options, spec, dataset, catalog),
        }
        for code, catalog in catalogs.items()
    }


def _input_shape(model) -> tuple[int, ...]:
    return tuple(int(d) for d in model.inputs[0].shape[1:])


def _output_count(model) -> int:
    return int(model.outputs[0].shape[-1])


def _build_dataset(path: Path | None, options: BuildOptions, shape: tuple[int, ...] | None) -> Dataset:
    """The dataset at `path` (the default one when None); read at the size and channels of a model's input
    `shape` when there is one and --image-size is not given."""
    size = options.image_size
    channels = None
    if shape is not None and len(shape) == 3:
        channels = shape[2] if shape[2] in (1, 3) else None
        if size is None and shape[0] == shape[1] and IMAGE_SIZES[0] <= shape[0] <= IMAGE_SIZES[1]:
            size = shape[0]
    return _dataset(path, size, options.subset, options.train.seed, channels)


def _dataset(path: Path | None, size: int | None, most: int | None, seed: int, channels: int | None = None) -> Dataset:
    """The dataset at `path` (the default one when None), its images `size` pixels a side when given, at most
    `most` of them per split when given."""
    dataset = load_dataset(path, seed=seed, image_size=size, channels=channels)
    return subset(dataset, most, seed=seed) if most else dataset


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
