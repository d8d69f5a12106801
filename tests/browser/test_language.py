"""The language switch: the page in Chinese and back at once, without a reload, keeping the image, the open view and
its window position, with the URL hash, <html lang> and window.explainer.classes following; every layer still
equals Keras."""

from __future__ import annotations

import re

import numpy as np
import pytest

from builder.i18n import class_names, load_catalogs
from builder.render import LOCALES
from testkit.chromium import build_article, show_section

from .conftest import browser_activations, open_page, screenshot, wait_ready

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u4e00-\u9fff]")
VIEW = "sample=3&view=conv&layer=conv_1_2&neuron=4&pos=5,7"


def view_state(page):
    return page.evaluate("(() => { const s = window.explainer.state.get(); return [s.sample, s.view, s.lang]; })()")


def switch(page, code: str) -> None:
    page.select_option('[data-testid="language"]', code)
    page.wait_for_function("(code) => document.documentElement.lang === code", arg=code)
    page.wait_for_selector("article.article >> nth=0")


@pytest.mark.parametrize("screen", [(1400, 900), (390, 844)], ids=["laptop", "phone"])
def test_the_switch_changes_language_both_ways_and_keeps_the_image_and_the_view(browser, default_site, screen):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri() + f"#{VIEW}", viewport=screen)
    wait_ready(page)
    page.wait_for_selector(".article-toc")
    page.wait_for_selector(".vh-panel")
    english = list(default_site.spec["classes"])
    chinese = class_names(load_catalogs(LOCALES)["zh"], english)
    assert page.evaluate("window.explainer.classes") == english
    before = view_state(page)
    assert before == [3, {"kind": "conv", "layer": "conv_1_2", "neuron": 4, "pos": [5, 7]}, "en"]

    switch(page, "zh")
    assert page.evaluate("window.explainer.classes") == chinese
    assert view_state(page)[:2] == before[:2]
    page.wait_for_function("() => location.hash.includes('lang=zh')")
    assert "sample=3" in page.evaluate("location.hash") and "pos=5,7" in page.evaluate("location.hash")
    assert page.locator(".vh-panel").count() == 1  # the view is open again, once
    header = page.text_content(".site-header")
    assert len(CJK.findall(header)) > 80 and "sorts" not in header
    predicted = chinese[int(np.argmax(default_site.keras_outputs(default_site.pixels[3:4])["output"][0]))]
    assert page.text_content('[data-testid="prediction"]') == predicted
    assert page.text_content('[data-i18n="page.prediction"]') == "预测："
    assert page.get_attribute("#overview", "aria-label").startswith("网络的每一层")
    assert page.locator("article.article").count() == 1
    assert page.text_content("#article-cnn") == "什么是卷积神经网络？"
    assert page.locator(".drop-target").count() == 1 and page.locator(".ov-hint").count() == 1  # the old ones went
    assert page.evaluate("document.title").startswith("图解")
    screenshot(page, f"language-zh-{screen[0]}")

    # the numbers are the model's, whatever the language
    expected = default_site.keras_outputs(default_site.pixels[3:4])
    for name in ("conv_1_2", "output"):
        shape, values = browser_activations(page, name)
        np.testing.assert_allclose(values.reshape(shape), expected[name][0], atol=1e-4)

    switch(page, "en")
    assert page.evaluate("window.explainer.classes") == english
    assert view_state(page) == before
    page.wait_for_function("() => !location.hash.includes('lang=')")
    assert "sorts 28×28 greyscale images" in page.text_content(".site-header")
    assert page.text_content("#article-cnn") == "What is a convolutional neural network?"
    page.keyboard.press("Escape")  # one view host listens, the new one: the view closes
    page.wait_for_function("() => window.explainer.state.get().view === null")
    assert log.errors == []
    page.context.close()


def test_a_link_with_lang_opens_the_page_in_that_language(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri() + "#sample=1&lang=zh")
    wait_ready(page)
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert page.input_value('[data-testid="language"]') == "zh"
    assert page.evaluate("window.explainer.state.get().sample") == 1
    page.wait_for_selector(".article-toc")
    assert page.text_content("#article-cnn") == "什么是卷积神经网络？"
    assert log.errors == []
    page.context.close()


