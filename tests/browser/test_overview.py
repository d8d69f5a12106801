"""The overview in real Chromium, from file:// and over http, compared with Keras."""

from __future__ import annotations

import re

import numpy as np
import pytest

from .conftest import browser_activations, open_page, screenshot, wait_ready

pytestmark = pytest.mark.browser

SPATIAL_KINDS = {"conv", "activation", "pool", "dropout", "rescaling"}


@pytest.fixture(params=["file", "http"])
def loaded(request, browser, default_site, default_http):
    url = (default_site.path / "index.html").as_uri() if request.param == "file" else default_http + "index.html"
    page, log = open_page(browser, url)
    wait_ready(page)
    yield request.param, page, log
    page.context.close()


def test_page_loads_without_errors_or_other_hosts(loaded):
    origin, page, log = loaded
    screenshot(page, f"overview-{origin}")
    assert log.errors == []
    assert log.foreign_requests == []


def test_one_neuron_element_per_channel_of_every_layer(loaded, default_site):
    _, page, _ = loaded
    spec = default_site.spec
    expected = {"input": spec["input"]["shape"][-1]}
    for layer in spec["layers"]:
        if layer["kind"] in SPATIAL_KINDS and len(layer["shape"]) == 3:
            expected[layer["name"]] = layer["shape"][-1]
    for name, channels in expected.items():
        neurons = page.eval_on_selector_all(
            f'[data-layer="{name}"][data-neuron]', "els => els.map(e => Number(e.dataset.neuron))"
        )
        assert sorted(neurons) == list(range(channels)), name


def test_class_rows_show_every_class_with_its_probability(loaded, default_site):
    _, page, _ = loaded
    classes = default_site.spec["classes"]
    assert page.evaluate("window.explainer.classes") == classes
    probabilities = default_site.keras_outputs(default_site.pixels[:1])["output"][0]
    for name, probability in zip(classes, probabilities, strict=True):
        row = page.locator(f'.class-row[data-class="{name}"]')
        assert row.count() == 1, name
        assert row.locator(".class-name").inner_text() == name
        assert row.locator(".class-pct").inner_text() == f"{100 * probability:.1f}%", name


def test_prediction_and_every_layer_equal_keras_for_every_sample(loaded, default_site):
    _, page, _ = loaded
    expected = default_site.keras_outputs(default_site.pixels)
    classes = default_site.spec["classes"]
    names = ["input", *(layer["name"] for layer in default_site.spec["layers"])]
    for index in range(len(default_site.pixels)):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        assert (
            page.locator('[data-testid="prediction"]').inner_text().strip()
            == classes[int(expected["output"][index].argmax())]
        )
        for name in names:
            shape, values = browser_activations(page, name)
            assert shape == list(expected[name].shape[1:]), name
            difference = np.abs(values - expected[name][index].ravel()).max()
            assert difference <= 1e-4, f"sample {index}, layer {name}: max abs difference {difference}"


# How much of a column's canvas holds anything but the overview's background (a blank canvas reads as 0s), or 0
# when a person cannot see it: the canvas keeps its pixels when the overview is hidden or has no size.
DRAWN = """(name) => {
    const canvas = document.querySelector(`canvas[data-maps="${CSS.escape(name)}"]`);
    const box = canvas.getBoundingClientRect();
    if (box.width < 4 || box.height < 4 || box.bottom < 0 || box.top > innerHeight) return 0;
    const seen = document.elementFromPoint(box.left + box.width / 2, Math.max(box.top, 0) + 2);
    if (!seen || !document.getElementById("overview").contains(seen)) return 0;
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] && (data[i] < 250 || data[i + 2] < 250)) coloured++;
    return coloured / (data.length / 4); }"""


