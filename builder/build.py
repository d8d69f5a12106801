"""The build pipeline: data -> model -> spec -> TF.js model -> samples -> site, written atomically."""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .activations import pick_samples, samples_payload
from .convert import convert_to_tfjs
from .data import Dataset, load_dataset, read_class_names, subset
from .errors import DataError, ModelError
from .expand import expand_fused_activations
from .image_folder import SampleImages, load_sample_folder
from .model import TrainConfig, evaluate, model_input, tiny_vgg, train, write_json
from .render import render_site
from .spec import default_pixel_divisor, model_spec

log = logging.getLogger(__name__)

DEFAULT_CACHE = Path(".cache")


@dataclass(frozen=True)
class BuildOptions:
    """Everything `cnn-explain build` needs to know."""

    out: Path = Path("dist")
    data: Path | None = None
    model: Path | None = None
    samples: int | Path = 10  # how many test images to explain, or a folder of images
    subset: int | None = None
    image_size: int | None = None
    classes: Path | None = None  # a text file of class names, one per line
    pixel_divisor: float | None = None  # what 0..255 pixels are divided by; None: spec.default_pixel_divisor
    train: TrainConfig = field(default_factory=TrainConfig)
    cache: Path = DEFAULT_CACHE
    title: str = "CNN Explainer"


@dataclass(frozen=True)
class TrainedModel:
    """A Keras model with its training history and test metrics (None when loaded from a file)."""

    model: object
    history: dict | None
    metrics: dict | None
    path: Path


def training_key(dataset: Dataset, config: TrainConfig) -> str:
    """A hash of everything that decides a trained model: data, hyper-parameters, seed, code."""
    import keras

    digest = hashlib.sha256()
    digest.update(dataset.fingerprint().encode())
    digest.update(json.dumps(config.as_dict(), sort_keys=True).encode())
    for function in (tiny_vgg, train, model_input):  # the code that decides the weights, not its neighbours
        digest.update(inspect.getsource(function).encode())
    digest.update(f"{__version__} keras {keras.__version__}".encode())
    return digest.hexdigest()[:20]


def load_keras_model(path: Path):
    """A Keras model from a `.keras` or `.h5` file, or a ModelError saying why it cannot be read."""
    import keras

    path = Path(path)
    if not path.is_file():
        raise ModelError(f"--model {path}: no such file")
    if path.suffix not in (".keras", ".h5"):
        raise ModelError(f"--model {path}: expected a Keras model file ending in .keras or .h5")
    try:
        return keras.saving.load_model(path, compile=False)
    except Exception as error:  # Keras raises many types for unreadable files
        raise ModelError(f"--model {path}: Keras cannot load it: {error}") from error


