"""Bring your own model and data, through the real `cnn-explain build`: what it refuses and what it skips.

A model the explainer cannot show stops the build with one message on stderr that names the layer
and lists what is supported, leaves no traceback, and leaves the previous site as it was; images
that cannot be read are skipped and named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit.cli import run
from testkit.images import write_image_folder

pytestmark = pytest.mark.integration


def small_model(path: Path, middle: list | None = None, size: int = 12, classes: int = 3) -> Path:
    """A small Sequential model for `size` x `size` RGB images, with `middle` layers after the first conv."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(3)
    model = keras.Sequential(
        [
            keras.Input((size, size, 3)),
            layers.Conv2D(4, 3, padding="same", activation="relu", name="conv"),
            *(middle or []),
            layers.Flatten(name="flatten"),
            layers.Dense(classes, activation="softmax", name="output"),
        ]
    )
    model.save(path)
    return path


def shared_layer_model(path: Path, size: int = 12, classes: int = 3) -> Path:
    """A Functional model that applies one layer twice."""
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 3))
    shared = layers.Conv2D(3, 3, padding="same", name="twice")
    x = shared(shared(inputs))
    x = layers.Flatten(name="flatten")(x)
    keras.Model(inputs, layers.Dense(classes, activation="softmax", name="output")(x)).save(path)
    return path


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A folder with a small RGB dataset (data/) and a site built from a supported model (site/)."""
    folder = tmp_path_factory.mktemp("own-model")
    write_image_folder(folder / "data", 3, per_class=10, size=12)
    good = small_model(folder / "good.keras")
    result = run("build", "--model", str(good), "--data", "data", "--samples", "3", "--out", "site", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


def _unsupported_models():
    from keras import layers

    return {
        "LayerNormalization": (lambda p: small_model(p, [layers.LayerNormalization(name="norm")]), "'norm'"),
        "Conv2DTranspose": (
            lambda p: small_model(p, [layers.Conv2DTranspose(4, 3, padding="same", name="upsample")]),
            "'upsample'",
        ),
        "shared": (shared_layer_model, "'twice' is used 2 times"),
    }


@pytest.mark.parametrize("kind", ["LayerNormalization", "Conv2DTranspose", "shared"])
def test_unsupported_model_fails_naming_the_layer_and_keeps_the_previous_site(work, kind, tmp_path):
    make, named = _unsupported_models()[kind]
    model = make(tmp_path / "bad.keras")
    before = {p.relative_to(work / "site"): p.read_bytes() for p in (work / "site").rglob("*") if p.is_file()}
    result = run("build", "--model", str(model), "--data", "data", "--samples", "3", "--out", "site", cwd=work)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and result.stdout == ""
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1, result.stderr
    assert named in error[0]
    if kind != "shared":
        assert f"({kind})" in error[0]
    else:
        assert "no shared layers" in error[0]
    if kind == "LayerNormalization":
        assert "Use BatchNormalization instead." in error[0]
    assert "Supported layers: Conv2D, ReLU, Activation, LeakyReLU, BatchNormalization, MaxPooling2D" in error[0]
    after = {p.relative_to(work / "site"): p.read_bytes() for p in (work / "site").rglob("*") if p.is_file()}
    assert after == before, "the previous site is untouched"
    assert not [p for p in work.iterdir() if p.name.startswith(".site-")], "no scratch folder left behind"


def test_unreadable_images_are_skipped_and_named_on_stderr(tmp_path):
    data = tmp_path / "data"
    write_image_folder(data, 3, per_class=10, size=12)
    png = (data / "disc" / "0000.png").read_bytes()
    (data / "disc" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    (data / "square" / "half.png").write_bytes(png[: len(png) // 2])
    (data / "triangle" / "notes.jpg").write_text("not an image at all")
    model = small_model(tmp_path / "m.keras")
    result = run("build", "--model", str(model), "--data", "data", "--samples", "3", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warning = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(warning) == 1, result.stderr
    assert "skipped 3 files" in warning[0]
    for name in ("disc/broken.png", "square/half.png", "triangle/notes.jpg"):
        assert name in warning[0], name
    assert "Traceback" not in result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert "read 30 colour images of 3 classes" in result.stderr


def test_pixel_divisor_without_a_model_is_refused(tmp_path):
    write_image_folder(tmp_path / "data", 2, per_class=6, size=8)
    result = run("build", "--data", "data", "--pixel-divisor", "1", "--out", "site", cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--pixel-divisor" in result.stderr and "--model" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_model_alone_that_the_default_dataset_does_not_fit_asks_for_samples_or_data(tmp_path):
    small_model(tmp_path / "net.keras", size=40, classes=5)
    result = run("build", "--model", "net.keras", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("Error:") and "40x40x3" in line and "Fashion-MNIST" in line, line
    assert "pass --samples DIR" in line and "--data DIR" in line, line
    assert not (tmp_path / "dist").exists()
