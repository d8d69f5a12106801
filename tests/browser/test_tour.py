"""The guided tour, walked stop by stop in English and Chinese on the default site and on a generated model of another
shape (no pooling, valid padding, a stride of 2, tanh): every question's right choice is what Keras computes for the
image on screen, the answer stays hidden on the page until it is chosen, and each stop puts the page into the state
it promises. Then classroom mode: tour=, hide= and the links "Copy link to this" give restore what they say."""

from __future__ import annotations

import base64
import gzip

import numpy as np
import pytest

from testkit.chromium import build_article, show_section
from testkit.reference import scaled_pixels
from testkit.site import read_insights

from .conftest import browser_activations, build_generated_site, open_page, screenshot, wait_ready

pytestmark = pytest.mark.browser

STEP = '[data-testid="tour-step"]'
SETTLED = f"{STEP}:not([aria-busy=true])"
PANEL = ".vh-panel:not(.is-leaving)"
DEFAULT_STOPS = [
    "purpose",
    "input",
    "window",
    "map",
    "activation",
    "pooling",
    "size",
    "field",
    "examples",
    "scores",
    "softmax",
    "mistake",
    "unfamiliar",
    "next",
]


def unpooled_model():
    """14x14 RGB -> conv 3x3 valid (ReLU) -> conv 3x3 stride 2 (tanh) -> dense softmax over 3 classes: no pooling."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((14, 14, 3)),
            layers.Conv2D(5, 3, padding="valid", activation="relu", name="conv_a"),
            layers.Conv2D(4, 3, strides=2, padding="same", activation="tanh", name="conv_b"),
            layers.Flatten(name="flatten"),
            layers.Dense(3, activation="softmax", name="output"),
        ],
        name="unpooled",
    )


@pytest.fixture(scope="module")
def unpooled(tmp_path_factory):
    import keras

    keras.utils.set_random_seed(3)
    return build_generated_site(tmp_path_factory.mktemp("unpooled"), unpooled_model(), seed=3, size=14, per_class=14)


class Reference:
    """Keras's numbers for the images a page shows, read back from the page's input and computed by the original
    model (testkit/reference.py), never through the builder."""

    def __init__(self, site):
        self.site = site
        self.divisor = site.spec["input"]["pixel_divisor"]
        self.cache = {}
        insights = read_insights(site.path)
        pool = insights["pool"]
        shape = [pool["count"], *site.spec["input"]["shape"]]
        pixels = np.frombuffer(gzip.decompress(base64.b64decode(pool["pixels"]["data"])), np.uint8).reshape(shape)
        self.tests = {index: pixels[ref] for ref, index in enumerate(pool["test_index"])}
        self.labels = dict(zip(pool["test_index"], pool["label"], strict=True))
        self.mistake = pool["test_index"][insights["mistakes"][0]]

    def pixels_on(self, page) -> np.ndarray:
        """The uint8 pixels of the image `page` shows, from the input TF.js read (pixels / divisor)."""
        shape, data = browser_activations(page, "input")
        pixels = np.rint(data * self.divisor).clip(0, 255).astype(np.uint8).reshape(shape)
        assert np.allclose(scaled_pixels(pixels, self.divisor).ravel(), data, atol=1e-6), (
            "the input is pixels / divisor"
        )
        return pixels

    def outputs(self, pixels: np.ndarray) -> dict[str, np.ndarray]:
        key = pixels.tobytes()
        if key not in self.cache:
            outputs = self.site.keras_outputs(pixels[None])
            probabilities = self.site.model.predict(scaled_pixels(pixels[None], self.divisor), verbose=0)[0]
            self.cache[key] = {name: value[0] for name, value in outputs.items()} | {"@probabilities": probabilities}
        return self.cache[key]


def field_size(spec: dict, name: str) -> tuple[int, int]:
    """The receptive field of one value of layer `name`, away from the borders, from the kernels and strides."""
    size, jump = np.array([1, 1]), np.array([1, 1])
    for layer in spec["layers"]:
        kernel = layer.get("kernel_size") or layer.get("pool_size")
        if kernel:
            strides = np.array(layer.get("strides") or kernel)
            size = size + (np.array(kernel) - 1) * jump
            jump = jump * strides
        if layer["name"] == name:
            return int(size[0]), int(size[1])
    raise KeyError(name)


def state(page) -> dict:
    return page.evaluate(
        "(() => { const s = explainer.state.get(); return {view: s.view, sample: s.sample, testIndex: s.testIndex,"
        " tour: s.tour, hide: s.hide, big: s.big}; })()"
    )


def visible(page, selector: str) -> bool:
    return page.evaluate(
        "(s) => [...document.querySelectorAll(s)].some((e) => e.checkVisibility({visibilityProperty: true}))",
        selector,
    )


def shown_value(page, testid: str) -> float:
    """The unrounded value of the element `testid` in the open view (the first, and it must be visible)."""
    node = page.locator(f'{PANEL} [data-testid="{testid}"]').first
    assert node.is_visible(), f"{testid} is shown once the answer is chosen"
    return float(node.get_attribute("data-value"))


def check_answer(page, reference: Reference, question, values: dict) -> str:
    """The right choice of `question` is Keras's answer; returns what the page must show once it is chosen."""
    kind = question.get_attribute("data-kind")
    choices = question.locator('[data-testid="tour-choice"]')
    assert 3 <= choices.count() <= 4, "three or four choices"
    right = question.locator('[data-testid="tour-choice"][data-correct="true"]')
    assert right.count() == 1, "exactly one right choice"
    labels = choices.evaluate_all("(cs) => cs.map((c) => c.textContent || c.querySelector('canvas').ariaLabel)")
    assert len(set(labels)) == len(labels), f"the choices read differently: {labels}"
    value = right.get_attribute("data-value")
    layer = question.get_attribute("data-layer")
    if kind in ("value", "relu"):
        neuron, row, col = (int(question.get_attribute(f"data-{k}")) for k in ("neuron", "row", "col"))
        expected = values[layer][row, col, neuron]
        assert float(value) == pytest.approx(expected, rel=1e-4, abs=1e-4), (layer, row, col, neuron)
    elif kind == "size":
        assert value == ",".join(str(d) for d in values[layer].shape)
    elif kind == "class":
        assert int(value) == int(np.argmax(values["@probabilities"]))
    elif kind == "examples":
        neuron = int(question.get_attribute("data-neuron"))
        offered = [int(v) for v in choices.evaluate_all("(cs) => cs.map((c) => c.dataset.value)")]
        best = [reference.outputs(reference.tests[i])[layer][..., neuron].max() for i in offered]
        assert int(value) == offered[int(np.argmax(best))]
    else:
        raise AssertionError(f"unknown question kind {kind}")
    return kind


