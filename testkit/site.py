"""A built site as the tests read it: its payload (data/explainer.js) and insights (data/insights.js) as the page
reads them (docs/format.md), and a site built in-process with the Keras model it explains."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PAYLOAD = "CNN_EXPLAIN"  # data/explainer.js assigns window.CNN_EXPLAIN
INSIGHTS = "CNN_EXPLAIN_INSIGHTS"  # data/insights.js assigns window.CNN_EXPLAIN_INSIGHTS
PREFIX = f"window.{PAYLOAD}="


def read_script(path: Path, variable: str = PAYLOAD) -> dict:
    """The JSON that the classic script at `path` assigns to window.<variable>, checked to be that one assignment."""
    text = Path(path).read_text(encoding="utf-8")
    prefix = f"window.{variable}="
    if not text.startswith(prefix) or not text.endswith(";\n"):
        raise ValueError(f"{path} is not one assignment to window.{variable}")
    return json.loads(text[len(prefix) : -2])


def read_payload(site: Path) -> dict:
    """The payload of the site in folder `site`: the JSON that data/explainer.js assigns to window.CNN_EXPLAIN."""
    return read_script(Path(site) / "data" / "explainer.js", PAYLOAD)


def read_insights(site: Path) -> dict:
    """The insights of the site in folder `site`: the JSON that data/insights.js assigns to window.CNN_EXPLAIN_INSIGHTS."""
    return read_script(Path(site) / "data" / "insights.js", INSIGHTS)


def sample_pixels(payload: dict) -> np.ndarray:
    """The payload's sample images: uint8, count x H x W x C."""
    shape = [payload["samples"]["count"], *payload["spec"]["input"]["shape"]]
    return np.frombuffer(base64.b64decode(payload["samples"]["pixels"]), np.uint8).reshape(shape)


@dataclass
class Site:
    """A built explainer with the user's (or the trained) Keras model it explains."""

    path: Path
    model: object
    spec: dict
    pixels: np.ndarray  # the sample images, uint8, N x H x W x C
    model_file: Path | None = None  # the model the site explains: the user's --model, or the trained one

    @property
    def history(self) -> dict:
        """The training history beside the model file (as `cnn-explain train` writes it)."""
        return json.loads((self.model_file.parent / "history.json").read_text(encoding="utf-8"))

    def keras_outputs(self, images: np.ndarray) -> dict[str, np.ndarray]:
        """Every spec layer's output for `images` (plus 'input'), computed from the original Keras model
        (reference.py), never through the builder."""
        from .reference import reference_outputs

        return reference_outputs(self.model, self.spec, images)


def build_site(out: Path, **options) -> Site:
    """Build an explainer in-process with builder.build's BuildOptions `options` (the model cache is the project's
    .cache); the model is read back from its file with Keras, and the spec and sample pixels from the page's
    payload."""
    import keras

    from builder.build import BuildOptions, build

    from .chromium import ROOT

    result = build(BuildOptions(out=out, cache=ROOT / ".cache", **options))
    payload = read_payload(out)
    model = keras.saving.load_model(result.model_file, compile=False)
    return Site(out, model, payload["spec"], sample_pixels(payload), result.model_file)
