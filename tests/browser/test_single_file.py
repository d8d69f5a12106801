"""The default explainer as one HTML file (builder/single.py): opened from disk or handed to the browser as a
string, it reaches ready, every layer equals Keras, and what the page loads later (the other language, the
insights, the tour) is there, with no request for anything and no script or style the policy did not allow."""

from __future__ import annotations

import re
import time

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


def test_the_one_file_page_waits_for_its_own_scripts_when_the_parser_stalls(browser, default_site, one_file):
    """TF.js (runtime.js) comes inline after app.js: the page must not look for it as a file when two frames pass
    before the parser reaches it, as on a loaded machine. Here a script that takes 3 s to arrive stalls the parser
    between the two (the test lets it through the page's policy)."""
    html = one_file.read_text(encoding="utf-8")
    runtime = "<script>" + (default_site.path / "runtime.js").read_text(encoding="utf-8")[:80]
    assert html.count(runtime) == 1
    stall = '<script src="https://stall.test/wait.js"></script>'
    html = html.replace(runtime, stall + runtime).replace("script-src ", "script-src https://stall.test ", 1)
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def slowly(route):
        time.sleep(3)
        route.fulfill(body="", content_type="text/javascript")

    page.route("https://stall.test/**", slowly)
    page.set_content(html, wait_until="commit")
    wait_ready(page)
    assert page.evaluate("window.explainer.backend") in ("cpu", "wasm")
    assert page.locator("#notice").is_hidden(), page.locator("#notice").inner_text()
    assert errors == []
    context.close()