# what must be hidden on the page while a stop's question is open, and shown once it is answered
ANSWERS = {
    "window": '[data-testid="conv-output"], [data-testid="formula-result"]',
    "activation": '[data-testid="activation-output"]',
    "pooling": '[data-testid="pool-result"]',
    "size": ".ov-label-shape",
    "examples": '[data-testid="top-examples"]',
    "scores": '[data-testid="prediction"]',
}


def answer(page, stop: str):
    """Choose a wrong answer (a hint, nothing revealed), then the right one (revealed, in the panel and the page)."""
    hidden = ANSWERS[stop]
    assert not visible(page, hidden), f"the answer of {stop} waits for a choice"
    page.locator('[data-testid="tour-choice"]:not([data-correct])').first.click()
    assert page.locator(".tour-hint").inner_text().strip(), "a wrong choice gets a hint"
    assert page.locator('[data-testid="tour-reveal"]').count() == 0
    page.locator('[data-testid="tour-choice"][data-correct="true"]').click()
    page.wait_for_selector('[data-testid="tour-reveal"]')
    page.wait_for_function("(s) => [...document.querySelectorAll(s)].some((e) => e.checkVisibility())", arg=hidden)


def check_stop(page, reference: Reference, stop: str, site) -> None:
    """The state `stop` promises, on screen and equal to Keras's numbers; its question answered."""
    pixels = reference.pixels_on(page)
    values = reference.outputs(pixels)
    probabilities = values["@probabilities"]
    predicted = int(np.argmax(probabilities))
    classes = page.evaluate("explainer.classes")
    text = page.locator(STEP).inner_text()
    now = state(page)
    view = now["view"]
    question = page.locator('[data-testid="tour-question"]')
    if stop in ("purpose", "softmax", "unfamiliar", "mistake"):
        assert classes[predicted] in text and f"{100 * probabilities[predicted]:.1f}" in text, stop
    if question.count():
        kind = check_answer(page, reference, question, values)
        if kind in ("value", "relu"):
            position = [int(question.get_attribute("data-row")), int(question.get_attribute("data-col"))]
            assert view["layer"] == question.get_attribute("data-layer") and view["pos"] == position
            assert view["neuron"] == int(question.get_attribute("data-neuron"))
            page.wait_for_selector(f"{PANEL}:not(.is-entering)")
        answer(page, stop)
        if stop == "window":  # one input channel: the formula's result; more: the sum of the intermediates
            result = "formula-result" if view.get("channel") is not None else "conv-output"
            correct = float(question.locator('[data-correct="true"]').get_attribute("data-value"))
            assert shown_value(page, result) == pytest.approx(correct, rel=1e-5, abs=1e-6)
        if stop == "pooling":
            assert shown_value(page, "pool-result") == pytest.approx(
                values[view["layer"]][view["pos"][0], view["pos"][1], view["neuron"]], rel=1e-4, abs=1e-5
            )
        if stop == "scores":
            assert page.locator('[data-testid="prediction"]').inner_text().strip() == classes[predicted]
    if stop in ("input", "window", "map", "activation", "pooling", "field", "examples", "softmax"):
        page.wait_for_selector(f"{PANEL}:not(.is-entering)")
        assert view is not None and page.locator(PANEL).is_visible(), f"{stop} opens a view"
    if stop == "map":
        spread = values[view["layer"]].max(axis=(0, 1)) - values[view["layer"]].min(axis=(0, 1))
        assert view["neuron"] == int(np.argmax(spread)), "the map shown is the liveliest channel"
    if stop == "field":
        height, width = field_size(site.spec, view["layer"])
        assert f"{height}×{width}" in text, (text, height, width)
    if stop == "softmax":
        assert view["kind"] == "softmax" and view["neuron"] == predicted
    if stop == "mistake":
        assert now["testIndex"] == reference.mistake
        assert predicted != reference.labels[reference.mistake], "the mistake is one by Keras's numbers"
        assert classes[reference.labels[reference.mistake]] in text
    if stop == "unfamiliar":
        assert now["sample"] is None and page.locator('[data-testid="prediction"]').inner_text() == classes[predicted]


