"""The default model ships with the tool (builder/pretrained/KEY/): it must be the model the code would train
now, its numbers must be its own, and a build must use it only when nothing that decides the weights differs."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest
from conftest import make_dataset

from builder.model import TrainConfig, evaluate
from builder.model_store import SHIPPED, load_keras_model, trained_model, training_key


@pytest.fixture(scope="module")
def fashion():
    from builder.datasets import load_dataset
    from builder.quiet import import_tensorflow

    import_tensorflow()
    return load_dataset(None)


def shipped_folder():
    folders = [path for path in SHIPPED.iterdir() if path.is_dir()]
    assert len(folders) == 1, f"one shipped model expected in {SHIPPED}, found {folders}"
    return folders[0]


def test_the_shipped_model_is_the_one_the_code_trains_now(fashion):
    key = training_key(fashion, TrainConfig())
    assert shipped_folder().name == key, (
        "the data, settings or code that decide the default model's weights changed: "
        "run `bash scripts/pretrain.sh` to ship the model they make"
    )
    history = json.loads((shipped_folder() / "history.json").read_text())
    assert history["config"] == TrainConfig().as_dict()
    # the curves the training story draws end where training stopped, at most `epochs`
    assert 1 <= history["weights_from_epoch"] <= len(history["epochs"]["val_loss"]) <= TrainConfig.epochs


def test_the_shipped_metrics_are_what_the_shipped_model_does(fashion):
    folder = shipped_folder()
    model = load_keras_model(folder / "model.keras")
    shipped = json.loads((folder / "metrics.json").read_text())
    assert shipped == json.loads(json.dumps(evaluate(model, fashion)))
    assert shipped["accuracy"] > 0.88
    assert list(shipped["per_class_accuracy"]) == list(fashion.classes)


def test_a_build_with_the_default_inputs_uses_the_shipped_model_and_writes_no_cache(fashion, tmp_path, caplog):
    if shipped_folder().name != training_key(fashion, TrainConfig()):
        pytest.fail("the shipped model is stale (see the test above); not training it here for 10 minutes")
    caplog.set_level(logging.INFO, logger="builder.model_store")
    found = trained_model(fashion, TrainConfig(), tmp_path / "cache")
    assert found.path == shipped_folder() / "model.keras"
    assert "ships with cnn-explain" in caplog.text and "training" not in caplog.text
    assert not (tmp_path / "cache").exists()


def test_other_inputs_train_and_retrain_trains_again(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="builder.model_store")
    data = make_dataset(size=8, per_class=10)
    config = TrainConfig(epochs=1, filters=2)
    first = trained_model(data, config, tmp_path)
    assert first.path.parent.parent == tmp_path / "models" and "training Tiny VGG" in caplog.text
    caplog.clear()
    again = trained_model(data, config, tmp_path)
    assert "reusing" in caplog.text and "training" not in caplog.text
    assert again.path == first.path
    caplog.clear()
    fresh = trained_model(data, config, tmp_path, reuse=False)
    assert "training Tiny VGG" in caplog.text and "reusing" not in caplog.text
    # trained with the same seed: the same weights, now in the cache again
    for a, b in zip(first.model.get_weights(), load_keras_model(fresh.path).get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
