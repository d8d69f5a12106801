"""The printed handout, printed at once without scrolling through the article first: every canvas that prints is
drawn when the browser prints (the parts drawn only near the screen are drawn for print too), the class menu of
"What it looks at" has its options, the legends' numbers stay apart, and no control that works only on screen
reaches the paper."""

from __future__ import annotations

import re

import pytest

from .conftest import open_page, wait_ready

pytestmark = pytest.mark.browser

A4 = (688, 1000)  # an A4 page less the margins of themes.css's @page, in CSS pixels

# What the page holds the moment it prints: registered after the page's own listeners, this one runs after them.
SNAPSHOT_ON_PRINT = """() => {
  window.printed = null;
  addEventListener('beforeprint', () => {
    const canvases = [...document.querySelectorAll('canvas')].map((canvas) => {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = false, uniform = true;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] || data[i + 1] || data[i + 2])) painted = true;
        if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2] || data[i + 3] !== data[3])
          uniform = false;
      }
      return { painted, uniform, testid: canvas.dataset.testid || null };
    });
    const menu = document.querySelector('[data-testid="attention-class"]');
    window.printed = {
      canvases,
      options: menu ? [...menu.options].map((o) => o.textContent) : null,
      playground: [...document.querySelectorAll('#playground .pg-cell')].map((c) => c.textContent),
    };
  }, { once: true });
}"""

# Every non-empty label of the overview's legends and of the maps' own legends, where it is drawn.
LABELS = """() => [...document.querySelectorAll('[data-testid="legend"] .legend-ticks > span, .vlegend-ticks > span')]
  .filter((s) => s.textContent.trim() && s.checkVisibility())
  .map((s) => { const r = s.getBoundingClientRect();
                return { text: s.textContent, legend: s.closest('[data-testid]')?.dataset.testid + ' '
                           + (s.closest('[data-layers]')?.dataset.layers || ''),
                         left: r.left, right: r.right, top: r.top, bottom: r.bottom }; })"""

# Controls that work only on screen; the rest of what is interactive prints as what it shows (the confusion
# matrix's counts, the class explained).
SCREEN_ONLY = [
    '[data-testid="language"]',
    'input[name="color-mode"]',
    '[data-testid="theme"]',
    ".picker",
    "#own-image",
    ".pg-controls",
    ".pg-toolbar button",
    ".article-toc",
    ".article-jumps",
    ".ov-hint",
]
PRINTED_CONTROLS = ".confusion-cell, [data-testid='attention-class'], .test-image"


def overlaps(labels, gap: float = 2.0) -> list:
    """Pairs of labels closer than `gap` pixels side by side on the same line."""
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            same_line = a["top"] < b["bottom"] and b["top"] < a["bottom"]
            if same_line and a["left"] < b["right"] + gap and b["left"] < a["right"] + gap:
                found.append((a["text"], a["legend"], b["text"], b["legend"]))
    return found


@pytest.fixture(scope="module")
def printed(browser, default_site, tmp_path_factory):
    """A page printed to PDF as soon as it is ready, at the top, with what it held the moment it printed."""
    page, log = open_page(browser, (default_site.path / "index.html").as_uri(), viewport=A4)
    wait_ready(page)
    page.wait_for_selector(".article-toc")
    page.evaluate("window.explainer.insights().then(() => true)")
    # what the page draws for print in idle time, it has drawn once "What it looks at" is no longer busy
    # (its section is built in idle time for that)
    page.wait_for_function("() => document.getElementById('attention')?.getAttribute('aria-busy') === 'false'")
    page.evaluate(SNAPSHOT_ON_PRINT)
    pdf = page.pdf(path=str(tmp_path_factory.mktemp("print") / "handout.pdf"), format="A4", print_background=True)
    snapshot = page.evaluate("window.printed")
    page.emulate_media(media="print")
    yield page, snapshot, pdf
    assert log.errors == []
    page.context.close()


def test_the_browser_prints_after_the_page_has_drawn_for_it(printed):
    _, snapshot, pdf = printed
    assert snapshot is not None, "printing fired beforeprint"
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) >= 5


