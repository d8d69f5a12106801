"""The training chart as drawn: its "weights kept" mark stands at the epoch whose weights the model has, read off the
chart's own epoch axis, and every point at its epoch and value."""

from __future__ import annotations

import pytest

from .conftest import open_page, wait_ready

pytestmark = pytest.mark.browser

# Where things are drawn, in screen pixels: the x axis's ticks with their epochs, each series' points in order, the
# kept mark's line, the points marked as kept.
DRAWN = """() => {
  const chart = document.querySelector('[data-testid="training-curves"]');
  const centre = (e) => { const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; };
  return [...chart.querySelectorAll(".tcurves-svg")].map((svg) => ({
    ticks: [...svg.querySelectorAll(".tcurves-x .tick")].map((t) => [Number(t.textContent), centre(t.querySelector("line"))[0]]),
    series: [...svg.querySelectorAll(".tcurves-points")].map((g) => [...g.querySelectorAll("circle")].map(centre)),
    keptLine: [...svg.querySelectorAll(".tcurves-marker.is-kept line")].map((l) => centre(l)[0]),
    keptPoints: [...svg.querySelectorAll("circle.is-kept")].map((c) => [...c.parentNode.children].indexOf(c)),
  }));
}"""


def axis(ticks):
    """The epoch at screen x, from the first and last ticks of the drawn axis."""
    (first, x_first), (last, x_last) = ticks[0], ticks[-1]
    return lambda x: first + (x - x_first) * (last - first) / (x_last - x_first)


def test_the_kept_weights_are_marked_at_their_epoch_on_the_drawn_axis(browser, default_site):
    page, log = open_page(browser, (default_site.path / "index.html").as_uri())
    wait_ready(page)
    page.evaluate("document.getElementById('article-training').scrollIntoView()")
    page.wait_for_selector('[data-testid="training-curves"] .tcurves-svg')
    page.evaluate("document.querySelector('[data-testid=\"training-curves\"]').scrollIntoView()")
    kept = default_site.history["weights_from_epoch"]
    epochs = len(default_site.history["epochs"]["loss"])
    panels = page.evaluate(DRAWN)
    assert len(panels) == 2, "a loss panel and an accuracy panel"
    for panel in panels:
        epoch_at = axis(panel["ticks"])
        assert len(panel["keptLine"]) == 1
        assert epoch_at(panel["keptLine"][0]) == pytest.approx(kept, abs=0.1), "the mark is at another epoch"
        assert panel["series"] and all(len(points) == epochs for points in panel["series"])
        for points in panel["series"]:
            # d3-axis draws its ticks half a pixel off, for crisp lines: a tenth of an epoch apart is another epoch
            assert [epoch_at(x) for x, _ in points] == pytest.approx(list(range(1, epochs + 1)), abs=0.1)
        assert panel["keptPoints"] == [kept - 1] * len(panel["series"]), "the points marked kept"
    assert log.errors == []
    page.context.close()
