"""The build-time insights of the test split (builder/insights.py, docs/format.md "The insights"): the selection
functions on hand-made arrays, and one real build checked against Keras."""

from __future__ import annotations

import base64
import gzip
import json
import logging

import numpy as np
import pytest
from PIL import Image

from builder.datasets import Dataset, Split
from builder.insights import (
    CELL_EXAMPLES,
    ChannelTop,
    Pool,
    Predictions,
    cell_examples,
    cells_within_budget,
    channel_maxima,
    distinct_top,
    history_summary,
    insights_payload,
    layers_within_budget,
    merge_top,
    picker_mistakes,
    probabilities,
    ranked_mistakes,
    significant,
    worst_mistakes,
)
from builder.model import classification_metrics, confusion_counts
from testkit.site import read_insights, read_payload


def top_of(values: np.ndarray, k: int, batch: int) -> ChannelTop:
    """The top `k` of B x H x W x C `values`, merged `batch` images at a time."""
    top = None
    for start in range(0, len(values), batch):
        top = merge_top(top, *channel_maxima(values[start : start + batch]), start, k)
    return top


def test_confusion_counts_rows_are_true_classes():
    counts = confusion_counts(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), 3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_classification_metrics_are_those_of_the_confusion_matrix():
    metrics = classification_metrics(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 0, 2]), ("a", "b", "c", "d"))
    assert metrics == {
        "accuracy": 4 / 6,
        "test_examples": 6,
        "per_class_accuracy": {"a": 0.5, "b": 1.0, "c": 2 / 3, "d": None},  # no test image of class d
        "classes": ["a", "b", "c", "d"],
        "confusion_matrix": [[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 2, 0], [0, 0, 0, 0]],
    }


def test_channel_maxima_finds_the_first_maximum_in_row_major_order():
    outputs = np.zeros((2, 2, 3, 2), np.float32)
    outputs[0, :, :, 0] = [[1, 5, 2], [5, 0, 3]]  # 5 twice: the first, (0, 1), counts
    outputs[0, :, :, 1] = [[0, 0, 0], [0, 0, 7]]
    outputs[1, :, :, 0] = [[-1, -1, -1], [-1, -1, -1]]  # all equal: (0, 0)
    outputs[1, :, :, 1] = [[0, 0, 0], [9, 0, 0]]
    values, rows, cols = channel_maxima(outputs)
    assert values.tolist() == [[5, 7], [-1, 9]]
    assert rows.tolist() == [[0, 1], [0, 1]]
    assert cols.tolist() == [[1, 2], [0, 0]]


def test_top_examples_order_by_value_then_lower_index():
    maxima = np.array([3, 5, 3, 5, 1, 4], np.float32)  # one channel; each image's maximum is at (0, 0)
    outputs = maxima.reshape(6, 1, 1, 1)
    top = top_of(outputs, k=4, batch=6)
    assert top.values.tolist() == [[5, 5, 4, 3]]
    assert top.indices.tolist() == [[1, 3, 5, 0]]  # 5: images 1 and 3; 3: image 0 before image 2
    for batch in (1, 2, 4):
        merged = top_of(outputs, k=4, batch=batch)
        assert merged.indices.tolist() == [[1, 3, 5, 0]], batch


def test_merging_batches_gives_what_one_batch_gives():
    rng = np.random.default_rng(3)
    outputs = rng.integers(0, 4, size=(37, 3, 4, 5)).astype(np.float32)  # few values: many ties
    whole = top_of(outputs, k=8, batch=37)
    for batch in (1, 5, 8, 16):
        merged = top_of(outputs, k=8, batch=batch)
        for name in ("values", "indices", "rows", "cols"):
            assert np.array_equal(getattr(merged, name), getattr(whole, name)), (batch, name)
    # and what a direct reading of the definition gives
    for ch in range(5):
        peak = outputs[..., ch].reshape(37, -1).max(axis=1)
        expected = sorted(range(37), key=lambda i: (-peak[i], i))[:8]
        assert whole.indices[ch].tolist() == expected
        for i, r, c, v in zip(whole.indices[ch], whole.rows[ch], whole.cols[ch], whole.values[ch], strict=True):
            assert outputs[i, r, c, ch] == v == peak[i]
            assert not (outputs[i, :, :, ch].ravel()[: r * 4 + c] == v).any(), "the first position of the maximum"


