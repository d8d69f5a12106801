"""Browser fixtures: the default explainer built once, Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from testkit.chromium import ARTIFACTS, browser_activations, launch, screenshot  # noqa: F401 (the tests import them)
from testkit.site import Site, build_site


def with_random_biases(model, seed: int):
    """`model` with every bias drawn at random (Keras initialises them to 0, which would hide a lost bias)."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        weights = layer.get_weights()
        if len(weights) == 2:
            kernel, bias = weights
            layer.set_weights([kernel, rng.normal(0, 0.2, bias.shape).astype(np.float32)])
    return model


def build_generated_site(
    work: Path, model, seed: int, size: int, classes: int = 3, samples: int = 2, per_class: int = 6
) -> Site:
    """Build an explainer of `model` (given random biases, saved as .keras) on a generated RGB image folder of
    `per_class` images a class."""
    from testkit.images import write_image_folder

    with_random_biases(model, seed).save(work / "m.keras")
    write_image_folder(work / "data", classes, per_class=per_class, size=size, grey=False)
    return build_site(work / "dist", model=work / "m.keras", data=work / "data", samples=samples)


def build_sample_sites(tmp_path_factory, models: dict, seed: int) -> dict:
    """Each of `models` (name -> model) given random biases and built with --model and --samples alone (3 generated
    images of its input size), with its Keras outputs for them: {name: (site, expected)}."""
    from testkit.images import write_image_folder

    built = {}
    for name, model in models.items():
        work = tmp_path_factory.mktemp(name)
        with_random_biases(model, seed=seed).save(work / "m.keras")
        size = int(model.inputs[0].shape[1])
        (folder,) = [work / "samples" / n for n in write_image_folder(work / "samples", 1, per_class=3, size=size)]
        site = build_site(work / "dist", model=work / "m.keras", samples=folder)
        built[name] = (site, site.keras_outputs(site.pixels))
    return built


def apply_edits(page, edits: list[dict]) -> None:
    """Make `edits` (the page's: {layer, weight, index, value} or {layer, silence}) through window.explainer."""
    for edit in edits:
        if "silence" in edit:
            page.evaluate("([l, c]) => explainer.silence(l, c, true)", [edit["layer"], edit["silence"]])
        elif edit["weight"] == "bias":
            page.evaluate("([l, c, v]) => explainer.setBias(l, c, v)", [edit["layer"], edit["index"], edit["value"]])
        else:
            page.evaluate("([l, i, v]) => explainer.setWeight(l, i, v)", [edit["layer"], edit["index"], edit["value"]])


def attention_equals_gradient_tape(page, site: Site, sample: int, maps: str, classes: int = 2) -> None:
    """Assert that the page's saliency and Grad-CAM of sample `sample` (selected here), for its first `classes`
    classes, equal tf.GradientTape's on the original model (testkit/reference.py), Grad-CAM on layer `maps`."""
    from testkit.reference import grad_cam, logit_gradient, scaled_pixels

    page.evaluate("(i) => window.explainer.selectSample(i)", sample)
    x = scaled_pixels(site.pixels[sample : sample + 1], site.spec["input"]["pixel_divisor"])
    for class_index in range(classes):
        saliency = page.evaluate("(c) => window.explainer.saliency(c).then((s) => Array.from(s.data))", class_index)
        expected = logit_gradient(site.model, x, class_index)
        scale = max(1.0, float(np.abs(expected).max()))
        assert float(np.abs(np.reshape(saliency, expected.shape) - expected).max()) <= 1e-4 * scale
        cam = page.evaluate(
            "(c) => window.explainer.gradCam(c).then((g) => ({layer: g.layer, data: Array.from(g.data)}))", class_index
        )
        assert cam["layer"] == maps
        expected_cam = grad_cam(site.model, x, class_index, maps)
        scale = max(1.0, float(np.abs(expected_cam).max()))
        assert float(np.abs(np.reshape(cam["data"], expected_cam.shape) - expected_cam).max()) <= 1e-4 * scale


def open_sites(browser, sites: dict) -> dict:
    """A ready page of each of `sites` (build_sample_sites'), its PageLog as `page.log`: {name: page}."""
    opened = {}
    for name, (site, _) in sites.items():
        page, log = open_page(browser, (site.path / "index.html").as_uri())
        wait_ready(page)
        page.log = log
        opened[name] = page
    return opened


@pytest.fixture(scope="module")
def pages(browser, sites):
    """A ready page of each site of the module's `sites` fixture (build_sample_sites'): {name: page}."""
    opened = open_sites(browser, sites)
    yield opened
    for page in opened.values():
        page.context.close()


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
