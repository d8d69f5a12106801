"""Your own model from `--model` and `--samples DIR` alone: no dataset. Built with the real CLI, opened from
file:// in Chromium, every layer compared with the original Keras model; flat and class sub-folders, grey and
RGB, 2 and 100 classes; and the same photo uploaded in the page gives the pixels the builder gave it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from testkit.chromium import show_section
from testkit.cli import run
from testkit.site import read_payload, sample_pixels

from .conftest import browser_activations, open_page, screenshot, wait_ready, with_random_biases

pytestmark = pytest.mark.browser

TOLERANCE = 1e-4


@dataclass(frozen=True)
class Case:
    size: int
    channels: int
    classes: int
    folders: bool  # class sub-folders (true labels) or a flat folder
    names_file: bool  # --classes FILE


CASES = {
    "rgb-5-flat-named": Case(40, 3, 5, folders=False, names_file=True),
    "grey-2-folders": Case(28, 1, 2, folders=True, names_file=False),
    "rgb-100-folders-named": Case(16, 3, 100, folders=True, names_file=True),
    "grey-2-flat-unnamed": Case(20, 1, 2, folders=False, names_file=False),
}


def make_model(case: Case):
    import keras
    from keras import layers

    keras.utils.set_random_seed(case.classes)
    model = keras.Sequential(
        [
            keras.Input((case.size, case.size, case.channels)),
            layers.Conv2D(6, 3, padding="same", activation="relu", name="conv_1"),
            layers.MaxPooling2D(2, name="pool_1"),
            layers.Conv2D(4, 3, strides=2, name="conv_2"),
            layers.Activation("tanh", name="tanh_2"),
            layers.Flatten(name="flatten"),
            layers.Dense(case.classes, name="logits"),
            layers.Activation("softmax", name="probabilities"),
        ],
        name="photo_net",
    )
    return with_random_biases(model, case.classes)


def photo(rng: np.random.Generator, grey: bool) -> Image.Image:
    """A "photo" of its own size and shape (not the model's): grey ones with some transparency, colour ones opaque
    (a browser keeps canvases with premultiplied alpha, which can move a half-transparent pixel by one level)."""
    width, height = (int(v) for v in rng.integers(15, 90, 2))
    pixels = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    pixels[..., 3] = np.where(rng.random((height, width)) < 0.8, 255, pixels[..., 3]) if grey else 255
    image = Image.fromarray(pixels, "RGBA")
    return image.convert("LA") if grey else image


@dataclass
class Built:
    case: Case
    work: Path
    spec: dict
    items: list
    pixels: np.ndarray
    model: object
    page: object
    log: object
    stderr: str
    names: list[str]


def build(browser, work: Path, case: Case) -> Built:
    import keras

    model = make_model(case)
    model.save(work / "net.keras")
    rng = np.random.default_rng(case.size)
    names = [f"class {i}" for i in range(case.classes)]
    if case.folders or case.names_file:
        names = [f"kind_{i:03d}" for i in range(case.classes)]
    if case.names_file:
        (work / "names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    samples = work / "photos"
    for i in range(6):
        folder = samples / names[(i * 7) % case.classes] if case.folders else samples
        folder.mkdir(parents=True, exist_ok=True)
        photo(rng, grey=case.channels == 1).save(folder / f"photo_{i}.png")
    if case.folders and not case.names_file:
        for name in names:  # one sub-folder per class: the folders name the classes, in sorted order
            (samples / name).mkdir(exist_ok=True)
            if not any((samples / name).iterdir()):
                photo(rng, grey=case.channels == 1).save(samples / name / "extra.png")
    (samples / "notes.txt").write_text("not an image")
    args = ["build", "--model", "net.keras", "--samples", "photos"]
    if case.names_file:
        args += ["--classes", "names.txt"]
    result = run(*args, cwd=work)
    assert result.returncode == 0, result.stderr
    payload = read_payload(work / "dist")
    spec, samples_part = payload["spec"], payload["samples"]
    pixels = sample_pixels(payload)
    page, log = open_page(browser, (work / "dist" / "index.html").as_uri())
    wait_ready(page)
    original = keras.saving.load_model(work / "net.keras", compile=False)
    return Built(case, work, spec, samples_part["items"], pixels, original, page, log, result.stderr, names)


@pytest.fixture(scope="module")
def built_cases(browser, tmp_path_factory):
    built: dict[str, Built] = {}

    def get(name: str) -> Built:
        if name not in built:
            built[name] = build(browser, tmp_path_factory.mktemp(name), CASES[name])
        return built[name]

    yield get
    for item in built.values():
        item.page.context.close()


@pytest.fixture(params=list(CASES))
def built(request, built_cases) -> Built:
    return built_cases(request.param)


def test_builds_without_any_dataset_and_shows_no_test_metrics(built):
    assert built.log.errors == [] and built.log.foreign_requests == []
    assert not (built.work / "dist" / "metrics.json").exists()
    assert "Test accuracy" not in built.page.locator("header").inner_text()
    assert "Fashion-MNIST" not in built.stderr
    assert "skipped 1 file" in built.stderr and "notes.txt" in built.stderr
    # named after the model, with no dataset to name
    assert built.page.title() == "photo_net, explained"
    assert built.page.locator("h1").inner_text() == "photo_net, explained"
    assert (built.work / "dist" / "favicon.svg").is_file()
    # no test set: no insights, and the article says why
    assert not (built.work / "dist" / "data" / "insights.js").exists()
    assert built.page.locator('[data-testid="confusion-matrix"], [data-testid="training-curves"]').count() == 0
    show_section(built.page, "learned")
    assert "without a test set" in built.page.locator("section:has(#article-learned)").text_content()


def test_saliency_and_grad_cam_of_a_users_model_equal_gradient_tape(built_cases):
    from testkit.reference import grad_cam, grad_cam_layer, logit_gradient

    built = built_cases("rgb-5-flat-named")
    built.page.evaluate("(i) => window.explainer.selectSample(i)", 1)
    x = built.pixels[1:2].astype(np.float32) / np.float32(255)
    last_conv = grad_cam_layer(built.model)  # the last Conv2D, or the activation layer right after it
    for class_index in range(len(built.names)):
        saliency = built.page.evaluate(
            "(c) => window.explainer.saliency(c).then((s) => ({shape: s.shape, data: Array.from(s.data)}))",
            class_index,
        )
        expected = logit_gradient(built.model, x, class_index)
        assert saliency["shape"] == list(expected.shape)
        np.testing.assert_allclose(np.reshape(saliency["data"], expected.shape), expected, atol=TOLERANCE, rtol=0)
        cam = built.page.evaluate(
            "(c) => window.explainer.gradCam(c).then((g) => ({layer: g.layer, data: Array.from(g.data)}))",
            class_index,
        )
        assert cam["layer"] == last_conv
        expected_cam = grad_cam(built.model, x, class_index, last_conv)
        np.testing.assert_allclose(np.reshape(cam["data"], expected_cam.shape), expected_cam, atol=TOLERANCE, rtol=0)


def test_class_names_come_from_the_file_the_folders_or_are_numbered(built):
    assert built.spec["classes"] == built.names
    assert built.page.evaluate("window.explainer.classes") == built.names
    labels = [item["label"] for item in built.items]
    if built.case.folders:
        for item in built.items:
            folder = item["file"].split("/")[0]
            assert built.spec["classes"][item["label"]] == folder, item
    else:
        assert labels == [None] * len(labels)


def test_every_layer_equals_the_original_keras_model(built):
    from testkit.reference import reference_outputs

    expected = reference_outputs(built.model, built.spec, built.pixels, divisor=255.0)
    assert built.spec["input"]["pixel_divisor"] == 255.0
    names = ["input", *(layer["name"] for layer in built.spec["layers"])]
    for index in range(len(built.pixels)):
        built.page.evaluate("(i) => window.explainer.selectSample(i)", index)
        for name in names:
            shape, values = browser_activations(built.page, name)
            assert shape == list(expected[name].shape[1:]), name
            difference = float(np.abs(values - expected[name][index].ravel()).max())
            assert difference <= TOLERANCE, f"sample {index}, layer {name}: {difference}"
    predicted = built.model.predict(built.pixels.astype(np.float32) / np.float32(255), verbose=0)
    assert [item["predicted"] for item in built.items] == [int(p.argmax()) for p in predicted]
    screenshot(built.page, f"model-and-samples-{built.case.size}-{built.case.classes}")


def test_each_picker_item_carries_its_sample_index(built_cases):
    """The testing contract: picker items are [data-sample="<index>"], in payload order; a click shows that sample."""
    built = built_cases("grey-2-folders")
    indices = built.page.eval_on_selector_all("[data-sample]", "els => els.map((e) => e.dataset.sample)")
    assert indices == [str(i) for i in range(len(built.items))]
    last = len(built.items) - 1
    built.page.click(f'[data-sample="{last}"]')
    built.page.wait_for_function("(i) => window.explainer.state.get().sample === i", arg=last)
    built.page.evaluate("window.explainer.ready")
    assert built.page.get_attribute(f'[data-sample="{last}"]', "aria-pressed") == "true"
    assert built.page.get_attribute('[data-sample="0"]', "aria-pressed") == "false"
    _, values = browser_activations(built.page, "input")
    np.testing.assert_array_equal(np.rint(values * 255).astype(np.uint8), built.pixels[last].ravel())


def test_the_same_photo_uploaded_in_the_page_gives_the_builders_pixels(built_cases):
    """One resize filter for both: the builder's --samples images and the page's uploads (resize.py, preprocess.js)."""
    built = built_cases("rgb-5-flat-named")
    index = next(i for i, item in enumerate(built.items) if item["file"] == "photo_2.png")
    built.page.set_input_files("[data-testid='upload-input']", str(built.work / "photos" / "photo_2.png"))
    # A function, not an expression: Playwright evaluates an expression with eval, which the page's CSP forbids.
    built.page.wait_for_function("() => window.explainer.state.get().sample === null")
    built.page.evaluate("window.explainer.ready")
    shape, values = browser_activations(built.page, "input")
    uploaded = np.rint(values * 255).astype(np.int16)
    np.testing.assert_array_equal(uploaded, built.pixels[index].ravel().astype(np.int16))


def test_the_true_class_is_marked_on_its_own_row_among_many_classes(built_cases):
    """With more classes than rows, the rows show the most probable ones: the true class's mark goes on its row
    when that row is shown, and on no other."""
    built = built_cases("rgb-100-folders-named")
    for index, item in enumerate(built.items):
        built.page.evaluate("(i) => window.explainer.selectSample(i)", index)
        truth = built.names[item["label"]]
        shown = built.page.eval_on_selector_all(".class-row[data-class]", "els => els.map((e) => e.dataset.class)")
        marked = built.page.eval_on_selector_all(".class-row.is-truth", "els => els.map((e) => e.dataset.class)")
        assert len(shown) == 10, shown
        assert marked == ([truth] if truth in shown else []), (index, truth, marked)
        if truth in shown:
            assert built.page.locator(f'.class-row[data-class="{truth}"] .class-truth').is_visible()
