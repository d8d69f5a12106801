"""Publish a built site to GitHub Pages, like `mkdocs gh-deploy`.

The site becomes the whole tree of a new commit on the `gh-pages` branch (its parent is the
remote branch's current head, so the history is kept), with an empty `.nojekyll` so GitHub
Pages serves every file as is. The commit is made with git plumbing and a scratch index, then
pushed: the user's working tree, index, HEAD and local branches are never touched.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import DeployError

FALLBACK_NAME = "cnn-explain"
FALLBACK_EMAIL = "cnn-explain@localhost"
EMPTY_FILE = ".nojekyll"


@dataclass(frozen=True)
class Deployment:
    """What `deploy` pushed: the new commit, its parent (None for a new branch) and its tree."""

    commit: str
    parent: str | None
    tree: str
    pages_url: str | None


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
    return result.stderr.decode("utf-8", "replace").strip()


def _checked(repo: Path, *args: str, what: str, **kwargs) -> str:
    result = _git(repo, *args, **kwargs)
    if result.returncode != 0:
        raise DeployError(f"{what} failed (git {args[0]}): {_err(result) or 'no message'}")
    return _out(result)


def site_files(site: Path) -> list[Path]:
    """Every file of the built site (paths relative to `site`), sorted; refuses a site that is not built."""
    if not site.is_dir():
        raise DeployError(f"--dir {site}: no such folder. Build the site first: cnn-explain build --out {site}")
    if not (site / "index.html").is_file():
        raise DeployError(
            f"--dir {site} holds no index.html, so it is not a built site. "
            f"Build it first: cnn-explain build --out {site}"
        )
    files = []
    for root, folders, names in os.walk(site, followlinks=True):
        folders[:] = sorted(name for name in folders if name != ".git")
        files.extend((Path(root) / name).relative_to(site) for name in names)
    for path in files:
        if "\n" in str(path) or "\t" in str(path):
            raise DeployError(f"{site / path}: file names with tabs or line breaks cannot be published")
    return sorted(files, key=lambda p: p.parts)


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


def site_tree(repo: Path, site: Path, files: list[Path]) -> str:
    """Store `files` of `site` (plus an empty .nojekyll) as blobs and return the id of their tree."""
    paths = "".join(f"{(site / path).resolve()}\n" for path in files).encode()
    blobs = _checked(repo, "hash-object", "-w", "--no-filters", "--stdin-paths", stdin=paths, what="storing the site")
    entries = []
    for path, blob in zip(files, blobs.split(), strict=True):
        mode = "100755" if os.access(site / path, os.X_OK) else "100644"
        entries.append(f"{mode} {blob}\t{path.as_posix()}\0")
    if Path(EMPTY_FILE) not in files:
        empty = _checked(repo, "hash-object", "-w", "--stdin", stdin=b"", what="storing .nojekyll")
        entries.append(f"100644 {empty}\t{EMPTY_FILE}\0")
    with tempfile.TemporaryDirectory(prefix="cnn-explain-deploy-") as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        _checked(
            repo,
            "update-index",
            "-z",
            "--add",
            "--index-info",
            env=index,
            stdin="".join(entries).encode(),
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
) -> Deployment:
    """Commit the built `site` as the whole tree of `branch` on top of `remote`'s copy and push it."""
    site = Path(site)
    files = site_files(site)
    repo = repository_root(Path(repo) if repo is not None else Path.cwd())
    url = remote_url(repo, remote)
    _check_branch(repo, remote, branch)
    parent = remote_head(repo, remote, branch)
    tree = site_tree(repo, site.resolve(), files)
    commit = _checked(
        repo,
        "commit-tree",
        tree,
        *(["-p", parent] if parent else []),
        env=commit_environment(repo),
        stdin=(message or default_message(repo)).encode(),
        what="committing the site",
    )
    pushed = _git(repo, "push", "--quiet", remote, f"{commit}:refs/heads/{branch}")
    if pushed.returncode != 0:
        raise DeployError(
            f"git push to {remote} {branch} was rejected:\n{_err(pushed)}\n"
            "If someone else deployed meanwhile, run cnn-explain deploy again."
        )
    return Deployment(commit, parent, tree, pages_url(url))
