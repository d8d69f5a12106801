"""`cnn-explain deploy`: the built site becomes the gh-pages branch of a (local, bare) remote."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.deploy import deploy, pages_url
from builder.errors import DeployError


def git(cwd, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def no_identity(monkeypatch, tmp_path):
    """A machine where git knows no user: no global config, no identity variables."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("EMAIL", "")
    for role in ("AUTHOR", "COMMITTER"):
        for key in ("NAME", "EMAIL", "DATE"):
            monkeypatch.delenv(f"GIT_{role}_{key}", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def project(tmp_path, no_identity, monkeypatch):
    """A user's clone (with a commit, a staged change and an untracked file), its bare remote and a built site."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "--quiet", "-b", "main")
    git(repo, "config", "user.name", "Ada")
    git(repo, "config", "user.email", "ada@example.org")
    (repo / "README.md").write_text("hello\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "--quiet", "-m", "first")
    git(repo, "remote", "add", "origin", str(remote))
    (repo / "README.md").write_text("hello again\n")
    git(repo, "add", "README.md")  # a staged change
    (repo / "notes.txt").write_text("untracked\n")
    site = repo / "dist"
    (site / "model").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>x</title>\n")
    (site / "app.js").write_text("console.log(1);\r\n")  # CRLF kept byte for byte
    (site / "model" / "group1-shard1of1.bin").write_bytes(bytes(range(256)))
    monkeypatch.chdir(repo)
    return repo, remote, site


def state(repo) -> tuple[str, str, str, str]:
    """HEAD, the index, the work tree status and the checked-out branch: what deploy must not change."""
    return (
        git(repo, "rev-parse", "HEAD"),
        git(repo, "ls-files", "--stage"),
        git(repo, "status", "--porcelain", "--untracked-files=all"),
        git(repo, "symbolic-ref", "HEAD"),
    )


def tree_files(remote, ref="gh-pages") -> dict[str, bytes]:
    names = git(remote, "ls-tree", "-r", "--name-only", ref).splitlines()
    return {
        name: subprocess.run(["git", "show", f"{ref}:{name}"], cwd=remote, check=True, capture_output=True).stdout
        for name in names
    }


def test_deploy_twice_keeps_history_and_leaves_the_work_tree_alone(project):
    repo, remote, site = project
    before = state(repo)

    first = deploy(site)
    (site / "index.html").write_text("<!doctype html><title>y</title>\n")
    second = deploy(site, message="second deploy")

    assert first.parent is None and second.parent == first.commit
    assert git(remote, "rev-parse", "gh-pages") == second.commit
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"
    files = tree_files(remote)
    assert set(files) == {".nojekyll", "index.html", "app.js", "model/group1-shard1of1.bin"}
    assert files[".nojekyll"] == b""
    assert files["app.js"] == b"console.log(1);\r\n"
    assert files["model/group1-shard1of1.bin"] == bytes(range(256))
    assert files["index.html"] == b"<!doctype html><title>y</title>\n"
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "second deploy"
    assert git(remote, "log", "-1", "--format=%an <%ae>", "gh-pages") == "Ada <ada@example.org>"
    assert "Deploy the explainer built from" in git(remote, "log", "-1", "--format=%s", first.commit)
    assert state(repo) == before
    assert git(repo, "branch", "--list") == "* main", "no local branch created"


def test_deploy_works_without_a_git_identity_and_honours_source_date_epoch(project, monkeypatch):
    repo, remote, site = project
    git(repo, "config", "--unset", "user.name")
    git(repo, "config", "--unset", "user.email")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    deploy(site)
    assert (
        git(remote, "log", "-1", "--format=%an <%ae> %ct", "gh-pages")
        == "cnn-explain <cnn-explain@localhost> 1700000000"
    )


def test_deploy_keeps_an_existing_nojekyll_and_a_branch_made_elsewhere(project, tmp_path):
    repo, remote, site = project
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", str(remote), str(other))
    git(other, "checkout", "--quiet", "--orphan", "gh-pages")
    (other / "old.html").write_text("old\n")
    git(other, "add", "old.html")
    git(other, "-c", "user.name=B", "-c", "user.email=b@example.org", "commit", "--quiet", "-m", "old site")
    git(other, "push", "--quiet", "origin", "gh-pages")
    (site / ".nojekyll").write_text("")
    result = deploy(site)
    assert result.parent == git(other, "rev-parse", "HEAD")
    assert "old.html" not in tree_files(remote), "the site replaces the whole tree"


def test_errors_say_what_to_do(project, tmp_path, monkeypatch):
    repo, remote, site = project
    with pytest.raises(DeployError, match="no such folder.*cnn-explain build"):
        deploy(repo / "nowhere")
    (repo / "empty").mkdir()
    with pytest.raises(DeployError, match="no index.html"):
        deploy(repo / "empty")
    with pytest.raises(DeployError, match="no git remote named 'upstream' \\(remotes: origin\\)"):
        deploy(site, remote="upstream")
    with pytest.raises(DeployError, match="branch you are working on"):
        deploy(site, branch="main")
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(DeployError, match="not inside a git repository"):
        deploy(site, repo=outside)


def test_a_rejected_push_shows_git_s_message(project):
    repo, remote, site = project
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pages are frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(DeployError, match="(?s)rejected.*pages are frozen today"):
        deploy(site)


def test_cli_deploy(project):
    repo, remote, site = project
    result = CliRunner().invoke(main, ["deploy", "--dir", "dist", "-m", "from the cli"])
    assert result.exit_code == 0, result.output
    assert "pushed dist" in result.output
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "from the cli"
    missing = CliRunner().invoke(main, ["deploy", "--dir", "not-built"])
    assert missing.exit_code != 0 and "cnn-explain build" in missing.output


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("git@github.com:Owner/repo.git", "https://owner.github.io/repo/"),
        ("https://github.com/owner/repo", "https://owner.github.io/repo/"),
        ("ssh://git@github.com/owner/owner.github.io.git", "https://owner.github.io/"),
        ("/srv/git/site.git", None),
    ],
)
def test_pages_url(url, expected):
    assert pages_url(url) == expected