def test_the_views_insights_and_article_are_fetched_and_run_after_the_first_picture(browser, default_http):
    """explore.js (the views, the insights, the article) is over half of the page's own code and none of the first
    picture: the page asks for it only once that picture is painted and TF.js has computed the image."""
    page, log = open_page(browser, default_http + "index.html")
    wait_ready(page)
    timings = page.evaluate("window.explainer.timings")
    fetched = page.evaluate(
        "performance.getEntriesByType('resource').filter((r) => /explore\\.js/.test(r.name)).map((r) => r.startTime)"
    )
    assert len(fetched) == 1, fetched
    assert fetched[0] > timings["overviewPaintedMs"] and fetched[0] >= timings["readyMs"], (fetched, timings)
    page.locator(".vh-panel").wait_for(state="detached")
    page.locator(".neuron").nth(12).click()  # and the views open
    page.locator(".vh-panel").wait_for()
    assert log.errors == []
    page.context.close()


def test_a_page_without_explore_js_still_shows_the_network_and_says_what_is_missing(browser, default_http):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(re.compile(r"/explore\.js(\?.*)?$"), lambda route: route.fulfill(status=404, body="not found"))
    page.goto(default_http + "index.html")
    page.wait_for_function("() => window.explainer && window.explainer.timings.readyMs !== null", timeout=30_000)
    notice = page.locator("#notice")
    notice.wait_for(state="visible", timeout=10_000)
    assert "explore.js" in notice.inner_text() and "reload the page" in notice.inner_text()
    assert page.locator('[data-testid="prediction"]').inner_text().strip() != ""
    assert page.evaluate("window.explainer.backend") in ("cpu", "wasm")  # TF.js computed the image all the same
    assert page.evaluate("window.explainer.ready.then(() => 'ready', (e) => e.message)") != "ready"
    assert page.evaluate("window.explainer.insights()") is None
    assert errors == []  # every part waiting for explore.js gives up quietly: the notice has said it
    context.close()


def test_overview_draws_from_precomputed_values_when_tfjs_cannot_load(browser, default_site, default_http):
    """A broken model payload must not blank the page: the precomputed activations still draw, with a notice."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors, corrupted = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def corrupt(route):
        body = route.fetch().text()
        corrupted.append(route.request.url)
        route.fulfill(
            body=body.replace('"weightData":"', '"weightData":"!!not base64!!'), content_type="text/javascript"
        )

    page.route(re.compile(r"/data/explainer\.js(\?.*)?$"), corrupt)  # the page asks for data/explainer.js?v=...
    page.goto(default_http + "index.html")
    notice = page.locator("#notice")
    notice.wait_for(state="visible", timeout=30_000)
    assert len(corrupted) == 1, "the payload was served corrupted"
    assert "TensorFlow.js could not run the model" in notice.inner_text()
    assert "only the first image" in notice.inner_text() and "computed when the site was built" in notice.inner_text()
    first_class = default_site.spec["classes"][
        int(default_site.keras_outputs(default_site.pixels[:1])["output"][0].argmax())
    ]
    assert page.locator('[data-testid="prediction"]').inner_text().strip() == first_class
    for name in ("input", "conv_1_1", "relu_2_2", "max_pool_2"):
        assert page.evaluate(DRAWN, name) > 0.05, f"the {name} column is blank"
    rows = page.eval_on_selector_all(".class-pct", "els => els.map(e => e.textContent)")
    assert len(rows) == 10 and all(row.endswith("%") for row in rows), rows
    # the page holds no other image's values: those samples are disabled, and choosing one anyway (as
    # window.explainer can) leaves the first, and what it says, in place
    enabled = page.eval_on_selector_all(
        "#picker button.sample:not(.sample-own):not([data-test-index])", "els => els.map(e => !e.disabled)"
    )
    assert enabled == [True] + [False] * (len(enabled) - 1), enabled
    assert "needs TensorFlow.js" in page.locator("#picker button").nth(3).get_attribute("title")
    # so are the model's mistakes on test images, which TF.js would compute
    page.wait_for_function("() => window.explainer.insights()")
    page.locator("#picker [data-test-index]").first.wait_for()
    mistakes = page.eval_on_selector_all("#picker [data-test-index]", "els => els.map(e => e.disabled)")
    assert mistakes and all(mistakes), mistakes
    refused = page.evaluate("window.explainer.selectSample(3).then(() => 'shown', (e) => e.message)")
    assert "only the first image" in refused
    assert page.evaluate("window.explainer.state.get().sample") == 0
    assert page.locator("#picker [aria-pressed='true']").count() == 1
    assert page.locator("#picker button").nth(0).get_attribute("aria-pressed") == "true"
    assert page.locator('[data-testid="prediction"]').inner_text().strip() == first_class
    assert errors == []
    context.close()


def test_an_address_naming_another_sample_shows_the_first_when_tfjs_cannot_load(browser, default_site, default_http):
    """The payload holds the first sample's values only: without TF.js, a link to another sample shows the first."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    payload = (default_site.path / "data" / "explainer.js").read_text(encoding="utf-8")
    broken = payload.replace('"weightData":"', '"weightData":"!!not base64!!')
    page.route(re.compile(r"/data/explainer\.js(\?.*)?$"), lambda route: route.fulfill(body=broken))
    page.goto(default_http + "index.html#sample=3")
    page.locator("#notice").wait_for(state="visible", timeout=30_000)
    page.wait_for_function("() => window.explainer.state.get().sample === 0")
    first_class = default_site.spec["classes"][
        int(default_site.keras_outputs(default_site.pixels[:1])["output"][0].argmax())
    ]
    assert page.locator('[data-testid="prediction"]').inner_text().strip() == first_class
    assert page.locator("#picker button").nth(0).get_attribute("aria-pressed") == "true"
    for name in ("input", "conv_1_1", "max_pool_2"):
        assert page.evaluate(DRAWN, name) > 0.05, f"the {name} column is blank"
    assert errors == []
    context.close()