def walk(page, reference: Reference, site, expected: list[str], shots: str | None = None) -> None:
    """Walk every stop with Next (→ on the keyboard every other time), checking each, then Back and Esc."""
    page.wait_for_selector(SETTLED)
    count = int(page.get_attribute(STEP, "data-steps"))
    assert count == len(expected)
    seen = []
    for step in range(count):
        page.wait_for_selector(f'{STEP}[data-step="{step}"]:not([aria-busy=true])', timeout=20_000)
        stop = page.get_attribute(STEP, "data-stop")
        seen.append(stop)
        label = page.locator(".tour-progress").inner_text()
        assert str(step + 1) in label and str(count) in label, label
        page.wait_for_function("(n) => location.hash.includes(`tour=${n}`)", arg=step)
        check_stop(page, reference, stop, site)
        if shots and stop in ("window", "activation", "size", "scores", "mistake"):
            screenshot(page, f"tour-{shots}-{step:02d}-{stop}")
        if step < count - 1:
            if step % 2:
                page.locator(STEP).focus()
                page.keyboard.press("ArrowRight")
            else:
                page.click('[data-testid="tour-next"]')
    assert seen == expected
    page.click('[data-testid="tour-back"]')
    page.wait_for_selector(f'{STEP}[data-step="{count - 2}"]:not([aria-busy=true])')
    page.locator(STEP).focus()
    page.keyboard.press("Escape")
    page.wait_for_function("() => explainer.state.get().tour === null && !location.hash.includes('tour=')")
    assert not page.locator(STEP).is_visible()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_tour_walks_the_default_network(browser, default_site, lang):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri() + ("#lang=zh" if lang == "zh" else ""))
    wait_ready(page)
    page.click('[data-testid="tour-start"]')
    walk(page, Reference(default_site), default_site, DEFAULT_STOPS, shots=lang)
    assert log.errors == []
    page.context.close()


def test_the_tour_walks_another_network_and_skips_what_it_lacks(browser, unpooled):
    page, log = open_page(browser, (unpooled.path / "index.html").as_uri())
    wait_ready(page)
    reference = Reference(unpooled)
    expected = [stop for stop in DEFAULT_STOPS if stop != "pooling"]
    for lang in ("en", "zh"):
        page.evaluate(f"location.hash = '#tour=0{'&lang=zh' if lang == 'zh' else ''}'")
        walk(page, reference, unpooled, expected)
    assert log.errors == []
    page.context.close()


# what each part a teacher may hide is on the page (state/hash.js HIDEABLE)
PARTS = {
    "article": "[id^=article-]",
    "upload": '#own-image button, [data-testid="draw-toggle"]',
    "insights": '[data-part~="insights"], .picker-note, .is-test-mistake',
    "playground": "#playground",
    "colours": "#color-mode, .theme-switch",
    "language": '[data-testid="language"]',
    "tour": '[data-testid="tour-start"]',
}


