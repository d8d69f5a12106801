"""The README's own-model recipe, run exactly as written, in an empty folder holding what it names."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from testkit.cli import run
from testkit.models import photo_model

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]


def recipe() -> list[str]:
    """The command of the README's "Your own model" section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own model", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    (line,) = [line for line in block.splitlines() if line.startswith("cnn-explain ")]
    return shlex.split(line)


def test_the_readme_recipe_builds_a_site_from_a_model_and_photos(tmp_path):
    import keras

    command = recipe()
    assert command[:2] == ["cnn-explain", "build"]
    arguments = dict(zip(command[2::2], command[3::2], strict=True))
    keras.utils.set_random_seed(0)
    photo_model(size=40, filters=4, classes=3).save(tmp_path / arguments["--model"])
    photos = tmp_path / arguments["--samples"]
    rng = np.random.default_rng(0)
    for path in ("cat/tom.jpg", "dog/rex.png", "unsorted.png"):
        (photos / path).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (60, 80, 3), dtype=np.uint8)).save(photos / path)
    (tmp_path / arguments["--classes"]).write_text("cat\ndog\nbird\n", encoding="utf-8")
    result = run(*command[1:], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / arguments["--out"]
    spec = json.loads((site / "spec.json").read_text(encoding="utf-8"))
    assert spec["classes"] == ["cat", "dog", "bird"] and spec["input"]["shape"] == [40, 40, 3]
    assert (site / "index.html").is_file() and not (site / "metrics.json").exists()
    assert str((site / "index.html").resolve()) in result.stdout


def test_the_readmes_residual_model_is_explained(tmp_path):
    """The README's residual block, run as written: its site reads the Add's two inputs, and the shortcut is the
    output of the layer the main path starts from."""
    import os

    from testkit.images import write_image_folder
    from testkit.site import build_site

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own model", 1)[1]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(here)
    (folder,) = [tmp_path / "photos" / n for n in write_image_folder(tmp_path / "photos", 1, per_class=2, size=32)]
    site = build_site(tmp_path / "site", model=tmp_path / "residual.keras", samples=folder)
    (add,) = [layer for layer in site.spec["layers"] if layer["kind"] == "add"]
    first = site.spec["layers"][1]  # the first Conv2D's ReLU, split off: the block's input
    assert add["inputs"][1] == first["name"] and first["kind"] == "activation"
    assert site.spec["layers"][-1]["kind"] == "dense"
