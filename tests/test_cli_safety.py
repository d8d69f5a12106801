"""The CLI as a careless or hostile user meets it: nothing of theirs is lost, every failure is one clear line.

Each case runs the real `cnn-explain` in a subprocess. A refusal exits with 1 and prints exactly one line,
starting "Error:", with no traceback; the user's files are byte for byte as they were.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from testkit.cli import CLI, assert_refused, run
from testkit.images import write_image_folder
from testkit.site import read_payload

pytestmark = pytest.mark.integration


def snapshot(folder: Path) -> dict:
    """Every file under `folder` (hidden ones too) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def small_model(
    path: Path, size: int = 12, channels: int = 3, classes: int = 3, names=("conv", "output"), filters: int = 4
) -> Path:
    import keras
    from keras import layers

    keras.utils.set_random_seed(3)
    path.parent.mkdir(parents=True, exist_ok=True)
    keras.Sequential(
        [
            keras.Input((size, size, channels)),
            layers.Conv2D(filters, 3, padding="same", activation="relu", name=names[0]),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(classes, activation="softmax", name=names[1]),
        ]
    ).save(path)
    return path


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A folder with a small dataset (data/), a model for it (models/net.keras) and a built site (site/)."""
    folder = tmp_path_factory.mktemp("safety")
    write_image_folder(folder / "data", 3, per_class=6, size=12)
    small_model(folder / "models" / "net.keras")
    result = run(
        "build", "--model", "models/net.keras", "--data", "data", "--samples", "2", "--out", "site", cwd=folder
    )
    assert result.returncode == 0, result.stderr
    return folder


def test_a_folder_of_the_users_files_is_refused_and_kept(work):
    mydocs = work / "mydocs"
    (mydocs / "sub").mkdir(parents=True)
    (mydocs / "notes.txt").write_text("notes")
    (mydocs / "sub" / "thesis.tex").write_text("thesis")
    before = snapshot(mydocs)
    result = run("build", "--model", "models/net.keras", "--data", "data", "--out", "mydocs", cwd=work)
    assert_refused(result, "--out mydocs", "notes.txt", "sub/thesis.tex", "not from a previous build")
    assert snapshot(mydocs) == before


def test_the_current_folder_of_a_git_clone_is_refused(work, tmp_path):
    clone = tmp_path / "clone"
    clone.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=clone, check=True)
    (clone / "README.md").write_text("mine")
    before = snapshot(clone)
    result = run(
        "build", "--model", str(work / "models/net.keras"), "--data", str(work / "data"), "--out", ".", cwd=clone
    )
    assert_refused(result, "--out .", "the current folder")
    assert snapshot(clone) == before


@pytest.mark.parametrize(
    ("out", "named"),
    [("data", "--data"), ("models", "--model"), (".", "the current folder"), ("..", "the current folder")],
)
def test_the_builds_own_inputs_are_refused(work, out, named):
    before = snapshot(work / "data"), snapshot(work / "models")
    result = run("build", "--model", "models/net.keras", "--data", "data", "--out", out, cwd=work)
    assert_refused(result, f"--out {out}", named)
    assert (snapshot(work / "data"), snapshot(work / "models")) == before


def test_the_home_folder_is_refused(work, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    args = [str(CLI), "build", "--model", str(work / "models/net.keras"), "--data", str(work / "data")]
    result = subprocess.run([*args, "--out", str(home)], capture_output=True, text=True, cwd=work, env=env, timeout=60)
    assert_refused(result, "your home folder")


def test_a_file_at_out_is_refused_and_kept(work):
    target = work / "afile.txt"
    target.write_text("my file")
    result = run("build", "--model", "models/net.keras", "--data", "data", "--out", "afile.txt", cwd=work)
    assert_refused(result, "--out afile.txt is a file")
    assert target.read_text() == "my file"
    assert not [p for p in work.iterdir() if p.name.startswith(".afile")]


def test_an_unwritable_out_fails_at_once_before_any_training(tmp_path):
    (tmp_path / "blocker").write_text("a file where a folder should be")
    started = time.monotonic()
    result = run("build", "--out", "blocker/site", cwd=tmp_path)  # the default build would train for minutes
    assert_refused(result, "blocker", "is a file, not a folder")
    assert time.monotonic() - started < 20 and "training" not in result.stderr
    assert (tmp_path / "blocker").read_text() == "a file where a folder should be"


def test_an_immutable_parent_fails_at_once_even_for_root(tmp_path):
    """Root writes through a read-only mode, but not into an immutable folder: the staging folder, made before any
    work, finds that out in a second instead of after training."""
    locked = tmp_path / "locked"
    locked.mkdir()
    if subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        started = time.monotonic()
        result = run("build", "--out", "locked/site", cwd=tmp_path)
        assert_refused(result, "cannot write --out locked/site")
        assert time.monotonic() - started < 20 and "training" not in result.stderr
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    assert list(locked.iterdir()) == []


def test_train_out_at_a_file_is_refused(tmp_path):
    (tmp_path / "model.txt").write_text("mine")
    result = run("train", "--out", "model.txt", cwd=tmp_path)
    assert_refused(result, "--out model.txt is a file")
    assert (tmp_path / "model.txt").read_text() == "mine"


def test_train_never_replaces_a_folder_of_the_users_models(tmp_path):
    """A folder holding the three names `train` writes is the user's unless the tool's marker says otherwise."""
    models = tmp_path / "m"
    models.mkdir()
    (models / "model.keras").write_bytes(b"my model")
    for name in ("history.json", "metrics.json"):
        (models / name).write_text("{}")
    before = snapshot(models)
    result = run("train", "--out", "m", cwd=tmp_path, timeout=120)
    assert_refused(result, "--out m holds 3 files that are not from a previous build", "model.keras")
    assert snapshot(models) == before


def test_out_through_a_link_is_guarded_as_the_folder_it_leads_to(work):
    (work / "dlink").symlink_to("data")
    try:
        before = snapshot(work / "data")
        result = run("build", "--model", "models/net.keras", "--data", "data", "--out", "dlink/site", cwd=work)
        assert_refused(result, "--out dlink/site is inside --data data")
        assert snapshot(work / "data") == before
    finally:
        (work / "dlink").unlink()


def test_a_full_disk_is_one_line_and_replaces_nothing(work, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(small)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        result = run("build", "--model", "models/net.keras", "--data", "data", "--out", str(small / "site"), cwd=work)
        assert_refused(result, "No space left on device", "free some space", "nothing was replaced")
        assert list(small.iterdir()) == []
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_file_and_folder_names_that_are_not_utf8_are_shown_not_fatal(work, tmp_path):
    """Names the page cannot hold as text are shown with U+FFFD for their odd bytes, instead of failing the build
    at its very end."""
    picture = next((work / "data").rglob("*.png")).read_bytes()
    samples = os.fsencode(tmp_path / "samples")
    os.makedirs(samples + b"/caf\xe9")
    for name in (b"/caf\xe9/photo\xff.png", b"/plain.png"):
        with open(samples + name, "wb") as handle:
            handle.write(picture)
    model = str(work / "models" / "net.keras")
    result = run("build", "--model", model, "--samples", str(tmp_path / "samples"), "--out", "s", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files = [item["file"] for item in read_payload(tmp_path / "s")["samples"]["items"]]
    assert files == ["caf\ufffd/photo\ufffd.png", "plain.png"]


def test_class_names_are_read_line_by_line_whatever_they_hold(work, tmp_path):
    """A form feed or U+0085 inside a name does not end its line (str.splitlines would cut it in two)."""
    names = tmp_path / "names.txt"
    names.write_text("T\x85shirt\nTrou\x0cser\r\nBag\n", encoding="utf-8")
    result = run(
        "build",
        "--model",
        "models/net.keras",
        "--data",
        "data",
        "--classes",
        str(names),
        "--out",
        str(tmp_path / "s"),
        cwd=work,
    )
    assert result.returncode == 0, result.stderr
    spec = json.loads((tmp_path / "s" / "spec.json").read_text(encoding="utf-8"))
    assert spec["classes"] == ["T\x85shirt", "Trou\x0cser", "Bag"]


def test_serve_shows_only_a_build(tmp_path):
    result = run("serve", "--dir", "/", "--port", "0", cwd=tmp_path, timeout=60)
    assert_refused(result, "--dir / is not a site built by cnn-explain")


def test_a_previous_build_is_replaced_and_marked(work):
    result = run("build", "--model", "models/net.keras", "--data", "data", "--samples", "2", "--out", "site", cwd=work)
    assert result.returncode == 0, result.stderr
    marker = json.loads((work / "site" / ".cnn-explain.json").read_text())
    assert marker["kind"] == "site" and "index.html" in marker["files"]
    assert not [p for p in work.iterdir() if p.name.startswith(".site-")]


def test_a_killed_build_leaves_a_staging_folder_that_the_next_build_removes(work):
    command = [str(CLI), "build", "--model", "models/net.keras", "--data", "data", "--samples", "2", "--out", "site"]
    process = subprocess.Popen(command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = wait_for_staging(work, process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert all(p.is_dir() for p in staging), "kill -9 leaves the staging folder"
    before = snapshot(work / "site")
    result = run("build", "--model", "models/net.keras", "--data", "data", "--samples", "2", "--out", "site", cwd=work)
    assert result.returncode == 0, result.stderr
    assert not [p for p in work.iterdir() if p.name.startswith(".site-")]
    assert snapshot(work / "site").keys() == before.keys()


def wait_for_staging(work: Path, process: subprocess.Popen, timeout: float = 60) -> list[Path]:
    """The staging folder(s) a running build of `work`/site made beside it; fails at once, saying what happened,
    when the build writes into the site itself or ends without staging anything."""
    site = work / "site"
    before = snapshot(site) if site.is_dir() else {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        staging = [p for p in work.iterdir() if p.name.startswith(".site-building-")]
        if staging:
            return staging
        now = snapshot(site) if site.is_dir() else {}
        if now != before:
            changed = sorted(set(now) ^ set(before) | {k for k in set(now) & set(before) if now[k] != before[k]})
            raise AssertionError(f"the build wrote into --out itself instead of a staging folder: {changed[:5]}")
        if process.poll() is not None:
            raise AssertionError(f"the build ended (exit {process.returncode}) without a staging folder beside --out")
        time.sleep(0.02)
    raise AssertionError(f"no staging folder beside --out after {timeout} s, and --out unchanged")


def test_an_interrupted_build_removes_its_staging_folder_and_keeps_the_site(work):
    before = snapshot(work / "site")
    command = [str(CLI), "build", "--model", "models/net.keras", "--data", "data", "--samples", "2", "--out", "site"]
    process = subprocess.Popen(
        command,
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as in a terminal, even when pytest runs in the background (which ignores it, and so would the build)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    wait_for_staging(work, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1 and "interrupted" in stderr and "Traceback" not in stderr, stderr
    assert snapshot(work / "site") == before
    assert not [p for p in work.iterdir() if p.name.startswith(".site-")]


def test_a_file_saved_into_the_site_during_a_build_is_kept(work):
    """The build is staged: --out is replaced only at the end, after checking again that nothing of the user's is
    there. A file the user saves into the site while it builds makes the build fail, and survives."""
    before = snapshot(work / "site")
    command = [str(CLI), "build", "--model", "models/net.keras", "--data", "data", "--samples", "2", "--out", "site"]
    process = subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_staging(work, process)
    assert snapshot(work / "site") == before, "nothing is written into --out while the build runs"
    (work / "site" / "notes.txt").write_text("saved while building")
    stdout, stderr = process.communicate(timeout=300)
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    assert_refused(result, "notes.txt")
    assert (work / "site" / "notes.txt").read_text() == "saved while building"
    (work / "site" / "notes.txt").unlink()
    assert snapshot(work / "site") == before
    assert not [p for p in work.iterdir() if p.name.startswith(".site-")]


@pytest.mark.parametrize(
    ("args", "phrases"),
    [
        (["--pixel-divisor", "inf"], ["--pixel-divisor inf", "from 1e-06 to 1e+06"]),
        (["--pixel-divisor", "1e-320"], ["--pixel-divisor", "from 1e-06 to 1e+06"]),
        (["--pixel-divisor", "nan"], ["--pixel-divisor nan"]),
        (["--cache", "afile.txt"], ["--cache afile.txt", "is a file"]),
        (["--retrain"], ["--retrain trains", "--model explains yours"]),
        (["--image-size", "1024"], ["--image-size", "(see cnn-explain build --help)"]),
        (["--samples", "0"], ["--samples"]),
        (["--no-such-option"], ["--no-such-option"]),
        (["--seed", "-1"], ["--seed", "0<=x<=4294967295"]),
        (["--seed", str(2**32)], ["--seed", "0<=x<=4294967295"]),
    ],
)
def test_bad_options_are_one_line_each(work, args, phrases):
    (work / "afile.txt").write_text("my file")
    result = run("build", "--model", "models/net.keras", "--data", "data", "--out", "site2", *args, cwd=work)
    assert_refused(result, *phrases)
    assert not (work / "site2").exists()


def test_a_truncated_model_file_is_not_called_missing(work, tmp_path):
    whole = (work / "models" / "net.keras").read_bytes()
    (tmp_path / "cut.keras").write_bytes(whole[: len(whole) // 2])
    result = run("build", "--model", str(tmp_path / "cut.keras"), "--data", str(work / "data"), cwd=tmp_path)
    line = assert_refused(result, "not a complete .keras file", "truncated")
    assert "not found" not in line.lower()
    (tmp_path / "cut.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 100)
    result = run("build", "--model", str(tmp_path / "cut.h5"), "--data", str(work / "data"), cwd=tmp_path)
    assert_refused(result, "Keras cannot load it")


@pytest.mark.parametrize("pool", [8, None], ids=["wide-activations", "heavy-weights"])
def test_a_huge_model_is_refused_before_it_fills_the_memory(tmp_path, pool):
    """256x256x1 with two Conv2D(128): 42 million values per image; without pooling, 84 million weights too
    (refused from the file's dataset shapes, before Keras loads it)."""
    from testkit.models import huge_model

    huge_model(pool).save(tmp_path / "huge.keras")
    started = time.monotonic()
    result = run("build", "--model", "huge.keras", timeout=120, cwd=tmp_path)
    if pool:
        assert_refused(result, "million values per image", "conv2d", "256x256x128", "a browser page can hold")
    else:
        assert_refused(result, "holds 84.0 million weights", "more than the 10.0 million")
        assert time.monotonic() - started < 20, "refused without loading the model"


def test_a_model_larger_than_the_image_size_range_gets_advice_it_can_follow(tmp_path):
    small_model(tmp_path / "big.keras", size=1024, channels=1, classes=2, filters=1)
    write_image_folder(tmp_path / "data", 2, per_class=6, size=16, grey=True)
    result = run("build", "--model", "big.keras", "--data", "data", cwd=tmp_path)
    line = assert_refused(result, "1024x1024x1", "--samples DIR")
    assert "--image-size 1024" not in line


def test_serve_on_a_busy_port_says_to_pick_another(work):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--dir", "site", "--port", str(port), cwd=work, timeout=60)
    assert_refused(result, str(port), "--port")


def test_a_normal_build_prints_only_the_tools_own_lines(work):
    env = {key: value for key, value in os.environ.items() if not key.startswith("TF_")}  # as a user's shell has it
    args = ["build", "--model", "models/net.keras", "--data", "data", "--samples", "2"]
    result = run(*args, "--out", "site", cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    for line in result.stderr.splitlines():
        assert line[:2].isdigit() and line[2] == ":", f"not one of the tool's log lines: {line!r}"
    assert "cuInit" not in result.stderr and "oneDNN" not in result.stderr
    verbose = run("--verbose", *args, "--out", "site", cwd=work, env=env)
    assert verbose.returncode == 0 and len(verbose.stderr.splitlines()) > len(result.stderr.splitlines())


def test_ctrl_c_is_reported_as_such_when_a_library_turns_it_into_another_error():
    """Seen in CI: SIGINT during the build surfaced from C code under TensorFlow as TypeError("expected a message
    argument"), which the CLI reported as an unexpected error asking for a bug report."""
    import click

    from builder.cli import _run

    def mangled():
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            raise TypeError("expected a message argument") from None

    started = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, whatever ran pytest
    try:
        with pytest.raises(click.ClickException, match="^interrupted; nothing was replaced$"):
            _run(mangled)
        with pytest.raises(click.ClickException, match="unexpected TypeError: broken"):
            _run(lambda: (_ for _ in ()).throw(TypeError("broken")))
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        # started with Ctrl-C ignored (in the background), the build keeps ignoring it
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _run(lambda: os.kill(os.getpid(), signal.SIGINT))
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, started)