def dropped_image(page, kind: str) -> None:
    """Drop (or paste) a 28x28 PNG on the page, as a visitor dragging a file in would."""
    page.evaluate(
        """async (kind) => {
          const canvas = Object.assign(document.createElement("canvas"), {width: 28, height: 28});
          canvas.getContext("2d").fillRect(4, 4, 20, 20);
          const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
          const data = new DataTransfer();
          data.items.add(new File([blob], "mine.png", {type: "image/png"}));
          if (kind === "paste") document.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data}));
          else for (const type of ["dragenter", "dragover", "drop"])
            document.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true}));
        }""",
        kind,
    )


def test_a_pasted_link_opens_the_stop_and_hides_the_parts(browser, default_site):
    url = (default_site.path / "index.html").as_uri()
    page, log = open_page(browser, url)
    wait_ready(page)
    build_article(page)
    page.wait_for_function("() => document.querySelector('.picker-note')")
    for part, selector in PARTS.items():
        assert visible(page, selector), f"{part} is on the page before it is hidden"
    everything = ",".join(sorted(PARTS))
    page.evaluate(f"location.hash = '#tour=5&hide={everything}&lang=zh'")
    page.wait_for_selector(f'{STEP}[data-step="5"]:not([aria-busy=true])', timeout=20_000)
    for part, selector in PARTS.items():
        assert not visible(page, selector), f"hide={part} hides it"
    # without the test set's stops, stop 5 (0-based) is the sixth of two fewer
    count = len(DEFAULT_STOPS) - 2
    assert page.get_attribute(STEP, "data-steps") == str(count)
    assert page.locator(".tour-progress").inner_text() == f"第 6 站，共 {count} 站"
    page.wait_for_function(f"() => location.hash.includes('tour=5') && location.hash.includes('hide={everything}')")
    for kind in ("drop", "paste"):
        dropped_image(page, kind)
        page.wait_for_timeout(300)
        assert state(page)["sample"] == 0, f"a {kind}ped file is not taken while the upload is hidden"
    page.evaluate("location.hash = '#hide=article'")
    page.wait_for_function("() => explainer.state.get().tour === null")
    assert visible(page, PARTS["upload"]) and not visible(page, PARTS["article"])
    dropped_image(page, "drop")
    page.wait_for_function("() => explainer.state.get().sample === null", timeout=10_000)
    assert log.errors == []
    page.context.close()


def clipboard_page(browser, url: str, size=(1400, 900)):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.split("#")[0].rsplit("/", 1)[0])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    wait_ready(page)
    return page, errors


def test_copy_link_gives_the_view_and_the_section_as_they_are(browser, default_http):
    view = "view=pool&layer=max_pool_1&neuron=2&pos=3,3"
    page, errors = clipboard_page(browser, f"{default_http}index.html#hide=upload&big=1&{view}")
    page.wait_for_selector(f"{PANEL}:not(.is-entering)")
    page.click('[data-sample="4"]')
    page.wait_for_function("() => explainer.state.get().sample === 4")
    page.locator(f"{PANEL} .vh-close").focus()
    page.keyboard.press("ArrowRight")  # the window moves: the link must say where it is now
    page.wait_for_function("() => explainer.state.get().view.pos[1] === 4")
    page.click(f'{PANEL} [data-testid="copy-link"]')
    page.wait_for_selector(f"{PANEL} .link-copied")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(default_http) and "pos=3,4" in link and "hide=upload" in link and "big=1" in link
    before = state(page)
    other, more = clipboard_page(browser, link)
    other.wait_for_selector(f"{PANEL}:not(.is-entering)")
    other.wait_for_function("() => explainer.state.get().sample === 4")
    assert state(other) == before
    assert other.locator(f"{PANEL} .sweep-readout").inner_text() == page.locator(f"{PANEL} .sweep-readout").inner_text()
    assert not visible(other, PARTS["upload"])

    page.keyboard.press("Escape")
    page.wait_for_function("() => explainer.state.get().view === null")
    show_section(page, "pooling")
    section = page.locator("section:has(> #article-pooling)")
    section.locator('[data-testid="copy-link"]').click()
    section.locator(".link-copied").wait_for()
    link = page.evaluate("navigator.clipboard.readText()")
    assert "section=pooling" in link and "hide=upload" in link
    other.goto(link)
    other.reload()
    wait_ready(other)
    other.wait_for_function(
        "() => { const top = document.getElementById('article-pooling').getBoundingClientRect().top;"
        " return top >= 0 && top < 200; }",
        timeout=10_000,
    )
    assert errors == [] and more == []
    page.context.close()
    other.context.close()
