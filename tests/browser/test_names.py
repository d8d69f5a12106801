"""Names people choose: any Keras-valid layer or model name, class names written right to left or holding
direction controls, hostile file names. The page shows them as they are, as text, each in an element that
isolates its direction, and every layer still equals Keras."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from testkit.cli import run
from testkit.site import read_payload, sample_pixels

from .conftest import browser_activations, open_page, screenshot, wait_ready, with_random_biases

pytestmark = pytest.mark.browser

RLO = "\u202e"
HTML = "<img src=x onerror=alert(1)>"
LAYERS = {"conv_a": "café", "conv_b": "conv 1", "pool": "层", "drop": "ドロップ <i>", "hidden": HTML, "output": "выход"}
CLASSES = [f"abc{RLO}def", f"قطة{RLO}x", f"כלב <b>{RLO}"]  # each holds an override: whichever class is predicted
FILES = [f"{RLO}gnp.exe.png", "صورة.png"]
TOLERANCE = 1e-4


def twin_models(names: dict[str, str]):
    """Two models with the same weights: one named as TensorFlow accepts, one with `names` (any Keras name)."""
    import keras
    from keras import layers

    def make(rename):
        return keras.Sequential(
            [
                keras.Input((12, 12, 3)),
                layers.Conv2D(4, 3, padding="same", activation="relu", name=rename("conv_a")),
                layers.Conv2D(3, 3, padding="same", name=rename("conv_b")),
                layers.MaxPooling2D(2, name=rename("pool")),
                layers.Dropout(0.25, name=rename("drop")),
                layers.Flatten(name="flatten"),
                layers.Dense(5, activation="tanh", name=rename("hidden")),
                layers.Dense(3, activation="softmax", name=rename("output")),
            ],
            name="my model ✓",
        )

    keras.utils.set_random_seed(11)
    safe = with_random_biases(make(lambda n: n), 11)
    named = make(lambda n: names.get(n, n))
    named.set_weights(safe.get_weights())
    return safe, named


@pytest.fixture(scope="module")
def named(browser, tmp_path_factory):
    work = tmp_path_factory.mktemp("names")
    safe, hostile = twin_models(LAYERS)
    hostile.save(work / "m.keras")
    (work / "photos").mkdir()
    rng = np.random.default_rng(5)
    for name in FILES:
        Image.fromarray(rng.integers(0, 255, (20, 20, 3), dtype=np.uint8)).save(work / "photos" / name)
    (work / "classes.txt").write_text("\n".join(CLASSES) + "\n", encoding="utf-8")
    title = f"{RLO}Mon explicateur <script>alert(2)</script>"
    args = ["build", "--model", "m.keras", "--samples", "photos", "--classes", "classes.txt", "--title", title]
    result = run(*args, cwd=work)
    assert result.returncode == 0, result.stderr
    payload = read_payload(work / "dist")
    spec = payload["spec"]
    pixels = sample_pixels(payload)
    assert pixels.shape == (2, 12, 12, 3)
    page, log = open_page(browser, (work / "dist" / "index.html").as_uri())
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    wait_ready(page)
    yield {"spec": spec, "pixels": pixels, "page": page, "log": log, "dialogs": dialogs, "safe": safe, "title": title}
    page.context.close()


def test_layer_and_model_names_are_kept_as_given(named):
    spec = named["spec"]
    names = [layer["name"] for layer in spec["layers"]]
    assert names == ["café_linear", "café", "conv 1", "层", "ドロップ <i>", "flatten", f"{HTML}_linear", HTML, "выход"]
    assert spec["name"] == "my model ✓"
    labels = named["page"].eval_on_selector_all(".ov-label-name", "els => els.map(e => e.textContent)")
    assert labels == ["input", *(name for name in names if name != "flatten")]  # flatten has no column


def test_every_layer_equals_keras_whatever_the_names(named):
    from testkit.reference import reference_outputs

    renamed = {shown: own for own, shown in LAYERS.items()}
    page, spec = named["page"], named["spec"]
    expected = reference_outputs(named["safe"], spec, named["pixels"], renamed=renamed)
    for index in range(len(named["pixels"])):
        page.evaluate("(i) => window.explainer.selectSample(i)", index)
        for name in ["input", *(layer["name"] for layer in spec["layers"])]:
            shape, values = browser_activations(page, name)
            assert shape == list(expected[name].shape[1:]), name
            difference = np.abs(values - expected[name][index].ravel()).max()
            assert difference <= TOLERANCE, f"sample {index}, layer {name!r}: {difference}"


def test_names_run_no_script_and_raise_no_error(named):
    page = named["page"]
    assert named["dialogs"] == []
    assert named["log"].errors == []
    assert page.locator("img[src=x]").count() == 0 and page.locator("script:not([src])").count() == 0
    assert named["title"] == page.title()


def user_strings(named) -> list[str]:
    spec = named["spec"]
    layers = [layer["name"] for layer in spec["layers"] if layer["name"] != "flatten"]  # a word the article uses
    return [*spec["classes"], *layers, spec["name"], named["title"], *FILES]


# Every text node holding a user's string: it must be one such string alone, inside an element that isolates its
# direction (a <bdi>, or an element with a dir attribute). Run on the page as it is at the time.
AUDIT = """(strings) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest('template, script, style, [hidden]') || !element.getClientRects().length) continue;
    for (const text of strings) {
      if (!node.data.includes(text)) continue;
      const isolated = element.tagName === 'BDI' || element.hasAttribute('dir');
      found.push({text, node: node.data, isolated: isolated && strings.includes(node.data.trim()), tag: element.tagName,
                  where: element.className});
    }
  }
  return found;
}"""


def assert_isolated(page, strings, expected_somewhere):
    found = page.evaluate(AUDIT, strings)
    shown = {item["text"] for item in found}
    for text in expected_somewhere:
        assert text in shown, f"{text!r} is not shown"
    bad = [item for item in found if not item["isolated"]]
    assert bad == [], bad


def test_every_shown_name_isolates_its_direction(named):
    page, spec = named["page"], named["spec"]
    strings = user_strings(named)
    page.evaluate("window.explainer.selectSample(1)")
    assert_isolated(page, strings, [*spec["classes"], "café", "conv 1", "层", HTML, named["title"]])
    page.hover('[data-layer="conv 1"][data-neuron="0"]')
    assert_isolated(page, strings, ["conv 1", "café"])  # the tooltip names the layer and its input
    screenshot(page, "names-overview")
    for selector in (
        '[data-layer="conv 1"][data-neuron="1"]',
        '[data-layer="café"][data-neuron="0"]',
        '[data-layer="层"][data-neuron="2"]',
        '[data-layer="ドロップ <i>"][data-neuron="1"]',
        f'.class-row[data-class="{CLASSES[1]}"]',
    ):
        page.click(selector)
        page.wait_for_selector(".vh-panel:not(.is-leaving)")
        assert_isolated(page, strings, [])
        heading = page.locator(".vh-panel:not(.is-leaving) h2").inner_text()
        assert any(name in heading for name in strings), heading
        page.keyboard.press("Escape")
        page.wait_for_selector(".vh-panel", state="detached")
    page.click(f'.class-row[data-class="{CLASSES[0]}"]')
    page.wait_for_selector(".vw-output [data-testid='logit']")
    assert_isolated(page, strings, [CLASSES[0], HTML])
    screenshot(page, "names-output-view")
    page.click(".vo-next")  # on to the softmax view of the same class
    page.wait_for_selector(".vw-softmax [data-testid='softmax-result']")
    assert_isolated(page, strings, CLASSES)
    screenshot(page, "names-softmax-view")
    page.keyboard.press("Escape")
    assert named["log"].errors == [] and named["dialogs"] == []


def test_a_right_to_left_override_in_a_class_name_stays_inside_it(named):
    """U+202E reverses what follows it up to the end of its isolate: the words after the class name keep their
    order, so the prediction line still reads "... sure, true class: ..."."""
    page = named["page"]
    page.evaluate("window.explainer.selectSample(0)")
    detail = page.locator("#prediction-detail")
    box = page.evaluate(
        """() => {
          const detail = document.getElementById('prediction-detail');
          const range = document.createRange();
          const text = [...detail.childNodes].find((n) => n.nodeType === 3 && n.data.includes('sure'));
          if (!text) return null;
          const at = text.data.indexOf('sure');
          range.setStart(text, at); range.setEnd(text, at + 4);
          const sure = range.getBoundingClientRect();
          range.setStart(text, 0); range.setEnd(text, 1);
          return {sure: sure.left, open: range.getBoundingClientRect().left};
        }"""
    )
    assert box is not None, detail.inner_text()
    assert box["open"] < box["sure"], "the line still reads left to right after a class name with U+202E"
