"""Dev tool: a site of a randomly initialised Tiny VGG-like network on synthetic images, made by the builder itself
(so it is always in the current format), to develop the front end on other shapes than the default model's.

    .venv/bin/python frontend/dev/make_fake_site.py --out /tmp/fake [--blocks 2] [--filters 10] [--channels 1]
        [--size 28] [--classes 10] [--samples 10] [--hidden 0] [--padding same] [--seed 0]

Then open /tmp/fake/index.html. Never shipped.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def fake_model(blocks: int, filters: int, channels: int, size: int, classes: int, hidden: int, padding: str, seed: int):
    """Tiny VGG's shape at other sizes: `blocks` of two Conv2D(`filters`) with ReLU and max pooling, an optional
    hidden Dense, and a softmax over `classes`; random weights and biases (biases at 0 would hide a lost one)."""
    import keras
    import numpy as np
    from keras import layers

    keras.utils.set_random_seed(seed)
    stack = [keras.Input((size, size, channels))]
    for b in range(1, blocks + 1):
        for k in (1, 2):
            stack.append(layers.Conv2D(filters, 3, padding=padding, activation="relu", name=f"conv_{b}_{k}"))
        stack.append(layers.MaxPooling2D(2, name=f"max_pool_{b}"))
    stack.append(layers.Flatten(name="flatten"))
    if hidden:
        stack.append(layers.Dense(hidden, activation="relu", name="hidden"))
    stack.append(layers.Dense(classes, activation="softmax", name="output"))
    model = keras.Sequential(stack, name="tiny_vgg")
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        weights = layer.get_weights()
        if len(weights) == 2:
            layer.set_weights([weights[0], rng.normal(0, 0.1, weights[1].shape).astype(np.float32)])
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/cnn-explain-fake"))
    for name, default in (("blocks", 2), ("filters", 10), ("channels", 1), ("size", 28), ("classes", 10)):
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--hidden", type=int, default=0)
    parser.add_argument("--padding", choices=("same", "valid"), default="same")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from builder.build import BuildOptions, build
    from testkit.images import write_image_folder

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        model = fake_model(
            args.blocks, args.filters, args.channels, args.size, args.classes, args.hidden, args.padding, args.seed
        )
        model.save(work / "fake.keras")
        per_class = max(1, -(-args.samples // args.classes))
        write_image_folder(work / "samples", args.classes, per_class=per_class, size=args.size, grey=args.channels == 1)
        build(BuildOptions(out=args.out, model=work / "fake.keras", samples=work / "samples", cache=ROOT / ".cache"))
    print(f"open {args.out / 'index.html'}")


if __name__ == "__main__":
    main()
