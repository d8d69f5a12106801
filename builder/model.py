"""The Tiny VGG network, its training with early stopping, and its test metrics."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .datasets import Dataset

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of a training run; together with the data they decide the model."""

    filters: int = 10
    epochs: int = 30
    batch_size: int = 128
    learning_rate: float = 2e-3
    patience: int = 3
    min_delta: float = 1e-3
    seed: int = 0

    def as_dict(self) -> dict:
        """The config as a JSON-serialisable dict."""
        return asdict(self)


def tiny_vgg(input_shape: tuple[int, int, int], num_classes: int, filters: int = 10, padding: str = "same"):
    """Tiny VGG as in CNN Explainer: two blocks of (conv, ReLU, conv, ReLU, max-pool), then dense.

    "same" padding keeps 7x7x10 = 490 features for the classifier on 28x28 images; "valid"
    (CNN Explainer's choice for 64x64) leaves 4x4x10 = 160 and tops out near 88.5% on Fashion-MNIST.
    """
    import keras
    from keras import layers

    def block(index: int) -> list:
        return [
            layers.Conv2D(filters, 3, padding=padding, name=f"conv_{index}_1"),
            layers.ReLU(name=f"relu_{index}_1"),
            layers.Conv2D(filters, 3, padding=padding, name=f"conv_{index}_2"),
            layers.ReLU(name=f"relu_{index}_2"),
            layers.MaxPooling2D(2, name=f"max_pool_{index}"),
        ]

    return keras.Sequential(
        [
            keras.Input(shape=input_shape, name="input"),
            *block(1),
            *block(2),
            layers.Flatten(name="flatten"),
            layers.Dense(num_classes, activation="softmax", name="output"),
        ],
        name="tiny_vgg",
    )


def model_input(images: np.ndarray, pixel_divisor: float = 255.0) -> np.ndarray:
    """What the network reads for uint8 `images`: float32 pixels divided by `pixel_divisor`."""
    return images.astype(np.float32) / np.float32(pixel_divisor)


def predict(model, images: np.ndarray, pixel_divisor: float = 255.0, batch_size: int = 512) -> np.ndarray:
    """`model`'s output for uint8 `images`, `batch_size` images at a time (pixels are scaled per batch, so
    memory stays bounded by the batch, not the dataset)."""
    outputs = [
        model.predict_on_batch(model_input(images[start : start + batch_size], pixel_divisor))
        for start in range(0, len(images), batch_size)
    ]
    return np.concatenate([np.asarray(o) for o in outputs]) if outputs else np.zeros((0,))


class _Progress:
    """A Keras callback that logs one line per epoch with the estimated time left."""

    def __new__(cls, epochs: int):
        import keras

        class Progress(keras.callbacks.Callback):
            def on_train_begin(self, logs=None):
                self.started = time.monotonic()

            def on_epoch_end(self, epoch, logs=None):
                logs = logs or {}
                elapsed = time.monotonic() - self.started
                per_epoch = elapsed / (epoch + 1)
                left = per_epoch * (epochs - epoch - 1)
                log.info(
                    "epoch %d/%d  loss %.4f  accuracy %.4f  val_loss %.4f  val_accuracy %.4f  "
                    "%.1f s/epoch, at most %s left (early stopping may end sooner)",
                    epoch + 1,
                    epochs,
                    logs.get("loss", float("nan")),
                    logs.get("accuracy", float("nan")),
                    logs.get("val_loss", float("nan")),
                    logs.get("val_accuracy", float("nan")),
                    per_epoch,
                    _duration(left),
                )

        return Progress()


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(round(seconds)), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def train(dataset: Dataset, config: TrainConfig):
    """Train Tiny VGG on `dataset` with a fixed seed; stop early on validation loss.

    Returns the model (with the best validation-loss weights) and the per-epoch history.
    """
    import keras

    keras.utils.set_random_seed(config.seed)
    model = tiny_vgg(dataset.image_shape, len(dataset.classes), config.filters)
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    slow_down = keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=1, min_lr=1e-5, verbose=0)
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", min_delta=config.min_delta, patience=config.patience, restore_best_weights=True
    )
    history = model.fit(
        model_input(dataset.train.images),
        dataset.train.labels,
        batch_size=config.batch_size,
        epochs=config.epochs,
        validation_data=(model_input(dataset.validation.images), dataset.validation.labels),
        callbacks=[slow_down, stop, _Progress(config.epochs)],
        shuffle=True,
        verbose=0,
    )
    epochs = {key: [float(v) for v in values] for key, values in history.history.items()}
    # At the end of training EarlyStopping restores the weights of its best epoch, judged with min_delta:
    # not always the epoch of the lowest validation loss.
    return model, {"epochs": epochs, "weights_from_epoch": stop.best_epoch + 1}


def evaluate(model, dataset: Dataset, pixel_divisor: float = 255.0, batch_size: int = 512) -> dict:
    """The test metrics of `model` (classification_metrics), which reads the test images divided by `pixel_divisor`
    (see spec.default_pixel_divisor)."""
    predicted = predict(model, dataset.test.images, pixel_divisor, batch_size).argmax(axis=1)
    return classification_metrics(dataset.test.labels, predicted, dataset.classes)


def classification_metrics(labels: np.ndarray, predicted: np.ndarray, classes: Sequence[str]) -> dict:
    """Accuracy, per-class accuracy (None for a class without test images) and confusion matrix (rows: true class)
    of the `predicted` classes of test images whose true classes are `labels`, as metrics.json holds them."""
    confusion = confusion_counts(labels, predicted, len(classes))
    per_class = {
        name: (float(confusion[i, i] / confusion[i].sum()) if confusion[i].sum() else None)
        for i, name in enumerate(classes)
    }
    return {
        "accuracy": float((np.asarray(predicted) == np.asarray(labels)).mean()),
        "test_examples": int(len(labels)),
        "per_class_accuracy": per_class,
        "classes": list(classes),
        "confusion_matrix": confusion.tolist(),
    }


def confusion_counts(labels: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    """counts[t, p]: how many test images of true class t are predicted p."""
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(labels, dtype=np.int64), np.asarray(predicted, dtype=np.int64)), 1)
    return counts


def write_json(path: Path, value) -> None:
    """Write `value` as indented JSON (small metadata files only)."""
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
