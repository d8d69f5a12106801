"""The README shows the page as it is: docs/overview.png against a picture of the default explainer taken now."""

from __future__ import annotations

import pytest

from testkit.readme import OVERVIEW_PNG, difference, overview_screenshot

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

MOST = 1.0  # mean difference of the levels, out of 255: the same page, drawn again, differs by a fraction of one


def test_the_readmes_picture_is_the_page_as_it_is(browser, default_site):
    now = overview_screenshot(browser, default_site.path)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "readme-overview-now.png").write_bytes(now)
    change = difference(OVERVIEW_PNG.read_bytes(), now)
    assert change <= MOST, (
        f"docs/overview.png differs from the page by {change:.2f} levels on average: run bash scripts/readme_images.sh "
        "and look at the new picture (artifacts/readme-overview-now.png is the page now)"
    )
