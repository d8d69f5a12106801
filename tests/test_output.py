"""The output folder is the tool's alone: what it may replace, what it refuses, and what a killed build leaves."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from builder.output import INTERRUPTED, MARKER, SITE, TRAINED_MODEL, OutputError, is_output, remove_stale, staged_output


def write(path, text="x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def legacy_site(folder):
    """A site as cnn-explain 0.1.0 wrote it: no marker."""
    for name in ("index.html", "spec.json", "app.js", "app.css", "metrics.json", "model/model.json"):
        write(folder / name)
    write(folder / "model" / "group1-shard1of1.bin")
    write(folder / "data" / "explainer.js")
    write(folder / "fonts" / "KaTeX_Main-Regular.woff2")
    return folder


def build_into(out, files=("index.html",), **kwargs):
    with staged_output(out, **kwargs) as stage:
        for name in files:
            write(stage / name, "new")


def test_a_missing_folder_is_made_and_marked_with_every_file_written(tmp_path):
    out = tmp_path / "a" / "b" / "site"
    build_into(out, files=("index.html", "data/explainer.js"))
    marker = json.loads((out / MARKER).read_text())
    assert marker["tool"] == "cnn-explain" and marker["kind"] == "site" and marker["state"] == "built"
    assert marker["files"] == ["data/explainer.js", "index.html"]
    assert is_output(out) and not is_output(out, TRAINED_MODEL)


def test_an_empty_folder_and_a_previous_build_are_replaced(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    build_into(out, files=("old.html",))
    build_into(out, files=("index.html",))
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "no staging or swap folder is left"


def test_a_folder_with_the_users_files_is_refused_and_kept(tmp_path):
    out = tmp_path / "mydocs"
    notes = write(out / "notes.txt", "my notes")
    thesis = write(out / "sub" / "thesis.tex", "my thesis")
    with pytest.raises(
        OutputError, match=r"holds 2 files that are not from a previous build \(notes.txt, sub/thesis.tex\)"
    ):
        build_into(out)
    assert notes.read_text() == "my notes" and thesis.read_text() == "my thesis"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mydocs"]


def test_a_file_added_to_a_previous_build_is_not_lost(tmp_path):
    out = tmp_path / "site"
    build_into(out)
    write(out / "CNAME", "example.org")
    write(out / ".DS_Store")  # a file browser's, not the user's work
    with pytest.raises(OutputError, match="CNAME"):
        build_into(out)
    assert (out / "CNAME").read_text() == "example.org"


def test_a_site_built_before_markers_is_recognised_by_its_layout(tmp_path):
    out = legacy_site(tmp_path / "dist")
    assert is_output(out)
    build_into(out)
    assert json.loads((out / MARKER).read_text())["files"] == ["index.html"]
    other = legacy_site(tmp_path / "other")
    write(other / "thesis.tex")
    assert not is_output(other)
    with pytest.raises(OutputError, match="thesis.tex"):
        build_into(other)


@pytest.mark.parametrize(
    "where",
    ["cwd", "parent of cwd", "home", "data", "model folder", "samples", "root", "git"],
)
def test_folders_that_hold_the_users_work_are_refused(tmp_path, monkeypatch, where):
    work = tmp_path / "work"
    write(work / "data" / "cat" / "1.png")
    write(work / "models" / "net.keras")
    write(work / "photos" / "1.jpg")
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(work))
    inputs = {"--data": work / "data", "--model": work / "models" / "net.keras", "--samples": work / "photos"}
    out = {
        "cwd": work,
        "parent of cwd": tmp_path,
        "home": work,
        "data": work / "data",
        "model folder": work / "models",
        "samples": work / "photos",
        "root": tmp_path.anchor,
        "git": work / "repo",
    }[where]
    if where == "git":
        subprocess.run(["git", "init", "-q", str(out)], check=True)
    before = sorted(str(p) for p in work.rglob("*"))
    with pytest.raises(OutputError):
        build_into(out, inputs=inputs)
    assert sorted(str(p) for p in work.rglob("*")) == before


def test_out_inside_the_data_it_reads_is_refused(tmp_path):
    data = tmp_path / "data"
    write(data / "cat" / "1.png")
    with pytest.raises(OutputError, match="inside --data"):
        build_into(data / "site", inputs={"--data": data})
    assert not (data / "site").exists()


def test_a_file_at_out_is_refused_and_kept(tmp_path):
    out = write(tmp_path / "afile.txt", "mine")
    with pytest.raises(OutputError, match="is a file"):
        build_into(out)
    assert out.read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["afile.txt"]


def test_an_unwritable_place_fails_before_the_work_starts(tmp_path):
    blocker = write(tmp_path / "blocker", "a file where a folder should be")
    ran = []
    with pytest.raises(OutputError, match="is a file, not a folder"):
        with staged_output(blocker / "site"):
            ran.append(True)
    assert ran == [] and blocker.read_text() == "a file where a folder should be"


def test_a_failure_removes_the_staging_folder_and_keeps_the_previous_output(tmp_path):
    out = tmp_path / "site"
    build_into(out, files=("index.html",))
    before = (out / "index.html").read_text()
    with pytest.raises(RuntimeError):
        with staged_output(out) as stage:
            write(stage / "index.html", "half")
            raise RuntimeError("conversion failed")
    assert (out / "index.html").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_ctrl_c_that_the_build_swallowed_still_replaces_nothing(tmp_path):
    """Code under TensorFlow can catch the KeyboardInterrupt of Ctrl-C and carry on; the CLI's note of the key
    (INTERRUPTED) stops the build before it replaces the output."""
    out = tmp_path / "site"
    build_into(out, files=("index.html",))
    before = (out / "index.html").read_text()
    try:
        with pytest.raises(KeyboardInterrupt):
            with staged_output(out) as stage:
                write(stage / "index.html", "new")
                INTERRUPTED.set()  # as the CLI's handler does, the exception it raised being swallowed
    finally:
        INTERRUPTED.clear()
    assert (out / "index.html").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failure_removes_the_parents_it_made(tmp_path):
    with pytest.raises(RuntimeError):
        with staged_output(tmp_path / "new" / "deeper" / "site"):
            raise RuntimeError("failed")
    assert list(tmp_path.iterdir()) == []


def test_stale_staging_folders_of_killed_builds_are_removed_and_others_kept(tmp_path):
    out = tmp_path / "site"
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from builder.output import staged_output\n"
        "with staged_output(Path(sys.argv[1])) as stage:\n"
        "    (stage / 'index.html').write_text('half')\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(out)], check=False)
    stale = [p for p in tmp_path.iterdir() if p.name.startswith(".site-building-")]
    assert len(stale) == 1, "the killed build left its staging folder"
    lookalike = write(tmp_path / ".site-building-999-abc" / "mine.txt").parent  # not the tool's: no marker
    live = tmp_path / f".site-building-{os.getpid()}-x"
    live.mkdir()
    (live / MARKER).write_text(
        json.dumps({"tool": "cnn-explain", "kind": "site", "state": "building", "pid": os.getpid()})
    )
    assert remove_stale(out) == stale
    assert lookalike.is_dir() and live.is_dir()
    build_into(out)
    assert (out / "index.html").read_text() == "new"


def test_a_trained_model_folder_is_its_own_kind(tmp_path):
    out = tmp_path / "trained"
    with staged_output(out, TRAINED_MODEL) as stage:
        write(stage / "model.keras")
    assert is_output(out, TRAINED_MODEL) and not is_output(out, SITE)
    with pytest.raises(OutputError):
        build_into(out)  # a site would replace a trained model
