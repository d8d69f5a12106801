"""The README's install recipe: the wheel, installed into a fresh environment, builds a site from an empty folder.

The environment is new and holds only the wheel. Its dependencies (TensorFlow and the rest, 3 GB) are read from
this checkout's .venv through a path file, which does not make .venv's own editable install of the tool visible,
so the tool, its templates and its front end can only come from the wheel.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from testkit.models import photo_model

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = Path(sys.executable)


def recipe() -> list[str]:
    """The three commands of the README's "Install it anywhere" section, without their comments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme.split("## Install it anywhere", 1)[1], re.S).group(1)
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


def own_model_and_photos(folder: Path) -> None:
    import keras

    keras.utils.set_random_seed(0)
    photo_model(size=20, filters=3, classes=2).save(folder / "my_model.keras")
    rng = np.random.default_rng(0)
    (folder / "my_photos").mkdir()
    for name in ("a.png", "b.jpg"):
        Image.fromarray(rng.integers(0, 256, (30, 24, 3), dtype=np.uint8)).save(folder / "my_photos" / name)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_wheel_installed_alone_builds_the_same_site_as_the_checkout(tmp_path):
    make_wheel, install, build = recipe()
    assert make_wheel == "bash scripts/wheel.sh" and install.startswith("pip install ")
    assert build.startswith("cnn-explain build ")

    made = subprocess.run(["bash", "scripts/wheel.sh"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr
    wheel = ROOT / install.split()[-1]
    assert made.stdout.split()[-1] == install.split()[-1] and wheel.is_file(), made.stdout

    env = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    found = subprocess.run(
        [str(python), "-c", "import cnn_explain.render as r; print(r.__file__)\nimport builder"],
        cwd=empty,
        capture_output=True,
        text=True,
    )
    assert found.stdout.strip().startswith(str(site_packages / "cnn_explain")), found.stdout
    assert "No module named 'builder'" in found.stderr, "the tool is installed as cnn_explain, not as builder"
    for name in ("app.js", "wasm.js"):  # wasm.js goes only into sites of costly models, as the README's is not
        installed = site_packages / "cnn_explain" / "frontend" / name
        assert installed.read_bytes() == (ROOT / "frontend" / "dist" / name).read_bytes(), name
    # the default model travels too, so `cnn-explain build` anywhere does not train for minutes
    assert files(site_packages / "cnn_explain" / "pretrained") == files(ROOT / "builder" / "pretrained")

    (tmp_path / "wheel").mkdir()
    own_model_and_photos(tmp_path / "wheel")
    shutil.copytree(tmp_path / "wheel", tmp_path / "checkout")
    command = build.split()[1:]
    result = subprocess.run(
        [str(env / "bin" / "cnn-explain"), *command],
        cwd=tmp_path / "wheel",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    checkout = subprocess.run(
        [str(VENV_PYTHON.with_name("cnn-explain")), *command],
        cwd=tmp_path / "checkout",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checkout.returncode == 0, checkout.stderr

    out = command[command.index("--out") + 1]
    from_wheel, from_checkout = files(tmp_path / "wheel" / out), files(tmp_path / "checkout" / out)
    site = {"index.html", "app.js", "app.css", "tour.js", "tour.css", "favicon.svg", "data/explainer.js"}
    assert site <= from_wheel.keys()
    assert [name for name in from_wheel if name.startswith("fonts/")], "the article's fonts travel in the wheel"
    assert from_wheel == from_checkout
    assert from_wheel["app.js"] == (ROOT / "frontend" / "dist" / "app.js").read_bytes()