# Every text node a visitor can see (not in <template>s, formulas or code) and every accessible name or tooltip.
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("template, script, style, .katex, code, noscript, [hidden]")) continue;
    if (node.textContent.trim()) out.push(node.textContent.trim());
  }
  for (const element of document.querySelectorAll("[aria-label], [title], [alt], [placeholder]"))
    for (const name of ["aria-label", "title", "alt", "placeholder"])
      if (element.getAttribute(name) && !element.closest("template")) out.push(element.getAttribute(name));
  return out;
}"""
# English a Chinese page keeps: names of things (the model, the data, the libraries, functions, keys), a language's
# own name in the switch, Keras's padding modes as the article quotes them, and formula notation (max, mean)
KEPT = {
    "CNN",
    "ReLU",
    "tanh",
    "sigmoid",
    "softmax",
    "logit",
    "Grad-CAM",
    "TensorFlow.js",
    "Keras",
    "Fashion-MNIST",
    "Tiny VGG",
}
KEPT |= {"cnn-explain", "English", "Enter", "Esc", "Tab", "same", "valid", "max", "mean"}
GLOSS = re.compile(r"[（(][A-Za-z][A-Za-z ,'-]*(?:[，,、][^（）()]*)?[）)]")  # an English term given once in brackets


def test_a_page_in_chinese_shows_no_english_interface_text(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri() + "#lang=zh")
    wait_ready(page)
    build_article(page)
    page.wait_for_selector('[data-testid="confusion-matrix"] [data-count]')
    texts = page.evaluate(VISIBLE_TEXT)
    overview_and_article = "".join(texts)
    views = {"conv": "conv_1_2", "activation": "relu_1_1", "pool": "max_pool_1", "output": "output"}
    for kind, layer in views.items():
        page.evaluate("(view) => window.explainer.state.set({ view })", {"kind": kind, "layer": layer, "neuron": 1})
        page.wait_for_selector(".vh-panel:not(.is-leaving) .vh-body")
        page.wait_for_timeout(300)
        texts += page.evaluate(VISIBLE_TEXT)
    names = {layer["name"] for layer in default_site.spec["layers"]} | {"input", default_site.spec["name"]}
    leftovers = set()
    for text in texts:
        text = GLOSS.sub("", text)
        for name in sorted(names | KEPT, key=len, reverse=True):
            text = text.replace(name, "")
        leftovers |= set(re.findall(r"[A-Za-z]{2,}(?: [A-Za-z]{2,})*", text))
    assert leftovers == set(), f"English left on a Chinese page: {sorted(leftovers)}"
    assert len(CJK.findall(overview_and_article)) >= 1500
    assert log.errors == []
    page.context.close()


PAD = '[data-testid="drawing-pad"]'
INPUT = '[data-testid="upload-preprocessed"]'


def canvas_pixels(page, selector: str) -> list[int]:
    return page.evaluate(
        """(selector) => { const c = document.querySelector(selector);
             return Array.from(c.getContext("2d").getImageData(0, 0, c.width, c.height).data); }""",
        selector,
    )


def test_the_switch_keeps_the_visitors_photo_drawing_and_settings(browser, default_site, tmp_path):
    from PIL import Image, ImageDraw

    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    # a drawing first: two strokes and a thicker brush
    page.click('[data-testid="draw-toggle"]')
    page.fill(".pad-brush input", "5")
    pad = page.locator('[data-testid="drawing-pad"]').bounding_box()
    for x in (0.3, 0.6):
        page.mouse.move(pad["x"] + pad["width"] * x, pad["y"] + pad["height"] * 0.2)
        page.mouse.down()
        page.mouse.move(pad["x"] + pad["width"] * x, pad["y"] + pad["height"] * 0.8, steps=6)
        page.mouse.up()
    page.wait_for_function("() => window.explainer.state.get().sample === null")
    drawing = canvas_pixels(page, PAD)
    drawn_input = canvas_pixels(page, INPUT)
    own = page.locator("#picker button.sample-own")
    assert own.is_visible() and own.get_attribute("aria-pressed") == "true"
    switch(page, "zh")
    assert not page.locator("#own-panel").is_hidden()
    # what the page shows, not only what it stores: the drawing is still the picker's chosen image
    assert own.is_visible() and own.get_attribute("aria-pressed") == "true", "the picker lost the visitor's image"
    assert page.locator('#picker [aria-pressed="true"]').count() == 1
    assert canvas_pixels(page, PAD) == drawing and canvas_pixels(page, INPUT) == drawn_input
    assert page.input_value(".pad-brush input") == "5"
    assert page.get_attribute('[data-testid="draw-toggle"]', "aria-pressed") == "true"
    switch(page, "en")

    # then a photo, prepared the plain way, while a sample is shown: the switch must not bring the photo back
    image = Image.new("L", (90, 60), 230)
    ImageDraw.Draw(image).rectangle([30, 10, 60, 50], fill=40)
    image.save(tmp_path / "shirt.png")
    page.set_input_files('[data-testid="upload-input"]', str(tmp_path / "shirt.png"))
    page.wait_for_function("() => !document.querySelector('[data-testid=\"drawing-pad\"]').checkVisibility()")
    page.uncheck('[data-testid="upload-prepare"]')
    page.wait_for_function("() => document.querySelector('[data-testid=\"upload-invert\"]').checkVisibility()")
    photo_input = canvas_pixels(page, INPUT)
    preview = canvas_pixels(page, ".own-preview")
    caption = page.text_content(".own-source figcaption")
    page.evaluate("window.explainer.selectSample(2)")
    page.wait_for_function("() => window.explainer.state.get().sample === 2")
    switch(page, "zh")
    assert page.evaluate("window.explainer.state.get().sample") == 2
    assert not page.locator("#own-panel").is_hidden()
    assert page.is_checked('[data-testid="upload-prepare"]') is False
    assert canvas_pixels(page, INPUT) == photo_input
    assert canvas_pixels(page, ".own-preview") == preview
    assert "shirt.png" in page.text_content(".own-source figcaption")
    assert page.text_content(".own-source figcaption") != caption  # now in Chinese
    screenshot(page, "language-own-image-zh")
    page.wait_for_timeout(300)
    assert page.evaluate("window.explainer.state.get().sample") == 2
    assert log.errors == []
    page.context.close()


def test_a_playing_view_stops_with_the_language_it_was_opened_in(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri() + f"#{VIEW}")
    wait_ready(page)
    page.wait_for_selector(".vh-panel .sweep")
    page.click(".vh-panel .sweep button:nth-child(2)")  # play
    page.wait_for_function("() => document.querySelector('.vh-panel .sweep').classList.contains('is-playing')")
    switch(page, "zh")
    page.wait_for_selector(".vh-panel .sweep")
    assert page.locator(".vh-panel .sweep.is-playing").count() == 0
    where = page.evaluate("window.explainer.state.get().view.pos")
    page.wait_for_timeout(1500)  # dozens of steps, had the English view's animation gone on
    assert page.evaluate("window.explainer.state.get().view.pos") == where
    assert log.errors == []
    page.context.close()


def test_the_playgrounds_settings_stay_when_the_language_changes(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    show_section(page, "hyperparameters")
    page.wait_for_selector("[data-testid='playground-stride']")

    def settings():
        return page.evaluate(
            """() => [...['input', 'padding', 'kernel', 'stride'].map((key) =>
                   document.querySelector(`[data-testid='playground-${key}']`).value),
                 document.querySelector("[data-testid='playground-kernel-choice']").value]"""
        )

    def slide(key, value):
        page.eval_on_selector(
            f"[data-testid='playground-{key}']",
            "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', {bubbles: true})); }",
            value,
        )

    slide("kernel", 5)
    slide("stride", 2)
    page.select_option("[data-testid='playground-kernel-choice']", index=2)
    chosen = settings()
    assert chosen[2:4] == ["5", "2"]
    sum_line = page.text_content("[data-testid='playground-sum']")
    switch(page, "zh")
    page.wait_for_selector("[data-testid='playground-stride']")
    assert settings() == chosen
    assert page.text_content("[data-testid='playground-sum']") != sum_line  # rebuilt, in Chinese
    assert log.errors == []
    page.context.close()
