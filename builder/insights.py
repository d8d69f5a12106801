"""What the network learned and where it goes wrong, computed at build time on the held-out test split
(docs/format.md, "The insights"): the confusion matrix with example images per cell, the most confident
mistakes, and for every channel of every image-shaped layer the test images that excite it most.

The images are stored once each, in a pool the rest refers to by position; the pool's pixels are kept within a
byte budget, so a wide model's site does not grow without bound. `predict_test_split` runs Keras over the test split
once, a batch at a time, keeping each image's prediction and per-channel maxima (the build's metrics and sample
picking use the same predictions); the selection is done by the small NumPy functions below.
"""

from __future__ import annotations

import base64
import gzip
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .budget import batch_size
from .datasets import Dataset
from .model import confusion_counts, model_input

log = logging.getLogger(__name__)

FORMAT = 1
CELL_EXAMPLES = 6  # test images shown per cell of the confusion matrix
MISTAKES = 5  # the most confident mistakes, at most one per true class while possible
PER_CHANNEL = 8  # top examples per channel
POOL_BUDGET = 600_000  # raw pixel bytes of the pool of test images
TOP_KINDS = ("conv", "activation", "pool")  # the layers whose channels get top examples (when H x W x C)
SEED = 0  # of the diagonal cells' choice


# ---- the confusion matrix's examples ----