def test_first_paint_values_equal_keras_rounded_to_float16(browser, default_site):
    """The precomputed activations of the first sample, stored or recomputed in the page, are Keras's values in
    float16. The payload holds no other sample's: the page computes those with TF.js."""
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    expected = default_site.keras_outputs(default_site.pixels[:1])
    for layer in default_site.spec["layers"]:
        result = page.evaluate("([i, name]) => window.explainer.precomputed(i, name)", [0, layer["name"]])
        assert result["shape"] == layer["shape"]
        keras_half = expected[layer["name"]][0].ravel().astype(np.float16).astype(np.float32)
        np.testing.assert_array_equal(np.asarray(result["data"], np.float32), keras_half, layer["name"])
    refused = page.evaluate("window.explainer.precomputed(1, 'conv_1_1').then(() => 'resolved', (e) => e.message)")
    assert "first sample only" in refused
    assert log.errors == []
    page.context.close()


# The 98th minus the 2nd percentile of the luminance (0..255) of each map of a column, as drawn in its canvas.
SPREADS = """(name) => {
  const canvas = document.querySelector(`canvas[data-maps="${CSS.escape(name)}"]`);
  const box = canvas.getBoundingClientRect();
  const sx = canvas.width / box.width, sy = canvas.height / box.height;
  const context = canvas.getContext("2d");
  return [...document.querySelectorAll(`[data-layer="${CSS.escape(name)}"][data-neuron]`)].map((neuron) => {
    const r = neuron.getBoundingClientRect();
    const x = Math.round((r.left - box.left + 3) * sx), y = Math.round((r.top - box.top + 3) * sy);
    const d = context.getImageData(x, y, Math.round((r.width - 6) * sx), Math.round((r.height - 6) * sy)).data;
    const lum = [];
    for (let i = 0; i < d.length; i += 4) lum.push(0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2]);
    lum.sort((a, b) => a - b);
    return lum[Math.floor(lum.length * 0.98)] - lum[Math.floor(lum.length * 0.02)];
  });
}"""


def test_the_weakest_maps_of_a_shared_range_are_readable_and_still_paler(browser, default_site):
    """conv_1_1's channel 1 peaks at a quarter of its block's range: drawn on a linear scale it looked blank (a
    luminance spread of 14 of 255). On the square-root scale it reads, and the strong maps stay darker."""
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    for name in ("conv_1_1", "relu_1_1"):
        spreads = page.evaluate(SPREADS, name)
        assert min(spreads) >= 45, f"{name}: a map is too faint to read: {spreads}"
        assert max(spreads) - min(spreads) >= 50, f"{name}: the weak maps no longer look weaker: {spreads}"
    assert log.errors == []
    page.context.close()
