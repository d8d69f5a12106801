"""What "Your image" shows when things do not go to plan, checked on screen in real Chromium: a photo with nothing
to cut out (the panel shows no old answer beside it, the page says it still shows the previous image, and one button
shows the plain crop), Clear on the drawing pad (silent; the pad never moves under the pen; the network keeps the last
drawing, marked as such, until the next stroke), and the panel's arrow on a phone (it points at what follows).

Two pages serve every case, one on a desktop screen in English and one on a phone in Chinese."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from testkit.upload import (
    ALERT,
    FILE_INPUT,
    PREDICTION,
    as_input,
    expected_input,
    made_photo,
    model_input,
    save,
    upload,
)

from .conftest import PageLog, screenshot, wait_ready

pytestmark = pytest.mark.browser

INPUT = '[data-testid="upload-preprocessed"]'
NOTES = '[data-testid="upload-notes"]'
PREPARE = '[data-testid="upload-prepare"]'
PAD = '[data-testid="drawing-pad"]'
CLEAR = '[data-testid="draw-clear"]'
USE = '[data-testid="draw-use"]'
TOGGLE = '[data-testid="draw-toggle"]'
PREVIEW = '[data-testid="upload-preview"]'
ARROW = '[data-testid="upload-arrow"]'
SEEN_CAPTION = '[data-testid="upload-caption"]'


def _open(browser, url: str, **context_options):
    """A page at `url`, ready, in a context made with `context_options`, its console errors in `page.log`."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.log = PageLog()
    page.on("console", lambda message: message.type == "error" and page.log.errors.append(message.text))
    page.on("pageerror", lambda error: page.log.errors.append(str(error)))
    page.goto(url)
    wait_ready(page)
    return page


