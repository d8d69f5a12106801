"""Browser fixtures: the default explainer built once, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from testkit.chromium import ARTIFACTS, ROOT, launch


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
        import json

        return json.loads((self.model_file.parent / "history.json").read_text(encoding="utf-8"))

    def keras_outputs(self, images: np.ndarray) -> dict[str, np.ndarray]:
        """Every spec layer's output for `images` (plus 'input'), computed from the original Keras model
        (testkit/reference.py), never through the builder."""
        from testkit.reference import reference_outputs

        return reference_outputs(self.model, self.spec, images)


def build_site(out: Path, **options) -> Site:
    """Build an explainer in-process (the model cache is the project's .cache); the model is read back from its
    file with Keras, and the sample pixels from the page's payload."""
    import json

    import keras

    from builder.build import BuildOptions, build

    result = build(BuildOptions(out=out, cache=ROOT / ".cache", **options))
    text = (out / "data" / "explainer.js").read_text(encoding="utf-8")
    payload = json.loads(text[len("window.CNN_EXPLAIN=") :].rstrip().rstrip(";"))
    spec = payload["spec"]
    shape = [payload["samples"]["count"], *spec["input"]["shape"]]
    pixels = np.frombuffer(base64.b64decode(payload["samples"]["pixels"]), np.uint8).reshape(shape)
    return Site(out, keras.saving.load_model(result.model_file, compile=False), spec, pixels, result.model_file)


def with_random_biases(model, seed: int):
    """`model` with every bias drawn at random (Keras initialises them to 0, which would hide a lost bias)."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        weights = layer.get_weights()
        if len(weights) == 2:
            kernel, bias = weights
            layer.set_weights([kernel, rng.normal(0, 0.2, bias.shape).astype(np.float32)])
    return model


def build_generated_site(work: Path, model, seed: int, size: int, classes: int = 3, samples: int = 2) -> Site:
    """Build an explainer of `model` (given random biases, saved as .keras) on a generated RGB image folder."""
    from testkit.images import write_image_folder

    with_random_biases(model, seed).save(work / "m.keras")
    write_image_folder(work / "data", classes, per_class=6, size=size, grey=False)
    return build_site(work / "dist", model=work / "m.keras", data=work / "data", samples=samples)


@pytest.fixture(scope="session")
def default_site(tmp_path_factory) -> Site:
    """The default explainer (Tiny VGG on Fashion-MNIST), built once per test session."""
    return build_site(tmp_path_factory.mktemp("default") / "dist")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


class QuietHandlerServer:
    """A loopback http server for one folder, in a thread."""

    def __init__(self, folder: Path):
        import functools
        import http.server

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def default_http(default_site):
    server = QuietHandlerServer(default_site.path)
    yield server.url
    server.close()


@dataclass
class PageLog:
    """What a page did that a test may assert on."""

    errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


def open_page(browser, url: str, viewport=(1400, 900), init_script: str | None = None):
    """A new page at `url` whose console errors and requests to other hosts are recorded; `init_script` runs in it
    before the page's own scripts."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    if init_script:
        page.add_init_script(init_script)
    log = PageLog()
    page.on("console", lambda message: message.type == "error" and log.errors.append(message.text))
    page.on("pageerror", lambda error: log.errors.append(str(error)))

    def on_request(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("file", "data", "blob") or parsed.hostname == "127.0.0.1":
            return
        log.foreign_requests.append(request.url)

    page.on("request", on_request)
    page.goto(url)
    return page, log


def wait_ready(page) -> None:
    page.wait_for_function("() => window.explainer && window.explainer.ready", timeout=30_000)
    page.evaluate("window.explainer.ready.then(() => true)")


# A layer's float32 values as base64: a wide layer's quarter of a million numbers cross over in a fraction of the time
# a JSON array takes, and bit for bit.
ACTIVATIONS_BASE64 = """(name) => {
  const { shape, data } = window.explainer.activations(name);
  if (!(data instanceof Float32Array)) throw new Error(`layer ${name} holds ${data.constructor.name}, not float32`);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { shape, data: btoa(text) };
}"""


def browser_activations(page, name: str) -> tuple[list[int], np.ndarray]:
    result = page.evaluate(ACTIVATIONS_BASE64, name)
    return result["shape"], np.frombuffer(base64.b64decode(result["data"]), dtype="<f4")


def screenshot(page, name: str) -> Path:
    """Save a screenshot under artifacts/ (kept for people to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
