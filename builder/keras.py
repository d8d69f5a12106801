"""Recording training in the user's own Keras loop: `cnn_explain.keras.TrainingRecorder(folder)`, a callback that
writes what `cnn-explain train` writes beside its model, so that `cnn-explain build --model FOLDER/model.keras` (or
`explain(...)`) shows the training story of the user's own model.

In `folder`: history.json after every epoch ({"epochs": {"loss": [...], "accuracy": [...], ...}, "config":
{"epochs": N}}: model_store.history_beside reads it), the weights after the epochs asked for
(epoch-NNN.weights.h5, NNN 1-based), and model.keras when training ends. The folder may hold other files, which are
left alone; a folder holding a history.json, a model.keras or epoch weights the recorder did not write is refused.
Callbacks run in the order given: put the recorder after EarlyStopping(restore_best_weights=True), so that
model.keras holds the weights EarlyStopping restored.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from pathlib import Path

import keras

from .errors import ExplainError

RECORDED_BY = "cnn-explain TrainingRecorder"  # in history.json: the recorder's to replace


class TrainingRecorder(keras.callbacks.Callback):
    """Record the history (and chosen epochs' weights) of `model.fit` into `folder`.

    `weights_at`: the epochs (1-based) whose weights to keep as epoch-NNN.weights.h5, "all", or None (none; the
    trained model is saved as model.keras at the end either way).
    """

    def __init__(self, folder: str | Path, weights_at: Iterable[int] | str | None = None):
        super().__init__()
        self.folder = Path(folder)
        if weights_at not in (None, "all") and not all(isinstance(e, int) and e >= 1 for e in weights_at):
            raise ExplainError('weights_at: give epochs as whole numbers from 1, "all", or None')
        self.weights_at = weights_at if weights_at in (None, "all") else set(weights_at)
        self.epochs: dict[str, list[float]] = {}

    def on_train_begin(self, logs=None):
        folder = self.folder
        if folder.exists() and not folder.is_dir():
            raise ExplainError(f"TrainingRecorder: {folder} is a file, not a folder")
        history = folder / "history.json"
        written = [history, folder / "model.keras", *sorted(folder.glob("epoch-*.weights.h5"))]
        present = [path for path in written if path.is_file()]
        if present and not self.epochs:
            try:
                mine = json.loads(history.read_text(encoding="utf-8")).get("recorded_by") == RECORDED_BY
            except (OSError, ValueError, AttributeError):
                mine = False  # no history, or not the recorder's: the files beside it are not its either
            if not mine:
                raise ExplainError(
                    f"TrainingRecorder: {present[0]} was not written by it and is left as it is: record into "
                    "another folder, or move that file away"
                )
        folder.mkdir(parents=True, exist_ok=True)

    def on_epoch_end(self, epoch, logs=None):
        count = len(next(iter(self.epochs.values()), [])) + 1  # epochs recorded so far, this one included
        for key, value in (logs or {}).items():
            if isinstance(value, (int, float)) and math.isfinite(float(value)):
                self.epochs.setdefault(key, [math.nan] * (count - 1)).append(float(value))
        for values in self.epochs.values():  # a metric missing this epoch
            values.extend([math.nan] * (count - len(values)))
        self._write_history()
        if self.weights_at == "all" or (self.weights_at and count in self.weights_at):
            self.model.save_weights(self.folder / f"epoch-{count:03d}.weights.h5")

    def on_train_end(self, logs=None):
        self.model.save(self.folder / "model.keras")

    def _write_history(self) -> None:
        planned = (self.params or {}).get("epochs")
        history = {
            "recorded_by": RECORDED_BY,
            # a metric some epochs lack is left out: every curve has a value for every epoch
            "epochs": {key: values for key, values in self.epochs.items() if not any(map(math.isnan, values))},
            "config": {"epochs": planned} if isinstance(planned, int) else {},
        }
        scratch = self.folder / ".history.json.part"
        scratch.write_text(json.dumps(history, indent=1), encoding="utf-8")
        os.replace(scratch, self.folder / "history.json")


__all__ = ["TrainingRecorder"]