@pytest.fixture(scope="module")
def desk(browser, default_site):
    """The default explainer on a desktop screen, in English."""
    page = _open(browser, (default_site.path / "index.html").as_uri(), viewport={"width": 1400, "height": 900})
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def phone(browser, default_site):
    """The default explainer on a phone (390 x 844, touch), in Chinese."""
    page = _open(
        browser,
        (default_site.path / "index.html").as_uri() + "#lang=zh",
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    yield page
    page.context.close()


def box(page, selector: str) -> dict:
    """The element's box in the window (where the pen meets it)."""
    return page.locator(selector).bounding_box()


def placed(page, selector: str) -> dict:
    """The element's box in the page, which scrolling (a click on a button out of view) does not change."""
    at = box(page, selector)
    x, y = page.evaluate("[scrollX, scrollY]")
    return {**at, "x": at["x"] + x, "y": at["y"] + y}


def canvas_levels(page, selector: str) -> np.ndarray:
    """The red channel of the canvas at `selector` (grey levels for the grey pictures here), H x W."""
    data = page.evaluate(
        """(selector) => { const c = document.querySelector(selector);
             return [c.height, c.width, Array.from(c.getContext("2d").getImageData(0, 0, c.width, c.height).data)]; }""",
        selector,
    )
    height, width, rgba = data
    return np.asarray(rgba, dtype=np.uint8).reshape(height, width, 4)[..., 0]


def levels(values: np.ndarray) -> np.ndarray:
    """The grey levels of a model input as the page reads it (H x W x 1 floats in 0..1)."""
    return np.rint(values[..., 0] * 255).astype(np.uint8)


def answer(default_site, values: np.ndarray) -> str:
    """The class Keras predicts for the model input `values` (H x W x C floats)."""
    scores = default_site.model.predict(values[None].astype(np.float32), verbose=0)[0]
    return default_site.spec["classes"][int(scores.argmax())]


def stroke(page, points: list[tuple[float, float]]) -> None:
    """Draw through `points` (fractions of the pad, measured in the window as the stroke begins) with the mouse."""
    page.locator(PAD).evaluate("(pad) => pad.scrollIntoView({ block: 'center', behavior: 'instant' })")
    pad = box(page, PAD)
    assert pad["y"] >= 0 and pad["y"] + pad["height"] <= page.viewport_size["height"], "the whole pad in view"
    at = [(pad["x"] + pad["width"] * x, pad["y"] + pad["height"] * y) for x, y in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for point in at[1:]:
        page.mouse.move(*point, steps=6)
    page.mouse.up()


def switch(page, code: str) -> None:
    """Switch the page's language to `code` (what the visitor made stays as it was)."""
    page.select_option('[data-testid="language"]', code)
    page.wait_for_function("(code) => document.documentElement.lang === code", arg=code)


def open_empty_pad(page) -> dict:
    """Open the drawing pad, cleared; returns its box in the page (placed)."""
    if page.get_attribute(TOGGLE, "aria-pressed") != "true":
        page.click(TOGGLE)
    page.click(CLEAR)
    return placed(page, PAD)


INPUT_SUM = "() => window.explainer.activations('input').data.reduce((a, b) => a + b, 0)"


def wait_for_input_change(page, before: float) -> None:
    """Wait until the network shows an own image whose input sums to other than `before` (page.evaluate(INPUT_SUM)),
    and the alert is empty."""
    page.wait_for_function(
        f"(before) => window.explainer.state.get().sample === null && ({INPUT_SUM})() !== before",
        arg=before,
        timeout=20_000,
    )
    page.wait_for_function(f"() => document.querySelector('{ALERT}').textContent === ''", timeout=10_000)


# ---- item 4: a photo with nothing to cut out ----


def test_a_photo_with_nothing_to_cut_out_keeps_no_old_answer_beside_it_and_offers_the_plain_crop(
    desk, default_site, tmp_path
):
    page = desk
    page.evaluate(f"document.querySelector('{PREPARE}').checked = true")
    path, _, _ = made_photo(0, inverted=True, tmp_path=tmp_path)  # a dark ankle boot on a light background
    upload(page, path)
    boot = model_input(page, default_site)
    boot_answer = page.locator(PREDICTION).inner_text().strip()
    assert boot_answer == "Ankle boot"
    assert np.array_equal(canvas_levels(page, INPUT), levels(boot)), "the panel shows what the network is shown"

    wall = Image.new("RGB", (300, 200), (180, 170, 160))
    page.set_input_files(FILE_INPUT, str(save(wall, tmp_path / "wall.png")))
    page.wait_for_function(f"() => document.querySelector('{ALERT}').textContent.includes('stands out')")
    said = page.locator(ALERT).inner_text()
    assert "Nothing in this picture stands out from its background" in said
    assert "The prediction and the network still show the previous image." in said
    # the panel shows the new picture with nothing beside it: no arrow, no boot, no notes
    assert page.locator(f"figure:has({PREVIEW}) figcaption").inner_text() == "wall.png, 300 × 200"
    assert not page.locator(INPUT).is_visible(), "the boot's input is not shown beside the wall"
    assert page.locator(SEEN_CAPTION).inner_text() == "Not shown to the network"
    assert not page.locator(ARROW).is_visible()
    assert page.locator(NOTES).inner_text() == ""
    # the rest of the page still shows the boot, as the alert says
    assert page.locator(PREDICTION).inner_text().strip() == boot_answer
    assert page.get_by_role("button", name="Your image", exact=True).get_attribute("aria-pressed") == "true"
    assert np.array_equal(model_input(page, default_site), boot)
    screenshot(page, "own-image-nothing-stands-out")
    switch(page, "zh")  # the panel is built again in Chinese, as it was
    assert "预测和网络显示的仍是上一张图像。" in page.locator(ALERT).inner_text()
    assert page.locator(SEEN_CAPTION).inner_text() == "没有交给网络" and not page.locator(INPUT).is_visible()
    switch(page, "en")

    # one button shows the picture's plain crop, and everything on screen then says so
    before = page.evaluate(INPUT_SUM)
    page.locator(ALERT).get_by_role("button", name="Use its centre square instead", exact=True).click()
    wait_for_input_change(page, before)
    size = default_site.spec["input"]["shape"][0]
    plain = expected_input(wall, size)
    assert np.array_equal(model_input(page, default_site), as_input(plain))
    assert not page.locator(ALERT).is_visible()
    assert not page.is_checked(PREPARE), "the checkbox says what was done"
    assert page.locator(INPUT).is_visible() and np.array_equal(canvas_levels(page, INPUT), plain)
    assert page.locator(SEEN_CAPTION).inner_text() == "As the network sees it"
    assert page.locator(ARROW).is_visible()
    assert page.get_attribute(PREVIEW, "aria-label") == "wall.png, with the centre crop outlined"
    assert "Unlike the training images: 100% of this input's pixels are lit" in page.locator(NOTES).inner_text()
    assert page.locator(PREDICTION).inner_text().strip() == answer(default_site, as_input(plain))
    page.check(PREPARE)
    assert page.log.errors == []


# ---- item 6: Clear on the drawing pad ----


def test_clear_is_silent_the_pad_stays_under_the_pen_and_the_last_drawing_stays_marked_until_the_next_stroke(
    desk, default_site
):
    page = desk
    pad = open_empty_pad(page)
    stroke(page, [(0.5, 0.15), (0.5, 0.85)])
    page.wait_for_function("() => window.explainer.state.get().sample === null")
    page.wait_for_function(f"() => document.querySelector('{SEEN_CAPTION}').textContent === 'As the network sees it'")
    assert placed(page, PAD) == pad, "the first stroke does not move the pad"
    drawn = model_input(page, default_site)
    drawn_answer = page.locator(PREDICTION).inner_text().strip()
    assert np.array_equal(canvas_levels(page, INPUT), levels(drawn))

    page.click(CLEAR)
    assert placed(page, PAD) == pad, "Clear does not move the pad"
    assert page.locator(ALERT).inner_text() == "" and not page.locator(ALERT).is_visible(), "Clear is silent"
    assert canvas_levels(page, PAD).max() == 0, "the pad is empty"
    # the network keeps the last drawing, and the panel says so beside the empty pad
    assert page.locator(PREDICTION).inner_text().strip() == drawn_answer
    assert np.array_equal(model_input(page, default_site), drawn)
    assert page.locator(INPUT).is_visible() and np.array_equal(canvas_levels(page, INPUT), levels(drawn))
    assert page.locator(SEEN_CAPTION).inner_text() == "Your last drawing, still shown"
    assert not page.locator(ARROW).is_visible(), "no arrow from the empty pad to the last drawing"
    screenshot(page, "own-image-cleared")
    switch(page, "zh")
    assert page.locator(SEEN_CAPTION).inner_text() == "你的上一幅画（仍在显示）"
    assert np.array_equal(canvas_levels(page, INPUT), levels(drawn)) and canvas_levels(page, PAD).max() == 0
    switch(page, "en")
    assert placed(page, PAD) == pad

    # the next stroke lands where the pen is, and the network follows it
    before = page.evaluate(INPUT_SUM)
    stroke(page, [(0.2, 0.7), (0.8, 0.7)])
    wait_for_input_change(page, before)
    assert placed(page, PAD) == pad
    ink = canvas_levels(page, PAD)
    side = ink.shape[0]
    row = round(0.7 * side)
    assert ink[row, round(0.3 * side) : round(0.7 * side)].min() == 255, "the stroke is where the pen went"
    assert ink[: row - side // 10].max() == 0, "and nowhere above it"
    second = model_input(page, default_site)
    assert page.locator(SEEN_CAPTION).inner_text() == "As the network sees it"
    assert np.array_equal(canvas_levels(page, INPUT), levels(second))
    assert page.locator(PREDICTION).inner_text().strip() == answer(default_site, second)

    # "Use drawing" on an empty pad says so beside the pad, which stays where it is
    page.click(CLEAR)
    page.click(USE)
    assert page.locator(ALERT).inner_text() == "The pad is empty: draw something first."
    assert placed(page, PAD) == pad
    assert placed(page, ALERT)["y"] >= pad["y"], "messages are never above the pad"
    # closed and opened again with nothing on the pad: nothing is claimed to be what the network sees
    page.click(TOGGLE)
    page.click(TOGGLE)
    assert page.locator(SEEN_CAPTION).inner_text() == "Nothing drawn yet"
    assert not page.locator(INPUT).is_visible()
    assert page.log.errors == []


# ---- item 9c and item 6 on a phone ----


def test_on_a_phone_the_arrow_points_from_the_photo_to_what_the_network_sees(phone, tmp_path):
    page = phone
    path, _, _ = made_photo(0, inverted=True, tmp_path=tmp_path)
    named = path.rename(Path(tmp_path) / "a-photo-of-my-ankle-boot-from-the-shop.png")  # a long caption
    upload(page, named)
    source = box(page, PREVIEW)
    arrow = box(page, ARROW)
    seen = box(page, INPUT)
    assert page.locator(ARROW).is_visible()
    assert source["x"] + source["width"] <= arrow["x"] and arrow["x"] + arrow["width"] <= seen["x"], (source, seen)
    middle = arrow["y"] + arrow["height"] / 2
    for figure in (source, seen):
        assert figure["y"] <= middle <= figure["y"] + figure["height"], "the arrow, the photo and the input in a row"
    assert page.evaluate(f"new DOMMatrix(getComputedStyle(document.querySelector('{ARROW}')).transform).a") == 1
    screenshot(page, "own-image-phone-photo")
    assert page.log.errors == []


def test_on_a_phone_the_pad_stays_under_the_pen_and_the_arrow_points_down_at_what_the_network_sees(phone):
    page = phone
    pad = open_empty_pad(page)
    stroke(page, [(0.3, 0.2), (0.3, 0.8)])
    page.wait_for_function("() => window.explainer.state.get().sample === null")
    page.wait_for_function(f"() => document.querySelector('{ALERT}').textContent === ''")
    assert placed(page, PAD) == pad
    arrow = placed(page, ARROW)
    seen = placed(page, INPUT)
    assert page.locator(ARROW).is_visible()
    assert pad["y"] + pad["height"] <= arrow["y"] and arrow["y"] + arrow["height"] <= seen["y"], "pad, arrow, input"
    assert seen["x"] <= arrow["x"] + arrow["width"] / 2 <= seen["x"] + seen["width"], "the arrow is above the input"
    turn = page.evaluate(f"new DOMMatrix(getComputedStyle(document.querySelector('{ARROW}')).transform).b")
    assert turn == pytest.approx(1), "the arrow (→) turned a quarter clockwise points down"
    screenshot(page, "own-image-phone-drawing")

    page.click(CLEAR)
    assert placed(page, PAD) == pad and not page.locator(ALERT).is_visible()
    page.click(USE)
    assert page.locator(ALERT).inner_text() == "画板是空的：先画点什么吧。"
    assert placed(page, PAD) == pad and placed(page, ALERT)["y"] > pad["y"] + pad["height"]
    before = page.evaluate(INPUT_SUM)
    stroke(page, [(0.2, 0.5), (0.8, 0.5)])  # not the same line moved: drawings are centred
    wait_for_input_change(page, before)
    assert placed(page, PAD) == pad
    assert page.log.errors == []
