"""axe-core (frontend/node_modules/axe-core, from the lockfile) finds no serious or critical accessibility violation
on the overview with the article, on an open view of every kind, or on a phone. Also what axe cannot judge: every
text at least 12 px, neurons that say what they open, class rows as a list, the view a labelled modal dialog."""

from __future__ import annotations

import re

import pytest

from testkit.accessibility import serious_violations

from .conftest import wait_ready

pytestmark = pytest.mark.browser

VIEWS = {
    "conv": "view=conv&layer=conv_1_2&neuron=2",
    "formula": "view=conv&layer=conv_2_1&neuron=7&pos=3,5&channel=3",
    "activation": "view=activation&layer=relu_1_1&neuron=1&pos=10,12",
    "pool": "view=pool&layer=max_pool_1&neuron=2&pos=5,7",
    "output": "view=output&layer=output&neuron=0",
    "softmax": "view=softmax&layer=output&neuron=0",
}

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}

# Text smaller than 12 CSS px: every element with a text node of its own, visible, in `root`. The article's
# KaTeX formulas are KaTeX's typesetting (indices at 0.7 of 18 px); the test is about the page's own text.
SMALL_TEXT = """(root) => {
  const small = [];
  const walker = document.createTreeWalker(document.querySelector(root), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || element.closest('.katex, [hidden], template')) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || getComputedStyle(element).visibility === 'hidden') continue;
    let size = parseFloat(getComputedStyle(element).fontSize);
    const svg = element.closest('svg');
    if (svg && element instanceof SVGElement) size *= svg.getScreenCTM()?.a ?? 1; // drawn at the SVG's scale
    if (size < 11.95) small.push(`${element.className?.baseVal ?? element.className}: "${node.textContent.trim().slice(0, 20)}" ${size.toFixed(1)}px`);
  }
  return small;
}"""


def open_page(browser, site, fragment="", **context):
    context = browser.new_context(bypass_csp=True, **({"viewport": {"width": 1400, "height": 900}} | context))
    page = context.new_page()
    page.goto(f"{(site.path / 'index.html').as_uri()}#sample=0&{fragment}")
    wait_ready(page)
    page.wait_for_function("() => document.querySelector('article.article .katex') !== null")
    return page


def test_the_overview_and_the_article_have_no_serious_violation(browser, default_site):
    page = open_page(browser, default_site)
    assert serious_violations(page) == []
    assert page.evaluate(SMALL_TEXT, "body") == []
    page.context.close()


def test_a_phone_has_no_serious_violation(browser, default_site):
    page = open_page(browser, default_site, **PHONE)
    assert serious_violations(page) == []
    page.context.close()


@pytest.mark.parametrize("kind", list(VIEWS))
def test_every_kind_of_view_has_no_serious_violation(browser, default_site, kind):
    page = open_page(browser, default_site, VIEWS[kind])
    page.wait_for_selector(".vh-panel:not(.is-leaving):not(.is-entering)")
    assert serious_violations(page, ".vh-panel") == []
    assert page.evaluate(SMALL_TEXT, ".vh-panel") == []
    dialog = page.evaluate(
        """() => { const panel = document.querySelector('.vh-panel');
                   const title = document.getElementById(panel.getAttribute('aria-labelledby') || '');
                   return [panel.getAttribute('role'), panel.getAttribute('aria-modal'), title && title.textContent]; }"""
    )
    assert dialog[:2] == ["dialog", "true"] and dialog[2], f"the view is a modal dialog named by its title: {dialog}"
    page.context.close()


def test_neurons_are_buttons_named_by_layer_channel_and_values(browser, default_site):
    page = open_page(browser, default_site)
    neuron = page.locator("[data-layer='conv_1_1'][data-neuron='3']")
    assert neuron.get_attribute("role") == "button"
    stats = default_site.keras_outputs(default_site.pixels[:1])["conv_1_1"][0][..., 3]
    name = neuron.get_attribute("aria-label")
    assert name.startswith("conv_1_1, channel 3, values ") and " to " in name
    low, high = (float(v.replace("\u2212", "-")) for v in name.split("values ")[1].split(" to "))
    assert low == pytest.approx(stats.min(), rel=1e-2, abs=5e-3) and high == pytest.approx(stats.max(), rel=1e-2)
    classes = page.get_by_role("list", name="Class probabilities")
    assert classes.get_by_role("listitem").count() == len(default_site.spec["classes"])
    shown = default_site.keras_outputs(default_site.pixels[:1])["output"][0]
    for index, name in enumerate(default_site.spec["classes"]):
        row = classes.get_by_role("button", name=re.compile(rf"^{escape(name)}( true class)? \d+\.\d%$"))
        assert row.count() == 1, f"the row of {name} is a button named by its class and probability"
        percent = float(re.search(r"(\d+\.\d)%", row.text_content()).group(1))
        assert percent == pytest.approx(100 * shown[index], abs=0.051)
    truth = page.get_attribute(".class-row.is-truth", "data-class")
    assert classes.get_by_role("button", name=re.compile(rf"^{escape(truth)} true class ")).count() == 1
    page.context.close()


def escape(text: str) -> str:
    """`text` as a regular expression that Playwright's role selector also parses (it splits on "/")."""
    return re.escape(text).replace("/", r"\/")
