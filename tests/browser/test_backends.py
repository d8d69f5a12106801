"""TF.js's two backends on the models they are chosen for: the wide model (3 blocks of two Conv2D(64) at 64x64x3,
where --backend auto picks WebAssembly) and Tiny VGG (auto: cpu, so its site carries no WebAssembly; built here
with --backend wasm too). Every layer equals the original Keras model within 1e-4 on each backend, including where
the page has to fall back to cpu: a browser without WebAssembly, or a CSP that forbids compiling it.
"""

from __future__ import annotations

import numpy as np
import pytest

from testkit.images import write_image_folder
from testkit.models import wide_model
from testkit.site import read_payload

from .conftest import browser_activations, build_site, open_page, wait_ready, with_random_biases

pytestmark = pytest.mark.browser

TOLERANCE = 1e-4
NO_WEBASSEMBLY = "delete window.WebAssembly"


@pytest.fixture(scope="module")
def wide_site(tmp_path_factory):
    import keras

    work = tmp_path_factory.mktemp("wide")
    keras.utils.set_random_seed(3)
    with_random_biases(wide_model(classes=4), seed=3).save(work / "wide.keras")
    write_image_folder(work / "data", 4, per_class=5, size=64, grey=False)
    site = build_site(work / "dist", model=work / "wide.keras", data=work / "data", samples=2)
    return site, site.keras_outputs(site.pixels)


@pytest.fixture(scope="module")
def tiny_vgg_on_wasm(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("tiny-wasm") / "dist", samples=3, backend="wasm")
    return site, site.keras_outputs(site.pixels)


def assert_every_layer_equals_keras(built, page, samples) -> None:
    site, expected = built
    for index in samples:
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        for name in ["input", *(layer["name"] for layer in site.spec["layers"])]:
            shape, values = browser_activations(page, name)
            assert shape == list(expected[name].shape[1:]), name
            difference = float(np.abs(values - expected[name][index].ravel()).max())
            assert difference <= TOLERANCE, f"sample {index}, layer {name}: max abs difference {difference}"


def test_a_wide_model_gets_the_webassembly_backend_and_equals_keras(browser, wide_site):
    site, _ = wide_site
    assert (site.path / "wasm.js").is_file()
    page, log = open_page(browser, (site.path / "index.html").as_uri())
    wait_ready(page)
    assert page.evaluate("window.explainer.backend") == "wasm"
    assert_every_layer_equals_keras(wide_site, page, [0, 1])
    assert log.errors == [] and log.foreign_requests == []
    page.context.close()


def test_without_webassembly_the_wide_model_runs_on_cpu_and_equals_keras(browser, wide_site):
    site, _ = wide_site
    page, log = open_page(browser, (site.path / "index.html").as_uri(), init_script=NO_WEBASSEMBLY)
    wait_ready(page)
    assert page.evaluate("window.explainer.backend") == "cpu"
    assert_every_layer_equals_keras(wide_site, page, [1])
    assert log.errors == []
    page.context.close()


def test_a_csp_that_forbids_compiling_webassembly_falls_back_to_cpu(browser, wide_site):
    index = wide_site[0].path / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "script-src 'self' 'wasm-unsafe-eval'; connect-src blob: http: https:;" in html
    strict = html.replace(" 'wasm-unsafe-eval'", "")
    context = browser.new_context()
    context.route(index.as_uri(), lambda route: route.fulfill(body=strict, content_type="text/html"))
    page = context.new_page()
    page.goto(index.as_uri())
    wait_ready(page)
    assert page.evaluate("window.explainer.backend") == "cpu"
    assert_every_layer_equals_keras(wide_site, page, [0])
    context.close()


def test_tiny_vgg_on_webassembly_equals_keras(browser, tiny_vgg_on_wasm):
    page, log = open_page(browser, (tiny_vgg_on_wasm[0].path / "index.html").as_uri())
    wait_ready(page)
    assert page.evaluate("window.explainer.backend") == "wasm"
    assert_every_layer_equals_keras(tiny_vgg_on_wasm, page, [0, 1, 2])
    assert log.errors == []
    page.context.close()


def test_tiny_vgg_by_default_runs_on_cpu_and_carries_no_webassembly(browser, default_site):
    assert not (default_site.path / "wasm.js").exists()
    html = (default_site.path / "index.html").read_text(encoding="utf-8")
    assert "wasm-unsafe-eval" not in html and "blob:" not in html.split("connect-src")[1].split(";")[0]
    assert "wasm" not in read_payload(default_site.path)
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    assert page.evaluate("window.explainer.backend") == "cpu"
    assert log.errors == []
    page.context.close()