def test_fewer_images_than_k_keeps_them_all():
    top = top_of(np.arange(3, dtype=np.float32).reshape(3, 1, 1, 1), k=8, batch=2)
    assert top.indices.tolist() == [[2, 1, 0]]


def test_significant_keeps_seven_digits():
    assert significant(np.float32(0.3)) == 0.3
    assert significant(123456789.0) == 123456800.0
    assert significant(np.float32(-0.0)) == 0.0
    assert isinstance(significant(np.float32(1.5)), float)


# image:      0    1    2    3    4    5    6    7
LABELS = np.array([0, 0, 1, 2, 1, 0, 2, 1])
PREDICTED = np.array([1, 2, 0, 0, 1, 1, 1, 1])
CONFIDENCE = np.array([0.9, 0.95, 0.8, 0.7, 0.99, 0.6, 0.7, 0.5])


def test_mistakes_are_ranked_by_confidence_then_index():
    # mistakes: 0 (.9), 1 (.95), 2 (.8), 3 (.7), 5 (.6), 6 (.7); 3 and 6 tie: 3 first
    assert ranked_mistakes(LABELS, PREDICTED, CONFIDENCE).tolist() == [1, 0, 2, 3, 6, 5]


def test_worst_mistakes_take_one_per_true_class_while_possible():
    # most confident per true class: class 0 -> 1, class 1 -> 2, class 2 -> 3 (ties 6, lower index)
    assert worst_mistakes(LABELS, PREDICTED, CONFIDENCE, 2) == [1, 2]
    assert worst_mistakes(LABELS, PREDICTED, CONFIDENCE, 3) == [1, 2, 3]
    # only 3 classes: then the next most confident, whatever their class
    assert worst_mistakes(LABELS, PREDICTED, CONFIDENCE, 4) == [1, 0, 2, 3]
    assert worst_mistakes(LABELS, PREDICTED, CONFIDENCE, 10) == [1, 0, 2, 3, 6, 5]
    assert worst_mistakes(LABELS, LABELS, CONFIDENCE, 5) == []


def test_cells_hold_confident_mistakes_and_a_seeded_sorted_choice_of_correct_ones():
    cells = cell_examples(LABELS, PREDICTED, CONFIDENCE, 3, per_cell=6)
    assert cells[0][1] == [0, 5] and cells[0][2] == [1]
    assert cells[1][0] == [2] and cells[2][0] == [3] and cells[2][1] == [6]
    assert cells[1][1] == [4, 7] and cells[0][0] == [] and cells[2][2] == []
    assert cells[0][1] == cell_examples(LABELS, PREDICTED, CONFIDENCE, 3, per_cell=1, include=[5])[0][1]
    assert cell_examples(LABELS, PREDICTED, CONFIDENCE, 3, per_cell=1)[0][1] == [0]

    rng = np.random.default_rng(1)
    labels = rng.integers(0, 2, 200)
    correct = labels.copy()
    big = cell_examples(labels, correct, np.ones(200), 2, per_cell=6)
    small = cell_examples(labels, correct, np.ones(200), 2, per_cell=3)
    for t in range(2):
        assert len(big[t][t]) == 6 and big[t][t] == sorted(big[t][t])
        assert all(labels[i] == t for i in big[t][t])
        assert set(small[t][t]) <= set(big[t][t])
    assert big == cell_examples(labels, correct, np.ones(200), 2, per_cell=6), "deterministic"
    assert big[0][0] != sorted(np.flatnonzero(labels == 0)[:6].tolist()), "a random choice, not the first ones"


