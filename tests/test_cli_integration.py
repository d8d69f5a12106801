"""The real `cnn-explain` CLI, end to end, on a small subset of Fashion-MNIST."""

from __future__ import annotations

import base64
import gzip
import json
import re
import zipfile

import numpy as np
import pytest

from testkit.cli import run
from testkit.site import read_payload, sample_pixels

pytestmark = pytest.mark.integration

QUICK = ["--subset", "300", "--epochs", "2", "--samples", "4"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("cli")
    first = run("build", *QUICK, "--out", "site", "--cache", "cache", cwd=work)
    assert first.returncode == 0, first.stderr
    return work, first


def test_build_writes_the_whole_site(built):
    work, _ = built
    site = work / "site"
    for name in (
        "index.html",
        "app.js",
        "app.css",
        "tour.js",
        "tour.css",
        "whatif.js",
        "whatif.css",
        "data/explainer.js",
        "spec.json",
        "metrics.json",
        "model/model.json",
        "model/group1-shard1of1.bin",
        "favicon.svg",
    ):
        assert (site / name).is_file(), name
    assert not [p for p in work.iterdir() if p.name.startswith(".site-")], "no scratch folders left behind"
    html = (site / "index.html").read_text()
    assert "<title>Tiny VGG on Fashion-MNIST, explained</title>" in html, "the title names the model and its data"
    assert '<link rel="icon" href="favicon.svg"' in html
    assert 'type="module"' not in html
    # Only XML namespaces (MathML's xmlns) may name another host: nothing is loaded from one.
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:)?//""", html)
    for sheet in ("app.css", "tour.css", "whatif.css"):
        assert "url(http" not in (site / sheet).read_text() and "@import" not in (site / sheet).read_text()


def test_payload_holds_keras_outputs_of_the_first_sample_and_every_samples_prediction(built):
    import keras

    from builder.activations import derived_in_browser
    from testkit.reference import reference_outputs

    work, _ = built
    payload = read_payload(work / "site")
    spec, samples = payload["spec"], payload["samples"]
    assert samples["count"] == 4 and len(samples["items"]) == 4
    assert [item["label"] for item in samples["items"]] == [0, 1, 2, 3], "one per class, in class order"
    pixels = sample_pixels(payload)  # count x H x W x C
    raw = gzip.decompress(base64.b64decode(samples["activations"]["data"]))
    stored = [layer for layer in spec["layers"] if not derived_in_browser(layer)]
    assert samples["activations"]["layers"] == [layer["name"] for layer in stored]
    assert {layer["kind"] for layer in stored} == {"conv", "dense"}, "ReLU, max pooling and flatten are derived"
    assert samples["activations"]["count"] == 1, "the first sample's layers: the page computes the others"
    sizes = [int(np.prod(layer["shape"])) for layer in stored]
    values = np.frombuffer(raw, "<f2").reshape(sum(sizes)).astype(np.float32)
    model = keras.saving.load_model(next((work / "cache").glob("models/*/model.keras")))
    first = reference_outputs(model, spec, pixels[:1], divisor=255)  # alone, as the page's first picture shows it
    offset = 0
    for layer, size in zip(stored, sizes, strict=True):
        stored_values = values[offset : offset + size]
        keras_values = first[layer["name"]][0].reshape(-1)
        np.testing.assert_array_equal(stored_values, keras_values.astype(np.float16).astype(np.float32), layer["name"])
        offset += size
    expected = reference_outputs(model, spec, pixels, divisor=255)
    np.testing.assert_allclose(samples["probabilities"], expected["output"], rtol=1e-6)


def test_second_build_reuses_the_trained_model(built):
    work, first = built
    assert "training Tiny VGG" in first.stderr
    second = run("build", *QUICK, "--out", "site2", "--cache", "cache", cwd=work)
    assert second.returncode == 0, second.stderr
    assert "reusing the trained model" in second.stderr and "training Tiny VGG" not in second.stderr
    assert read_payload(work / "site2")["model"] == read_payload(work / "site")["model"]


def test_failed_build_keeps_the_previous_site_and_says_why(built, tmp_path):
    work, _ = built
    before = (work / "site" / "index.html").read_bytes()
    broken = tmp_path / "broken.keras"
    with zipfile.ZipFile(broken, "w") as archive:  # a zip archive, as .keras files are, but not a model
        archive.writestr("notes.txt", "not a model")
    result = run("build", *QUICK, "--out", "site", "--cache", "cache", "--model", str(broken), cwd=work)
    assert result.returncode == 1
    assert "Keras cannot load it" in result.stderr and "Traceback" not in result.stderr
    assert (work / "site" / "index.html").read_bytes() == before


def test_missing_dataset_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "train-images-idx3-ubyte.gz").write_bytes(b"")
    result = run("build", "--data", str(empty), "--out", "site", cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "apt-get install dataset-fashion-mnist" in result.stderr
    assert not (tmp_path / "site").exists()


def test_train_writes_model_history_and_metrics(built):
    work, _ = built
    result = run("train", "--subset", "300", "--epochs", "2", "--cache", "cache", "--out", "trained", cwd=work)
    assert result.returncode == 0, result.stderr
    metrics = json.loads((work / "trained" / "metrics.json").read_text())
    history = json.loads((work / "trained" / "history.json").read_text())
    assert (work / "trained" / "model.keras").is_file()
    assert (
        len(metrics["confusion_matrix"]) == 10
        and sum(map(sum, metrics["confusion_matrix"])) == metrics["test_examples"]
    )
    assert set(metrics["per_class_accuracy"]) == set(metrics["classes"])
    assert len(history["epochs"]["val_loss"]) == 2 and history["config"]["seed"] == 0


def test_samples_are_correctly_classified_where_the_test_split_allows(tmp_path):
    """The picker offers, for each class, an image the model gets right when the test split has one: a learner's
    first look should show the network working. An untrained model (right about one time in five) on a generated
    5-class folder, checked against Keras's own predictions on the build's test split."""
    import keras
    from keras import layers

    from builder.datasets import load_dataset
    from testkit.images import write_image_folder

    write_image_folder(tmp_path / "data", 5, per_class=40, size=12)
    keras.utils.set_random_seed(4)
    model = keras.Sequential(
        [keras.Input((12, 12, 3)), layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(5, activation="softmax")]
    )
    model.save(tmp_path / "untrained.keras")
    result = run("build", "--model", "untrained.keras", "--data", "data", "--samples", "5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    items = read_payload(tmp_path / "dist")["samples"]["items"]
    test = load_dataset(tmp_path / "data").test  # the split the CLI made (seed 0)
    predicted = model.predict(test.images.astype(np.float32) / np.float32(255), verbose=0).argmax(axis=1)
    assert 0.05 < (predicted == test.labels).mean() < 0.8, "right for some images, wrong for others"
    checked = 0
    for item in items:
        label = item["label"]
        assert predicted[item["index"]] == item["predicted"]
        if ((test.labels == label) & (predicted == label)).any():
            assert item["predicted"] == label, f"class {label}: a misclassified sample was picked over a correct one"
            checked += 1
    assert checked >= 2
