"""Publish a built site to GitHub Pages, like `mkdocs gh-deploy`.

The site becomes the whole tree of a new commit on the `gh-pages` branch (its parent is the
remote branch's current head, so the history is kept), with an empty `.nojekyll` so GitHub
Pages serves every file as is. The commit is made with git plumbing and a scratch index, then
pushed: the user's working tree, index, HEAD and local branches are never touched.

Safety: exactly the files `cnn-explain build` wrote are published, as its marker lists them with their sizes
and SHA-256; a folder holding anything else, or missing or changing a listed file, is refused (naming them)
unless `force=True`. Nothing from outside the folder is ever published: it is walked without following symbolic
links; a link to a file inside the site is published as that file's content, a link that leads outside the
site, to a folder, or nowhere is refused. Files that file browsers leave (.DS_Store, Thumbs.db) never are.

Every commit carries a `Deployed-by: cnn-explain VERSION` trailer and a manifest, `.cnn-explain.json`, listing
every file of its tree with its size and SHA-256. A branch is taken as deploy's own only when its tip has both
and its tree is exactly what the manifest lists: a stranger's commit message can copy the trailer, but not make
a tree of their own work pass for a site. Any other branch is replaced only with `force=True`. A site identical
to the branch's tip is not committed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import DeployError
from .output import JUNK, MARKER, SITE, TOOL, file_record, is_output, listed_files, read_marker

FALLBACK_NAME = "cnn-explain"
FALLBACK_EMAIL = "cnn-explain@localhost"
EMPTY_FILE = ".nojekyll"
TRAILER = "Deployed-by"
NAMED = 5  # how many offending links or files a refusal names
MANIFEST = MARKER  # the file list published with the site, by the name the build's marker has
MESSAGE_CHARACTERS = 400  # the most of git's own message an error quotes
_OWN_TRAILER = re.compile(rf"^{TRAILER}:\s*cnn-explain\b", re.IGNORECASE)
_ANY_TRAILER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*:\s")


@dataclass(frozen=True)
class Deployment:
    """What `deploy` did: `commit` is what the branch now points to, `parent` its tip before (None for a new
    branch), `tree` the site's tree. `published` is False when the branch already held this site: then nothing
    was committed or pushed and `commit == parent`."""

    commit: str
    parent: str | None
    tree: str
    pages_url: str | None
    published: bool = True


@dataclass(frozen=True)
class SiteFile:
    """One file of the published tree: its path there, the file whose bytes it gets, and its executable bit."""

    path: str
    source: Path
    executable: bool


def _git(repo: Path, *args: str, env: dict | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=repo,
            env={**os.environ, **(env or {})},
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise DeployError("git is not installed (or not on PATH): install git to deploy") from None


def _out(result: subprocess.CompletedProcess) -> str:
    return result.stdout.decode("utf-8", "replace").strip()


def _err(result: subprocess.CompletedProcess) -> str:
    """git's message on stderr as one line: its lines joined, less the ones that only repeat where it pushed."""
    lines = [line.strip() for line in result.stderr.decode("utf-8", "replace").splitlines()]
    kept = [line for line in lines if line and not line.startswith(("To ", "hint:"))]
    text = " / ".join(kept)
    return text if len(text) <= MESSAGE_CHARACTERS else text[: MESSAGE_CHARACTERS - 3] + "..."