def test_cells_shrink_evenly_until_the_images_fit():
    mistakes = [1, 2]
    per_cell, cells = cells_within_budget(LABELS, PREDICTED, CONFIDENCE, 3, mistakes, capacity=8)
    assert per_cell == CELL_EXAMPLES
    # 6 images: mistakes 1, 2 and per cell 1: 0, 1, 2, 3, 6, and one of 4 and 7
    per_cell, cells = cells_within_budget(LABELS, PREDICTED, CONFIDENCE, 3, mistakes, capacity=6)
    assert per_cell == 1
    assert cells[0][1] == [0] and len(cells[1][1]) == 1
    per_cell, cells = cells_within_budget(LABELS, PREDICTED, CONFIDENCE, 3, mistakes, capacity=2)
    assert per_cell == 0
    assert cells[0][2] == [1] and cells[1][0] == [2], "the mistakes stay in their cells"
    assert sum(len(cell) for row in cells for cell in row) == 2


def test_pool_stores_each_image_once():
    pool = Pool()
    assert pool.refs([4, 7]) == [0, 1]
    assert pool.ref(7) == 1 and pool.ref(np.int64(2)) == 2 and pool.refs([4, 2]) == [0, 2]
    assert pool.indices == [4, 7, 2] and len(pool) == 3


def test_budget_keeps_whole_layers_in_order_and_stops_at_the_first_that_does_not_fit():
    stored = [4, 7]
    layers = [np.array([[7, 2]]), np.array([[9, 10]]), np.array([[4]])]
    assert layers_within_budget(stored, layers, capacity=10) == 3
    assert layers_within_budget(stored, layers, capacity=4) == 1, "[4] fits, but comes after a layer left out"
    assert layers_within_budget(stored, layers, capacity=2) == 0
    assert layers_within_budget(stored, layers, capacity=3) == 1


def toy_insights(images: np.ndarray, tops: dict[str, ChannelTop], budget_bytes: int) -> dict:
    """The insights of the hand-made predictions (LABELS, PREDICTED, CONFIDENCE, `tops`) on test `images`."""
    empty = Split(images[:0], LABELS[:0])
    dataset = Dataset("toy", ("a", "b", "c"), empty, empty, Split(images, LABELS), "hand-made")
    return insights_payload(dataset, Predictions(PREDICTED, CONFIDENCE, tops), None, budget_bytes)


def make_tops(entries: dict[str, list[list[tuple[int, float, int, int]]]]) -> dict[str, ChannelTop]:
    """ChannelTops from per-channel lists of (index, value, row, col)."""
    tops = {}
    for name, channels in entries.items():
        arrays = np.array(channels, dtype=np.float64)  # C x k x 4
        tops[name] = ChannelTop(
            arrays[..., 1].astype(np.float32), *(arrays[..., i].astype(np.int64) for i in (0, 2, 3))
        )
    return tops


