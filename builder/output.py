"""The output folder belongs to the tool: it is replaced only when it is missing, empty, or a previous output.

A build is written into a staging folder beside `--out` (`.NAME-building-PID-XXXX`) and swapped in at the
end; a failed build removes its staging folder and leaves `--out` as it was. Every output carries a marker
file (MARKER) naming the tool, the kind of output and every file it wrote, with its size and SHA-256. A folder
is the tool's only when its marker says so: `--out` is refused, before any work starts, when it is a file,
holds anything its marker does not list, is a mount point or holds one, is the root of a git work tree, or is
(or contains) the current folder, the home folder, `/` or one of the build's inputs. Paths are compared with
every symbolic link resolved. Staging folders left by a killed build are recognised by their name and marker
and removed by the next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import ExplainError

MARKER = ".cnn-explain.json"
TOOL = "cnn-explain"
JUNK = {".DS_Store", "Thumbs.db", "desktop.ini"}  # written by file browsers, never the user's work
NAMED = 5  # how many unexpected entries a refusal names


@dataclass(frozen=True)
class OutputKind:
    """What a command writes: its name in the marker and messages, and the option that names the folder."""

    name: str
    option: str


SITE = OutputKind("site", "--out")
TRAINED_MODEL = OutputKind("trained model", "--out")


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


def listed_files(marker: dict | None) -> dict[str, dict] | None:
    """The files a marker lists, each with its recorded {"bytes", "sha256"}, or None when it lists none in that
    form (a hand-written marker, or one of a version that recorded names alone)."""
    files = marker.get("files") if marker else None
    if not isinstance(files, dict):
        return None
    for record in files.values():
        if not (
            isinstance(record, dict)
            and isinstance(record.get("bytes"), int)
            and isinstance(record.get("sha256"), str)
            and len(record["sha256"]) == 64
        ):
            return None
    return files


def _listed_names(marker: dict) -> set[str]:
    """The names a marker lists: those of listed_files, or of an older marker's list of names; else none."""
    files = marker.get("files")
    if isinstance(files, dict):
        return {name for name in files if isinstance(name, str)}
    if isinstance(files, list):
        return {name for name in files if isinstance(name, str)}
    return set()


def is_output(folder: Path, kind: OutputKind = SITE) -> bool:
    """Whether `folder` is a complete output of this kind, as its marker says."""
    marker = read_marker(folder)
    return marker is not None and marker.get("kind") == kind.name and marker.get("state") == "built"


def file_record(path: Path) -> dict:
    """{"bytes", "sha256"} of the file at `path`, as a marker records it."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}


def _files(folder: Path) -> list[str]:
    """Every file and symlink under `folder` (not following links), as sorted POSIX paths relative to it."""
    found = []
    for root, folders, names in os.walk(folder):
        base = Path(root).relative_to(folder)
        found.extend((base / name).as_posix() for name in names)
        found.extend((base / name).as_posix() for name in folders if (Path(root) / name).is_symlink())
    return sorted(found)


def _mount_points(folder: Path) -> list[str]:
    """The folders under `folder` (itself included, as ".") that another file system is mounted on."""
    found = []
    device = os.lstat(folder).st_dev
    for root, folders, _ in os.walk(folder):
        for name in list(folders):
            path = Path(root) / name
            with contextlib.suppress(OSError):
                if not path.is_symlink() and os.lstat(path).st_dev != device:
                    found.append(path.relative_to(folder).as_posix())
                    folders.remove(name)
    return (["."] if os.path.ismount(folder) else []) + sorted(found)


def _unexpected(folder: Path, kind: OutputKind) -> list[str]:
    """The entries of an existing `folder` that are not a previous output of `kind` (empty: it may be replaced)."""
    files = [f for f in _files(folder) if Path(f).name not in JUNK and f != MARKER]
    marker = read_marker(folder)
    if marker is None or marker.get("kind") != kind.name:
        return [f for f in _files(folder) if Path(f).name not in JUNK]
    written = _listed_names(marker)
    return [f for f in files if f not in written]


def _describe(entries: list[str]) -> str:
    shown = ", ".join(entries[:NAMED])
    more = len(entries) - NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def resolved(path: Path) -> Path:
    """`path` made absolute with every symbolic link in it (and in its parents) resolved, as the system reads it."""
    return Path(os.path.realpath(path))


def check_output(out: Path, kind: OutputKind = SITE, inputs: Mapping[str, Path | None] | None = None) -> Path:
    """The resolved `out`, after checking the tool may (re)place it; OutputError saying why not otherwise.

    `inputs` names the paths the command reads (e.g. {"--data": path}); none of them may lie inside `out`.
    """
    option = kind.option
    target = resolved(out)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{option} {out} is a file, not a folder: pass the folder the {kind.name} should go to")
    if target == Path(target.anchor):
        raise OutputError(f"{option} {out} is the root of the file system: pass another folder")
    guarded = {"the current folder": Path.cwd(), "your home folder": Path.home()}
    for name, path in (inputs or {}).items():
        if path is not None:
            guarded[f"{name} {path}"] = Path(path)
    for what, path in guarded.items():
        real = resolved(path)
        if _inside(real, target):
            place = "is" if real == target else "holds"
            shown = f" ({target})" if str(target) != os.path.abspath(out) else ""
            raise OutputError(
                f"{option} {out}{shown} {place} {what}, which the {kind.name} would replace: pass another folder"
            )
    for what, path in (inputs or {}).items():
        if path is not None and resolved(path).is_dir() and _inside(target, resolved(path)):
            raise OutputError(
                f"{option} {out} is inside {what} {path}, which the build reads: pass a folder outside it"
            )
    if not target.is_dir():
        return target
    if (target / ".git").exists():
        raise OutputError(f"{option} {out} is the root of a git work tree, which the {kind.name} would replace")
    mounts = _mount_points(target)
    if mounts == ["."]:
        raise OutputError(
            f"{option} {out} is a mount point, which cannot be swapped for the new {kind.name}: "
            f"pass a folder inside it (e.g. {Path(out) / 'site'})"
        )
    if mounts:
        raise OutputError(
            f"{option} {out} holds {_describe(mounts)}, where another file system is mounted, which the "
            f"{kind.name} would replace: unmount it, or pass another folder"
        )
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
            if isinstance(pid, int) and not isinstance(pid, bool) and not _alive(pid):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def glob_escape(text: str) -> str:
    """`text` with glob wildcards escaped."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _marker_text(kind: OutputKind, state: str, files: dict | list | None = None) -> str:
    """A marker saying the folder is the tool's: `state` is "built", or "building" (with this process's id) while
    it may be left half-made by a kill; `files` lists what the output holds, each with its size and SHA-256."""
    marker: dict = {"tool": TOOL, "version": __version__, "kind": kind.name, "state": state}
    if state == "building":
        marker["pid"] = os.getpid()
    if files is not None:
        marker["files"] = files
    return json.dumps(marker, indent=1) + "\n"


