"""Bring your own data, end to end: generated image folders (grey and RGB), the real
`cnn-explain build --data DIR` (training Tiny VGG for one epoch), and the page in Chromium from file://.
Also: class names that look like HTML are shown as text and never run.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from testkit.chromium import build_article
from testkit.cli import run
from testkit.images import write_image_folder
from testkit.site import read_payload, sample_pixels

from .conftest import Site, browser_activations, open_page, screenshot, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.integration]

HOSTILE = ["<img src=x onerror=alert(1)>", '<img src=x onerror="window.__pwned=1">', 'plain & "quoted"']


def cli_site(
    work: Path, classes, size: int, grey: bool, per_class: int = 16
) -> tuple[Site, subprocess.CompletedProcess]:
    """Generate a dataset, build it with the real CLI (one epoch of training), and load what it built."""
    import keras

    write_image_folder(work / "data", classes, per_class=per_class, size=size, grey=grey)
    result = run(
        "build", "--data", "data", "--epochs", "1", "--samples", "4", "--cache", "cache", "--out", "site", cwd=work
    )
    assert result.returncode == 0, result.stderr
    payload = read_payload(work / "site")
    (model_file,) = (work / "cache").glob("models/*/model.keras")
    model = keras.saving.load_model(model_file, compile=False)
    return Site(work / "site", model, payload["spec"], sample_pixels(payload)), result


@dataclass
class Opened:
    site: Site
    page: object
    log: object
    stderr: str


@pytest.fixture(scope="module", params=["grey", "rgb"])
def trained(request, browser, tmp_path_factory):
    grey = request.param == "grey"
    work = tmp_path_factory.mktemp(f"own-data-{request.param}")
    site, result = cli_site(work, 3, size=20 if grey else 24, grey=grey)
    page, log = open_page(browser, (site.path / "index.html").as_uri())
    wait_ready(page)
    yield Opened(site, page, log, result.stderr)
    page.context.close()


def test_cli_reads_the_folder_as_grey_or_colour(trained):
    channels = trained.site.spec["input"]["shape"][2]
    assert "training Tiny VGG on data" in trained.stderr
    assert f"read 48 {'grey' if channels == 1 else 'colour'} images of 3 classes" in trained.stderr
    assert trained.site.spec["classes"] == ["disc", "square", "triangle"]


def test_page_loads_without_console_errors(trained):
    assert trained.log.errors == []
    assert trained.log.foreign_requests == []


def test_the_test_set_sections_appear_for_own_data(trained):
    page = trained.page
    test_count = page.evaluate("window.explainer.insights().then((insights) => insights.testCount)")
    build_article(page)
    page.wait_for_selector('[data-testid="confusion-matrix"] [data-count]')
    counts = page.eval_on_selector_all(
        '[data-testid="confusion-matrix"] [data-count]', "nodes => nodes.map((n) => Number(n.dataset.count))"
    )
    assert len(counts) == 9 and sum(counts) == test_count > 0
    page.wait_for_selector('[data-testid="training-curves"]', state="attached")
    # textContent: innerText is empty while the article's section is off screen (content-visibility: auto)
    assert "Trained for all 1 epoch" in page.locator('[data-testid="training-curves"]').text_content()


def test_one_neuron_element_per_channel_of_every_layer(trained):
    spec = trained.site.spec
    for layer in [{"name": "input", "shape": spec["input"]["shape"]}, *spec["layers"]]:
        if len(layer["shape"]) != 3:
            continue
        neurons = trained.page.eval_on_selector_all(
            f'[data-layer="{layer["name"]}"][data-neuron]', "els => els.map(e => Number(e.dataset.neuron))"
        )
        assert sorted(neurons) == list(range(layer["shape"][2])), layer["name"]


def test_prediction_and_every_layer_equal_keras(trained):
    site, page = trained.site, trained.page
    expected = site.keras_outputs(site.pixels)
    classes = site.spec["classes"]
    for index in range(len(site.pixels)):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        shown = page.locator('[data-testid="prediction"]').inner_text().strip()
        assert shown == classes[int(expected["output"][index].argmax())]
        for name in ["input", *(layer["name"] for layer in site.spec["layers"])]:
            _, values = browser_activations(page, name)
            difference = float(np.abs(values - expected[name][index].ravel()).max())
            assert difference <= 1e-4, f"sample {index}, layer {name}: max abs difference {difference}"


@pytest.fixture(scope="module")
def hostile(browser, tmp_path_factory):
    """A site whose class names (folder names) are HTML that would run script if parsed."""
    work = tmp_path_factory.mktemp("hostile")
    site, _ = cli_site(work, HOSTILE, size=12, grey=False, per_class=10)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site.path / "index.html").as_uri())
    wait_ready(page)
    yield site, page, dialogs, errors
    context.close()


def test_class_names_that_look_like_html_are_shown_as_text(hostile):
    site, page, _, _ = hostile
    assert site.spec["classes"] == sorted(HOSTILE)
    rows = page.eval_on_selector_all(".class-row", "rows => rows.map(r => [r.dataset.class, r.innerText])")
    assert sorted(cls for cls, _ in rows) == sorted(HOSTILE)
    for cls, text in rows:
        assert cls in text, (cls, text)
    labels = page.eval_on_selector_all("#picker button", "els => els.map(e => e.getAttribute('aria-label'))")
    for name in HOSTILE:
        assert any(name in label for label in labels), (name, labels)
    assert all(name in page.locator("header").inner_text() for name in HOSTILE)
    screenshot(page, "own-data-hostile-class-names")


def test_class_names_that_look_like_html_run_no_script(hostile):
    site, page, dialogs, errors = hostile
    for index in range(len(site.pixels)):  # click every sample, hover every class row: every place names appear
        page.locator("#picker button").nth(index).click()
        page.evaluate("window.explainer.ready")
        for row in page.locator(".class-row").all():
            row.hover()
    page.wait_for_timeout(200)
    assert dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator('img[src="x"]').count() == 0, "no element was parsed out of a class name"
    assert errors == []
