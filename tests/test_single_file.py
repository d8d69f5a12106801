"""`cnn-explain build --single-file PAGE.html`: one file, written only where nothing of the user's is lost, that
holds everything the page loads (the browser tests open it: tests/browser/test_single_file.py)."""

from __future__ import annotations

import pytest

from testkit.bombs import small_keras_model
from testkit.cli import assert_refused, run
from testkit.images import write_image_folder

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("single")
    small_keras_model(folder / "m.keras")
    write_image_folder(folder / "samples", 3, per_class=1, size=12)
    return folder


def build(folder, *extra):
    return run("build", "--model", "m.keras", "--samples", "samples", "--single-file", *extra, cwd=folder)


def test_one_file_is_written_and_written_again_but_no_folder_unless_asked(inputs):
    result = build(inputs, "page.html")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(f"open {inputs / 'page.html'} (one file, ")
    page = (inputs / "page.html").read_text(encoding="utf-8")
    assert '<meta name="generator" content="cnn-explain single-file page">' in page
    assert not (inputs / "dist").exists(), "--single-file alone writes no folder"
    assert 'src="' not in page.replace('src="data:', "") and 'href="app.css' not in page
    assert build(inputs, "page.html").returncode == 0, "its own page is replaced"
    both = build(inputs, "again.html", "--out", "site")
    assert both.returncode == 0 and (inputs / "site" / "index.html").is_file() and (inputs / "again.html").is_file()


@pytest.mark.parametrize(
    "name, make, phrase",
    [
        ("notes.html", lambda p: p.write_text("<p>my notes</p>"), "exists and was not written by cnn-explain"),
        ("folder.html", lambda p: p.mkdir(), "is a directory"),
        ("missing/page.html", lambda p: None, "the folder missing does not exist"),
        ("page.txt", lambda p: None, "name the page with .html at the end"),
    ],
)
def test_what_is_not_the_tools_is_never_replaced(inputs, name, make, phrase):
    target = inputs / name
    make(target)
    before = target.read_bytes() if target.is_file() else None
    result = build(inputs, name)
    assert_refused(result, phrase)
    assert "built" not in result.stderr, "refused before anything slow"
    if before is not None:
        assert target.read_bytes() == before