def _write_marker(folder: Path, kind: OutputKind, state: str, files: dict | list | None = None) -> None:
    (folder / MARKER).write_text(_marker_text(kind, state, files), encoding="utf-8")


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


def _folder_mode(target: Path) -> int:
    """The permissions the output gets: those of the folder it replaces, else what the umask gives a new folder."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(os.stat(target).st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _swap(stage: Path, target: Path, kind: OutputKind) -> None:
    """Put `stage` in the place of `target` (which may not exist); on failure `target` is left as it was."""
    previous = target.parent / f".{target.name}-previous-{os.getpid()}"
    marker = target / MARKER
    before = marker.read_bytes() if marker.is_file() else None

    def restore_marker() -> None:
        if before is None:
            marker.unlink(missing_ok=True)
        else:
            marker.write_bytes(before)

    if target.exists():
        # Marked with this process's id, so that a kill during the swap leaves a folder the next run removes; its
        # files stay listed, so that the next build may still replace it if the kill came before the rename.
        files = (read_marker(target) or {}).get("files")
        _write_marker(target, kind, "building", files if isinstance(files, (dict, list)) else None)
        try:
            target.rename(previous)
        except BaseException:
            restore_marker()
            raise
    try:
        stage.rename(target)
    except BaseException:
        if previous.exists():
            previous.rename(target)
            restore_marker()
        raise
    shutil.rmtree(previous, ignore_errors=True)


@contextlib.contextmanager
def staged_output(
    out: Path, kind: OutputKind = SITE, inputs: Mapping[str, Path | None] | None = None
) -> Iterator[Path]:
    """A staging folder that replaces `out` when the block succeeds; checks first (see check_output).

    The staging folder is made before the block runs, so an unwritable `out` is reported at once.
    """
    target = check_output(out, kind, inputs)
    mode = _folder_mode(target)
    created = _make_parents(target.parent, kind.option, out)
    remove_stale(target)
    stage = None

    def clean_up() -> None:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        for path in created:
            with contextlib.suppress(OSError):
                path.rmdir()

    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-{os.getpid()}-", dir=target.parent))
        _write_marker(stage, kind, "building")
    except OSError as error:
        clean_up()
        raise OutputError(f"cannot write {kind.option} {out}: {error.strerror or error} ({target.parent})") from None
    try:
        yield stage
        if INTERRUPTED.is_set():  # Ctrl-C that code under TensorFlow swallowed still stops the build here
            raise KeyboardInterrupt
        check_output(out, kind, inputs)  # nothing of the user's appeared there meanwhile
        files = {f: file_record(stage / f) for f in _files(stage) if f != MARKER}
        _write_marker(stage, kind, "built", files)
        stage.chmod(mode)
        _swap(stage, target, kind)
    except BaseException:
        clean_up()
        raise