def trained_model(dataset: Dataset, config: TrainConfig, cache: Path) -> TrainedModel:
    """Tiny VGG trained on `dataset`: from the cache when its inputs are unchanged, else trained now."""
    folder = cache / "models" / training_key(dataset, config)
    model_file = folder / "model.keras"
    if model_file.is_file():
        log.info("reusing the trained model in %s (data, hyper-parameters, seed and code unchanged)", folder)
        history = json.loads((folder / "history.json").read_text())
        metrics = json.loads((folder / "metrics.json").read_text())
        return TrainedModel(load_keras_model(model_file), history, metrics, model_file)
    log.info(
        "training Tiny VGG on %s: %d train / %d validation / %d test images",
        dataset.name,
        len(dataset.train),
        len(dataset.validation),
        len(dataset.test),
    )
    started = time.monotonic()
    model, history = train(dataset, config)
    history["seconds"] = round(time.monotonic() - started, 1)
    history["config"] = config.as_dict()
    metrics = evaluate(model, dataset)
    log.info("test accuracy %.4f after %s s", metrics["accuracy"], history["seconds"])
    scratch = Path(tempfile.mkdtemp(prefix="model-", dir=_ensure(cache / "models")))
    model.save(scratch / "model.keras")
    write_json(scratch / "history.json", history)
    write_json(scratch / "metrics.json", metrics)
    shutil.rmtree(folder, ignore_errors=True)
    scratch.rename(folder)
    return TrainedModel(model, history, metrics, folder / "model.keras")


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextlib.contextmanager
def staged_output(out: Path):
    """A scratch folder that replaces `out` only if the block succeeds; `out` is untouched otherwise."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    stage.chmod(0o755)
    previous = out.parent / f".{out.name}-previous-{os.getpid()}"
    if out.exists():
        out.rename(previous)
    stage.rename(out)
    shutil.rmtree(previous, ignore_errors=True)


def build(options: BuildOptions) -> Path:
    """Build the explainer into `options.out` and return its path."""
    started = time.monotonic()
    dataset = load_dataset(options.data, seed=options.train.seed, image_size=options.image_size)
    if options.subset:
        dataset = subset(dataset, options.subset, seed=options.train.seed)
    names = class_names(options.classes, dataset) if options.classes is not None else None

    if options.pixel_divisor is not None and (options.model is None or not options.pixel_divisor > 0):
        raise ModelError(
            "--pixel-divisor must be a positive number and goes with --model: the trained Tiny VGG reads pixels / 255"
        )
    if options.model is not None:
        model = load_keras_model(options.model)
        trained = TrainedModel(model, None, None, options.model)
    else:
        trained = trained_model(dataset, options.train, options.cache)
    if names is not None:  # after training, so renaming classes does not retrain
        dataset = replace(dataset, classes=names)
        trained = replace(trained, metrics=None)  # recomputed below with the new names
    explained, fused = expand_fused_activations(trained.model)
    divisor = options.pixel_divisor if options.pixel_divisor is not None else default_pixel_divisor(explained)
    spec = model_spec(explained, dataset.classes, pixel_divisor=divisor, fused=fused)
    _check_input(spec, dataset)
    metrics = trained.metrics if trained.metrics is not None else evaluate(trained.model, dataset, divisor)
    chosen = sample_images(options, trained.model, spec, dataset)

    with staged_output(options.out) as site:
        layer_names = [layer["name"] for layer in spec["layers"]]
        tfjs_model = convert_to_tfjs(explained, layer_names, site / "model")
        samples = samples_payload(explained, spec, chosen.images, chosen.labels, chosen.indices, chosen.files)
        render_site(site, spec, tfjs_model, samples, metrics, options.title)
    log.info("built %s in %.1f s", options.out, time.monotonic() - started)
    return options.out


def class_names(names_file: Path, dataset: Dataset) -> tuple[str, ...]:
    """The class names in `names_file` (--classes), which must name each class of `dataset`."""
    names = read_class_names(names_file)
    if len(names) != len(dataset.classes):
        raise DataError(
            f"--classes {names_file} lists {len(names)} class names but the dataset {dataset.name} has "
            f"{len(dataset.classes)} classes: write one name per line, in the order of the model's outputs"
        )
    return names


def sample_images(options: BuildOptions, model, spec: dict, dataset: Dataset) -> SampleImages:
    """The images to explain: those in the --samples folder, or some picked from the test split."""
    if isinstance(options.samples, Path):
        return load_sample_folder(options.samples, spec["input"]["shape"], dataset.classes)
    divisor = spec["input"]["pixel_divisor"]
    predicted = model.predict(model_input(dataset.test.images, divisor), batch_size=512, verbose=0).argmax(axis=1)
    picked = pick_samples(dataset.test.labels, predicted, options.samples, len(dataset.classes), options.train.seed)
    return SampleImages(dataset.test.images, [int(label) for label in dataset.test.labels], picked)


def _check_input(spec: dict, dataset: Dataset) -> None:
    if list(dataset.image_shape) != spec["input"]["shape"]:
        raise ModelError(
            f"the model reads images of shape {tuple(spec['input']['shape'])} but the dataset "
            f"{dataset.name} has images of shape {dataset.image_shape}"
            + (
                f" (pass --image-size {spec['input']['shape'][0]} to resize them)"
                if list(dataset.image_shape[2:]) == spec["input"]["shape"][2:]
                else ""
            )
        )
