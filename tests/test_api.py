"""cnn_explain from Python: explain(model, images) runs the CLI's pipeline (same checks, same messages, raised as
ExplainError), and TrainingRecorder records a user's own training as `cnn-explain train` does."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest

import builder as cnn_explain
from builder.keras import TrainingRecorder
from builder.model_store import history_beside
from testkit.bombs import small_keras_model

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A small model fitted for 3 epochs with the recorder, keeping epoch 2's weights."""
    import keras

    folder = tmp_path_factory.mktemp("recorded")
    model = keras.models.load_model(small_keras_model(folder / "start.keras", size=12, classes=3))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.random((60, 12, 12, 3)).astype("float32")
    y = rng.integers(0, 3, 60)
    recorder = TrainingRecorder(folder / "run", weights_at=[2])
    model.fit(x, y, epochs=3, batch_size=20, validation_split=0.25, verbose=0, callbacks=[recorder])
    return model, folder / "run", x


def test_the_recorder_writes_what_the_builder_reads(trained):
    model, run, _ = trained
    written = json.loads((run / "history.json").read_text())
    assert set(written["epochs"]) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 3 for values in written["epochs"].values())
    assert written["config"] == {"epochs": 3}
    read = history_beside(run / "model.keras")
    assert read["epochs"]["loss"] == written["epochs"]["loss"] and read["config"] == {"epochs": 3}
    assert sorted(p.name for p in run.glob("epoch-*")) == ["epoch-002.weights.h5"]
    assert (run / "model.keras").is_file()


@pytest.mark.parametrize("name", ["history.json", "model.keras", "epoch-001.weights.h5"])
def test_the_recorder_never_replaces_a_file_it_did_not_write(trained, tmp_path, name):
    model, _, x = trained
    (tmp_path / name).write_text('{"mine": true}')
    with pytest.raises(cnn_explain.ExplainError, match=f"{name} was not written by it and is left as it is"):
        model.fit(x, np.zeros(60), epochs=1, verbose=0, callbacks=[TrainingRecorder(tmp_path, weights_at="all")])
    assert [p.name for p in tmp_path.iterdir()] == [name] and (tmp_path / name).read_text() == '{"mine": true}'


def test_explain_shows_the_model_inline_and_saves_it_as_the_cli_does(trained, tmp_path):
    model, run, x = trained
    explained = cnn_explain.explain(run / "model.keras", x[:4], classes=["cat", "dog", "bird"], title="Mine")
    page = explained.html()
    assert page.startswith("<!doctype html>") and "<title>Mine</title>" in page
    frame = explained._repr_html_()
    assert (
        frame.startswith('<iframe srcdoc="') and html.unescape(frame.split('srcdoc="')[1].split('" title=')[0]) == page
    )
    assert explained.spec["classes"] == ["cat", "dog", "bird"]
    site = explained.save(tmp_path / "site")
    assert (site / "index.html").is_file() and (site / ".cnn-explain.json").is_file()
    explained.save_html(tmp_path / "page.html")
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == page
    # a Keras object works as its file does, and floats in 0..1 are read as 8-bit levels
    assert cnn_explain.explain(model, x[:2]).spec["layers"] == explained.spec["layers"]


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((2, 12, 12, 4)), "expected 1 to 100 images as an array N x H x W x C (C 1 or 3)"),
        (np.full((2, 12, 12, 3), 300.0), "expected values from 0 to 255, or from 0 to 1"),
        (["missing.png"], "missing.png is not a file"),
    ],
)
def test_what_cannot_be_explained_raises_one_clear_message(trained, images, message):
    model, _, _ = trained
    with pytest.raises(cnn_explain.ExplainError, match=re.escape(message)):
        cnn_explain.explain(model, images)


def test_the_cli_s_own_refusals_come_as_explain_errors(trained, tmp_path):
    _, run, x = trained
    with pytest.raises(cnn_explain.ExplainError, match="no such file"):
        cnn_explain.explain(run / "missing.keras", x[:2])
    with pytest.raises(cnn_explain.ExplainError, match="--lang xx: the page speaks en, zh"):
        cnn_explain.explain(run / "model.keras", x[:2], lang="xx")
    (tmp_path / "page.html").write_text("mine")
    with pytest.raises(cnn_explain.ExplainError, match="was not written by cnn-explain"):
        cnn_explain.explain(run / "model.keras", x[:2]).save_html(tmp_path / "page.html")
