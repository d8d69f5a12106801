"""The playground's numbers stay readable (article "Hyper-parameters", #playground): at every setting its sliders
allow, at 1400 pixels and on a phone, every cell of its grids prints its number whole, in a readable size, inside
its cell, and where a grid is wider than the screen it scrolls sideways and says so (ui/scroll.js)."""

from __future__ import annotations

import pytest

from testkit.chromium import SCREENS, show_section

from .conftest import screenshot, wait_ready

pytestmark = pytest.mark.browser

# Every cell of the three grids: its number, the size of its text, whether the text fits in it, and whether it can
# be seen: on the screen's width, or in a box that scrolls sideways and says so.
CELLS = """() => {
  const viewport = document.documentElement.clientWidth;
  const scroller = (node) => {
    for (let n = node.parentElement; n && n.id !== 'playground'; n = n.parentElement) {
      const style = getComputedStyle(n);
      if (/(auto|scroll)/.test(style.overflowX) && n.scrollWidth > n.clientWidth + 1) return n;
    }
    return null;
  };
  const out = [];
  for (const grid of ['input', 'kernel', 'output']) {
    for (const cell of document.querySelectorAll(`[data-testid="playground-${grid}"] .pg-cell`)) {
      const box = cell.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(cell);
      const text = range.getBoundingClientRect();
      const strip = scroller(cell);
      out.push({
        grid, value: Number(cell.dataset.value), text: cell.textContent,
        font: parseFloat(getComputedStyle(cell).fontSize),
        fits: text.width > 0 && text.left >= box.left - 0.5 && text.right <= box.right + 0.5
              && text.top >= box.top - 0.5 && text.bottom <= box.bottom + 0.5,
        onScreen: box.left >= -0.5 && box.right <= viewport + 0.5,
        inStrip: strip !== null && strip.dataset.scroll !== undefined,
      });
    }
  }
  return out;
}"""

# Every input size the slider allows, with no padding and with the most, and with the largest kernel that fits.
SETTINGS = [
    (size, padding, kernel)
    for size in range(3, 13)
    for padding, kernel in ((0, 3), (3, 3), (3, 7))
    if kernel <= size + 2 * padding
]


def read(text: str) -> float:
    """A cell's number as it is printed (".61", "-1.9", "12k")."""
    return float(text[:-1]) * 1000 if text.endswith("k") else float(text)


@pytest.fixture(scope="module", params=["laptop", "phone"])
def playground(request, browser, default_site):
    context = browser.new_context(**SCREENS[request.param])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((default_site.path / "index.html").as_uri())
    wait_ready(page)
    show_section(page, "hyperparameters")
    page.wait_for_selector("#playground")
    page.wait_for_function(
        """() => { const p = document.getElementById('playground'); p.scrollIntoView({block: 'start'});
                   return p.querySelector('[data-testid="playground-input"] .pg-cell') !== null; }""",
        polling=200,
    )
    page.click(".pg-toolbar button")  # paused: the window stays where it is
    page.screen = request.param
    yield page
    assert errors == []
    context.close()


def set_playground(page, size: int, padding: int, kernel: int) -> None:
    page.evaluate(
        """([size, padding, kernel]) => {
             for (const [key, value] of [['input', size], ['padding', padding], ['kernel', kernel], ['stride', 1]]) {
               const slider = document.querySelector(`[data-testid="playground-${key}"]`);
               slider.value = String(value);
               slider.dispatchEvent(new Event('input', {bubbles: true}));
             }
           }""",
        [size, padding, kernel],
    )
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_every_cell_prints_its_number_readably_at_every_setting(playground):
    page = playground
    for size, padding, kernel in SETTINGS:
        set_playground(page, size, padding, kernel)
        cells = page.evaluate(CELLS)
        side = size + 2 * padding
        out = side - kernel + 1
        assert len(cells) == side**2 + kernel**2 + out**2, (size, padding, kernel)
        for cell in cells:
            where = (page.screen, size, padding, kernel, cell)
            assert cell["text"], f"no number: {where}"
            assert abs(read(cell["text"]) - cell["value"]) <= 0.051 * max(1.0, abs(cell["value"])), where
            assert cell["font"] >= 11, where
            assert cell["fits"], f"the number is cut: {where}"
            assert cell["onScreen"] or cell["inStrip"], f"out of sight: {where}"
        if (size, padding, kernel) in ((12, 3, 3), (10, 1, 3), (5, 0, 3)):
            page.locator("#playground").scroll_into_view_if_needed()
            screenshot(page, f"playground-{page.screen}-{size}-{padding}-{kernel}")
    # the page itself never scrolls sideways
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
