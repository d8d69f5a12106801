"""The default explainer as one HTML file (builder/single.py): opened from disk or handed to the browser as a
string, it reaches ready, every layer equals Keras, and what the page loads later (the other language, the
insights, the tour) is there, with no request for anything and no script or style the policy did not allow."""

from __future__ import annotations

import re

import numpy as np
import pytest

from builder.single import write_single_file

from .conftest import browser_activations, open_page, wait_ready

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def one_file(default_site, tmp_path_factory):
    path = tmp_path_factory.mktemp("one") / "explainer.html"
    write_single_file(default_site.path, path)
    return path


def test_the_policy_allows_only_the_inline_scripts_and_style_by_their_hashes(one_file):
    html = one_file.read_text(encoding="utf-8")
    (policy,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    directives = {name: sources for name, *sources in (d.split() for d in policy.split(";"))}
    scripts = re.findall(r"<script>", html)
    assert len(directives["script-src"]) == len(scripts) >= 6
    assert all(source.startswith("'sha256-") for source in directives["script-src"] + directives["style-src"])
    assert directives["font-src"] == ["data:"] and "'self'" not in policy
    assert directives["connect-src"] == ["http:", "https:"], "as the site's: an image fetched by its address"


@pytest.mark.parametrize("how", ["file", "string"])
def test_the_one_file_page_works_alone(browser, default_site, one_file, how):
    if how == "file":
        page, log = open_page(browser, one_file.as_uri())
    else:
        page, log = open_page(browser, "about:blank")
        page.set_content(one_file.read_text(encoding="utf-8"))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    wait_ready(page)
    expected = default_site.keras_outputs(default_site.pixels[:1])
    for name in ["input", *(layer["name"] for layer in default_site.spec["layers"])]:
        shape, values = browser_activations(page, name)
        assert np.abs(values - expected[name][0].ravel()).max() <= 1e-4, name
    assert page.evaluate("window.explainer.insights().then((i) => i.testCount)") == 10000
    assert page.evaluate("document.getElementById('whatif').getBoundingClientRect().height") == 0, "hidden, no room"
    page.click('[data-testid="tour-start"]')
    page.locator(".tour").first.wait_for(state="visible")
    page.keyboard.press("Escape")
    page.evaluate("window.explainer.state.set({lang: 'zh'})")
    page.wait_for_function("() => document.querySelector('h1').textContent.includes('图解')")
    page.locator("#article-relu").scroll_into_view_if_needed()
    page.wait_for_function("() => document.fonts.check('16px KaTeX_Main')")
    assert requests == [] and log.errors == [] and log.foreign_requests == []
    page.context.close()
