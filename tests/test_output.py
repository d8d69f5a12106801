"""The output folder is the tool's alone: what it may replace, what it refuses, and what a killed build leaves."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from builder import output
from builder.output import INTERRUPTED, MARKER, SITE, TRAINED_MODEL, OutputError, is_output, remove_stale, staged_output


def write(path, text="x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def unmarked_site(folder):
    """A folder laid out as a site of cnn-explain 0.1.0 (no marker), or as anybody's files of those names."""
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
    new = {"bytes": 3, "sha256": hashlib.sha256(b"new").hexdigest()}
    assert marker["files"] == {"data/explainer.js": new, "index.html": new}
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


def test_a_folder_is_the_tools_only_when_its_marker_says_so(tmp_path):
    """An unmarked folder that merely holds the names of an output is the user's: a site laid out as version 0.1.0
    wrote it, or a model folder of the user's with the three names `cnn-explain train` writes."""
    site = unmarked_site(tmp_path / "dist")
    assert not is_output(site)
    with pytest.raises(OutputError, match="index.html"):
        build_into(site)
    models = tmp_path / "m"
    for name in ("model.keras", "history.json", "metrics.json"):
        write(models / name, "mine")
    with pytest.raises(OutputError, match="holds 3 files that are not from a previous build"):
        with staged_output(models, TRAINED_MODEL) as stage:
            write(stage / "model.keras", "new")
    assert all((models / name).read_text() == "mine" for name in ("model.keras", "history.json", "metrics.json"))


@pytest.mark.parametrize("files", [3, None, "index.html", [1, 2]])
def test_a_marker_without_a_list_of_files_protects_every_file(tmp_path, files):
    out = tmp_path / "site"
    write(out / "index.html", "mine")
    write(out / MARKER, json.dumps({"tool": "cnn-explain", "kind": "site", "state": "built", "files": files}))
    with pytest.raises(OutputError, match="index.html"):
        build_into(out)
    assert (out / "index.html").read_text() == "mine"


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


def test_out_through_a_symlinked_parent_is_guarded_as_the_folder_it_leads_to(tmp_path, monkeypatch):
    data = tmp_path / "data"
    write(data / "cat" / "1.png")
    (tmp_path / "dlink").symlink_to(data)
    with pytest.raises(OutputError, match="inside --data"):
        build_into(tmp_path / "dlink" / "site", inputs={"--data": data})
    assert sorted(p.name for p in data.iterdir()) == ["cat"]
    home = tmp_path / "home"
    write(home / "notes.txt", "mine")
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "hlink").symlink_to(tmp_path)
    with pytest.raises(OutputError, match="your home folder"):
        build_into(tmp_path / "hlink" / "home")
    assert (home / "notes.txt").read_text() == "mine"


def test_a_mount_point_is_refused_before_any_work(tmp_path):
    out = tmp_path / "mounted"
    out.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(out)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        ran = []
        with pytest.raises(OutputError, match="is a mount point"):
            with staged_output(out):
                ran.append(True)
        assert ran == []
        (out / "inner").mkdir()
        with pytest.raises(OutputError, match="mounted"):
            build_into(tmp_path)  # a folder holding a mount point: its files are another file system's
        assert (out / "inner").is_dir()
    finally:
        subprocess.run(["umount", str(out)], check=True)


def test_a_swap_that_fails_leaves_the_previous_output_and_its_marker_as_they_were(tmp_path, monkeypatch):
    out = tmp_path / "site"
    build_into(out, files=("index.html",))
    marker = (out / MARKER).read_bytes()
    real_rename = Path.rename

    def busy(self, target):
        if self == out:
            raise OSError(errno.EBUSY, "Device or resource busy", str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", busy)
    with pytest.raises(OSError, match="busy"):
        build_into(out, files=("index.html", "more.html"))
    assert (out / MARKER).read_bytes() == marker and is_output(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_full_disk_while_marking_the_stage_leaves_nothing_behind(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output, "_write_marker", full)
    with pytest.raises(OutputError, match="No space left on device"):
        build_into(tmp_path / "new" / "site")
    assert list(tmp_path.iterdir()) == []


def test_the_output_keeps_the_permissions_of_the_folder_it_replaces(tmp_path):
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    build_into(private)
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    umask = os.umask(0o027)
    try:
        build_into(tmp_path / "fresh")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "fresh").stat().st_mode) == 0o750
