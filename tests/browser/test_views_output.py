"""The class-score views (flatten and output, softmax), the colour-range switch, and the article with its
formulas and playground, in real Chromium, compared with Keras."""

from __future__ import annotations

import numpy as np
import pytest

from testkit.chromium import build_article, show_section

from .conftest import open_page, screenshot, wait_ready

pytestmark = pytest.mark.browser

TOLERANCE = 1e-4


@pytest.fixture
def page_and_log(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    log.failed_requests = failed
    wait_ready(page)
    yield page, log
    page.context.close()


@pytest.fixture(scope="module")
def keras_first(default_site):
    """Keras's outputs for the first sample (the page shows it first) and the output layer's logits."""
    outputs = default_site.keras_outputs(default_site.pixels[:1])
    kernel, bias = default_site.model.get_layer("output").get_weights()
    flat = outputs["flatten"][0].astype(np.float64)
    logits = flat @ kernel.astype(np.float64) + bias.astype(np.float64)
    return outputs, logits


def open_output_view(page, class_name):
    page.click(f'.class-row[data-class="{class_name}"]')
    page.wait_for_selector(".vw-output [data-testid='logit']")


def read_values(page, selector):
    return page.eval_on_selector_all(
        selector, "els => els.map(e => [e.dataset.class ?? null, Number(e.dataset.value)])"
    )


def hover_detail(page):
    return page.eval_on_selector(
        "[data-testid='flatten-hover']",
        "e => ({index: Number(e.dataset.index), y: Number(e.dataset.y), x: Number(e.dataset.x), c: Number(e.dataset.c),"
        " value: Number(e.querySelector('[data-testid=hover-value]').dataset.value)})",
    )


@pytest.mark.parametrize("which", ["predicted", "other"])
def test_output_view_prints_every_logit_as_keras_computes_it(page_and_log, default_site, keras_first, which):
    page, log = page_and_log
    outputs, logits = keras_first
    classes = default_site.spec["classes"]
    predicted = int(outputs["output"][0].argmax())
    shown = predicted if which == "predicted" else (predicted + 3) % len(classes)
    open_output_view(page, classes[shown])
    printed = dict(read_values(page, ".vw-output [data-testid='logit']"))
    assert list(printed) == classes
    for k, name in enumerate(classes):
        assert abs(printed[name] - logits[k]) <= TOLERANCE, (name, printed[name], logits[k])
    total = page.eval_on_selector(".vw-output [data-testid='logit-total']", "e => Number(e.dataset.value)")
    dot = page.eval_on_selector(".vw-output [data-testid='dot-product']", "e => Number(e.dataset.value)")
    bias = page.eval_on_selector(".vw-output [data-testid='bias']", "e => Number(e.dataset.value)")
    keras_bias = default_site.model.get_layer("output").get_weights()[1][shown]
    assert abs(total - logits[shown]) <= TOLERANCE
    assert abs(bias - keras_bias) <= 1e-7
    assert abs(dot + bias - total) <= 1e-9
    if which == "predicted":
        screenshot(page, "view-output")
    assert log.errors == []


def test_flattened_elements_point_to_the_map_pixel_numpy_reshape_gives(page_and_log, default_site, keras_first):
    page, _ = page_and_log
    outputs, _ = keras_first
    source = outputs["max_pool_2"][0]
    shape = source.shape
    flat = outputs["flatten"][0]
    np.testing.assert_array_equal(flat, source.reshape(-1))  # Keras's own order is NumPy's row-major reshape
    open_output_view(page, default_site.spec["classes"][0])

    strip = page.locator("[data-testid='flatten-strip']").bounding_box()
    count = int(page.get_attribute("[data-testid='flatten-strip']", "data-count"))
    assert count == flat.size
    for index in (0, 1, 9, 10, 69, 70, 237, count - 1):
        y = strip["y"] + 2 + (index + 0.5) * (strip["height"] - 4) / count
        page.mouse.move(strip["x"] + 10, y)
        shown = hover_detail(page)
        assert abs(shown["index"] - index) <= 1, (index, shown)  # an element is under a pixel tall
        assert (shown["y"], shown["x"], shown["c"]) == np.unravel_index(shown["index"], shape)
        assert abs(shown["value"] - flat[shown["index"]]) <= TOLERANCE

    for y, x, c in ((0, 0, 0), (0, 1, 3), (2, 5, 9), (6, 6, 9)):
        frame = page.locator(".vo-maps .vmap-frame").nth(c).bounding_box()
        page.mouse.move(
            frame["x"] + (x + 0.5) * frame["width"] / shape[1], frame["y"] + (y + 0.5) * frame["height"] / shape[0]
        )
        shown = hover_detail(page)
        assert shown["index"] == np.ravel_multi_index((y, x, c), shape)
        assert abs(shown["value"] - source[y, x, c]) <= TOLERANCE


def test_softmax_view_gives_keras_probability_and_tfjs_output(page_and_log, default_site, keras_first):
    page, log = page_and_log
    outputs, logits = keras_first
    classes = default_site.spec["classes"]
    predicted = int(outputs["output"][0].argmax())
    open_output_view(page, classes[predicted])
    page_logits = np.array([value for _, value in read_values(page, ".vw-output [data-testid='logit']")])
    tfjs = np.array(page.evaluate("Array.from(window.explainer.activations('output').data)"))
    softmax = np.exp(page_logits - page_logits.max())
    softmax /= softmax.sum()
    assert np.abs(softmax - tfjs).max() <= 1e-6  # the page's logits are TF.js's, to float32 precision

    assert page.locator(".vh-panel .vh-scale").is_visible(), "the output view's maps have a colour switch"
    page.click(".vw-output .vo-next")
    page.wait_for_selector("[data-testid='softmax-result']")
    assert page.locator(".vh-panel:not(.is-leaving) .vh-scale").count() == 0, "no colour switch without maps"
    result = page.eval_on_selector("[data-testid='softmax-result']", "e => Number(e.dataset.value)")
    assert abs(result - outputs["output"][0][predicted]) <= TOLERANCE
    assert abs(result - tfjs[predicted]) <= 1e-6
    terms = read_values(page, "[data-testid='softmax-term']")
    assert [name for name, _ in terms] == classes
    for (name, value), expected in zip(terms, logits, strict=True):
        assert abs(value - expected) <= TOLERANCE, name
    numerator = page.eval_on_selector("[data-testid='softmax-numerator']", "e => Number(e.dataset.value)")
    assert abs(numerator - logits[predicted]) <= TOLERANCE

    other = classes[(predicted + 1) % len(classes)]
    page.hover(f"[data-testid='softmax-term'][data-class='{other}']")
    assert "is-linked" in page.get_attribute(f".vs-table tr[data-class='{other}']", "class")
    assert "is-linked" in page.get_attribute(f".class-row[data-class='{other}']", "class")
    page.hover(f".vs-table tr[data-class='{classes[predicted]}'] td.vs-prob")
    assert "is-linked" in page.get_attribute(
        f"[data-testid='softmax-term'][data-class='{classes[predicted]}']", "class"
    )
    screenshot(page, "view-softmax")
    assert log.errors == []


def test_article_renders_its_formulas_offline_with_bundled_fonts(page_and_log):
    page, log = page_and_log
    assert page.evaluate("location.protocol") == "file:"
    build_article(page)
    assert page.locator(".article .katex-display .katex-html").count() >= 8
    assert page.locator(".article .katex math").count() >= 8  # MathML for screen readers
    assert page.locator(".article .katex [style]").count() == 0  # the CSP forbids style attributes
    page.evaluate("document.getElementById('article-output').scrollIntoView()")
    missing = page.evaluate(
        """async () => {
          await document.fonts.ready;
          const faces = new Set();
          for (const face of document.fonts)
            if (face.status === "loaded") faces.add(`${face.family.replace(/"/g, "")}|${face.style}|${face.weight}`);
          const needed = new Set();
          for (const node of document.querySelectorAll(".article .katex-html *")) {
            if (![...node.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
            const style = getComputedStyle(node);
            const family = style.fontFamily.split(",")[0].replace(/"/g, "").trim();
            const weight = Number(style.fontWeight) >= 600 ? "700" : "400";
            needed.add(`${family}|${style.fontStyle}|${weight}`);
          }
          return [...needed].filter((key) => !faces.has(key));
        }"""
    )
    assert missing == []
    assert log.errors == []
    assert log.foreign_requests == []
    assert log.failed_requests == []


def test_layer_label_links_to_its_article_section(page_and_log):
    page, _ = page_and_log
    hash_before = page.evaluate("location.hash")
    page.click("[data-column='relu_1_1'] a.ov-label-name")
    page.wait_for_function(  # just below the contents bar, which stays at the top
        """() => { const top = document.getElementById('article-relu').getBoundingClientRect().top,
                   bar = document.querySelector('.article-toc').getBoundingClientRect().bottom;
                   return top >= bar - 1 && top < bar + 40; }""",
        timeout=5_000,
    )
    assert page.evaluate("document.activeElement.id") == "article-relu"
    # the hash keeps the page state, and now says where the reader is
    page.wait_for_function("() => location.hash.includes('section=relu')", timeout=5_000)
    kept = [key for key in hash_before.lstrip("#").split("&") if key and not key.startswith("section=")]
    assert all(key in page.evaluate("location.hash") for key in kept)


def set_playground(page, **values):
    for key, value in values.items():
        page.eval_on_selector(
            f"[data-testid='playground-{key}']",
            "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', {bubbles: true})); }",
            value,
        )


def test_playground_explains_invalid_hyper_parameters_in_words(page_and_log, default_site):
    page, log = page_and_log
    # scrolled to, then laid out: the article's sections off screen are skipped (content-visibility: auto), and
    # the text of a skipped section is not rendered, so innerText has none until the browser reaches it
    show_section(page, "hyperparameters")
    page.wait_for_function(
        """() => document.getElementById('article-hyperparameters').closest('section')
                   .checkVisibility({contentVisibilityAuto: true})"""
    )
    message = page.locator("[data-testid='playground-message']")
    output = page.locator("[data-testid='playground-output']")
    no_output = page.locator("[data-testid='playground-no-output']")
    total = page.locator("[data-testid='playground-sum']")
    set_playground(page, input=8, padding=0, kernel=3, stride=2)
    assert "stride 2 does not fit: (8 − 3 + 0) / 2 + 1 = 3.5" in message.inner_text()
    assert "1 column is left over" in message.inner_text()
    assert output.count() == 0 and no_output.inner_text() == "No output: the stride does not fit."
    assert total.inner_text() == "", "no output, no sum"
    set_playground(page, input=4, padding=0, kernel=5, stride=1)
    assert "kernel 5 is larger than the input 4" in message.inner_text()
    assert output.count() == 0 and no_output.inner_text() == "No output: the kernel does not fit."
    set_playground(page, input=7, padding=1, kernel=3, stride=1)  # an output, then the W = 3, K = 7
    assert output.count() == 1 and "(9 products)" in total.inner_text()
    set_playground(page, input=3, padding=0, kernel=7, stride=1)
    assert output.count() == 0 and total.inner_text() == "", "a sum from the previous settings stayed"

    # a kernel size the model has no filter of gets a classic kernel, said to be one
    set_playground(page, input=7, padding=0, kernel=5, stride=1)
    choice = page.locator("[data-testid='playground-kernel-choice']")
    assert choice.locator("option").all_inner_texts() == [
        "edge",
        "vertical edges",
        "horizontal edges",
        "blur",
        "sharpen",
    ]
    cells = page.eval_on_selector_all(
        "[data-testid='playground-kernel'] .pg-cell", "els => els.map(e => Number(e.dataset.value))"
    )
    assert cells == [24 if i == 12 else -1 for i in range(25)], "the 5 x 5 edge kernel"
    about = page.locator(".pg-about").inner_text()
    assert "a classic 5×5 edge kernel" in about and "not one of this model's: conv_1_1's filters are 3×3" in about
    set_playground(page, kernel=3)
    assert choice.input_value() == "filter:0", "back at the model's size, back to the model's filter"
    set_playground(page, kernel=5)
    choice.select_option("blur")
    assert page.eval_on_selector("[data-testid='playground-kernel'] .pg-cell", "e => Number(e.dataset.value)") == 1 / 25

    # the formula's fraction bar spans its numerator, not only the denominator
    bars = page.eval_on_selector_all(
        "[data-testid='playground-formula'] .mx-frac",
        "els => els.map(e => [e.querySelector('.mx-numer').getBoundingClientRect().width,"
        " e.querySelector('.mx-denom').getBoundingClientRect().width])",
    )
    assert len(bars) == 2 and all(denominator >= numerator > 0 for numerator, denominator in bars), bars
    set_playground(page, input=7, padding=1, kernel=3, stride=1)
    assert message.inner_text() == ""
    assert choice.input_value() == "blur", "the visitor's choice stays while it exists"
    choice.select_option("filter:0")
    size = page.eval_on_selector("[data-testid='playground-size']", "e => Number(e.dataset.value)")
    assert size == 7

    # the grids hold the model's numbers: conv_1_1's kernel and bias over a patch of the image / 255
    kernel, bias = default_site.model.get_layer("conv_1_1").get_weights()
    cells = page.eval_on_selector_all(
        "[data-testid='playground-kernel'] .pg-cell", "els => els.map(e => Number(e.dataset.value))"
    )
    np.testing.assert_allclose(np.reshape(cells, (3, 3)), kernel[:, :, 0, 0], atol=1e-7)
    page.click(".pg-toolbar .vbtn")  # pause, so that the window stays where it is read
    value, (row, col) = page.evaluate(
        """() => [Number(document.querySelector("[data-testid='playground-value']").dataset.value),
                  document.querySelector("[data-testid='playground-sum']").textContent
                    .match(/\\((\\d+), (\\d+)\\)/).slice(1).map(Number)]"""
    )
    padded = np.array(
        page.eval_on_selector_all(
            "[data-testid='playground-input'] .pg-cell", "els => els.map(e => Number(e.dataset.value))"
        )
    ).reshape(9, 9)
    image = default_site.pixels[0, :, :, 0] / 255.0
    inside = padded[1:-1, 1:-1]
    matches = [
        (top, left)
        for top in range(image.shape[0] - 6)
        for left in range(image.shape[1] - 6)
        if np.allclose(image[top : top + 7, left : left + 7], inside, atol=1e-6)
    ]
    assert matches, "the input grid is a patch of the image"
    expected = float((padded[row : row + 3, col : col + 3] * kernel[:, :, 0, 0]).sum() + bias[0])
    assert abs(value - expected) <= 1e-5
    page.evaluate("document.querySelector('.playground').scrollIntoView({block: 'center'})")
    screenshot(page, "article-playground")
    assert log.errors == []


def playground_patch_of(page, pixels) -> bool:
    """Whether the playground's input grid, without its padding cells, is a patch of `pixels` / 255."""
    cells = page.eval_on_selector_all(
        "[data-testid='playground-input'] .pg-cell:not(.is-pad)", "els => els.map(e => Number(e.dataset.value))"
    )
    side = int(round(len(cells) ** 0.5))
    grid, image = np.reshape(cells, (side, side)), pixels[:, :, 0] / 255.0
    return any(
        np.allclose(image[top : top + side, left : left + side], grid, atol=1e-6)
        for top in range(image.shape[0] - side + 1)
        for left in range(image.shape[1] - side + 1)
    )


def scroll_to_playground(page) -> None:
    """Scroll until the playground is on screen: the article's sections are laid out only near the screen
    (content-visibility: auto), so one scroll to it can land short, on the placeholder sizes above it."""
    show_section(page, "hyperparameters")
    page.wait_for_function(
        """() => {
          const playground = document.getElementById('playground');
          const box = playground.getBoundingClientRect();
          if (box.top < innerHeight && box.bottom > 0) return true;
          playground.scrollIntoView({behavior: 'instant', block: 'start'});
          return false;
        }""",
        polling=100,
    )


def test_the_playground_follows_the_image_on_screen_and_catches_up_when_scrolled_back(page_and_log, default_site):
    """It is drawn only near the screen: a new image while it is far away is drawn when it comes back."""
    page, log = page_and_log
    pixels = default_site.pixels
    input_cells = "[data-testid='playground-input'] .pg-cell"
    scroll_to_playground(page)
    page.wait_for_selector(input_cells)
    assert playground_patch_of(page, pixels[0])
    # its box reaches past the article's column; the section's paint containment must not cut its side off
    assert page.evaluate(
        """() => { const p = document.getElementById('playground'), box = p.getBoundingClientRect();
                   return p.contains(document.elementFromPoint(box.left + 2, box.top + box.height / 2)); }"""
    ), "the playground's left edge is clipped"
    page.evaluate("window.explainer.selectSample(1)")  # resolves once every part has drawn the new image
    assert playground_patch_of(page, pixels[1]) and not playground_patch_of(page, pixels[0])

    page.evaluate("window.scrollTo({top: 0, behavior: 'instant'})")
    page.wait_for_function(
        """() => new Promise((r) => new IntersectionObserver(([e], o) => { o.disconnect(); r(!e.isIntersecting); },
                 {rootMargin: '600px 0px'}).observe(document.getElementById('playground')))"""
    )
    page.evaluate("window.explainer.selectSample(2)")
    assert playground_patch_of(page, pixels[1]), "far from the screen, it keeps the image it showed"
    shown = page.eval_on_selector_all(input_cells, "els => els.map(e => e.dataset.value)")
    scroll_to_playground(page)
    page.wait_for_function(
        "([selector, shown]) => [...document.querySelectorAll(selector)].some((e, i) => e.dataset.value !== shown[i])",
        arg=[input_cells, shown],
    )
    assert playground_patch_of(page, pixels[2])
    assert log.errors == []


def test_colour_range_switch_sets_legends_from_the_activations(page_and_log, default_site, keras_first):
    page, _ = page_and_log
    outputs, _ = keras_first
    # Each map's largest magnitude: a range ends at the 90th percentile of its group's maps (nearest rank).
    maps = {name: np.abs(values[0]).reshape(-1, values.shape[-1]).max(axis=0) for name, values in outputs.items()}

    def legends():
        return page.eval_on_selector_all(
            "[data-testid='legend']", "els => els.map(e => [e.dataset.layers.split(' '), Number(e.dataset.max)])"
        )

    spatial = [layer["name"] for layer in default_site.spec["layers"] if len(layer["shape"]) == 3]
    for mode in ("layer", "block", "global"):
        page.check(f"input[name='color-mode'][value='{mode}']")
        shown = [(names, top) for names, top in legends() if names != ["input"]]
        covered = sorted(name for names, _ in shown for name in names)
        assert covered == sorted(spatial), mode
        if mode == "layer":
            assert all(len(names) == 1 for names, _ in shown)
        if mode == "global":
            assert len(shown) == 1
        for names, top in shown:
            extents = np.sort(np.concatenate([maps[name] for name in names]))
            expected = float(extents[int(np.ceil(0.9 * len(extents))) - 1])
            assert abs(top - expected) <= TOLERANCE * max(1.0, expected), (mode, names, top, expected)
    page.wait_for_function("() => location.hash.includes('colors=global')")  # the colour mode is part of the link


def hidden_dense_model():
    """12x12 RGB -> conv 4 (relu) -> max pool -> flatten -> dense 8 (relu, fused) -> dropout -> dense softmax (3)."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((12, 12, 3)),
            layers.Conv2D(4, 3, activation="relu", name="conv"),
            layers.MaxPooling2D(2, name="pool"),
            layers.Flatten(name="flatten"),
            layers.Dense(8, activation="relu", name="hidden"),
            layers.Dropout(0.5, name="dropout"),
            layers.Dense(3, activation="softmax", name="output"),
        ],
        name="hidden_dense",
    )


@pytest.fixture(scope="module")
def hidden_site(tmp_path_factory):
    import keras

    from .conftest import build_generated_site

    keras.utils.set_random_seed(5)
    return build_generated_site(tmp_path_factory.mktemp("hidden"), hidden_dense_model(), seed=5, size=12)


def test_a_hidden_dense_layer_is_explained_from_its_actual_input(browser, hidden_site):
    page, log = open_page(browser, (hidden_site.path / "index.html").as_uri())
    wait_ready(page)
    outputs = hidden_site.keras_outputs(hidden_site.pixels[:1])
    kernel, bias = hidden_site.model.get_layer("output").get_weights()
    logits = outputs["dropout"][0].astype(np.float64) @ kernel + bias  # dropout passes the hidden units through
    classes = hidden_site.spec["classes"]

    open_output_view(page, classes[1])
    assert page.get_attribute("[data-testid='flatten-strip']", "data-count") == "8"
    for name, value in read_values(page, ".vw-output [data-testid='logit']"):
        assert abs(value - logits[classes.index(name)]) <= TOLERANCE, name
    assert page.locator(".vo-maps").count() == 0  # it reads units, not maps
    page.keyboard.press("Escape")

    page.click("[data-layer='hidden_linear'][data-neuron='5']")  # the hidden layer's own sum, from the flattened maps
    page.wait_for_selector(".vw-output [data-testid='logit-total']")
    total = page.eval_on_selector(".vw-output [data-testid='logit-total']", "e => Number(e.dataset.value)")
    assert abs(total - outputs["hidden_linear"][0][5]) <= TOLERANCE
    assert page.get_attribute("[data-testid='flatten-strip']", "data-count") == str(outputs["flatten"].shape[1])
    assert page.locator(".vo-maps .vmap").count() == 4
    assert log.errors == []
    page.context.close()
