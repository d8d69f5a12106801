"""A visitor's own image in real Chromium: opened, dropped, pasted or drawn, preprocessed as documented in
frontend/src/image/preprocess.js, then run by TF.js exactly as Keras runs the same input."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

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
    wait_for_own_image,
)

from .conftest import browser_activations, open_page, screenshot, wait_ready

pytestmark = pytest.mark.browser

# ---- images ----


def trouser(size: int = 28) -> Image.Image:
    """A light trouser-like shape on black, grey, like Fashion-MNIST's."""
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    draw.rectangle([9, 3, 18, 8], fill=225)
    draw.polygon([(9, 8), (13, 8), (12, 25), (8, 25)], fill=210)
    draw.polygon([(14, 8), (18, 8), (19, 25), (15, 25)], fill=210)
    return image


def photo(width: int = 600, height: int = 400) -> Image.Image:
    """An RGB photo-like picture: a textured light background and a dark, thin-strapped bag in the middle."""
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([200 + 40 * np.sin(x / 37.0), 190 + 30 * np.cos(y / 23.0), 175 + 20 * np.sin((x + y) / 50.0)], -1)
    image = Image.fromarray(rgb.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    cx, cy = width // 2, height // 2
    draw.rectangle([cx - 110, cy - 40, cx + 110, cy + 150], fill=(60, 40, 30))
    draw.arc([cx - 70, cy - 140, cx + 70, cy + 10], 180, 360, fill=(60, 40, 30), width=3)
    return image


def transparent_sticker() -> Image.Image:
    """A 50 x 80 RGBA image: a dark opaque disc on a fully transparent background (which becomes white)."""
    image = Image.new("RGBA", (50, 80), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([8, 23, 42, 57], fill=(30, 30, 120, 255))
    return image


def tiny() -> Image.Image:
    """A 12 x 9 RGB image, enlarged (bilinear) to the model's size."""
    rng = np.random.default_rng(3)
    return Image.fromarray(rng.integers(0, 256, (9, 12, 3), dtype=np.uint8))


# ---- page helpers ----


@pytest.fixture
def photo_page(browser, default_site):
    """The default explainer, which prepares photos like its training images (image/photo.js)."""
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    page.log = log
    yield page
    page.context.close()


@pytest.fixture
def page(photo_page):
    """The default explainer with "Prepare like the training images" unticked: a plain centre crop and resize,
    whose arithmetic (shared with the builder, preprocess.js and builder/resize.py) most tests here check."""
    photo_page.evaluate("document.querySelector('[data-testid=\"upload-prepare\"]').checked = false")
    return photo_page


@pytest.fixture(scope="session")
def keras_layers(default_site):
    """Every spec layer's output, computed by Keras, for one float input (H x W x C) as the browser made it."""
    from testkit.reference import outputs_for_input

    def run(values: np.ndarray) -> dict[str, np.ndarray]:
        outputs = outputs_for_input(default_site.model, default_site.spec, values[None].astype(np.float32))
        return {name: output[0] for name, output in outputs.items()}

    return run


def assert_network_equals_keras(page, default_site, keras_layers) -> None:
    """Every layer TF.js computed for the shown input equals Keras's for the same input; so does the prediction."""
    values = model_input(page, default_site)
    expected = keras_layers(values)
    for name, output in expected.items():
        shape, actual = browser_activations(page, name)
        assert shape == list(output.shape), name
        difference = np.abs(actual - output.ravel()).max()
        assert difference <= 1e-4, f"layer {name}: max abs difference {difference}"
    classes = default_site.spec["classes"]
    assert page.locator(PREDICTION).inner_text().strip() == classes[int(expected["output"].argmax())]


def assert_input_close(actual: np.ndarray, expected: np.ndarray) -> None:
    """Equal up to one level in a few pixels (another decoder, or a bilinear sum landing on .5 in floating point)."""
    levels = np.rint(actual[..., 0] * 255).astype(int)
    difference = np.abs(levels - expected.astype(int))
    assert difference.max() <= 1, difference.max()
    assert (difference == 0).mean() >= 0.99


# ---- tests ----


def test_png_of_the_model_size_reaches_the_network_unchanged(page, default_site, keras_layers, tmp_path):
    image = trouser()
    upload(page, save(image, tmp_path / "trouser.png"))
    values = model_input(page, default_site)
    expected = np.asarray(image, dtype=np.float32)[..., None] / np.float32(255)
    assert np.array_equal(values, expected)
    assert_network_equals_keras(page, default_site, keras_layers)
    assert page.locator(ALERT).inner_text() == ""
    assert page.get_by_role("button", name="Your image", exact=True).get_attribute("aria-pressed") == "true"
    screenshot(page, "upload-png")
    assert page.log.errors == []


def test_jpeg_is_decoded_like_pillow_decodes_it(page, default_site, keras_layers, tmp_path):
    path = save(trouser(), tmp_path / "trouser.jpg", quality=90)
    upload(page, path)
    decoded = np.asarray(Image.open(path).convert("L"))
    assert_input_close(model_input(page, default_site), decoded)
    assert_network_equals_keras(page, default_site, keras_layers)


@pytest.mark.parametrize(
    "name, make",
    [("photo.png", photo), ("sticker.png", transparent_sticker)],
    ids=["600x400-rgb", "transparent-on-white"],
)
def test_shrunk_image_is_cropped_area_averaged_and_greyed_exactly_as_documented(
    page, default_site, keras_layers, tmp_path, name, make
):
    image = make()
    upload(page, save(image, tmp_path / name))
    size = default_site.spec["input"]["shape"][0]
    assert np.array_equal(model_input(page, default_site), as_input(expected_input(image, size)))
    assert_network_equals_keras(page, default_site, keras_layers)


def test_small_image_is_enlarged_bilinearly(page, default_site, keras_layers, tmp_path):
    image = tiny()
    upload(page, save(image, tmp_path / "tiny.png"))
    size = default_site.spec["input"]["shape"][0]
    assert_input_close(model_input(page, default_site), expected_input(image, size))
    assert_network_equals_keras(page, default_site, keras_layers)


def test_thin_lines_survive_shrinking(page, default_site, tmp_path):
    """A 1-pixel line in a 280 x 280 image still shows at a tenth of its brightness (nearest-neighbour drops it)."""
    image = Image.new("L", (280, 280), 0)
    ImageDraw.Draw(image).line([(143, 0), (143, 279)], fill=255)
    upload(page, save(image, tmp_path / "line.png"))
    column = model_input(page, default_site)[:, 14, 0]
    assert np.allclose(column, 26 / 255)


def test_invert_turns_the_input_into_its_negative(page, default_site, keras_layers, tmp_path):
    image = photo()
    upload(page, save(image, tmp_path / "photo.png"))
    plain = model_input(page, default_site)
    page.get_by_label("Invert colours").check()
    page.wait_for_function(
        "(v) => window.explainer.activations('input').data[0] !== v", arg=float(plain.ravel()[0]), timeout=10_000
    )
    inverted = model_input(page, default_site)
    assert np.allclose(inverted, 1 - plain, atol=1e-6)
    size = default_site.spec["input"]["shape"][0]
    assert np.array_equal(inverted, as_input(expected_input(image, size, invert=True)))
    assert_network_equals_keras(page, default_site, keras_layers)


def test_very_large_photo_is_scaled_down_first_and_stays_responsive(page, default_site, tmp_path):
    image = photo(6000, 4000)
    path = save(image, tmp_path / "big.jpg", quality=85)
    page.evaluate("""() => {
        window.__longest = 0;
        new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
        }).observe({ type: "longtask" });
    }""")
    upload(page, path)
    size = default_site.spec["input"]["shape"][0]
    levels = model_input(page, default_site)[..., 0] * 255
    reference = expected_input(image.resize((1008, 672), Image.Resampling.BOX), size)
    assert np.abs(levels - reference).mean() < 2, "the browser's first scaling step is a good one"
    longest = page.evaluate("window.__longest")
    assert longest < 2000, f"the main thread was blocked for {longest:.0f} ms"
    assert page.locator(".own-figure figcaption").first.inner_text() == "big.jpg, 6000 × 4000"


def _state(page, default_site):
    return (
        page.locator(PREDICTION).inner_text(),
        model_input(page, default_site),
        browser_activations(page, "output")[1],
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.txt", b"Just some notes, not a picture.\n", "notes.txt is not an image this browser can read"),
        ("broken.png", None, "broken.png is not an image this browser can read (PNG, JPEG, WebP, GIF, BMP)"),
        ("empty.png", b"", "empty.png is empty (0 bytes)."),
    ],
    ids=["text", "truncated-png", "empty"],
)
def test_unreadable_file_gets_an_alert_and_leaves_the_view_as_it_was(
    page, default_site, tmp_path, name, content, message
):
    if content is None:
        whole = io.BytesIO()
        photo().save(whole, format="PNG")
        content = whole.getvalue()[: len(whole.getvalue()) // 2]
    path = tmp_path / name
    path.write_bytes(content)
    page.evaluate("window.explainer.selectSample(3)")
    before = _state(page, default_site)
    page.set_input_files(FILE_INPUT, str(path))
    alert = page.locator(ALERT)
    alert.wait_for(state="visible", timeout=10_000)
    assert message in alert.inner_text().replace("\u2068", "").replace("\u2069", "")  # the name's isolates
    assert alert.get_attribute("role") == "alert"
    after = _state(page, default_site)
    assert after[0] == before[0]
    assert np.array_equal(after[1], before[1]) and np.array_equal(after[2], before[2])
    assert page.evaluate("window.explainer.state.get().sample") == 3
    if name == "notes.txt":
        screenshot(page, "upload-error")
    assert page.log.errors == []


def test_file_over_50_mb_is_refused_before_reading(page, tmp_path):
    path = tmp_path / "huge.png"
    with path.open("wb") as file:
        file.truncate(51 * 1024 * 1024)
    page.set_input_files(FILE_INPUT, str(path))
    page.locator(ALERT).wait_for(state="visible", timeout=10_000)
    shown = page.locator(ALERT).inner_text()
    assert shown == "\u2068huge.png\u2069 is 51 MB: images up to 50 MB can be read here.", "the name is isolated"


def test_open_button_is_keyboard_accessible(page, default_site, tmp_path):
    path = save(trouser(), tmp_path / "trouser.png")
    choosers = []
    # Listening before the key press makes Chromium hand the dialog to Playwright.
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    page.get_by_role("button", name="Open image…", exact=True).focus()
    page.keyboard.press("Enter")
    for _ in range(100):
        if choosers:
            break
        page.wait_for_timeout(100)
    assert choosers, "Enter on the focused button opens the file chooser"
    choosers[0].set_files(str(path))
    wait_for_own_image(page)
    assert np.array_equal(model_input(page, default_site)[..., 0], np.asarray(trouser()) / np.float32(255))


def _in_page_file(page, image: Image.Image, name: str) -> None:
    """Make `window.__file`, a File holding `image` as PNG."""
    data = io.BytesIO()
    image.save(data, format="PNG")
    page.evaluate(
        """([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            window.__file = new File([bytes], name, { type: "image/png" });
        }""",
        [name, base64.b64encode(data.getvalue()).decode()],
    )


def test_dropped_image_is_explained_after_a_visible_drop_target(page, default_site, keras_layers):
    image = photo()
    _in_page_file(page, image, "dropped.png")
    page.evaluate("""() => {
        window.__transfer = new DataTransfer();
        window.__transfer.items.add(window.__file);
        const options = { dataTransfer: window.__transfer, bubbles: true, cancelable: true };
        document.querySelector("main").dispatchEvent(new DragEvent("dragenter", options));
        document.querySelector("main").dispatchEvent(new DragEvent("dragover", options));
    }""")
    assert page.locator(".drop-target").is_visible()
    page.evaluate("""() => document.querySelector("#overview").dispatchEvent(
        new DragEvent("drop", { dataTransfer: window.__transfer, bubbles: true, cancelable: true }))""")
    wait_for_own_image(page)
    assert not page.locator(".drop-target").is_visible()
    size = default_site.spec["input"]["shape"][0]
    assert np.array_equal(model_input(page, default_site), as_input(expected_input(image, size)))
    assert_network_equals_keras(page, default_site, keras_layers)


def test_pasted_image_is_explained(page, default_site, keras_layers):
    image = transparent_sticker()
    _in_page_file(page, image, "image.png")
    page.evaluate("""() => {
        const clipboard = new DataTransfer();
        clipboard.items.add(window.__file);
        document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: clipboard, bubbles: true, cancelable: true }));
    }""")
    wait_for_own_image(page)
    size = default_site.spec["input"]["shape"][0]
    assert np.array_equal(model_input(page, default_site), as_input(expected_input(image, size)))
    assert_network_equals_keras(page, default_site, keras_layers)


def test_own_image_stays_in_the_picker_and_the_url_says_upload(page, default_site, tmp_path):
    image = trouser()
    upload(page, save(image, tmp_path / "trouser.png"))
    page.wait_for_function("() => location.hash.includes('sample=upload')", timeout=5_000)
    page.evaluate("window.explainer.selectSample(0)")
    own = page.get_by_role("button", name="Your image", exact=True)
    assert own.get_attribute("aria-pressed") == "false"
    own.click()
    wait_for_own_image(page)
    assert own.get_attribute("aria-pressed") == "true"
    assert np.array_equal(model_input(page, default_site)[..., 0], np.asarray(image) / np.float32(255))


def test_link_to_an_upload_falls_back_to_the_first_sample_and_says_so(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri() + "#sample=upload")
    wait_ready(page)
    notice = page.locator("#notice")
    assert "image of your own" in notice.inner_text()
    first = default_site.keras_outputs(default_site.pixels[:1])
    assert np.array_equal(model_input(page, default_site), first["input"][0])
    assert log.errors == []
    page.context.close()


def test_drawing_pad_sketch_is_explained_as_keras_would(page, default_site, keras_layers):
    page.get_by_role("button", name="Draw", exact=True).click()
    pad = page.locator('[data-testid="drawing-pad"]').bounding_box()
    for x in (0.38, 0.62):
        page.mouse.move(pad["x"] + pad["width"] * x, pad["y"] + pad["height"] * 0.12)
        page.mouse.down()
        for step in range(1, 16):
            page.mouse.move(pad["x"] + pad["width"] * x, pad["y"] + pad["height"] * (0.12 + step * 0.05))
        page.mouse.up()
    page.mouse.move(pad["x"] + pad["width"] * 0.38, pad["y"] + pad["height"] * 0.14)
    page.mouse.down()
    page.mouse.move(pad["x"] + pad["width"] * 0.62, pad["y"] + pad["height"] * 0.14, steps=8)
    page.mouse.up()
    wait_for_own_image(page)
    values = model_input(page, default_site)
    assert values.max() == 1 and values[0, 0, 0] == 0, "white strokes on black"
    assert (values > 0.5).sum() > 40
    assert_network_equals_keras(page, default_site, keras_layers)
    screenshot(page, "drawing-pad")

    page.locator('[data-testid="draw-clear"]').focus()
    page.keyboard.press("Enter")
    page.locator('[data-testid="draw-use"]').focus()
    page.keyboard.press("Enter")
    assert page.locator(ALERT).inner_text() == "The pad is empty: draw something first."
    assert np.array_equal(model_input(page, default_site), values), "a blank pad is not predicted"
    assert page.log.errors == []


# ---- photos prepared like the training images (image/photo.js) ----


def test_a_photo_of_a_dark_item_is_inverted_cut_out_and_centred_as_the_page_module_does(
    photo_page, default_site, keras_layers, tmp_path
):
    from testkit.photos import prepare_in_node

    page = photo_page
    path, made, original = made_photo(0, inverted=True, tmp_path=tmp_path)
    upload(page, path)
    size = default_site.spec["input"]["shape"][0]
    expected = prepare_in_node([made], default_site.spec["input"]["photo"], size, tmp_path)[0]
    assert np.array_equal(model_input(page, default_site), as_input(expected[..., 0]))
    assert_network_equals_keras(page, default_site, keras_layers)
    classes = default_site.spec["classes"]
    answer = default_site.model.predict(original[None].astype(np.float32) / np.float32(255), verbose=0).argmax()
    assert page.locator(PREDICTION).inner_text().strip() == classes[int(answer)], "the original image's answer"
    notes = page.locator('[data-testid="upload-notes"]').inner_text()
    assert "so the picture was inverted" in notes and "centred" in notes
    assert not page.get_by_label("Invert colours").is_visible(), "prepared, the page inverts by the background"
    assert "The model can only answer with its 10 classes" in page.locator("#own-panel").inner_text()
    screenshot(page, "photo-prepared")

    page.get_by_label("Prepare like the training images").uncheck()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"upload-notes\"]').textContent.includes('centred')"
    )
    plain = np.asarray(Image.open(path).convert("RGB"))
    assert np.array_equal(
        model_input(page, default_site), as_input(expected_input(Image.fromarray(plain), size, invert=True))
    ), "unticked: the plain crop and resize, still inverted"
    assert page.get_by_label("Invert colours").is_checked(), "the choice made from the background, to change"
    assert page.log.errors == []


def test_a_light_item_is_not_inverted_a_blank_picture_not_predicted_and_an_unusual_one_flagged(
    photo_page, default_site, tmp_path
):
    page = photo_page
    path, _, _ = made_photo(1, inverted=False, tmp_path=tmp_path)
    upload(page, path)
    notes = page.locator('[data-testid="upload-notes"]')
    assert "so the picture was not inverted" in notes.inner_text()

    # a square that fills its prepared input: lit far more than any training image
    image = Image.new("L", (200, 200), 240)
    ImageDraw.Draw(image).rectangle([40, 40, 160, 160], fill=20)
    upload(page, save(image, tmp_path / "square.png"))
    low, high = default_site.spec["input"]["photo"]["lit"]
    assert (
        "Unlike the training images: 100% of this input's pixels are lit (above level 32 of 255)" in notes.inner_text()
    )
    assert f"between {round(100 * low)}% and {round(100 * high)}% are" in notes.inner_text()

    # nothing on it: the explainer keeps what it showed
    before = model_input(page, default_site)
    page.set_input_files(FILE_INPUT, str(save(Image.new("RGB", (300, 200), (180, 170, 160)), tmp_path / "wall.png")))
    page.wait_for_function(f"() => document.querySelector('{ALERT}').textContent.includes('stands out')")
    assert "Nothing in this picture stands out from its background" in page.locator(ALERT).inner_text()
    assert np.array_equal(model_input(page, default_site), before)

    page.get_by_label("Prepare like the training images").uncheck()
    assert not page.get_by_label("Invert colours").is_checked(), "unticked, the visitor inverts"


def test_the_drawing_pad_is_big_enough_to_draw_on(photo_page):
    page = photo_page
    page.get_by_role("button", name="Draw", exact=True).click()
    box = page.locator('[data-testid="drawing-pad"]').bounding_box()
    assert box["width"] >= 280 and box["height"] >= 280
    page.get_by_role("button", name="Use drawing", exact=True).click()
    assert page.locator(ALERT).inner_text() == "The pad is empty: draw something first."


# ---- an image by its address ----


@pytest.fixture(scope="module")
def other_site(tmp_path_factory):
    """A second local server, another origin than the page's: under /shared/ it lets other pages read what it sends
    (Access-Control-Allow-Origin: *), under /private/ it does not; /shared/huge.png says it is 51 MB."""
    import functools
    import http.server
    import threading

    folder = tmp_path_factory.mktemp("other-site")
    for part in ("shared", "private"):
        (folder / part).mkdir()
        save(trouser(), folder / part / "trouser.png")
        (folder / part / "page.html").write_text("<!doctype html><p>not an image</p>")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            if self.path.startswith("/shared/"):
                self.send_header("Access-Control-Allow-Origin", "*")
            super().end_headers()

        def do_GET(self):
            if self.path == "/shared/huge.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(51 * 1024 * 1024))
                self.end_headers()
                self.wfile.write(b"\x89PNG")
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _alert_after(page, act) -> str:
    """The alert's text once `act()` has put one there."""
    page.evaluate("document.querySelector('[data-testid=\"upload-error\"]').replaceChildren()")
    act()
    page.wait_for_function("() => document.querySelector('[data-testid=\"upload-error\"]').textContent !== ''")
    return page.locator(ALERT).inner_text().replace("\u2068", "").replace("\u2069", "")  # names' isolates


def test_an_image_by_its_address_typed_pasted_or_dropped_is_read_as_the_file_is(
    page, default_site, keras_layers, tmp_path, other_site
):
    upload(page, save(trouser(), tmp_path / "trouser.png"))
    uploaded = model_input(page, default_site)
    address = f"{other_site}/shared/trouser.png"
    field = page.locator('[data-testid="image-url"]')
    ways = {
        "typed": lambda: (field.fill(address), field.press("Enter")),
        "pasted": lambda: page.evaluate(
            """(address) => {
                const clipboard = new DataTransfer();
                clipboard.setData("text/plain", address);
                document.body.dispatchEvent(new ClipboardEvent("paste", { clipboardData: clipboard, bubbles: true, cancelable: true }));
            }""",
            address,
        ),
        "dropped": lambda: page.evaluate(
            """(address) => {
                const transfer = new DataTransfer();
                transfer.setData("text/uri-list", "# from another tab\\r\\n" + address);
                const options = { dataTransfer: transfer, bubbles: true, cancelable: true };
                for (const type of ["dragenter", "dragover", "drop"])
                    document.querySelector("#overview").dispatchEvent(new DragEvent(type, options));
            }""",
            address,
        ),
    }
    for way, act in ways.items():
        page.evaluate("window.explainer.selectSample(0)")
        act()
        wait_for_own_image(page)
        assert np.array_equal(model_input(page, default_site), uploaded), way
        assert field.input_value() == address, way
    assert_network_equals_keras(page, default_site, keras_layers)
    assert page.locator(ALERT).inner_text() == ""

    # what cannot be loaded says why, and the page keeps the image it showed
    page.evaluate("window.explainer.selectSample(3)")
    before = _state(page, default_site)
    overview = "() => { const o = document.getElementById('overview'); return [o.clientWidth, o.clientHeight]; }"
    size = page.evaluate(overview)
    host = other_site.removeprefix("http://")
    submit = lambda path: lambda: (field.fill(f"{other_site}{path}"), field.press("Enter"))  # noqa: E731
    refused = _alert_after(page, submit("/private/trouser.png"))
    assert f"{host} does not let other pages read its images (it sends no CORS permission)" in refused
    assert "Download the image, then open it with “Open image…”" in refused
    assert f"This address leads to text/html on {host}, not to an image" in _alert_after(
        page, submit("/shared/page.html")
    )
    assert f"{host} answered with error 404" in _alert_after(page, submit("/shared/missing.png"))
    assert f"The image at {host} is larger than 50 MB" in _alert_after(page, submit("/shared/huge.png"))
    assert "is not a web address" in _alert_after(page, lambda: (field.fill("cat.png"), field.press("Enter")))
    page.context.set_offline(True)
    assert "This computer is offline" in _alert_after(page, submit("/shared/trouser.png"))
    page.context.set_offline(False)
    after = _state(page, default_site)
    assert after[0] == before[0] and np.array_equal(after[1], before[1]) and np.array_equal(after[2], before[2])
    assert page.evaluate("window.explainer.state.get().sample") == 3
    page.wait_for_timeout(300)  # a relayout would come in the next frames
    assert page.evaluate(overview) == size, "the alert pushes the network down, never squeezes it"
    # only the browser's own report of the refused read is on the console
    assert all("CORS policy" in error or "Failed to load resource" in error for error in page.log.errors)