def test_insights_stores_an_image_used_by_a_cell_and_a_channel_once():
    images = np.arange(8 * 2 * 2, dtype=np.uint8).reshape(8, 2, 2, 1)  # 4 bytes an image
    tops = make_tops(
        {
            "a": [[(1, 3.0, 0, 1), (4, 2.0, 1, 0)], [(0, 9.0, 1, 1), (1, 1.0, 0, 0)]],
            "b": [[(5, 1.0, 0, 0), (6, 0.5, 0, 0)]],
        }
    )
    payload = toy_insights(images, tops, budget_bytes=1000)
    pool = payload["pool"]
    assert pool["count"] == len(pool["test_index"]) == len(set(pool["test_index"])) == 8
    ref = {index: n for n, index in enumerate(pool["test_index"])}
    layer_a = payload["top_examples"]["layers"]["a"]
    assert layer_a[0][0] == [ref[1], 3.0, 0, 1] and layer_a[1][1] == [ref[1], 1.0, 0, 0]
    assert ref[1] in payload["confusion"]["cells"][0][2] and payload["mistakes"][0] == ref[1]
    pixels = np.frombuffer(gzip.decompress(base64.b64decode(pool["pixels"]["data"])), np.uint8)
    assert np.array_equal(pixels.reshape(-1, 2, 2, 1), images[pool["test_index"]])
    assert pool["label"] == LABELS[pool["test_index"]].tolist()
    assert pool["predicted"] == PREDICTED[pool["test_index"]].tolist()
    assert payload["accuracy"] == 2 / 8 and payload["test_count"] == 8
    assert payload["confusion"]["counts"] == [[0, 2, 1], [1, 2, 0], [1, 1, 0]]
    assert payload["top_examples"]["left_out"] == [] and payload["history"] is None
    json.dumps(payload, allow_nan=False)
    # the picker's mistakes, at first view without the insights: the same images, labels and guesses
    mine = picker_mistakes(payload)
    shown = [pool["test_index"][ref] for ref in payload["mistakes"]]
    assert mine["pool"]["test_index"] == shown and mine["mistakes"] == list(range(len(shown)))
    assert mine["pool"]["label"] == LABELS[shown].tolist() and mine["pool"]["predicted"] == PREDICTED[shown].tolist()
    own = np.frombuffer(gzip.decompress(base64.b64decode(mine["pool"]["pixels"]["data"])), np.uint8)
    assert np.array_equal(own.reshape(-1, 2, 2, 1), images[shown])


def test_insights_leaves_out_whole_layers_past_the_budget_with_one_message(caplog):
    images = np.zeros((8, 2, 2, 1), np.uint8)
    tops = make_tops(
        {
            "first": [[(5, 1.0, 0, 0)], [(0, 1.0, 0, 0)]],  # 5 is new, 0 is stored already
            "second": [[(4, 1.0, 0, 0)], [(7, 1.0, 0, 0)]],  # one of 4 and 7 is in cell (1, 1), the other new
            "third": [[(1, 1.0, 0, 0)]],  # stored already, but after a layer left out
        }
    )
    # capacity 7: mistakes 1, 0, 2, 3, 6; cells of 2 would add 4, 5 and 7, so 1 a cell: one of 4 and 7
    with caplog.at_level(logging.INFO, logger="builder.insights"):
        payload = toy_insights(images, tops, budget_bytes=29)
    assert len(payload["confusion"]["cells"][1][1]) == 1
    assert list(payload["top_examples"]["layers"]) == ["first"]
    assert payload["top_examples"]["left_out"] == ["second", "third"]
    assert payload["pool"]["count"] == 7
    messages = [r.getMessage() for r in caplog.records if "left out" in r.getMessage()]
    assert len(messages) == 1 and "2 of 3 layers" in messages[0] and "'second'" in messages[0]


def test_insights_cuts_cells_before_mistakes_and_keeps_within_the_budget():
    images = np.zeros((8, 10, 10, 1), np.uint8)  # 100 bytes an image
    payload = toy_insights(images, {}, budget_bytes=399)
    assert payload["pool"]["count"] == 3
    mistakes = [payload["pool"]["test_index"][r] for r in payload["mistakes"]]
    assert mistakes == [1, 2, 3], "the three most confident, one per true class"
    cells = payload["confusion"]["cells"]
    assert sorted(r for row in cells for cell in row for r in cell) == [0, 1, 2], "only the mistakes"


def test_confidence_of_a_linear_output_is_its_softmax():
    scores = np.array([[0.0, np.log(3.0)], [2.0, 2.0]], np.float32)
    assert np.allclose(probabilities(scores, "linear"), [[0.25, 0.75], [0.5, 0.5]])
    assert probabilities(scores, "softmax") is scores