def _checked(repo: Path, *args: str, what: str, **kwargs) -> str:
    result = _git(repo, *args, **kwargs)
    if result.returncode != 0:
        raise DeployError(f"{what} failed (git {args[0]}): {_err(result) or 'no message'}")
    return _out(result)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _linked_file(site: Path, root: Path, link: Path, outside: list[str]) -> SiteFile | None:
    """The file a symbolic link inside the site stands for; None (noted in `outside`) if it leads out of it."""
    name = link.relative_to(root).as_posix()
    written = os.readlink(link)
    target = Path(os.path.realpath(link))
    if not _inside(target, root):
        outside.append(f"{name} -> {written}" + (f" ({target})" if written != str(target) else ""))
        return None
    try:
        info = os.stat(link)
    except OSError as error:
        raise DeployError(
            f"--dir {site}: the symbolic link {name} -> {written} leads nowhere "
            f"({error.strerror or error}): remove it or point it at a file of the site"
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise DeployError(
            f"--dir {site}: {name} is a symbolic link to a folder ({written}), which deploy does not "
            "follow: replace it with a copy of the folder"
        )
    if not stat.S_ISREG(info.st_mode):
        raise DeployError(f"--dir {site}: the symbolic link {name} does not lead to a regular file: remove it")
    return SiteFile(name, target, bool(info.st_mode & stat.S_IXUSR))


def _walk(site: Path, root: Path) -> list[SiteFile]:
    """Every file under `root` (the resolved `site`) but the marker, `.git` folders and file browsers' files, with
    the rules on symbolic links of the module's header."""
    files: list[SiteFile] = []
    outside: list[str] = []
    seen: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> None:
        raise DeployError(f"--dir {site}: cannot read {error.filename}: {error.strerror or error}")

    for top, folders, names in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(top)
        info = os.stat(here)
        if (info.st_dev, info.st_ino) in seen:  # a bind mount looping back: os.walk would never end
            raise DeployError(f"--dir {site}: the folder {here.relative_to(root)} loops back to one already read")
        seen.add((info.st_dev, info.st_ino))
        entries = sorted(folders + names)
        folders[:] = []
        for name in entries:
            path = here / name
            relative = path.relative_to(root).as_posix()
            if "\n" in relative or "\t" in relative:
                raise DeployError(f"{site / relative}: file names with tabs or line breaks cannot be published")
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                linked = _linked_file(site, root, path, outside)
                if linked is not None and name not in JUNK:
                    files.append(linked)
            elif stat.S_ISDIR(mode):
                if name != ".git":
                    folders.append(name)
            elif stat.S_ISREG(mode):
                if relative != MARKER and name not in JUNK:
                    files.append(SiteFile(relative, path, bool(mode & stat.S_IXUSR)))
            else:
                raise DeployError(f"--dir {site}: {relative} is not a regular file (a pipe, socket or device)")
    if outside:
        raise DeployError(
            f"--dir {site} holds symbolic links leading outside it, which deploy never publishes: "
            f"{_named(outside)}. Replace them with copies of the files, or remove them"
        )
    return sorted(files, key=lambda f: f.path.split("/"))


def _named(entries: list[str]) -> str:
    more = len(entries) - NAMED
    return ", ".join(entries[:NAMED]) + (f" and {more} more" if more > 0 else "")


def _check_as_built(site: Path, files: list[SiteFile], listed: dict[str, dict]) -> None:
    """Refuse `files` unless they are exactly those the build `listed`, with the sizes and hashes it recorded."""
    found = {file.path: file for file in files}
    extra = sorted(set(found) - set(listed))
    missing = sorted(set(listed) - set(found))
    changed = sorted(
        path
        for path in set(listed) & set(found)
        if os.stat(found[path].source).st_size != listed[path]["bytes"]
        or file_record(found[path].source) != listed[path]
    )
    problems = [
        f"{what}: {_named(paths)}"
        for what, paths in (
            ("not written by the build", extra),
            ("missing", missing),
            ("changed since the build", changed),
        )
        if paths
    ]
    if problems:
        raise DeployError(
            f"--dir {site} is not the site cnn-explain build wrote ({'; '.join(problems)}), and deploy publishes "
            f"only that. Build it again (cnn-explain build --out {site}), or pass --force to publish the folder "
            "as it is"
        )


def site_files(site: Path, force: bool = False) -> list[SiteFile]:
    """The files of the built site to publish, sorted by path: exactly those the build's marker lists, checked
    against their recorded sizes and hashes (with `force`, whatever the folder holds); refuses a folder
    `cnn-explain build` did not write, and anything that would publish a file from outside it."""
    site = Path(site)
    if not site.is_dir():
        raise DeployError(f"--dir {site}: no such folder. Build the site first: cnn-explain build --out {site}")
    if not is_output(site, SITE):
        raise DeployError(
            f"--dir {site} is not a site built by cnn-explain (it has no {MARKER} marker of a finished build), "
            f"so deploy will not publish it. Build it first: cnn-explain build --out {site}"
        )
    listed = listed_files(read_marker(site))
    if listed is None and not force:
        raise DeployError(
            f"--dir {site}: its {MARKER} marker does not list the site's files with their sizes and hashes (it "
            f"was written by hand, or by an older cnn-explain), so deploy cannot tell the build's files from "
            f"others. Build it again: cnn-explain build --out {site}"
        )
    files = _walk(site, site.resolve())
    if not force:
        _check_as_built(site, files, listed)
    return files


def repository_root(repo: Path) -> Path:
    """The top folder of the git work tree holding `repo`, or a DeployError saying what to do."""
    result = _git(repo, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise DeployError(
            f"{repo.resolve()} is not inside a git repository: run cnn-explain deploy in your project's "
            "clone (or `git init` and `git remote add origin URL` first)"
        )
    return Path(_out(result))


def remote_url(repo: Path, remote: str) -> str:
    """The URL of `remote`, or a DeployError naming the remotes there are."""
    remotes = _out(_git(repo, "remote")).split()
    if remote not in remotes:
        known = ", ".join(remotes) if remotes else "none"
        raise DeployError(
            f"this repository has no git remote named '{remote}' (remotes: {known}). "
            f"Add it with `git remote add {remote} URL`, or pass --remote NAME"
        )
    return _checked(repo, "remote", "get-url", remote, what=f"reading the URL of remote '{remote}'")


def _check_branch(repo: Path, remote: str, branch: str) -> None:
    if _git(repo, "check-ref-format", "--branch", branch).returncode != 0:
        raise DeployError(f"--branch {branch!r} is not a valid branch name")
    found = _git(repo, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    upstream = _out(found) if found.returncode == 0 else ""
    current = _out(_git(repo, "symbolic-ref", "--quiet", "--short", "HEAD"))
    if upstream == f"{remote}/{branch}" or (current == branch and not upstream):
        raise DeployError(
            f"refusing to replace the tree of {remote} {branch}: it is the branch you are working on. "
            "Pass --branch with the branch that serves the site (gh-pages by default)"
        )


def remote_head(repo: Path, remote: str, branch: str) -> str | None:
    """The commit `remote`'s `branch` points to, fetched so it can be a parent; None if there is no such branch."""
    listed = _git(repo, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
    if listed.returncode != 0:
        raise DeployError(f"cannot reach the remote '{remote}': {_err(listed) or 'git ls-remote failed'}")
    if not _out(listed):
        return None
    tracking = f"refs/remotes/{remote}/{branch}"
    _checked(
        repo,
        "fetch",
        "--quiet",
        "--no-tags",
        remote,
        f"+refs/heads/{branch}:{tracking}",
        what=f"fetching {remote} {branch}",
    )
    return _checked(repo, "rev-parse", "--verify", f"{tracking}^{{commit}}", what="reading the fetched branch")


def made_by_deploy(message: str) -> bool:
    """Whether a commit message ends as `cnn-explain deploy` ends its own: a `Deployed-by: cnn-explain` trailer in
    its last paragraph (anybody can write one: see owned_tree)."""
    lines = message.strip().splitlines()
    last = []
    for line in reversed(lines[1:]):
        if not line.strip():
            break
        last.append(line)
    return any(_OWN_TRAILER.match(line) for line in last)


def commit_message(repo: Path, message: str | None) -> str:
    """`message` (or the default one) with the `Deployed-by: cnn-explain VERSION` trailer: added to the
    message's own trailers when it ends with some, else after a blank line."""
    text = message if message and message.strip() else default_message(repo)
    lines = text.rstrip().splitlines()
    trailer = f"{TRAILER}: cnn-explain {__version__}"
    last = len(lines)
    while last > 0 and lines[last - 1].strip():
        last -= 1
    ends_with_trailers = last > 0 and all(_ANY_TRAILER.match(line) for line in lines[last:])
    return "\n".join(lines) + ("\n" if ends_with_trailers else "\n\n") + trailer + "\n"


def _blobs(repo: Path, ids: list[str]) -> list[bytes]:
    """The contents of the blobs `ids`, in order."""
    result = _git(repo, "cat-file", "--batch", stdin="".join(f"{i}\n" for i in ids).encode())
    if result.returncode != 0:
        raise DeployError(f"reading the branch's files failed (git cat-file): {_err(result) or 'no message'}")
    out, at, contents = result.stdout, 0, []
    for _ in ids:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        contents.append(out[header_end + 1 : header_end + 1 + size])
        at = header_end + 1 + size + 1
    return contents


def owned_tree(repo: Path, tip: str) -> bool:
    """Whether the tree of commit `tip` is a site `cnn-explain deploy` published: its manifest lists every other
    file of the tree, with the size and SHA-256 each has there, and nothing else."""
    listing = _checked(repo, "ls-tree", "-r", "-z", "--full-tree", tip, what="reading the branch's tree")
    entries = {}
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, oid = meta.split()
        if kind != "blob" or mode not in ("100644", "100755"):
            return False
        entries[path] = oid
    if MANIFEST not in entries:
        return False
    try:
        manifest = json.loads(_blobs(repo, [entries.pop(MANIFEST)])[0])
    except ValueError:
        return False
    listed = listed_files(manifest) if isinstance(manifest, dict) and manifest.get("tool") == TOOL else None
    if listed is None or set(listed) != set(entries):
        return False
    paths = sorted(entries)
    for path, content in zip(paths, _blobs(repo, [entries[p] for p in paths]), strict=True):
        if listed[path] != {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}:
            return False
    return True


def _check_owner(repo: Path, remote: str, branch: str, tip: str) -> None:
    """Refuse to put a commit on top of a tip that `cnn-explain deploy` did not make (someone's real branch)."""
    raw = _checked(repo, "cat-file", "commit", tip, what="reading the branch's tip")
    message = raw.split("\n\n", 1)[1] if "\n\n" in raw else ""
    signed = made_by_deploy(message)
    if signed and owned_tree(repo, tip):
        return
    short = _checked(repo, "rev-parse", "--short", tip, what="reading the branch's tip")
    subject = message.strip().splitlines()[0] if message.strip() else ""
    why = (
        f"its tree is not exactly the site its {MANIFEST} lists (an older cnn-explain deploy published no such "
        "list; or the branch was changed since)"
        if signed
        else "was not made by cnn-explain deploy"
    )
    raise DeployError(
        f"refusing to replace {remote} {branch}: its tip {short} ({subject!r}) {why}, so the branch may hold "
        f"someone's work. Check the branch, then pass --force to replace its tree with the site anyway (its "
        f"history is kept: the new commit's parent is {short})"
    )


def manifest(files: list[SiteFile]) -> bytes:
    """The manifest published with the site: every file of the tree but itself (.nojekyll included, empty unless
    the site has its own), with its size and SHA-256."""
    records = {file.path: file_record(file.source) for file in files}
    records.setdefault(EMPTY_FILE, {"bytes": 0, "sha256": hashlib.sha256(b"").hexdigest()})
    text = {"tool": TOOL, "version": __version__, "kind": "site", "state": "published", "files": records}
    return (json.dumps(text, indent=1, sort_keys=True) + "\n").encode()


def site_tree(repo: Path, files: list[SiteFile]) -> str:
    """Store `files` (plus an empty .nojekyll and the manifest) as blobs and return the id of their tree."""
    paths = b"".join(os.fsencode(f.source) + b"\n" for f in files)
    blobs = _checked(repo, "hash-object", "-w", "--no-filters", "--stdin-paths", stdin=paths, what="storing the site")
    entries = []
    for file, blob in zip(files, blobs.split(), strict=True):
        mode = b"100755" if file.executable else b"100644"
        entries.append(mode + b" " + blob.encode() + b"\t" + os.fsencode(file.path) + b"\0")
    if EMPTY_FILE not in {f.path for f in files}:
        empty = _checked(repo, "hash-object", "-w", "--stdin", stdin=b"", what="storing .nojekyll")
        entries.append(f"100644 {empty}\t{EMPTY_FILE}\0".encode())
    listing = _checked(repo, "hash-object", "-w", "--stdin", stdin=manifest(files), what=f"storing {MANIFEST}")
    entries.append(f"100644 {listing}\t{MANIFEST}\0".encode())
    with tempfile.TemporaryDirectory(prefix="cnn-explain-deploy-") as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        _checked(
            repo,
            "update-index",
            "-z",
            "--add",
            "--index-info",
            env=index,
            stdin=b"".join(entries),
            what="listing the site",
        )
        return _checked(repo, "write-tree", env=index, what="writing the site's tree")


def commit_environment(repo: Path) -> dict:
    """Author and committer for the commit: the user's, else a neutral one; dates from SOURCE_DATE_EPOCH."""
    env = {}
    for key in ("name", "email"):
        configured = _out(_git(repo, "config", f"user.{key}"))
        fallback = FALLBACK_NAME if key == "name" else FALLBACK_EMAIL
        for role in ("author", "committer"):
            variable = f"GIT_{role.upper()}_{key.upper()}"
            if not os.environ.get(variable) and not configured and not _out(_git(repo, "config", f"{role}.{key}")):
                env[variable] = fallback
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        for variable in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            if not os.environ.get(variable):
                env[variable] = f"@{epoch} +0000"
    return env


def default_message(repo: Path) -> str:
    """`Deploy the explainer built from <commit>` (the source commit, when there is one)."""
    head = _git(repo, "rev-parse", "--short=12", "HEAD")
    source = f" built from {_out(head)}" if head.returncode == 0 else ""
    return f"Deploy the explainer{source}\n\nPublished with cnn-explain {__version__} (cnn-explain deploy).\n"


def pages_url(url: str) -> str | None:
    """Where GitHub Pages serves a repository with remote `url`, if it is on github.com."""
    match = re.search(r"github\.com[:/]+([^/]+)/([^/]+?)(?:\.git)?/?$", url)
    if not match:
        return None
    owner, name = match.group(1).lower(), match.group(2)
    if name.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io/"
    return f"https://{owner}.github.io/{name}/"


def deploy(
    site: Path,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str | None = None,
    repo: Path | None = None,
    force: bool = False,
) -> Deployment:
    """Commit the built `site` as the whole tree of `branch` on top of `remote`'s copy and push it.

    Refuses a folder that is not exactly what the build wrote, and a branch whose tip `cnn-explain deploy` did not
    make, unless `force`; does nothing (published=False) when the branch already holds this very site.
    """
    site = Path(site)
    files = site_files(site, force)
    repo = repository_root(Path(repo) if repo is not None else Path.cwd())
    url = remote_url(repo, remote)
    _check_branch(repo, remote, branch)
    parent = remote_head(repo, remote, branch)
    if parent and not force:
        _check_owner(repo, remote, branch, parent)
    tree = site_tree(repo, files)
    if parent and tree == _checked(repo, "rev-parse", f"{parent}^{{tree}}", what="reading the branch's tree"):
        return Deployment(parent, parent, tree, pages_url(url), published=False)
    commit = _checked(
        repo,
        "commit-tree",
        tree,
        *(["-p", parent] if parent else []),
        env=commit_environment(repo),
        stdin=commit_message(repo, message).encode(),
        what="committing the site",
    )
    pushed = _git(repo, "push", "--quiet", remote, f"{commit}:refs/heads/{branch}")
    if pushed.returncode != 0:
        raise DeployError(
            f"git push to {remote} {branch} was rejected ({_err(pushed) or 'no message'}): if someone else deployed "
            "meanwhile, run cnn-explain deploy again"
        )
    return Deployment(commit, parent, tree, pages_url(url))
