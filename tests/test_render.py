import json

import pytest

from builder.build import staged_output
from builder.render import payload_script, template_environment

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
    page = (
        template_environment()
        .get_template("index.html.j2")
        .render(title=f"My {HOSTILE}", description="d", spec=spec, metrics={"accuracy": 0.5}, asset_version="1")
    )
    assert HOSTILE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_payload_script_is_one_assignment_of_json():
    payload = {"spec": minimal_spec([HOSTILE, "b"]), "text": "</script><script>alert(1)</script>"}
    script = payload_script(payload)
    prefix = "window.CNN_EXPLAIN="
    assert script.startswith(prefix) and script.endswith(";\n")
    assert json.loads(script[len(prefix) : -2]) == payload


def test_failed_build_leaves_the_previous_output_untouched(tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "index.html").write_text("previous")
    with pytest.raises(RuntimeError):
        with staged_output(out) as stage:
            (stage / "index.html").write_text("half-built")
            raise RuntimeError("conversion failed")
    assert (out / "index.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_successful_build_replaces_the_output(tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    with staged_output(out) as stage:
        (stage / "index.html").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
