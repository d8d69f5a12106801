"""Dark mode and the printed handout: the page's own colours change, the colour scales of the maps do not."""

from __future__ import annotations

import re

import pytest

from testkit.chromium import ROOT, show_section

from .conftest import open_page, screenshot, wait_ready

pytestmark = pytest.mark.browser

LUMINANCE = """(css) => {
  const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map((v) => Number(v) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}"""


def colour(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def luminance(page, css: str) -> float:
    return page.evaluate(LUMINANCE, css)


def rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


def map_pixels(page) -> list[int]:
    """The pixels of a few of the overview's maps: drawn from the colour scales, whatever the theme."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#overview canvas')].slice(0, 6).flatMap((c) =>
             Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.slice(0, 400)))"""
    )


@pytest.fixture
def pages(browser, default_site):
    url = (default_site.path / "index.html").as_uri()
    opened = []

    def open_in(scheme: str, viewport=(1400, 900)):
        page, log = open_page(browser, url, viewport=viewport)
        page.emulate_media(color_scheme=scheme)
        wait_ready(page)
        page.wait_for_selector(".article-toc")
        page.log = log
        opened.append(page)
        return page

    yield open_in
    for page in opened:
        page.context.close()


def test_dark_mode_darkens_the_page_and_keeps_the_colour_scales_and_formulas_stay_sharp(pages):
    light, dark = pages("light"), pages("dark")
    assert luminance(light, colour(light, "body", "backgroundColor")) > 0.9
    assert luminance(dark, colour(dark, "body", "backgroundColor")) < 0.1
    assert luminance(dark, colour(dark, "body", "color")) > 0.7, "light text on the dark page"
    for page in (light, dark):
        for selector in (".vh-panel, .playground", ".article-toc"):
            if page.locator(selector).count():
                background = colour(page, selector, "backgroundColor")
                text = colour(page, selector, "color")
                assert abs(luminance(page, background) - luminance(page, text)) > 0.5, (selector, background, text)
    assert map_pixels(dark) == map_pixels(light), "the maps are drawn with the same colours"
    # the words that name the colours still name them: blue is bluer than red, red redder than blue
    for page in (light, dark):
        r, _, b = rgb(colour(page, ".intro .blue", "color"))
        assert b > r
        r, _, b = rgb(colour(page, ".intro .red", "color"))
        assert r > b
    # formulas scroll sideways only: the few pixels their glyphs reach below their box do not fade them
    light.evaluate("document.getElementById('article-output').scrollIntoView({behavior: 'instant'})")
    light.wait_for_timeout(500)
    fades = light.eval_on_selector_all(
        ".article .katex-display",
        "els => els.map(e => getComputedStyle(e).getPropertyValue('--fade-down').trim() || '0px')",
    )
    assert fades and set(fades) == {"0px"}, fades
    dark.evaluate("document.getElementById('article-hyperparameters').scrollIntoView({behavior: 'instant'})")
    dark.wait_for_timeout(500)
    screenshot(dark, "dark-article")
    assert dark.log.errors == []


def test_the_printed_page_is_a_handout_of_the_article_without_controls(pages, tmp_path):
    page = pages("light", viewport=(794, 1123))
    page.emulate_media(media="print")
    hidden = [".picker", "#own-image", ".color-mode", ".article-toc", ".article-jumps", ".pg-controls"]
    for selector in hidden:
        assert page.locator(selector).first.is_hidden(), f"{selector} printed"
    assert page.locator(".overview").is_visible(), "the network for the image shown is part of the handout"
    visibility = page.eval_on_selector_all(
        ".article > section", "els => els.map(e => getComputedStyle(e).contentVisibility)"
    )
    assert set(visibility) == {"visible"}, "every section prints"
    assert luminance(page, colour(page, "body", "backgroundColor")) > 0.9
    screenshot(page, "print-preview")
    pdf = page.pdf(path=str(tmp_path / "handout.pdf"), format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) >= 5, "the whole article, over several pages"


def palette(page) -> dict[str, str]:
    """The page's colour variables as they are now: every one the dark theme sets (ui/themes.css)."""
    css = (ROOT / "frontend" / "src" / "ui" / "themes.css").read_text(encoding="utf-8")
    names = sorted(set(re.findall(r"(--[\w-]+)\s*:", css)))
    show_section(page, "training")
    page.wait_for_selector(".tcurves", state="attached")  # the training curves' own colour is set on them
    return page.evaluate(
        """(names) => { const style = getComputedStyle(document.querySelector('.tcurves'));
             return Object.fromEntries(names.map((n) => [n, style.getPropertyValue(n).trim()])); }""",
        names,
    )


def background(page) -> float:
    return luminance(page, colour(page, "body", "backgroundColor"))


def test_the_theme_switch_overrides_the_system_is_remembered_and_speaks_both_languages(pages):
    light, dark = pages("light"), pages("dark")
    switch = light.locator('[data-testid="theme"]')
    assert light.locator('.page-settings [data-testid="theme"]').count() == 1, "with the language switch"
    assert switch.is_visible() and switch.input_value() == "system"
    assert [o.get_attribute("value") for o in switch.locator("option").all()] == ["system", "light", "dark"]
    # beside the language switch, on the same line
    language, theme = light.locator('[data-testid="language"]').bounding_box(), switch.bounding_box()
    assert abs((language["y"] + language["height"] / 2) - (theme["y"] + theme["height"] / 2)) < 4
    maps = map_pixels(light)
    system_dark = palette(dark)

    switch.select_option("dark")
    assert background(light) < 0.1 and luminance(light, colour(light, "body", "color")) > 0.7
    assert palette(light) == system_dark, "the chosen dark theme is the system's"
    assert map_pixels(light) == maps, "the maps keep their colour scales"
    assert "theme" not in light.evaluate("location.hash"), "a link does not carry the reader's theme"
    light.reload()
    wait_ready(light)
    assert light.locator('[data-testid="theme"]').input_value() == "dark", "remembered"
    assert background(light) < 0.1

    # light on a dark system, and back to the system's
    dark.locator('[data-testid="theme"]').select_option("light")
    assert background(dark) > 0.9
    dark.locator('[data-testid="theme"]').select_option("system")
    assert background(dark) < 0.1
    dark.emulate_media(color_scheme="light")
    assert background(dark) > 0.9

    # in Chinese: the switch is built again in the other language, with the choice kept
    light.select_option('[data-testid="language"]', "zh")
    light.wait_for_function("() => document.documentElement.lang === 'zh'")
    switch = light.locator('[data-testid="theme"]')
    assert switch.input_value() == "dark" and background(light) < 0.1
    words = light.eval_on_selector(".theme-switch", "e => e.textContent")
    assert re.search(r"[\u4e00-\u9fff]", words) and not re.search(r"[A-Za-z]{3}", words), words
    screenshot(light, "theme-switch-zh-dark")
    assert light.log.errors == [] and dark.log.errors == []
