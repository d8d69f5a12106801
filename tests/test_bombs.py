"""Files that cost gigabytes to read but little to store ("bombs") are refused before they are read, in one line.

A .keras archive whose config.json inflates to 3 GiB, or whose config gives a Dense layer 405 million weights the
file does not hold; a 20000 x 20000 PNG among the samples; a gzip IDX file that inflates to far more than its
header promises. The bombs are written by testkit/bombs.py in a second or two, without holding them whole.
"""

from __future__ import annotations

import json
import subprocess
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from builder.budget import MAX_PARAMETERS, check_saved_parameters, config_weights, saved_config
from builder.errors import ModelError
from builder.model_store import check_model_file
from testkit import bombs
from testkit.cli import run


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    """A small real model: 12 x 12 x 3, Conv2D(4) 'conv', max pool, Flatten, Dense(3) 'output' (547 weights)."""
    return bombs.small_keras_model(tmp_path_factory.mktemp("model") / "net.keras")


def peak_memory(function) -> int:
    """The most memory Python allocated while `function` ran (numpy's arrays and zlib's output included)."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def refusal(function) -> str:
    with pytest.raises(ModelError) as refused:
        function()
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_a_keras_file_whose_config_inflates_to_3_gib_is_refused_before_anything_reads_it(model, tmp_path):
    bomb = bombs.write_config_bomb(tmp_path / "bomb.keras", model)  # 3.2 MB
    started = time.perf_counter()
    message = refusal(lambda: check_model_file(bomb))
    assert time.perf_counter() - started < 1
    assert f"--model {bomb}" in message and "config.json would inflate to 3,072.0 MiB" in message
    assert "more than the 4.0 MiB" in message and "save the model again" in message


def test_a_member_that_inflates_to_more_than_it_declares_is_refused_reading_a_chunk_at_a_time(model, tmp_path):
    # zipfile would cut it at 3000 bytes, but only after inflating up to 1 GiB of it at once
    liar = bombs.write_config_bomb(tmp_path / "liar.keras", model, declared=3000)
    messages = []
    peak = peak_memory(lambda: messages.append(refusal(lambda: check_model_file(liar))))
    assert "config.json declares 3,000 bytes but holds more than 4.0 MiB" in messages[0]
    assert peak < 16 * 2**20, f"{peak / 2**20:.0f} MiB"


def test_a_keras_file_with_members_keras_cannot_have_written_is_refused(model, tmp_path):
    members = {name: zipfile.ZipFile(model).read(name) for name in ("metadata.json", "config.json", "model.weights.h5")}
    squeezed = tmp_path / "bzip2.keras"
    with zipfile.ZipFile(squeezed, "w", compression=zipfile.ZIP_BZIP2) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert "compressed with method 12, which Keras does not write" in refusal(lambda: check_model_file(squeezed))


def test_a_config_that_gives_a_dense_405_million_weights_the_file_lacks_is_refused_naming_the_layer(model, tmp_path):
    lying = bombs.write_lying_config(tmp_path / "lying.keras", model)
    check_model_file(lying)  # a sound archive: only its config lies
    message = refusal(lambda: check_saved_parameters(lying))
    assert f"--model {lying}" in message and "layer 'output' (Dense) 405.0 million weights" in message
    assert "the file holds 547" in message and "save the model again with model.save()" in message


def test_a_smaller_lie_and_a_config_over_the_budget_are_refused_too(model, tmp_path):
    small_lie = bombs.write_lying_config(tmp_path / "small.keras", model, inputs=20_000)
    assert "layer 'output' (Dense) 60,003 weights" in refusal(lambda: check_saved_parameters(small_lie))
    config = saved_config(small_lie)
    config["config"]["layers"][-1]["build_config"]["input_shape"] = [None, MAX_PARAMETERS]
    weights = [w for _, _, w in config_weights(config)]
    assert sum(w for w in weights if w) > MAX_PARAMETERS, "what check_saved_parameters refuses when the file is unread"


def test_a_legacy_h5_whose_model_config_claims_more_weights_is_refused(tmp_path):
    import h5py
    import keras

    from testkit.models import photo_model

    keras.utils.set_random_seed(0)
    path = tmp_path / "legacy.h5"
    photo_model(28, 4, 3).save(path)
    check_saved_parameters(path)
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        dense = [entry for entry in config["config"]["layers"] if entry["class_name"] == "Dense"][0]
        dense["config"]["units"] = 500_000  # 13 x 13 x 4 inputs to each: 338 million weights
        f.attrs["model_config"] = json.dumps(config)
    message = refusal(lambda: check_saved_parameters(path))
    assert f"layer '{dense['config']['name']}' (Dense) 338.5 million weights" in message and "the file holds" in message


def test_a_legacy_h5_whose_model_config_is_many_texts_is_refused(model, tmp_path):
    import h5py
    import keras

    path = tmp_path / "many.h5"
    keras.saving.load_model(model).save(path)
    check_model_file(path)
    with h5py.File(path, "r+") as f:
        text = f.attrs["model_config"]
        f.attrs.create("model_config", [text] * 1000, dtype=h5py.string_dtype())
    assert "its model_config is not one text" in refusal(lambda: check_model_file(path))


def test_sound_models_pass_and_their_config_gives_the_weights_keras_counts(tmp_path):
    import keras
    from keras import layers

    from testkit.models import deep_model, photo_model, wide_model

    keras.utils.set_random_seed(0)
    inputs = keras.Input((20, 18, 3))
    x = layers.Conv2D(6, (3, 5), strides=2, name="c1")(layers.Rescaling(1 / 255)(inputs))
    x = layers.MaxPooling2D(2, padding="same")(layers.Conv2D(4, 3, dilation_rate=2, use_bias=False)(x))
    x = layers.Dense(7)(layers.Flatten()(layers.Conv2D(8, 1, groups=2)(x)))
    functional = keras.Model(inputs, layers.Dense(3, activation="softmax")(layers.LeakyReLU()(x)))
    for name, built in [("wide", wide_model()), ("deep", deep_model()), ("photo", photo_model(28, 8, 5))]:
        for suffix in (".keras", ".h5"):
            path = tmp_path / f"{name}{suffix}"
            built.save(path)
            check_model_file(path)
            check_saved_parameters(path)
            assert sum(w for _, _, w in config_weights(saved_config(path)) if w) == built.count_params(), path
    functional.save(tmp_path / "functional.keras")
    assert (
        sum(w for _, _, w in config_weights(saved_config(tmp_path / "functional.keras"))) == functional.count_params()
    )
    shipped = sorted((Path(__file__).resolve().parents[1] / "builder" / "pretrained").glob("*/model.keras"))
    for path in shipped:  # trained and saved with its optimizer's slots
        check_model_file(path)
        check_saved_parameters(path)


def test_the_bomb_writers_write_what_they_say(tmp_path):
    from PIL import Image

    with Image.open(bombs.write_png(tmp_path / "grey.png", 300, 5000, 77)) as image:
        assert image.size == (300, 5000) and np.asarray(image).min() == np.asarray(image).max() == 77
    with Image.open(bombs.write_png(tmp_path / "colour.png", 30, 20, 99, colour=True)) as image:
        assert image.mode == "RGB" and (np.asarray(image) == 99).all()
    assert bombs.write_png(tmp_path / "giant.png", 20000, 20000).stat().st_size < 500_000
    import gzip

    with gzip.open(bombs.write_idx_bomb(tmp_path / "i.gz", data_bytes=10_000)) as handle:
        data = handle.read()
    assert data[:16] == bombs.idx_header(bombs.FASHION_MNIST_TRAIN) and len(data) == 16 + 10_000


# --- through the real CLI -----------------------------------------------------------------------------------------


def assert_refused(result: subprocess.CompletedProcess, *phrases: str) -> str:
    """The one error line of a refused command, after checking the refusal's form and that it names `phrases`."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "decompression" not in result.stderr.lower(), "Pillow's and Keras's own words are not what the user sees"
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    for phrase in phrases:
        assert phrase in errors[0], (phrase, errors[0])
    return errors[0]