def ranked_mistakes(labels: np.ndarray, predicted: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """Indices of the misclassified images, most confident first (the probability of the wrong class they were
    given), ties by lower index."""
    wrong = np.flatnonzero(np.asarray(labels) != np.asarray(predicted))
    order = np.lexsort((wrong, -np.asarray(confidence, dtype=np.float64)[wrong]))
    return wrong[order]


def worst_mistakes(
    labels: np.ndarray, predicted: np.ndarray, confidence: np.ndarray, count: int = MISTAKES
) -> list[int]:
    """The `count` most confident mistakes, at most one per true class while there are classes left with
    mistakes not yet taken; most confident first, ties by lower index."""
    ranked = [int(i) for i in ranked_mistakes(labels, predicted, confidence)]
    chosen: list[int] = []
    classes: set[int] = set()
    for i in ranked:  # first the most confident mistake of each true class
        if len(chosen) < count and int(labels[i]) not in classes:
            chosen.append(i)
            classes.add(int(labels[i]))
    taken = set(chosen)
    chosen += [i for i in ranked if i not in taken][: max(0, count - len(chosen))]
    position = {i: n for n, i in enumerate(ranked)}
    return sorted(chosen, key=position.__getitem__)


def cell_examples(
    labels: np.ndarray,
    predicted: np.ndarray,
    confidence: np.ndarray,
    classes: int,
    per_cell: int = CELL_EXAMPLES,
    include: Iterable[int] = (),
    seed: int = SEED,
) -> list[list[list[int]]]:
    """cells[t][p]: up to `per_cell` indices of images of true class t predicted p.

    Off the diagonal, the most confident mistakes first (ties by lower index); on it, a choice by a seeded
    permutation, sorted by index (a smaller `per_cell` keeps a subset of a larger one's choice). The indices in
    `include` (the mistakes shown on their own) are added to their cells when `per_cell` left them out.
    """
    labels = np.asarray(labels)
    predicted = np.asarray(predicted)
    cells: list[list[list[int]]] = [[[] for _ in range(classes)] for _ in range(classes)]
    ranked = ranked_mistakes(labels, predicted, confidence)
    for i in ranked:
        cell = cells[int(labels[i])][int(predicted[i])]
        if len(cell) < per_cell:
            cell.append(int(i))
    order = np.random.default_rng(seed).permutation(len(labels))
    right = order[labels[order] == predicted[order]]
    for t in range(classes):
        cells[t][t] = sorted(int(i) for i in right[labels[right] == t][:per_cell])
    rank = {int(i): n for n, i in enumerate(ranked)}
    for i in (int(i) for i in include):
        cell = cells[int(labels[i])][int(predicted[i])]
        if i in rank and i not in cell:  # a mistake, so off the diagonal
            cell.append(i)
            cell.sort(key=rank.__getitem__)
    return cells


def cells_within_budget(
    labels: np.ndarray,
    predicted: np.ndarray,
    confidence: np.ndarray,
    classes: int,
    mistakes: Sequence[int],
    capacity: int,
    most: int = CELL_EXAMPLES,
) -> tuple[int, list[list[list[int]]]]:
    """The largest number of examples per cell (at most `most`) whose images, with the `mistakes`, number at
    most `capacity`; and the cells it gives. 0 leaves only the mistakes in their cells."""
    for per_cell in range(most, -1, -1):
        cells = cell_examples(labels, predicted, confidence, classes, per_cell, include=mistakes)
        images = set(mistakes) | {i for row in cells for cell in row for i in cell}
        if len(images) <= capacity:
            return per_cell, cells
    raise ValueError(f"{len(mistakes)} mistakes do not fit {capacity} images")  # the caller cuts them first


# ---- top examples per channel ----


def channel_maxima(outputs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each image's maximum of each channel of `outputs` (B x H x W x C) and where it is: values, rows and
    columns, each B x C. On ties, the first position in row-major order."""
    count, height, width, channels = outputs.shape
    flat = outputs.reshape(count, height * width, channels)
    where = flat.argmax(axis=1)
    values = np.take_along_axis(flat, where[:, None, :], axis=1)[:, 0, :]
    return values, where // width, where % width


@dataclass(frozen=True)
class ChannelTop:
    """The top images of each channel so far: C x k arrays, value descending, ties by lower test index."""

    values: np.ndarray
    indices: np.ndarray
    rows: np.ndarray
    cols: np.ndarray


def merge_top(
    top: ChannelTop | None,
    values: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    first_index: int,
    k: int = PER_CHANNEL,
) -> ChannelTop:
    """`top` with a batch's channel maxima (B x C, from channel_maxima; the batch's images are the test images
    `first_index`, `first_index + 1`, ...) merged in, keeping the `k` best of each channel."""
    count = values.shape[0]
    indices = np.broadcast_to(np.arange(first_index, first_index + count, dtype=np.int64)[:, None], values.shape)
    parts = [np.asarray(a).T for a in (values, indices, rows, cols)]
    if top is not None:
        parts = [np.concatenate([old, new], axis=1) for old, new in zip(astuple(top), parts, strict=True)]
    order = np.lexsort((parts[1], -parts[0].astype(np.float64)), axis=-1)[:, :k]
    return ChannelTop(*(np.take_along_axis(a, order, axis=1) for a in parts))


def astuple(top: ChannelTop) -> tuple[np.ndarray, ...]:
    return top.values, top.indices, top.rows, top.cols


def distinct_top(top: ChannelTop, k: int = PER_CHANNEL) -> list[list[int]]:
    """Per channel, the positions (in `top`, which holds up to k + 1 per channel) of its top examples: the first
    `k`, less those whose value ties with the first left out. A dead ReLU channel, 0 on every image, so has
    none: which images it "likes most" would be an accident of their order."""
    kept = []
    for values in top.values:
        if len(values) <= k:
            kept.append(list(range(len(values))))
        else:
            kept.append([i for i in range(k) if values[i] > values[k]])
    return kept


def significant(value, digits: int = 7) -> float:
    """`value` as a Python float rounded to `digits` significant digits (float32 holds about 7)."""
    return float(f"{float(value):.{digits}g}")


# ---- the pool and its budget ----


class Pool:
    """The test images the insights show, each stored once: `ref(index)` is its position in the pool."""

    def __init__(self) -> None:
        self.indices: list[int] = []
        self._refs: dict[int, int] = {}

    def ref(self, index: int) -> int:
        index = int(index)
        if index not in self._refs:
            self._refs[index] = len(self.indices)
            self.indices.append(index)
        return self._refs[index]

    def refs(self, indices: Iterable[int]) -> list[int]:
        return [self.ref(i) for i in indices]

    def __len__(self) -> int:
        return len(self.indices)


def layers_within_budget(stored: Iterable[int], layers: Sequence[Iterable[int]], capacity: int) -> int:
    """How many of `layers` (each the test indices of its top examples), taken whole and in order, fit with the
    `stored` images in a pool of at most `capacity` images; the first that does not fit ends the count."""
    images = set(int(i) for i in stored)
    for kept, layer in enumerate(layers):
        grown = images | {int(i) for i in np.asarray(layer).ravel()}
        if len(grown) > capacity:
            return kept
        images = grown
    return len(layers)


def encode_pixels(images: np.ndarray) -> dict:
    """uint8 images as the payload stores them: gzip-compressed, base64."""
    raw = np.ascontiguousarray(images, dtype=np.uint8).tobytes()
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    return {"encoding": "uint8", "compression": "gzip", "data": base64.b64encode(packed).decode("ascii")}


# ---- the payload ----


def top_layers(spec: dict) -> list[dict]:
    """The spec layers whose channels get top examples: conv, activation and pool layers of H x W x C output."""
    return [layer for layer in spec["layers"] if layer["kind"] in TOP_KINDS and len(layer["shape"]) == 3]


def output_function(spec: dict) -> str:
    last = spec["layers"][-1]
    return last["activation"] if last["kind"] == "dense" else last["function"]


def probabilities(scores: np.ndarray, function: str) -> np.ndarray:
    """The class probabilities of the model's outputs, as the page computes them (network/predictions.js): a
    linear output is logits, whose softmax it shows; any other output as it is."""
    if function != "linear":
        return scores
    shifted = scores.astype(np.float64) - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def history_summary(history: dict | None) -> dict | None:
    """The training curves of history.json, and when training stopped and why; None for a user's model."""
    if history is None:
        return None
    config = history.get("config") or {}
    epochs = {key: [float(v) for v in values] for key, values in (history.get("epochs") or {}).items()}
    best = history.get("weights_from_epoch")
    return {
        "epochs": epochs,
        "weights_from_epoch": int(best) if best is not None else None,
        "max_epochs": int(config["epochs"]) if config.get("epochs") is not None else None,
        "patience": int(config["patience"]) if config.get("patience") is not None else None,
    }


@dataclass(frozen=True)
class Predictions:
    """The model on the test split: each image's predicted class, the probability it gave that class (`confidence`),
    and the top examples of each channel of every top layer (in spec order)."""

    predicted: np.ndarray
    confidence: np.ndarray
    tops: dict[str, ChannelTop]


def predict_test_split(model, spec: dict, images: np.ndarray) -> Predictions:
    """`model`'s predictions for every image and the top examples of each channel of every top layer, from one pass
    a batch at a time (only each image's per-channel maxima are kept)."""
    import keras

    started = time.monotonic()
    layers = top_layers(spec)
    probe = keras.Model(
        inputs=model.inputs, outputs=[model.get_layer(layer["id"]).output for layer in layers] + list(model.outputs)
    )
    step = batch_size(spec)
    divisor = spec["input"]["pixel_divisor"]
    scores = []
    tops: dict[str, ChannelTop | None] = {layer["name"]: None for layer in layers}
    for start in range(0, len(images), step):
        outputs = probe.predict_on_batch(model_input(images[start : start + step], divisor))
        outputs = [np.asarray(o, dtype=np.float32) for o in outputs]
        for layer, output in zip(layers, outputs[:-1], strict=True):
            # one more than shown: an example tied with the next image is one of many, so it is not shown
            tops[layer["name"]] = merge_top(tops[layer["name"]], *channel_maxima(output), start, PER_CHANNEL + 1)
        scores.append(outputs[-1])
    scores = np.concatenate(scores)
    predicted = scores.argmax(axis=1)
    confidence = probabilities(scores, output_function(spec))[np.arange(len(predicted)), predicted]
    log.info("predicted %d test images in %.1f s", len(images), time.monotonic() - started)
    return Predictions(predicted, confidence, tops)  # type: ignore[arg-type]


def insights_payload(
    dataset: Dataset, predictions: Predictions, history: dict | None, budget_bytes: int = POOL_BUDGET
) -> dict:
    """The insights of the model's `predictions` on the test split of `dataset`, as docs/format.md describes: the
    selection, the pool and its budget; `history` is the training history (None for a user's model)."""
    images, classes = dataset.test.images, len(dataset.classes)
    labels = np.asarray(dataset.test.labels, dtype=np.int64)
    predicted = np.asarray(predictions.predicted, dtype=np.int64)
    confidence = predictions.confidence
    capacity = budget_bytes // int(np.prod(images.shape[1:]))
    mistakes = worst_mistakes(labels, predicted, confidence, min(MISTAKES, capacity))
    if capacity < MISTAKES:
        log.info("insights: at most %d mistakes fit the page's %d bytes of test images", capacity, budget_bytes)
    per_cell, cells = cells_within_budget(labels, predicted, confidence, classes, mistakes, capacity)
    if per_cell < CELL_EXAMPLES:
        log.info(
            "insights: %d examples per confusion cell instead of %d, to keep the page's test images within %d bytes",
            per_cell,
            CELL_EXAMPLES,
            budget_bytes,
        )
    pool = Pool()
    mistake_refs = pool.refs(mistakes)
    cell_refs = [[pool.refs(cell) for cell in row] for row in cells]

    top = top_examples(predictions.tops, pool, capacity, budget_bytes)
    chosen = np.asarray(pool.indices, dtype=np.int64)
    log.info(
        "insights: %d of %d test images stored for the page (%d bytes of pixels)",
        len(pool),
        len(labels),
        len(pool) * int(np.prod(images.shape[1:])),
    )
    return {
        "format": FORMAT,
        "dataset": dataset.name,
        "test_count": int(len(labels)),
        "accuracy": int((predicted == labels).sum()) / len(labels),
        "pool": {
            "count": len(pool),
            "test_index": [int(i) for i in chosen],
            "label": [int(labels[i]) for i in chosen],
            "predicted": [int(predicted[i]) for i in chosen],
            "confidence": [round(float(confidence[i]), 4) for i in chosen],
            "pixels": encode_pixels(images[chosen]),
        },
        "confusion": {"counts": confusion_counts(labels, predicted, classes).tolist(), "cells": cell_refs},
        "mistakes": mistake_refs,
        "top_examples": top,
        "history": history_summary(history),
    }


def picker_mistakes(insights: dict) -> dict:
    """The mistakes the picker offers (docs/format.md), with a pool of their own images: they are shown at first
    view, before the page has loaded the insights (their images are the pool's first)."""
    pool, count = insights["pool"], len(insights["mistakes"])
    if insights["mistakes"] != list(range(count)):
        raise ValueError("the mistakes must be the pool's first images")
    pixels = gzip.decompress(base64.b64decode(pool["pixels"]["data"]))
    size = len(pixels) // pool["count"] if pool["count"] else 0
    lists = ("test_index", "label", "predicted", "confidence")
    return {
        "pool": {
            "count": count,
            **{name: pool[name][:count] for name in lists},
            "pixels": encode_pixels(np.frombuffer(pixels[: count * size], dtype=np.uint8)),
        },
        "mistakes": list(range(count)),
    }


def top_examples(tops: dict[str, ChannelTop], pool: Pool, capacity: int, budget_bytes: int = POOL_BUDGET) -> dict:
    """The payload's top examples of each channel of the layers of `tops` (in spec order), their images added to
    `pool`: whole layers, in order, while the pool holds at most `capacity` images (`budget_bytes` of pixels)."""
    names = list(tops)
    shown = {name: distinct_top(tops[name]) for name in names}
    examples = [[tops[name].indices[ch][shown[name][ch]] for ch in range(len(shown[name]))] for name in names]
    kept = layers_within_budget(pool.indices, [np.concatenate(e) if e else [] for e in examples], capacity)
    if kept < len(names):
        log.info(
            "insights: the top examples of %d of %d layers (from '%s' on) are left out: their images would take "
            "the page's test images past %d bytes",
            len(names) - kept,
            len(names),
            names[kept],
            budget_bytes,
        )
    layers = {}
    for layer in names[:kept]:
        top = tops[layer]
        layers[layer] = [
            [
                [
                    pool.ref(top.indices[ch][j]),
                    significant(top.values[ch][j]),
                    int(top.rows[ch][j]),
                    int(top.cols[ch][j]),
                ]
                for j in shown[layer][ch]
            ]
            for ch in range(top.values.shape[0])
        ]
    return {"per_channel": PER_CHANNEL, "layers": layers, "left_out": names[kept:]}
