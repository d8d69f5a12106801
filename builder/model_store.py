"""Models: reading a user's Keras file, and the cache of models the tool trained (keyed by what decides them)."""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import math
import shutil
import struct
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .budget import MAX_CONFIG_BYTES, MAX_MEMBER_BYTES, MAX_PARAMETERS
from .datasets import Dataset
from .errors import ExplainError, ModelError
from .model import TrainConfig, evaluate, model_input, tiny_vgg, train, write_json

log = logging.getLogger(__name__)

# Models that ship with the tool, laid out like the cache (models/KEY/): today the default Tiny VGG on Debian's
# Fashion-MNIST, so that the first build does not spend minutes training. scripts/pretrain.sh makes it again.
SHIPPED = Path(__file__).resolve().parent / "pretrained"
MODEL_SUFFIXES = (".keras", ".h5")
CONFIG_MEMBERS = ("config.json", "metadata.json")  # what Keras reads whole into memory, at most 1 GiB at a time
_INFLATE_CHUNK = 1 << 20


@dataclass(frozen=True)
class TrainedModel:
    """A Keras model with its training history and test metrics (None when loaded from a file)."""

    model: object
    history: dict | None
    metrics: dict | None
    path: Path


def check_model_file(path: Path) -> None:
    """Raise ModelError, without loading anything, when `path` cannot be a Keras model file, or when what it would
    inflate to in memory is out of all proportion to a model the explainer can show."""
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
    if path.suffix == ".keras":
        _check_archive(path)
    if path.suffix == ".h5":
        with open(path, "rb") as handle:
            head = handle.read(8)
        if head != b"\x89HDF\r\n\x1a\n":
            raise ModelError(f"--model {path} is not an HDF5 file: save the model again with model.save()")
        if not _one_config(path):
            raise ModelError(
                f"--model {path}: its model_config is not one text, as Keras writes it; it is damaged or was not "
                "written by Keras: save the model again with model.save()"
            )


