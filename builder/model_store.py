"""Models: reading a user's Keras file, and the cache of models the tool trained (keyed by what decides them)."""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .datasets import Dataset
from .errors import ExplainError, ModelError
from .model import TrainConfig, evaluate, model_input, tiny_vgg, train, write_json

log = logging.getLogger(__name__)

# Models that ship with the tool, laid out like the cache (models/KEY/): today the default Tiny VGG on Debian's
# Fashion-MNIST, so that the first build does not spend minutes training. scripts/pretrain.sh makes it again.
SHIPPED = Path(__file__).resolve().parent / "pretrained"
MODEL_SUFFIXES = (".keras", ".h5")


@dataclass(frozen=True)
class TrainedModel:
    """A Keras model with its training history and test metrics (None when loaded from a file)."""

    model: object
    history: dict | None
    metrics: dict | None
    path: Path


def check_model_file(path: Path) -> None:
    """Raise ModelError, without loading anything, when `path` cannot be a Keras model file."""
    path = Path(path)
    if path.is_dir():
        raise ModelError(f"--model {path} is a folder: pass a Keras model file ending in .keras or .h5")
    if not path.is_file():
        raise ModelError(f"--model {path}: no such file")
    if path.suffix not in MODEL_SUFFIXES:
        raise ModelError(f"--model {path}: expected a Keras model file ending in .keras or .h5")
    if path.suffix == ".keras" and not zipfile.is_zipfile(path):
        raise ModelError(
            f"--model {path} is not a complete .keras file (those are zip archives): it may be truncated "
            "or another kind of file; save the model again with model.save()"
        )
    if path.suffix == ".h5":
        with open(path, "rb") as handle:
            head = handle.read(8)
        if head != b"\x89HDF\r\n\x1a\n":
            raise ModelError(f"--model {path} is not an HDF5 file: save the model again with model.save()")


def load_keras_model(path: Path):
    """A Keras model from a `.keras` or `.h5` file, or a ModelError saying why it cannot be read."""
    import keras

    path = Path(path)
    check_model_file(path)
    try:
        return keras.saving.load_model(path, compile=False)
    except Exception as error:  # Keras raises many types for unreadable files
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ModelError(
            f"--model {path}: Keras cannot load it ({reason}); it may be truncated, or need custom layers"
        ) from error


def classes_beside(model_file: Path, count: int) -> tuple[str, ...] | None:
    """The class names in the metrics.json that `cnn-explain train` writes beside its model, if they fit `count`."""
    try:
        names = json.loads((Path(model_file).parent / "metrics.json").read_text(encoding="utf-8"))["classes"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if isinstance(names, list) and len(names) == count and all(isinstance(n, str) and n for n in names):
        return tuple(names)
    return None


def check_cache(cache: Path) -> None:
    """Raise ExplainError when the model cache `cache` cannot be a folder."""
    cache = Path(cache)
    for path in (cache, *cache.parents):
        if path.exists():
            if not path.is_dir():
                raise ExplainError(f"--cache {cache}: {path} is a file; pass a folder for trained models")
            return


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


def _reuse(folder: Path, how: str) -> TrainedModel | None:
    model_file = folder / "model.keras"
    if not model_file.is_file():
        return None
    log.info(how, folder)
    history = json.loads((folder / "history.json").read_text())
    metrics = json.loads((folder / "metrics.json").read_text())
    return TrainedModel(load_keras_model(model_file), history, metrics, model_file)


def trained_model(dataset: Dataset, config: TrainConfig, cache: Path, reuse: bool = True) -> TrainedModel:
    """Tiny VGG trained on `dataset`: from the cache, or the model that ships with the tool, when what decides
    it is unchanged (see training_key); else trained now (always, without `reuse`), and kept in the cache."""
    key = training_key(dataset, config)
    folder = cache / "models" / key
    found = reuse and (
        _reuse(folder, "reusing the trained model in %s (data, hyper-parameters, seed and code unchanged)")
        or _reuse(
            SHIPPED / key,
            "using the model that ships with cnn-explain (%s): same data, hyper-parameters, "
            "seed and code; --retrain trains it again",
        )
    )
    if found:
        return found
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
    (cache / "models").mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="model-", dir=cache / "models"))
    model.save(scratch / "model.keras")
    write_json(scratch / "history.json", history)
    write_json(scratch / "metrics.json", metrics)
    shutil.rmtree(folder, ignore_errors=True)
    scratch.rename(folder)
    return TrainedModel(model, history, metrics, folder / "model.keras")
