"""One page read two ways: from a layer of the network to its part of the article and back, from a part of the
article to its layer's view and back, with the browser's Back button, and a contents bar that stays in sight."""

from __future__ import annotations

import pytest

from testkit.chromium import build_article

from .conftest import open_page, screenshot, wait_ready

pytestmark = pytest.mark.browser

SCREENS = {"laptop": (1400, 900), "phone": (390, 844)}


@pytest.fixture
def page(request, browser, default_site):
    """The default explainer on a laptop, or on the screen a test names with `@pytest.mark.parametrize("page", ...,
    indirect=True)`."""
    screen = getattr(request, "param", "laptop")
    page, log = open_page(browser, (default_site.path / "index.html").as_uri(), viewport=SCREENS[screen])
    wait_ready(page)
    page.wait_for_selector(".article-toc")  # the article is mounted after the first picture
    page.log = log
    page.screen = screen
    yield page
    page.context.close()


def scroll_y(page) -> float:
    return page.evaluate("window.scrollY")


def wait_scrolled_to(page, y: float) -> None:
    page.wait_for_function("(y) => Math.abs(window.scrollY - y) <= 2", arg=y, timeout=5_000)


def heading_below_bar(page, heading: str) -> None:
    page.wait_for_function(
        """(id) => { if (!document.getElementById(id)) return false;  // the article comes after TF.js
                     const top = document.getElementById(id).getBoundingClientRect().top,
                     bar = document.querySelector('.article-toc').getBoundingClientRect().bottom;
                     return top >= bar - 1 && top < bar + 40; }""",
        arg=heading,
        timeout=5_000,
    )


def settle(page) -> None:
    """Let a scroll end and its position be saved in the history entry (article.js saves it 200 ms after)."""
    page.wait_for_timeout(400)


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_from_a_layer_to_the_article_and_back_with_back(page):
    page.evaluate("window.scrollTo(0, 0)")
    settle(page)
    if page.screen == "phone":  # the label scrolls sideways with the network
        page.locator("[data-column='conv_1_1'] a.ov-label-name").scroll_into_view_if_needed()
        settle(page)
    start = scroll_y(page)
    page.click("[data-column='conv_1_1'] a.ov-label-name")
    heading_below_bar(page, "article-convolution")
    assert page.evaluate("document.activeElement.id") == "article-convolution"
    settle(page)
    page.go_back()
    wait_scrolled_to(page, start)
    assert page.evaluate("document.querySelector('.article-toc') !== null"), "Back stayed on the page"
    page.go_forward()
    heading_below_bar(page, "article-convolution")
    assert page.log.errors == []


def test_from_the_article_to_the_layers_view_and_back_with_back(page):
    page.evaluate("document.getElementById('article-convolution').scrollIntoView({behavior: 'instant'})")
    settle(page)
    reading = scroll_y(page)
    show = page.locator("[data-show-layer='conv_1_1']").first
    assert show.inner_text() == "Show me conv_1_1 in the network"
    show.scroll_into_view_if_needed()
    settle(page)
    reading = scroll_y(page)
    show.click()
    page.wait_for_function("() => location.hash.includes('layer=conv_1_1')", timeout=10_000)
    page.wait_for_selector(".vh-panel:not(.is-entering)")
    assert page.evaluate("document.querySelector('.controls').getBoundingClientRect().top") > -5, "at the network"
    screenshot(page, f"navigation-view-{page.screen}")
    settle(page)
    page.go_back()
    page.wait_for_function("() => !location.hash.includes('view=')", timeout=5_000)
    page.wait_for_function("() => !document.querySelector('.vh-panel')", timeout=5_000)
    wait_scrolled_to(page, reading)
    assert page.log.errors == []


def test_the_output_section_opens_the_predicted_class(page, default_site):
    page.evaluate("document.getElementById('article-output').scrollIntoView({behavior: 'instant'})")
    output = default_site.spec["layers"][-1]["name"]
    page.locator(f"[data-show-layer='{output}']").click()
    page.wait_for_function(f"() => location.hash.includes('layer={output}')", timeout=10_000)
    predicted = page.locator("[data-testid='prediction']").inner_text().strip()
    neuron = int(page.evaluate("new URLSearchParams(location.hash.slice(1)).get('neuron')"))
    assert default_site.spec["classes"][neuron] == predicted


