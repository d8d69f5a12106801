"""Sample images and every layer's output for them, encoded compactly for the page (docs/format.md)."""

from __future__ import annotations

import base64
import gzip

import numpy as np

from .model import model_input


def pick_samples(labels: np.ndarray, predicted: np.ndarray, count: int, num_classes: int, seed: int = 0) -> list[int]:
    """Indices of `count` examples: classes in turn, correctly classified ones first, deterministic."""
    order = np.random.default_rng(seed).permutation(len(labels))
    queues = []
    for cls in range(num_classes):
        members = order[labels[order] == cls]
        correct = members[predicted[members] == cls]
        wrong = members[predicted[members] != cls]
        queues.append(list(correct) + list(wrong))
    picked: list[int] = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(int(queue.pop(0)))
    return picked


def layer_outputs(model, spec: dict, images: np.ndarray) -> list[np.ndarray]:
    """Every spec layer's output (float32, batch first) for uint8 `images`, computed by Keras."""
    import keras

    names = [layer["name"] for layer in spec["layers"]]
    probe = keras.Model(inputs=model.inputs, outputs=[model.get_layer(n).output for n in names])
    outputs = probe.predict(model_input(images, spec["input"]["pixel_divisor"]), batch_size=256, verbose=0)
    return [np.asarray(o, dtype=np.float32) for o in outputs]


def derived_in_browser(layer: dict) -> bool:
    """Whether the page can recompute this layer's stored float16 output exactly from its input's.

    ReLU is max(0, x), max pooling a maximum, flatten keeps Keras's (row-major) order, dropout is
    the identity at inference: each commutes with rounding to float16, so storing them would add
    bytes and no information.
    """
    kind = layer["kind"]
    return (
        (kind == "activation" and layer["function"] == "relu")
        or (kind == "pool" and layer["op"] == "max")
        or kind in ("flatten", "dropout")
    )


def encode_float16(arrays: list[np.ndarray]) -> dict:
    """Arrays (batch first) interleaved per example, as gzip-compressed little-endian float16, base64."""
    count = len(arrays[0])
    blocks = [a.reshape(count, -1).astype("<f2") for a in arrays]
    raw = np.concatenate(blocks, axis=1).tobytes()
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    return {
        "encoding": "float16-le",
        "compression": "gzip",
        "data": base64.b64encode(packed).decode("ascii"),
    }


def samples_payload(
    model, spec: dict, images: np.ndarray, labels, indices: list[int], files: list[str] | None = None
) -> dict:
    """The `samples` part of the page payload for the examples at `indices` of `images`.

    A label may be None (class unknown, for images given with `--samples DIR`); `files` names each
    image's file (relative to that folder), in `indices` order.
    """
    chosen = images[indices]
    outputs = layer_outputs(model, spec, chosen)
    probabilities = outputs[-1]
    stored = [i for i, layer in enumerate(spec["layers"]) if not derived_in_browser(layer)]
    activations = encode_float16([outputs[i] for i in stored])
    activations["layers"] = [spec["layers"][i]["name"] for i in stored]
    items = [
        {"index": int(i), "label": None if labels[i] is None else int(labels[i]), "predicted": int(p.argmax())}
        for i, p in zip(indices, probabilities, strict=True)
    ]
    if files is not None:
        for item, name in zip(items, files, strict=True):
            item["file"] = name
    return {
        "count": len(indices),
        "items": items,
        "pixels": base64.b64encode(np.ascontiguousarray(chosen, dtype=np.uint8).tobytes()).decode("ascii"),
        "probabilities": [[float(v) for v in p] for p in probabilities],
        "activations": activations,
    }
