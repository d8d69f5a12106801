"""The output folder belongs to the tool: it is replaced only when it is missing, empty, or a previous output.

A build is written into a staging folder beside `--out` (`.NAME-building-PID-XXXX`) and swapped in at the
end; a failed build removes its staging folder and leaves `--out` as it was. Every output carries a marker
file (MARKER) naming the tool, the kind of output and every file it wrote. `--out` is refused, before any
work starts, when it is a file, holds anything the tool did not write, is the root of a git work tree, or is
(or contains) the current folder, the home folder, `/` or one of the build's inputs. Staging folders left by
a killed build are recognised by their name and marker and removed by the next run.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from . import __version__
from .errors import ExplainError

MARKER = ".cnn-explain.json"
TOOL = "cnn-explain"
JUNK = {".DS_Store", "Thumbs.db", "desktop.ini"}  # written by file browsers, never the user's work
NAMED = 5  # how many unexpected entries a refusal names


@dataclass(frozen=True)
class OutputKind:
    """What a command writes: `legacy` lists the relative paths (glob patterns) of that output from before
    the marker existed, `required` those of them that identify it."""

    name: str
    option: str
    legacy: tuple[str, ...]
    required: tuple[str, ...]


SITE = OutputKind(
    "site",
    "--out",
    legacy=(
        "index.html",
        "spec.json",
        "metrics.json",
        "app.js",
        "app.css",
        "fonts/*.woff2",
        "model/model.json",
        "model/*.bin",
        "data/explainer.js",
    ),
    required=("index.html", "spec.json", "model/model.json", "data/explainer.js"),
)
TRAINED_MODEL = OutputKind(
    "trained model",
    "--out",
    legacy=("model.keras", "history.json", "metrics.json"),
    required=("model.keras", "history.json", "metrics.json"),
)


class OutputError(ExplainError):
    """The output folder cannot be (re)placed without losing something, or cannot be written."""


INTERRUPTED = threading.Event()  # set by the CLI when Ctrl-C is pressed (cli.py)


def read_marker(folder: Path) -> dict | None:
    """The marker of an output folder, or None when it has none (or it is not the tool's)."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and marker.get("tool") == TOOL else None


def is_output(folder: Path, kind: OutputKind = SITE) -> bool:
    """Whether `folder` is a complete output of this kind: marked by the tool, or laid out as one from before markers."""
    marker = read_marker(folder)
    if marker is not None:
        return marker.get("kind") == kind.name and marker.get("state") == "built"
    return _legacy_output(folder, kind)


def _files(folder: Path) -> list[str]:
    """Every file and symlink under `folder` (not following links), as sorted POSIX paths relative to it."""
    found = []
    for root, folders, names in os.walk(folder):
        base = Path(root).relative_to(folder)
        found.extend((base / name).as_posix() for name in names)
        found.extend((base / name).as_posix() for name in folders if (Path(root) / name).is_symlink())
    return sorted(found)


def _not_legacy(files: list[str], kind: OutputKind) -> list[str]:
    """The `files` that are not part of an output of `kind` as the tool wrote it before markers existed; all of
    them unless the files that identify such an output are there."""
    if not all(name in files for name in kind.required):
        return files
    return [f for f in files if not any(fnmatchcase(f, pattern) for pattern in kind.legacy)]


def _legacy_output(folder: Path, kind: OutputKind) -> bool:
    files = [f for f in _files(folder) if Path(f).name not in JUNK]
    return bool(files) and not _not_legacy(files, kind)


def _unexpected(folder: Path, kind: OutputKind) -> list[str]:
    """The entries of an existing `folder` that are not a previous output of `kind` (empty: it may be replaced)."""
    files = [f for f in _files(folder) if Path(f).name not in JUNK]
    marker = read_marker(folder)
    if marker is not None and marker.get("kind") == kind.name:
        written = set(marker.get("files", ())) | {MARKER}
        return [f for f in files if f not in written]
    return _not_legacy(files, kind) if marker is None else files


def _describe(entries: list[str]) -> str:
    shown = ", ".join(entries[:NAMED])
    more = len(entries) - NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(out: Path, kind: OutputKind = SITE, inputs: Mapping[str, Path | None] | None = None) -> Path:
    """The resolved `out`, after checking the tool may (re)place it; OutputError saying why not otherwise.

    `inputs` names the paths the command reads (e.g. {"--data": path}); none of them may lie inside `out`.
    """
    option = kind.option
    target = Path(os.path.abspath(out))
    if target.is_symlink():
        target = target.resolve()
    if target.exists() and not target.is_dir():
        raise OutputError(f"{option} {out} is a file, not a folder: pass the folder the {kind.name} should go to")
    if target == Path(target.anchor):
        raise OutputError(f"{option} {out} is the root of the file system: pass another folder")
    guarded = {"the current folder": Path.cwd(), "your home folder": Path.home()}
    for name, path in (inputs or {}).items():
        if path is not None:
            guarded[f"{name} {path}"] = Path(path).resolve()
    for what, path in guarded.items():
        if _inside(path.resolve(), target):
            place = "is" if path.resolve() == target else "holds"
            raise OutputError(
                f"{option} {out} {place} {what}, which the {kind.name} would replace: pass another folder"
            )
    for what, path in (inputs or {}).items():
        if path is not None and Path(path).resolve().is_dir() and _inside(target, Path(path).resolve()):
            raise OutputError(
                f"{option} {out} is inside {what} {path}, which the build reads: pass a folder outside it"
            )
    if not target.is_dir():
        return target
    if (target / ".git").exists():
        raise OutputError(f"{option} {out} is the root of a git work tree, which the {kind.name} would replace")
    unexpected = _unexpected(target, kind)
    if unexpected:
        raise OutputError(
            f"{option} {out} holds {len(unexpected)} file{'s' if len(unexpected) > 1 else ''} that "
            f"{'are' if len(unexpected) > 1 else 'is'} not from a previous build ({_describe(unexpected)}): "
            "pass a new or empty folder, or move them out first"
        )
    return target


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(target: Path) -> list[Path]:
    """Remove the staging and swap folders a killed run left beside `target`; return what was removed."""
    removed = []
    parent = target.parent
    if not parent.is_dir():
        return removed
    for prefix in (f".{target.name}-building-", f".{target.name}-previous-"):
        for path in parent.glob(f"{glob_escape(prefix)}*"):
            marker = read_marker(path) if path.is_dir() and not path.is_symlink() else None
            pid = marker.get("pid") if marker else None
            if isinstance(pid, int) and not _alive(pid):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def glob_escape(text: str) -> str:
    """`text` with glob wildcards escaped."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _write_marker(folder: Path, kind: OutputKind, state: str, files: list[str] | None = None) -> None:
    """Mark `folder` as the tool's: `state` is "built", or "building" (with this process's id) while it may be
    left half-made by a kill; `files` lists what the output holds."""
    marker: dict = {"tool": TOOL, "version": __version__, "kind": kind.name, "state": state}
    if state == "building":
        marker["pid"] = os.getpid()
    if files is not None:
        marker["files"] = files
    (folder / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")


def _make_parents(folder: Path, option: str, out: Path) -> list[Path]:
    """Create `folder` and its missing parents; return those created, deepest first."""
    missing = []
    for path in [folder, *folder.parents]:
        if path.is_dir():
            break
        if path.exists() or path.is_symlink():
            raise OutputError(f"cannot create {option} {out}: {path} is a file, not a folder")
        missing.append(path)
    for made, path in enumerate(reversed(missing)):
        try:
            path.mkdir()
        except OSError as error:
            for created in missing[len(missing) - made :]:
                created.rmdir()
            raise OutputError(f"cannot create {option} {out}: {error.strerror or error} ({path})") from None
    return missing


@contextlib.contextmanager
def staged_output(
    out: Path, kind: OutputKind = SITE, inputs: Mapping[str, Path | None] | None = None
) -> Iterator[Path]:
    """A staging folder that replaces `out` when the block succeeds; checks first (see check_output).

    The staging folder is made before the block runs, so an unwritable `out` is reported at once.
    """
    target = check_output(out, kind, inputs)
    created = _make_parents(target.parent, kind.option, out)
    remove_stale(target)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-{os.getpid()}-", dir=target.parent))
        _write_marker(stage, kind, "building")
    except OSError as error:
        for path in created:
            with contextlib.suppress(OSError):
                path.rmdir()
        raise OutputError(f"cannot write {kind.option} {out}: {error.strerror or error} ({target.parent})") from None
    try:
        yield stage
        if INTERRUPTED.is_set():  # Ctrl-C that code under TensorFlow swallowed still stops the build here
            raise KeyboardInterrupt
        check_output(out, kind, inputs)  # nothing of the user's appeared there meanwhile
        files = [f for f in _files(stage) if f != MARKER]
        _write_marker(stage, kind, "built", files)
        stage.chmod(0o755)
        previous = target.parent / f".{target.name}-previous-{os.getpid()}"
        if target.exists():
            # Marked with this process's id, so that a kill during the swap leaves a folder the next run removes.
            _write_marker(target, kind, "building", [f for f in _files(target) if f != MARKER])
            target.rename(previous)
        stage.rename(target)
        shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        for path in created:
            with contextlib.suppress(OSError):
                path.rmdir()
        raise