def _one_config(path: Path) -> bool:
    """Whether a legacy .h5 file keeps at most one model_config text: an attribute of many texts can make h5py
    (and Keras) read the same stored bytes millions of times."""
    import h5py

    try:
        with h5py.File(path, "r") as f:
            return "model_config" not in f.attrs or f.attrs.get_id("model_config").shape in ((), (1,))
    except (OSError, KeyError, ValueError):
        return True  # not readable as HDF5: Keras says so


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def _check_archive(path: Path) -> None:
    """Refuse a .keras archive that Keras could not read without inflating far more than a model the explainer can
    show: config.json or metadata.json (read whole) of more than MAX_CONFIG_BYTES, compressed members of more than
    MAX_MEMBER_BYTES together, or members that inflate to other than what they declare."""
    damaged = "it is damaged or was not written by Keras: save the model again with model.save()"
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ModelError(f"--model {path} is not a readable zip archive ({error}); {damaged}") from None
    compressed = 0
    for info in members:
        if info.filename in CONFIG_MEMBERS and info.file_size > MAX_CONFIG_BYTES:
            raise ModelError(
                f"--model {path}: its {info.filename} would inflate to {_mib(info.file_size)}, more than the "
                f"{_mib(MAX_CONFIG_BYTES)} the config of a model the explainer can show needs; {damaged}"
            )
        if info.flag_bits & 0x1:
            raise ModelError(
                f"--model {path}: its {info.filename} is encrypted; save the model again with model.save()"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelError(
                f"--model {path}: its {info.filename} is compressed with method {info.compress_type}, which Keras "
                f"does not write; {damaged}"
            )
        compressed += info.file_size if info.compress_type == zipfile.ZIP_DEFLATED else 0
        if compressed > MAX_MEMBER_BYTES:  # stored members take on disk what they take in memory
            raise ModelError(
                f"--model {path}: its {info.filename} would inflate to {_mib(info.file_size)}, more than the "
                f"{_mib(MAX_MEMBER_BYTES)} a model of {MAX_PARAMETERS / 1e6:.1f} million weights (the most a page "
                "can load quickly) takes: explain a smaller model, or save it again with model.save() if it is damaged"
            )
    for info in members:  # zipfile cuts a member at its declared size, but only after inflating up to 1 GiB of it
        limit = MAX_CONFIG_BYTES if info.filename in CONFIG_MEMBERS else MAX_MEMBER_BYTES
        inflated = _inflated_size(path, info, limit)
        if inflated != info.file_size:
            held = (
                "corrupt compressed data"
                if inflated < 0
                else f"more than {_mib(limit)}"
                if inflated > limit
                else f"{inflated:,} bytes"
            )
            raise ModelError(
                f"--model {path}: its {info.filename} declares {info.file_size:,} bytes but holds {held}; {damaged}"
            )


def _inflated_size(path: Path, info: zipfile.ZipInfo, limit: int) -> int:
    """The size member `info` of the zip archive at `path` inflates to, counted a chunk at a time up to `limit` + 1
    bytes; -1 if it is corrupt."""
    with open(path, "rb") as handle:
        handle.seek(info.header_offset)
        header = handle.read(zipfile.sizeFileHeader)
        if len(header) < zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
            return -1
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        handle.seek(name_length + extra_length, 1)
        if info.compress_type == zipfile.ZIP_STORED:
            return min(info.compress_size, max(0, path.stat().st_size - handle.tell()))
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        left, size = info.compress_size, 0
        try:
            while size <= limit and not inflater.eof:
                data = inflater.unconsumed_tail
                if not data and left > 0:
                    data = handle.read(min(_INFLATE_CHUNK, left))
                    left -= len(data)
                if not data:
                    break
                size += len(inflater.decompress(data, _INFLATE_CHUNK))
        except zlib.error:
            return -1
    return size


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


HISTORY_FILE = "history.json"  # beside a --model: its training curves
MAX_HISTORY_BYTES = 10 * 1024 * 1024
CURVES = ("loss", "accuracy", "val_loss", "val_accuracy", "learning_rate")  # what the page draws


def history_beside(model_file: Path) -> dict | None:
    """The training history in history.json beside `model_file`, as `cnn-explain train` writes it ({"epochs":
    {"loss": [...], ...}, ...}) or as Keras's `History.history` is dumped ({"loss": [...], ...}); None when there is
    none, or (said in one line) when it is not one."""
    path = Path(model_file).parent / HISTORY_FILE
    if not path.is_file():
        return None

    def ignored(why: str) -> None:
        log.warning("%s beside the model is not a training history (%s): the page shows no training curves", path, why)

    if path.stat().st_size > MAX_HISTORY_BYTES:
        return ignored(f"it is over {MAX_HISTORY_BYTES // 2**20} MB")
    try:
        history = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return ignored(f"it is not JSON: {error}")
    if not isinstance(history, dict):
        return ignored("it is not a JSON object")
    epochs = history.get("epochs", history)
    if not isinstance(epochs, dict):
        return ignored('its "epochs" is not an object of lists')
    curves = {key: values for key, values in epochs.items() if key in CURVES}
    lengths = {len(values) if isinstance(values, list) else -1 for values in curves.values()}
    if "loss" not in curves or len(lengths) != 1 or lengths == {0} or lengths == {-1}:
        return ignored('it needs a "loss" list, and lists of one length for ' + ", ".join(CURVES))
    numbers = (v for values in curves.values() for v in values)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in numbers):
        return ignored("its curves hold something other than finite numbers (NaN after a loss diverged?)")
    count = lengths.pop()
    whole = lambda value: isinstance(value, int) and not isinstance(value, bool)  # noqa: E731
    kept: dict = {"epochs": curves}
    best = history.get("weights_from_epoch")
    if whole(best) and 1 <= best <= count:  # early stopping restored this (1-based) epoch's weights
        kept["weights_from_epoch"] = best
    config = history.get("config")
    if isinstance(config, dict):
        kept["config"] = {key: config[key] for key in ("epochs", "patience") if whole(config.get(key))}
    return kept