def test_every_printed_canvas_is_drawn(printed):
    page, snapshot, _ = printed
    shown = page.evaluate("() => [...document.querySelectorAll('canvas')].map((c) => c.checkVisibility())")
    assert len(shown) == len(snapshot["canvases"])
    printed_canvases = [c for c, visible in zip(snapshot["canvases"], shown, strict=True) if visible]
    testids = {c["testid"] for c in printed_canvases}
    assert {"attention-input", "saliency-map", "gradcam-map"} <= testids, testids
    blank = [c for c in printed_canvases if not c["painted"]]
    assert blank == [], "printed blank (never drawn)"
    # the overview's maps may hold a channel that is 0 everywhere, but its canvases hold many maps; the maps of
    # "What it looks at" are of the image shown
    uniform = [c for c in printed_canvases if c["uniform"]]
    assert uniform == [], "printed a canvas of one colour"
    pictures = page.evaluate(
        "() => [...document.querySelectorAll('img')].filter((i) => i.checkVisibility())"
        ".map((i) => i.complete && i.naturalWidth > 0)"
    )
    assert all(pictures)


def test_the_printed_class_menu_and_playground_have_their_contents(printed, default_site):
    _, snapshot, _ = printed
    classes = default_site.spec["classes"]
    options = snapshot["options"]
    assert options is not None and len(options) == len(classes) + 1
    assert options[1:] == classes
    assert any(name in options[0] for name in classes), f"the predicted class is named: {options[0]!r}"
    cells = snapshot["playground"]
    assert cells and all(text.strip() for text in cells), "the playground's grids print with their numbers"


def test_no_control_prints_and_the_legends_numbers_stay_apart(printed):
    page, _, _ = printed
    for selector in SCREEN_ONLY:
        visible = page.eval_on_selector_all(selector, "els => els.filter((e) => e.checkVisibility()).length")
        assert visible == 0, f"{selector} prints"
    controls = page.eval_on_selector_all(
        "button, select, input, textarea, [role='radiogroup']",
        f"""els => els.filter((e) => e.checkVisibility() && !e.matches("{PRINTED_CONTROLS}"))
                     .map((e) => e.outerHTML.slice(0, 120))""",
    )
    assert controls == [], "controls that only work on screen print"
    labels = page.evaluate(LABELS)
    assert len(labels) >= 10
    assert overlaps(labels) == []


@pytest.mark.parametrize("width", [1000, 760])
def test_the_overviews_legend_numbers_never_touch_on_screen(printed, width):
    page, _, _ = printed
    page.emulate_media(media="screen")
    try:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)  # the overview is laid out again in an animation frame
        labels = page.evaluate(LABELS)
        assert overlaps(labels) == [], width
        for lang in ("zh", "en"):
            page.select_option('[data-testid="language"]', lang)
            page.wait_for_function("(code) => document.documentElement.lang === code", arg=lang)
            page.wait_for_timeout(300)
            assert overlaps(page.evaluate(LABELS)) == [], (width, lang)
    finally:
        page.set_viewport_size({"width": A4[0], "height": A4[1]})
        page.emulate_media(media="print")


def test_ctrl_p_prints_the_whole_handout_from_a_page_just_opened(browser, default_site):
    """The article's sections and the test-set figures are built when needed; Ctrl+P builds and loads them all
    before the browser prints, though nothing near them was seen yet."""
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    page.wait_for_selector("article.article", state="attached")
    assert page.evaluate("document.querySelectorAll('.section-rest').length") > 0, "sections wait to be built"
    page.evaluate(
        """() => addEventListener('beforeprint', () => { window.printedNow = {
             cells: document.querySelectorAll('[data-testid="confusion-matrix"] [data-count]').length,
             curves: document.querySelectorAll('[data-testid="training-curves"]').length,
             rests: document.querySelectorAll('.section-rest').length }; }, { once: true })"""
    )
    page.keyboard.press("Control+p")
    page.wait_for_function("() => window.printedNow", timeout=20_000)
    classes = len(default_site.spec["classes"])
    assert page.evaluate("window.printedNow") == {"cells": classes**2, "curves": 1, "rests": 0}
    assert log.errors == []
    page.context.close()
