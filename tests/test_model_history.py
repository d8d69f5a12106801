"""history.json beside a --model: read as `cnn-explain train` writes it, or as Keras's History.history is dumped;
anything else is ignored with one line, never a traceback."""

from __future__ import annotations

import json
import logging

import pytest

from builder.insights import history_summary
from builder.model_store import history_beside

CURVES = {"loss": [0.9, 0.5, 0.4], "accuracy": [0.6, 0.8, 0.85], "val_loss": [1.0, 0.7, 0.75]}


def beside(tmp_path, content) -> dict | None:
    (tmp_path / "model.keras").write_bytes(b"")
    text = content if isinstance(content, str) else json.dumps(content)
    (tmp_path / "history.json").write_text(text, encoding="utf-8")
    return history_beside(tmp_path / "model.keras")


def test_no_history_file_is_no_history(tmp_path):
    assert history_beside(tmp_path / "model.keras") is None


def test_keras_history_dumped_as_it_is_gives_the_curves(tmp_path):
    history = beside(tmp_path, {**CURVES, "lr_note": "x", "val_precision": [1, 2, 3]})
    assert history == {"epochs": CURVES}
    assert history_summary(history) == {
        "epochs": CURVES,
        "weights_from_epoch": None,
        "max_epochs": None,
        "patience": None,
    }


def test_the_trainers_own_format_keeps_when_training_stopped(tmp_path):
    written = {"epochs": CURVES, "weights_from_epoch": 2, "config": {"epochs": 30, "patience": 3, "seed": 0}}
    summary = history_summary(beside(tmp_path, written))
    assert summary == {"epochs": CURVES, "weights_from_epoch": 2, "max_epochs": 30, "patience": 3}


@pytest.mark.parametrize(
    "content, why",
    [
        ("{not json", "it is not JSON"),
        ([1, 2], "it is not a JSON object"),
        ({"epochs": [1, 2]}, '"epochs" is not an object of lists'),
        ({"accuracy": [0.5]}, 'it needs a "loss" list'),
        ({"loss": [1.0, 0.5], "accuracy": [0.5]}, "lists of one length"),
        ({"loss": []}, 'it needs a "loss" list'),
        ({"loss": [1.0, "nan"]}, "something other than finite numbers"),
        ({"loss": [True]}, "something other than finite numbers"),
        ('{"loss": [0.5, NaN]}', "something other than finite numbers"),
    ],
)
def test_anything_else_is_ignored_in_one_line(tmp_path, caplog, content, why):
    with caplog.at_level(logging.WARNING):
        assert beside(tmp_path, content) is None
    (record,) = caplog.records
    assert "is not a training history" in record.getMessage() and why in record.getMessage()


def test_a_stopping_epoch_or_settings_that_make_no_sense_are_left_out(tmp_path):
    history = beside(tmp_path, {"epochs": CURVES, "weights_from_epoch": 9, "config": {"epochs": "30", "patience": 2}})
    assert history == {"epochs": CURVES, "config": {"patience": 2}}
