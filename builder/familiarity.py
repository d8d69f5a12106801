"""How familiar an image looks to the network: whether it is like the images it was trained on.

Measured on the shipped model with images that are not clothing (bench/unfamiliar.py), the top class's probability
hardly tells them apart from test images, and a distance in the last hidden layer's space misses most noise and
gradients (their features differ in its weakest directions only). What does: every hidden activation layer's
channels summed up, each map by its mean, its maximum and the share of its values above 0; an image's score is the
squared Mahalanobis distance of these statistics from the training images' (their mean and covariance), and it is
"unfamiliar" above the score of all but 4% of training images the fit did not see.

The page computes the same statistics from the activations it shows (frontend/src/network/familiarity.js). The
insights (data/insights.js, loaded after the first picture) store their mean and the Cholesky factor L of the
inverse covariance, lower triangle, float16: at most MAX_FEATURES statistics (channels of wide layers averaged in
groups), so at most 14.5 KB (19.4 KB as base64).
"""

from __future__ import annotations

import base64
import logging
import time

import numpy as np

from .budget import batch_size
from .model import model_input

log = logging.getLogger(__name__)

STATISTICS = ("mean", "max", "active")  # per channel map: its mean, its maximum, the share of its values above 0
MAX_FEATURES = 120  # 3 statistics of Tiny VGG's 4 x 10 channels
FIT_IMAGES = 5000  # training images whose statistics give the mean and covariance
CALIBRATION_IMAGES = 3000  # other training images, whose scores set the threshold
TEST_IMAGES = 4000  # test images whose scores give the rate the page quotes
QUANTILE = 0.96  # the share of unseen training images below the threshold
RIDGE = 1e-3  # added to the covariance's diagonal, times its mean variance: a channel never active stays finite
PER_FEATURE = 5  # at least this many fitting images per statistic


def feature_layers(spec: dict) -> list[dict]:
    """The spec layers whose channels are summed up: hidden activation layers with H x W x C outputs."""
    return [
        layer
        for layer in spec["layers"]
        if layer["kind"] == "activation" and layer["function"] != "softmax" and len(layer["shape"]) == 3
    ]


def channel_groups(channels: list[int], budget: int) -> list[int]:
    """How many groups each layer's channels are averaged in, so that 3 statistics of every group of every layer
    number at most `budget`; 0 for a layer left out (with more layers than the budget holds, evenly spaced ones
    are kept)."""
    per_layer = budget // (len(STATISTICS) * len(channels)) if channels else 0
    if per_layer >= 1:
        return [min(count, per_layer) for count in channels]
    kept = budget // len(STATISTICS)
    chosen = set(np.linspace(0, len(channels) - 1, kept).round().astype(int).tolist()) if kept else set()
    return [1 if index in chosen else 0 for index in range(len(channels))]


def statistics(outputs: list[np.ndarray], groups: list[int]) -> np.ndarray:
    """The statistics (N x features, float64) of a batch's `outputs` (one N x H x W x C array per feature layer):
    per layer, per statistic, per group of channels (channel c of C in group floor(c * g / C)) the group's mean."""
    columns = []
    for output, count in zip(outputs, groups, strict=True):
        if not count:
            continue
        output = np.asarray(output, dtype=np.float64)
        channels = output.shape[-1]
        member = (np.arange(channels) * count) // channels
        for values in (output.mean(axis=(1, 2)), output.max(axis=(1, 2)), (output > 0).mean(axis=(1, 2))):
            for group in range(count):
                columns.append(values[:, member == group].mean(axis=1))
    return np.stack(columns, axis=1)