def test_history_summary():
    history = {
        "epochs": {"loss": [0.5, 0.25], "val_accuracy": [0.75, 0.875]},
        "weights_from_epoch": 2,
        "seconds": 12.5,
        "config": {"epochs": 30, "patience": 3, "seed": 0},
    }
    assert history_summary(history) == {
        "epochs": {"loss": [0.5, 0.25], "val_accuracy": [0.75, 0.875]},
        "weights_from_epoch": 2,
        "max_epochs": 30,
        "patience": 3,
    }
    assert history_summary({"epochs": {}, "weights_from_epoch": 1})["max_epochs"] is None
    assert history_summary(None) is None


# ---- one real build, checked against Keras ----


def write_idx(path, array: np.ndarray, code: int) -> None:
    header = bytes([0, 0, code, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    path.write_bytes(gzip.compress(header + array.tobytes()))


@pytest.mark.integration
def test_build_writes_insights_that_keras_confirms(tmp_path):
    import keras
    from keras import layers

    from builder.build import BuildOptions, build

    size, classes = 12, 10
    rng = np.random.default_rng(0)
    data = tmp_path / "data"
    data.mkdir()
    train_labels = np.arange(40, dtype=np.uint8) % classes
    test_labels = rng.integers(0, classes, 150).astype(np.uint8)
    test_images = rng.integers(0, 256, (150, size, size), dtype=np.uint8)
    for name, array, code in (
        ("train-images-idx3-ubyte.gz", rng.integers(0, 256, (40, size, size), dtype=np.uint8), 0x08),
        ("train-labels-idx1-ubyte.gz", train_labels, 0x08),
        ("t10k-images-idx3-ubyte.gz", test_images, 0x08),
        ("t10k-labels-idx1-ubyte.gz", test_labels, 0x08),
    ):
        write_idx(data / name, array, code)
    keras.utils.set_random_seed(2)
    model = keras.Sequential(
        [
            keras.Input((size, size, 1)),
            layers.Conv2D(4, 3, name="conv"),
            layers.Activation("relu", name="relu"),
            layers.MaxPooling2D(2, name="pool"),
            layers.Conv2D(3, 3, padding="same", name="conv_b"),
            layers.AveragePooling2D(2, name="avg"),
            layers.Flatten(name="flatten"),
            layers.Dense(classes, activation="softmax", name="output", bias_initializer="random_normal"),
        ],
        name="small",
    )
    model_file = tmp_path / "small.keras"
    model.save(model_file)

    result = build(BuildOptions(out=tmp_path / "site", data=data, model=model_file, samples=3, cache=tmp_path / "c"))
    site = result.out
    insights = read_insights(site)
    payload = read_payload(site)
    assert payload["insights"].startswith("data/insights.js?v=")
    assert "data/insights.js" in json.loads((site / ".cnn-explain.json").read_text())["files"]
    assert insights["format"] == 1 and insights["dataset"] == "Fashion-MNIST" and insights["test_count"] == 150
    assert insights["history"] is None, "a user's model has no training history"

    reference = keras.saving.load_model(result.model_file, compile=False)
    pixels = test_images[..., None].astype("float32") / 255.0
    scores = reference.predict(pixels, verbose=0)
    predicted = scores.argmax(axis=1)
    expected = np.zeros((classes, classes), int)
    for t, p in zip(test_labels, predicted, strict=True):
        expected[t, p] += 1
    assert insights["confusion"]["counts"] == expected.tolist()
    assert insights["accuracy"] == pytest.approx((predicted == test_labels).mean())

    pool = insights["pool"]
    count = pool["count"]
    assert len(set(pool["test_index"])) == count, "each test image once"
    stored = np.frombuffer(gzip.decompress(base64.b64decode(pool["pixels"]["data"])), np.uint8)
    assert np.array_equal(stored.reshape(count, size, size), test_images[pool["test_index"]])
    assert pool["label"] == test_labels[pool["test_index"]].tolist()
    assert pool["predicted"] == predicted[pool["test_index"]].tolist()
    confidence = scores[np.arange(150), predicted]
    assert np.allclose(pool["confidence"], confidence[pool["test_index"]], atol=6e-5)

    for t in range(classes):
        for p in range(classes):
            cell = [pool["test_index"][r] for r in insights["confusion"]["cells"][t][p]]
            members = np.flatnonzero((test_labels == t) & (predicted == p))
            assert len(cell) == min(6, len(members)) and set(cell) <= set(members.tolist())
            if t == p:
                assert cell == sorted(cell)
            else:  # the most confident mistakes of the cell
                assert sorted(confidence[cell], reverse=True) == pytest.approx(
                    sorted(confidence[members], reverse=True)[: len(cell)]
                )
    mistakes = [pool["test_index"][r] for r in insights["mistakes"]]
    assert len(mistakes) == 5 and all(test_labels[i] != predicted[i] for i in mistakes)
    wrong = np.flatnonzero(test_labels != predicted)
    assert confidence[mistakes[0]] == pytest.approx(confidence[wrong].max())

    top = insights["top_examples"]
    assert list(top["layers"]) == ["conv", "relu", "pool", "conv_b", "avg"] and top["left_out"] == []
    for name, channels in top["layers"].items():
        outputs = keras.Model(reference.inputs, reference.get_layer(name).output).predict(pixels, verbose=0)
        assert len(channels) == outputs.shape[-1]
        for ch, entries in enumerate(channels):
            truth = np.sort(outputs[..., ch].reshape(150, -1).max(axis=1))[::-1][:8]
            values = [value for _, value, _, _ in entries]
            assert values == sorted(values, reverse=True)
            assert np.allclose(values, truth, rtol=1e-5, atol=1e-7), (name, ch)
            for ref, value, row, col in entries:
                index = pool["test_index"][ref]
                at = outputs[index, :, :, ch]
                assert at[row, col] == pytest.approx(value, rel=1e-5, abs=1e-7), (name, ch, index)
                first = np.flatnonzero(np.isclose(at.ravel(), at.max(), rtol=1e-6, atol=0))[0]
                assert divmod(int(first), at.shape[1]) == (row, col), "the first maximum in row-major order"

    # without a dataset (--model and --samples DIR) there is no test split, and so no insights
    samples = tmp_path / "samples"
    samples.mkdir()
    Image.fromarray(test_images[0]).save(samples / "one.png")
    site = build(BuildOptions(out=tmp_path / "own", model=model_file, samples=samples, cache=tmp_path / "c")).out
    assert not (site / "data" / "insights.js").exists()
    assert "insights" not in read_payload(site)


def test_examples_tied_with_the_first_image_left_out_are_not_shown():
    # channel 0: a dead ReLU, 0 everywhere; channel 1: three images above the rest, which tie at 1;
    # channel 2: nine distinct values, the ninth left out
    maxima = np.array(
        [
            [0, 5, 9],
            [0, 1, 8],
            [0, 7, 7],
            [0, 1, 6],
            [0, 6, 5],
            [0, 1, 4],
            [0, 1, 3],
            [0, 1, 2],
            [0, 1, 1],
            [0, 1, 0],
        ],
        dtype=np.float32,
    ).reshape(10, 1, 1, 3)
    top = top_of(maxima, k=9, batch=4)
    shown = distinct_top(top, k=8)
    assert shown[0] == []
    assert [int(top.indices[1][j]) for j in shown[1]] == [2, 4, 0]
    assert [float(top.values[2][j]) for j in shown[2]] == [9, 8, 7, 6, 5, 4, 3, 2]
    # fewer images than shown: every one is kept, ties and all
    few = top_of(maxima[:3], k=9, batch=2)
    assert distinct_top(few, k=8) == [[0, 1, 2], [0, 1, 2], [0, 1, 2]]