@pytest.mark.integration
def test_the_cli_refuses_a_keras_file_that_inflates_to_3_gib_in_one_line(model, tmp_path):
    bombs.write_config_bomb(tmp_path / "big-config.keras", model)
    (tmp_path / "samples").mkdir()
    result = run("build", "--model", "big-config.keras", "--samples", "samples", "--out", "site", cwd=tmp_path)
    assert_refused(result, "--model big-config.keras", "config.json would inflate to 3,072.0 MiB", "model.save()")
    assert not (tmp_path / "site").exists()


@pytest.mark.integration
def test_the_cli_refuses_a_config_that_claims_405_million_weights_in_one_line(model, tmp_path):
    bombs.write_lying_config(tmp_path / "lying.keras", model)
    (tmp_path / "samples").mkdir()
    result = run("build", "--model", "lying.keras", "--samples", "samples", "--out", "site", cwd=tmp_path)
    assert_refused(result, "--model lying.keras", "layer 'output' (Dense) 405.0 million weights", "547")


@pytest.mark.integration
def test_the_cli_skips_a_20000_pixel_square_sample_naming_it_and_the_limit(model, tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    bombs.write_png(samples / "giant.png", 20000, 20000)
    result = run("build", "--model", str(model), "--samples", "samples", "--out", "site", cwd=tmp_path)
    assert_refused(result, "--samples samples", "found no")
    warning = [line for line in result.stderr.splitlines() if "skipped 1 file" in line]
    assert len(warning) == 1, result.stderr
    assert "giant.png (20000 x 20000 pixels, 400.0 megapixels, more than the 50 an image may have" in warning[0]


@pytest.mark.integration
def test_the_cli_refuses_an_idx_file_that_holds_more_than_its_header_promises(tmp_path):
    data = bombs.write_fashion_mnist_bomb(tmp_path / "fashion", data_bytes=256 << 20)
    result = run("build", "--data", str(data), "--out", "site", cwd=tmp_path)
    assert_refused(result, "train-images-idx3-ubyte.gz holds more than the 47,040,000 data bytes its header promises")