def assert_marked(page, href: str) -> None:
    """The contents bar marks the link `href` alone as the section being read, in sight in the bar."""
    page.wait_for_function(
        "(href) => document.querySelector(`.article-toc a[href='${href}']`).getAttribute('aria-current') === 'location'",
        arg=href,
        timeout=5_000,
    )
    assert page.locator(".article-toc a[aria-current]").count() == 1
    link, bar = (
        page.locator(f".article-toc a[href='{href}']").bounding_box(),
        page.locator(".article-toc").bounding_box(),
    )
    assert bar["x"] <= link["x"] and link["x"] + link["width"] <= bar["x"] + bar["width"] + 1, "scrolled into the bar"


@pytest.mark.parametrize("page", list(SCREENS), indirect=True)
def test_the_contents_bar_stays_at_the_top_and_leads_back_to_the_network(page):
    page.evaluate("document.getElementById('article-pooling').scrollIntoView({behavior: 'instant'})")
    settle(page)
    reading = scroll_y(page)
    bar = page.locator(".article-toc")
    assert abs(bar.bounding_box()["y"]) <= 1, "the contents bar is at the top of the screen"
    if page.screen == "phone":
        assert bar.bounding_box()["height"] < 60, "one row on a phone"
    assert_marked(page, "#article-pooling")
    screenshot(page, f"navigation-contents-{page.screen}")
    page.evaluate("document.getElementById('article-output').scrollIntoView({behavior: 'instant'})")
    assert_marked(page, "#article-output")
    page.evaluate("window.scrollTo(0, window.scrollY - 200)")  # back into the section before
    assert_marked(page, "#article-flatten")
    page.evaluate("document.getElementById('article-pooling').scrollIntoView({behavior: 'instant'})")
    assert_marked(page, "#article-pooling")
    settle(page)
    reading = scroll_y(page)  # the sections below were drawn as they came near, and may have moved it
    bar.get_by_role("link", name="↑ The network").click()
    page.wait_for_function(
        "() => Math.abs(document.querySelector('.controls').getBoundingClientRect().top) <= 2", timeout=5_000
    )
    assert page.evaluate("document.activeElement.id") == "overview"
    settle(page)
    page.go_back()
    wait_scrolled_to(page, reading)
    # every part of the article has a way back to the network
    build_article(page)
    sections = page.locator(".article > section")
    assert sections.count() == page.locator(".article > section .article-jumps a[href='#overview']").count()
    assert page.log.errors == []


def heading_top(page, name: str) -> float:
    return page.evaluate(f"document.getElementById('article-{name}').getBoundingClientRect().top")


@pytest.mark.parametrize("page", list(SCREENS), indirect=True)
def test_one_click_in_the_contents_bar_lands_on_the_heading_and_the_url_says_so(page):
    """Sections off screen are laid out only when they come near it, and parts are drawn on the way: a jump from the
    top of the article to its end landed 1,300 to 1,900 pixels away, and the address never said where one was."""
    page.mouse.wheel(0, 600)
    settle(page)
    for name in ("training", "mistakes", "pooling", "attention"):
        page.click(f'.article-toc a[href="#article-{name}"]')
        heading_below_bar(page, f"article-{name}")
        page.wait_for_function(f"() => location.hash.includes('section={name}')", timeout=5_000)
        assert page.evaluate("window.explainer.state.get().section") == name
    page.go_back()  # each jump is a history entry: Back returns to the section before, and the address says so
    page.wait_for_function("() => location.hash.includes('section=pooling')", timeout=5_000)
    assert page.log.errors == []


@pytest.mark.parametrize(
    ("link", "name"),
    [
        ("#article-training", "training"),
        ("#section=mistakes&sample=3", "mistakes"),
        ("#article-attention", "attention"),
    ],
)
def test_a_link_to_a_section_lands_on_its_heading(browser, default_site, link, name):
    """Links made before the section key (#article-training) land too, and become section=training."""
    page, log = open_page(browser, (default_site.path / "index.html").as_uri() + link, viewport=SCREENS["phone"])
    wait_ready(page)
    heading_below_bar(page, f"article-{name}")
    page.wait_for_function(f"() => location.hash.includes('section={name}')", timeout=5_000)
    page.wait_for_timeout(500)  # nothing drawn later moves it away
    heading_below_bar(page, f"article-{name}")
    if "sample=3" in link:
        assert page.evaluate("window.explainer.state.get().sample") == 3
    assert log.errors == []
    page.context.close()
