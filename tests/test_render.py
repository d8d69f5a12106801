import json

import pytest
from markupsafe import Markup

from builder.errors import ExplainError
from builder.i18n import load_catalogs
from builder.render import LOCALES, formula_lookup, payload_script, render_page

CATALOGS = load_catalogs(LOCALES)

HOSTILE = "<img src=x onerror=alert(1)>"


def minimal_spec(classes):
    return {
        "format": 1,
        "name": "net",
        "classes": classes,
        "input": {"name": "input", "shape": [8, 8, 1], "pixel_divisor": 255.0},
        "layers": [
            {
                "name": "output",
                "kind": "dense",
                "units": len(classes),
                "activation": "softmax",
                "input": "input",
                "input_shape": [64],
                "shape": [len(classes)],
                "use_bias": True,
            }
        ],
    }


def test_template_shows_a_html_class_name_as_text():
    spec = minimal_spec([HOSTILE, "plain"])
    languages = {
        code: {"messages": CATALOGS[code], "classes": spec["classes"], "title": f"My {HOSTILE}"}
        for code in ("en", "zh")
    }
    page = render_page(spec, {"accuracy": 0.5}, languages)
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_payload_script_is_one_assignment_of_json():
    payload = {"spec": minimal_spec([HOSTILE, "b"]), "text": "</script><script>alert(1)</script>"}
    script = payload_script(payload)
    prefix = "window.CNN_EXPLAIN="
    assert script.startswith(prefix) and script.endswith(";\n")
    assert json.loads(script[len(prefix) : -2]) == payload


def small_cnn_spec():
    """conv (4 filters 3x3, same) -> relu -> 2x2 max pool -> flatten -> dense (3 classes), on 8x8 grey images."""
    conv = {"kind": "conv", "filters": 4, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same"}
    conv.update(activation="linear", use_bias=True)
    pool = {"kind": "pool", "op": "max", "pool_size": [2, 2], "strides": [2, 2], "padding": "valid"}
    layers = [
        {"name": "conv", "input": "input", "input_shape": [8, 8, 1], "shape": [8, 8, 4], **conv},
        {"name": "relu", "kind": "activation", "function": "relu", "input": "conv", "input_shape": [8, 8, 4]},
        {"name": "pool", "input": "relu", "input_shape": [8, 8, 4], "shape": [4, 4, 4], **pool},
        {"name": "flatten", "kind": "flatten", "input": "pool", "input_shape": [4, 4, 4], "shape": [64]},
        {"name": "output", "kind": "dense", "units": 3, "activation": "softmax", "use_bias": True},
    ]
    layers[1]["shape"] = [8, 8, 4]
    layers[4].update(input="flatten", input_shape=[64], shape=[3])
    spec = minimal_spec(["cat", "dog", "fox"])
    spec["layers"] = layers
    return spec


def english_page(spec, metrics=None):
    languages = {code: {"messages": CATALOGS[code], "classes": spec["classes"], "title": "t"} for code in ("en", "zh")}
    return render_page(spec, metrics, languages)


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
