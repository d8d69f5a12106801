"""The page rendered from site_templates/: names shown as text, an article that describes the model it explains,
formulas prerendered; the payload handed over as one script."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from builder.errors import ExplainError
from builder.i18n import load_catalogs
from builder.render import LOCALES, Page, formula_lookup, language_texts, payload_script, render_page
from testkit.site import read_script
from testkit.specs import minimal_spec, small_cnn_spec

CATALOGS = load_catalogs(LOCALES)

HOSTILE = "<img src=x onerror=alert(1)>"


def test_template_shows_a_html_class_name_as_text():
    spec = minimal_spec([HOSTILE, "plain"])
    languages = {
        code: {"messages": CATALOGS[code], "classes": spec["classes"], "title": f"My {HOSTILE}"}
        for code in ("en", "zh")
    }
    page = render_page(Page(spec, languages, metrics={"accuracy": 0.5}))
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_payload_script_is_one_assignment_of_json(tmp_path):
    payload = {"spec": minimal_spec([HOSTILE, "b"]), "text": "</script><script>alert(1)</script>"}
    (tmp_path / "explainer.js").write_text(payload_script(payload), encoding="utf-8")
    assert read_script(tmp_path / "explainer.js", "CNN_EXPLAIN") == payload


def english_page(spec, metrics=None):
    """index.html and its English article (data/language.en.js), whole."""
    languages = {code: {"messages": CATALOGS[code], "classes": spec["classes"], "title": "t"} for code in ("en", "zh")}
    page = Page(spec, languages, metrics=metrics)
    text = language_texts(page)["en"]
    return render_page(page) + text["article"] + "".join(text["sections"])


def test_article_describes_the_model_it_explains():
    page = " ".join(english_page(small_cnn_spec(), {"accuracy": 0.875, "test_examples": 1000}).split())
    assert "has 235 of them" in page  # 3*3*1*4 + 4 = 40 in the conv, 64*3 + 3 = 195 in the dense layer
    assert "O</var> = (8 − 3 + 2) / 1 + 1 = 8" in page  # the first conv's "same" padding, P = 1
    assert "87.5% of the 1,000 test images" in page
    for section in ("article-input", "article-convolution", "article-relu", "article-pooling", "article-flatten"):
        assert f'id="{section}"' in page
    assert 'data-layer="conv"' in page  # the playground explains the first conv layer


def test_article_formulas_are_prerendered_without_style_attributes():
    page = english_page(small_cnn_spec())
    assert page.count('class="katex-display"') >= 8
    assert "<math" in page  # MathML for screen readers
    assert " style=" not in page  # the Content-Security-Policy forbids style attributes
    assert "font-src 'self'" in page


def test_formula_lookup_names_the_formulas_there_are(tmp_path):
    (tmp_path / "formulas.json").write_text('{"softmax": "<span>p</span>"}')
    formula = formula_lookup(tmp_path)
    assert formula("softmax") == Markup("<span>p</span>")
    with pytest.raises(ExplainError, match="no formula named 'relu'.*there are softmax"):
        formula("relu")
    with pytest.raises(ExplainError, match="missing formulas.json"):
        formula_lookup(tmp_path / "elsewhere")("softmax")


# the policy before the page could load an image by its address; that added exactly "connect-src http: https:"
POLICY_BEFORE_LINKS = {
    "cpu": "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data: blob:; "
    "base-uri 'none'; form-action 'none'",
    "wasm": "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src blob:; style-src 'self'; "
    "font-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'",
}


@pytest.mark.parametrize("backend", ["cpu", "wasm"])
def test_the_content_security_policy_only_lets_the_page_fetch_an_image_and_start_a_worker(backend):
    spec = small_cnn_spec()
    languages = {code: {"messages": CATALOGS[code], "classes": spec["classes"], "title": "t"} for code in ("en", "zh")}
    html = render_page(Page(spec, languages, backend=backend))
    (policy,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)

    def directives(text: str) -> dict[str, list[str]]:
        parts = (part.split() for part in text.split(";") if part.strip())
        return {name: sources for name, *sources in parts}

    now, before = directives(policy), directives(POLICY_BEFORE_LINKS[backend])
    assert now.pop("connect-src") == before.pop("connect-src", []) + ["http:", "https:"]
    # and training in the page added exactly "worker-src blob:": its worker starts from a blob: address
    assert now.pop("worker-src") == ["blob:"]
    assert now == before