def scores(features: np.ndarray, mean: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Squared Mahalanobis distances ||Lᵀ(f - mean)||² of each row of `features`, L the lower-triangular `factor`."""
    return (((features - mean) @ factor) ** 2).sum(axis=1)


def _triangle(factor: np.ndarray) -> np.ndarray:
    """The lower triangle of `factor`, row by row."""
    return factor[np.tril_indices(len(factor))]


def _from_triangle(values: np.ndarray, size: int) -> np.ndarray:
    factor = np.zeros((size, size))
    factor[np.tril_indices(size)] = values
    return factor


def familiarity(model, spec: dict, train: np.ndarray, test: np.ndarray, seed: int = 0) -> dict | None:
    """The spec's `familiarity` (docs/format.md) for `model` (the explained model) from uint8 `train` and `test`
    images; None when the model has no hidden activation layer or there are too few training images."""
    layers = feature_layers(spec)
    if not layers or len(train) < 60:
        return None
    started = time.monotonic()
    order = np.random.default_rng(seed).permutation(len(train))
    fit_count = min(FIT_IMAGES, (2 * len(train)) // 3)
    fitting, calibrating = order[:fit_count], order[fit_count : fit_count + CALIBRATION_IMAGES]
    groups = channel_groups([layer["shape"][-1] for layer in layers], min(MAX_FEATURES, fit_count // PER_FEATURE))
    if not any(groups):
        return None
    features = _feature_pass(model, spec, layers, groups)
    fitted = features(train, np.sort(fitting))
    mean = np.array([float(f"{v:.7g}") for v in fitted.mean(axis=0)])
    covariance = np.atleast_2d(np.cov(fitted, rowvar=False))
    size = len(covariance)
    covariance += RIDGE * max(np.trace(covariance) / size, 1e-12) * np.eye(size)
    factor = np.linalg.cholesky(np.linalg.inv(covariance))
    triangle = _triangle(factor).astype("<f2")
    if not np.all(np.isfinite(triangle)):
        log.info("familiarity: left out, the statistics' covariance is too ill-conditioned to store")
        return None
    stored = _from_triangle(triangle.astype(np.float64), size)
    threshold = float(np.quantile(scores(features(train, np.sort(calibrating)), mean, stored), QUANTILE))
    threshold = float(f"{threshold:.7g}")
    held_out = (test, np.arange(min(TEST_IMAGES, len(test)))) if len(test) else (train, np.sort(calibrating))
    rate = float((scores(features(*held_out), mean, stored) > threshold).mean())
    log.info(
        "familiarity: %d statistics of %d layers, %.1f%% of %d held-out images above the threshold (%.1f s)",
        size,
        sum(1 for g in groups if g),
        100 * rate,
        len(held_out[1]),
        time.monotonic() - started,
    )
    return {
        "layers": [{"name": layer["name"], "groups": count} for layer, count in zip(layers, groups, strict=True)],
        "statistics": list(STATISTICS),
        "mean": mean.tolist(),
        "factor": {"encoding": "float16-le", "data": base64.b64encode(triangle.tobytes()).decode("ascii")},
        "threshold": threshold,
        "quantile": QUANTILE,
        "held_out_rate": rate,
        "held_out_count": int(len(held_out[1])),
        "held_out": "test" if len(test) else "train",
    }


def _feature_pass(model, spec: dict, layers: list[dict], groups: list[int]):
    """A function of uint8 images and the indices of those to summarise -> their statistics, computed by Keras a
    batch at a time (each batch copied out of the images on its own: memory stays that of a batch)."""
    import keras

    probe = keras.Model(inputs=model.inputs, outputs=[model.get_layer(layer["id"]).output for layer in layers])
    step = batch_size(spec)
    divisor = spec["input"]["pixel_divisor"]

    def features(images: np.ndarray, indices: np.ndarray) -> np.ndarray:
        parts = []
        for start in range(0, len(indices), step):
            outputs = probe.predict_on_batch(model_input(images[indices[start : start + step]], divisor))
            outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
            parts.append(statistics(outputs, groups))
        return np.concatenate(parts)

    return features


def decode(recipe: dict) -> tuple[np.ndarray, np.ndarray]:
    """The `familiarity` recipe's mean and factor L (float64), as the page reads them."""
    mean = np.asarray(recipe["mean"], dtype=np.float64)
    values = np.frombuffer(base64.b64decode(recipe["factor"]["data"]), dtype="<f2").astype(np.float64)
    return mean, _from_triangle(values, len(mean))
