"""Every layer's output for the sample images, encoded compactly for the page (docs/format.md)."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterator

import numpy as np

from .budget import batch_size
from .model import model_input, predict


def layer_batches(model, spec: dict, images: np.ndarray) -> Iterator[list[np.ndarray]]:
    """Every spec layer's output (float32, batch first) for uint8 `images`, computed by Keras a batch at a time:
    as many images as keep their activations within the budget (budget.batch_size)."""
    import keras

    probe = keras.Model(inputs=model.inputs, outputs=[model.get_layer(layer["id"]).output for layer in spec["layers"]])
    step = batch_size(spec)
    for start in range(0, len(images), step):
        outputs = probe.predict_on_batch(model_input(images[start : start + step], spec["input"]["pixel_divisor"]))
        yield [np.asarray(o, dtype=np.float32) for o in outputs]


def derived_in_browser(layer: dict) -> bool:
    """Whether the page can recompute this layer's stored float16 output exactly from its input's.

    ReLU is max(0, x), max pooling a maximum, flatten keeps Keras's (row-major) order, dropout is
    the identity at inference: each commutes with rounding to float16, so storing them would add
    bytes and no information. A layer that reads the model's input is stored all the same: the page
    derives layers from stored ones, and the input is pixels, not a stored layer.
    """
    kind = layer["kind"]
    return layer["input"] != "input" and (
        (kind == "activation" and layer["function"] == "relu")
        or (kind == "pool" and layer["op"] == "max")
        or kind in ("flatten", "dropout")
    )


def float16_block(arrays: list[np.ndarray]) -> bytes:
    """Arrays (batch first) interleaved per example, as little-endian float16 bytes."""
    count = len(arrays[0])
    return np.concatenate([a.reshape(count, -1).astype("<f2") for a in arrays], axis=1).tobytes()


def encode(raw: bytes) -> dict:
    """Float16 bytes as the payload stores them: gzip-compressed, base64."""
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    return {"encoding": "float16-le", "compression": "gzip", "data": base64.b64encode(packed).decode("ascii")}


def samples_payload(
    model, spec: dict, images: np.ndarray, labels, indices: list[int], files: list[str] | None = None
) -> dict:
    """The `samples` part of the page payload for the examples at `indices` of `images`.

    The page's first picture is of the first sample, before TF.js has loaded, so only that sample's layers are
    stored; the page computes every other image itself. The payload so grows with the samples' pixels, not with
    the model's width.

    `model` is the explained model (expand.py), whose layers are named by the spec's ids. A label may be None
    (class unknown, for images given with `--samples DIR`); `files` names each image's file (relative to that
    folder), in `indices` order.
    """
    chosen = images[indices]
    stored = [i for i, layer in enumerate(spec["layers"]) if not derived_in_browser(layer)]
    first = next(layer_batches(model, spec, chosen[:1]))
    activations = encode(float16_block([first[i] for i in stored]))
    activations["layers"] = [spec["layers"][i]["name"] for i in stored]
    activations["count"] = 1
    scores = predict(model, chosen, spec["input"]["pixel_divisor"], batch_size(spec))
    items = [
        {"index": int(i), "label": None if labels[i] is None else int(labels[i]), "predicted": int(p.argmax())}
        for i, p in zip(indices, scores, strict=True)
    ]
    if files is not None:
        for item, name in zip(items, files, strict=True):
            item["file"] = name
    return {
        "count": len(indices),
        "items": items,
        "pixels": base64.b64encode(np.ascontiguousarray(chosen, dtype=np.uint8).tobytes()).decode("ascii"),
        "probabilities": [[float(v) for v in p] for p in scores],
        "activations": activations,
    }
