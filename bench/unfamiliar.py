"""How often the page says an image "does not look like anything the network was trained on"
(builder/familiarity.py): on held-out test images (the false alarms; target at most 5%) and on images that are not
clothing (testkit/unfamiliar.py; target at least half), per family.

    .venv/bin/python -m bench.unfamiliar            # the default site (Tiny VGG on Fashion-MNIST)
    .venv/bin/python -m bench.unfamiliar --own      # an own-data model: coloured shapes, 32x32 RGB, trained here

Builds the site with the CLI, reads the recipe the page uses from its data/insights.js, and computes the statistics
of every image with the Keras model the site explains, layer by layer. For comparison it also prints what the top
class's probability flags at the same rate of false alarms.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from testkit.cli import CLI
from testkit.images import write_image_folder
from testkit.site import read_insights, read_payload
from testkit.unfamiliar import FAMILIES, families


def layer_outputs(model, names: list[str], images: np.ndarray, divisor: float) -> tuple[list[np.ndarray], np.ndarray]:
    """The outputs of the layers `names` and the model's last output, applying its layers one after the other."""
    x = images.astype(np.float32) / np.float32(divisor)
    outputs = {}
    for start in range(0, len(x), 500):
        value = x[start : start + 500]
        for layer in model.layers:
            value = layer(value, training=False)
            if layer.name in names or layer is model.layers[-1]:
                outputs.setdefault(layer.name, []).append(np.asarray(value))
    joined = {name: np.concatenate(parts) for name, parts in outputs.items()}
    return [joined[name] for name in names], joined[model.layers[-1].name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--own", action="store_true", help="an own-data model instead of the default site")
    args = parser.parse_args()
    from cnn_explain.datasets import load_dataset
    from cnn_explain.familiarity import decode, scores, statistics
    from cnn_explain.quiet import import_tensorflow

    import_tensorflow()
    import keras

    with tempfile.TemporaryDirectory(prefix="unfamiliar-") as scratch:
        work = Path(scratch)
        command = [str(CLI), "build", "--cache", "cache", "--out", "site"]
        if args.own:
            write_image_folder(work / "data", 5, per_class=240, size=32)
            command += ["--data", "data"]
        result = subprocess.run(command, cwd=work, capture_output=True, text=True)
        if result.returncode:
            sys.exit(f"build failed:\n{result.stderr}")
        recipe = read_insights(work / "site")["familiarity"]
        spec = read_payload(work / "site")["spec"]
        if args.own:
            (model_file,) = (work / "cache").glob("models/*/model.keras")
            dataset = load_dataset(work / "data")
        else:
            (model_file,) = Path(__file__).parents[1].glob("builder/pretrained/*/model.keras")
            dataset = load_dataset(None)
        model = keras.models.load_model(model_file)
        names = [layer["name"] for layer in recipe["layers"]]
        groups = [layer["groups"] for layer in recipe["layers"]]
        mean, factor = decode(recipe)
        divisor = spec["input"]["pixel_divisor"]

        def measure(images):
            outputs, last = layer_outputs(model, names, images, divisor)
            if spec["layers"][-1].get("activation") != "softmax":  # class scores: their softmax
                last = np.exp(last - last.max(axis=1, keepdims=True))
                last /= last.sum(axis=1, keepdims=True)
            return scores(statistics(outputs, groups), mean, factor), last.max(axis=1)

        threshold = recipe["threshold"]
        test_scores, test_top = measure(dataset.test.images)
        top_threshold = np.quantile(test_top, (test_scores > threshold).mean())
        height, width, channels = dataset.image_shape
        print(
            f"model: {spec['name']}, {height}x{width}x{channels}; recipe: {len(mean)} statistics of {len(names)} layers"
        )
        print(f"  threshold {threshold:.1f} (the {recipe['quantile']:.0%} quantile of unseen training images)")
        print(
            f"held-out test images warned: {(test_scores > threshold).mean():.1%} of {len(test_scores)} (target <= 5%)"
        )
        print("images that are not clothing warned (Mahalanobis | top probability at the same false-alarm rate):")
        flagged = []
        for name, images in families(height, channels, 200).items():
            family_scores, family_top = measure(images)
            flagged.append(family_scores > threshold)
            print(
                f"  {name:10s} {flagged[-1].mean():6.1%} | {(family_top < top_threshold).mean():6.1%}  ({len(images)})"
            )
        print(f"  {'all':10s} {np.concatenate(flagged).mean():6.1%}  (target >= 50%; families: {', '.join(FAMILIES)})")


if __name__ == "__main__":
    main()
