"""The article's live figures for beginners (issue #30): the four activation functions, each curve computed from its
function, with one slider of z, built only when its section comes near the screen, in both languages."""

from __future__ import annotations

import math

import pytest

from testkit.chromium import show_section

from .conftest import open_page, wait_ready

pytestmark = pytest.mark.browser

FUNCTIONS = {
    "relu": lambda z: max(0.0, z),
    "tanh": math.tanh,
    "abs_tanh": lambda z: abs(math.tanh(z)),
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
}

# every plot: its function, its axes, its curve's points and its dot, the value printed and the box's outline
PLOTS = """() => [...document.querySelectorAll('#activation-plots .act-plot')].map((plot) => {
  const svg = plot.querySelector('svg'), dot = plot.querySelector('.act-dot');
  const axes = ['zMin', 'zMax', 'yMin', 'yMax', 'width', 'height'].map((key) => Number(svg.dataset[key]));
  const points = plot.querySelector('.act-curve').getAttribute('points').split(' ').map((p) => p.split(',').map(Number));
  const value = plot.querySelector('[data-testid="activation-value"]');
  return {name: plot.dataset.function, used: plot.classList.contains('is-used'), axes, points,
          dot: [Number(dot.getAttribute('cx')), Number(dot.getAttribute('cy'))],
          value: Number(value.dataset.value), text: value.textContent};
})"""


def unplot(axes, x: float, y: float) -> tuple[float, float]:
    """The input z and value at point (x, y) of a plot with `axes` (activationMath.js toPlot, inverted)."""
    z_min, z_max, y_min, y_max, width, height = axes
    return z_min + x / width * (z_max - z_min), y_max - y / height * (y_max - y_min)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_four_activation_functions_are_drawn_from_the_functions_near_the_screen(browser, default_site, lang):
    url = (default_site.path / "index.html").as_uri() + ("#lang=zh" if lang == "zh" else "")
    page, log = open_page(browser, url, viewport=(390, 844))
    wait_ready(page)
    page.wait_for_selector(".article-toc")
    assert page.evaluate("document.querySelector('.act-plot')") is None  # nothing of it at first view
    show_section(page, "relu")
    figure = page.locator("#activation-plots")
    figure.scroll_into_view_if_needed()
    assert figure.is_visible()

    plots = page.evaluate(PLOTS)
    assert [plot["name"] for plot in plots] == list(FUNCTIONS)
    assert [plot["name"] for plot in plots if plot["used"]] == ["relu"]  # Tiny VGG's own
    for plot in plots:
        f = FUNCTIONS[plot["name"]]
        assert len(plot["points"]) == 61  # every tenth from -3 to 3
        for x, y in plot["points"]:
            z, value = unplot(plot["axes"], x, y)
            assert value == pytest.approx(f(z), abs=0.02), (plot["name"], z)

    slider = page.get_by_test_id("activation-z")
    for z in (1.5, -2.0):
        if z != 1.5:  # the slider starts at 1.5; the keyboard moves it a step at a time
            slider.focus()
            for _ in range(35):
                page.keyboard.press("ArrowLeft")
        assert float(slider.input_value()) == pytest.approx(z)
        assert page.text_content("#activation-plots output") == f"{z:g}"
        for plot in page.evaluate(PLOTS):
            f = FUNCTIONS[plot["name"]]
            assert plot["value"] == pytest.approx(f(z), abs=1e-12)
            assert unplot(plot["axes"], *plot["dot"]) == pytest.approx((z, f(z)), abs=1e-9)
            assert float(plot["text"].split(" = ")[1]) == pytest.approx(f(z), rel=5e-3)  # three digits
    assert log.errors == []
    page.context.close()
