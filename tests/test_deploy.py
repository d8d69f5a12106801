"""`cnn-explain deploy`: the built site becomes the gh-pages branch of a (local, bare) remote."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder import __version__
from builder.cli import main
from builder.deploy import deploy, pages_url
from builder.errors import DeployError
from builder.output import MARKER, staged_output

SECRET = b"the launch code is 0000"


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
    site = rebuild(repo / "dist")
    assert (site / MARKER).is_file()
    monkeypatch.chdir(repo)
    return repo, remote, site


SITE_FILES = {
    "index.html": b"<!doctype html><title>x</title>\n",
    "app.js": b"console.log(1);\r\n",  # CRLF kept byte for byte
    "model/group1-shard1of1.bin": bytes(range(256)),
}


def rebuild(site: Path, changed: dict[str, bytes] | None = None) -> Path:
    """A marked site, as `cnn-explain build` leaves it: SITE_FILES, with the `changed` ones in another version."""
    with staged_output(site) as stage:
        for name, content in {**SITE_FILES, **(changed or {})}.items():
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            (stage / name).write_bytes(content)
    return site


def branches(remote) -> str:
    return git(remote, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads")


def all_objects(repo) -> bytes:
    """The content of every object of `repo`, uncompressed."""
    return subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch"], cwd=repo, check=True, capture_output=True
    ).stdout


def someone_else_s_main(repo, remote) -> str:
    """The remote's `main` holds the user's own commit (not a deployment); the user works on another branch."""
    git(repo, "push", "--quiet", "origin", "main")
    git(repo, "checkout", "--quiet", "-b", "work")
    return git(remote, "rev-parse", "main")


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
    rebuild(site, {"index.html": b"<!doctype html><title>y</title>\n"})
    second = deploy(site, message="second deploy")

    assert first.parent is None and second.parent == first.commit
    assert git(remote, "rev-parse", "gh-pages") == second.commit
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"
    files = tree_files(remote)
    assert set(files) == {".nojekyll", MARKER, "index.html", "app.js", "model/group1-shard1of1.bin"}
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


def test_a_branch_a_stranger_signed_as_deploy_is_replaced_only_with_force(project, tmp_path):
    """A branch is deploy's own by a tree that is exactly the manifest's site, which a commit message cannot copy:
    a stranger's tip saying "Published with cnn-explain" (as versions before the trailer did), or carrying the
    trailer itself, is someone's work."""
    repo, remote, site = project
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", str(remote), str(other))
    git(other, "checkout", "--quiet", "--orphan", "gh-pages")
    for draft, message in enumerate(
        (
            "Deploy the explainer built from 0123abcd\n\nPublished with cnn-explain 0.0.9 (cnn-explain deploy).\n",
            f"My thesis\n\nDeployed-by: cnn-explain {__version__}\n",
        )
    ):
        (other / "thesis.tex").write_text(f"my thesis, draft {draft}\n")
        git(other, "add", "thesis.tex")
        git(other, "-c", "user.name=B", "-c", "user.email=b@example.org", "commit", "--quiet", "-m", message)
        git(other, "push", "--quiet", "origin", "gh-pages")
        theirs = git(other, "rev-parse", "HEAD")
        with pytest.raises(DeployError, match="refusing to replace origin gh-pages.*--force"):
            deploy(site)
        assert git(remote, "rev-parse", "gh-pages") == theirs
    result = deploy(site, force=True)
    assert result.parent == theirs
    assert "thesis.tex" not in tree_files(remote), "the site replaces the whole tree"
    rebuild(site, {"index.html": b"<!doctype html><title>next</title>\n"})
    assert deploy(site).published, "the branch is now deploy's own: no --force needed"


def test_a_site_s_own_nojekyll_is_kept_when_published_with_force(project):
    repo, remote, site = project
    (site / ".nojekyll").write_text("")
    with pytest.raises(DeployError, match=r"not written by the build: \.nojekyll"):
        deploy(site)
    deploy(site, force=True)
    assert tree_files(remote)[".nojekyll"] == b""


def test_deploy_publishes_exactly_the_files_the_build_listed(project):
    """`.env` saved into the site, a file changed or removed after the build: refused, each named, nothing pushed;
    --force publishes the folder as it is."""
    repo, remote, site = project
    (site / ".env").write_bytes(SECRET)
    (site / "app.js").write_bytes(b"console.log('edited');\n")
    (site / "model" / "group1-shard1of1.bin").unlink()
    (site / "Thumbs.db").write_bytes(b"a file browser's")
    with pytest.raises(DeployError) as refused:
        deploy(site)
    message = str(refused.value)
    assert "not written by the build: .env;" in message and "Thumbs.db" not in message
    assert "missing: model/group1-shard1of1.bin;" in message and "changed since the build: app.js)" in message
    assert "--force" in message and "\n" not in message
    assert branches(remote) == "" and SECRET not in all_objects(remote) and SECRET not in all_objects(repo)
    deploy(site, force=True)
    files = tree_files(remote)
    assert files[".env"] == SECRET and files["app.js"] == b"console.log('edited');\n"
    assert "Thumbs.db" not in files and "model/group1-shard1of1.bin" not in files


def test_a_file_changed_in_place_with_its_size_kept_is_refused(project):
    repo, remote, site = project
    (site / "index.html").write_bytes(SITE_FILES["index.html"].replace(b"x", b"y"))
    with pytest.raises(DeployError, match="changed since the build: index.html"):
        deploy(site)
    assert branches(remote) == ""


@pytest.mark.parametrize("files", [None, 3, ["index.html", ".bashrc", "id_rsa"], "missing"])
def test_a_marker_without_the_files_hashes_publishes_nothing(project, files):
    repo, remote, site = project
    folder = repo / "home-like"
    folder.mkdir()
    (folder / "index.html").write_text("<!doctype html>\n")
    (folder / ".bashrc").write_text("export TOKEN=1\n")
    (folder / "id_rsa").write_bytes(SECRET)
    marker = {"tool": "cnn-explain", "kind": "site", "state": "built"}
    if files != "missing":
        marker["files"] = files
    (folder / MARKER).write_text(json.dumps(marker))
    with pytest.raises(DeployError, match="does not list the site's files with their sizes and hashes"):
        deploy(folder)
    assert branches(remote) == "" and SECRET not in all_objects(remote) and SECRET not in all_objects(repo)


def test_the_published_tree_carries_the_manifest_of_its_files(project):
    repo, remote, site = project
    deploy(site)
    files = tree_files(remote)
    listed = json.loads(files.pop(MARKER))
    assert listed["tool"] == "cnn-explain" and listed["state"] == "published"
    assert listed["files"] == {
        name: {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()} for name, content in files.items()
    }


def test_errors_say_what_to_do(project, tmp_path, monkeypatch):
    repo, remote, site = project
    with pytest.raises(DeployError, match="no such folder.*cnn-explain build"):
        deploy(repo / "nowhere")
    (repo / "empty").mkdir()
    with pytest.raises(DeployError, match="not a site built by cnn-explain.*cnn-explain build --out"):
        deploy(repo / "empty")
    with pytest.raises(DeployError, match="no git remote named 'upstream' \\(remotes: origin\\)"):
        deploy(site, remote="upstream")
    with pytest.raises(DeployError, match="branch you are working on"):
        deploy(site, branch="main")
    with pytest.raises(DeployError, match="branch you are working on"):
        deploy(site, branch="main", force=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(DeployError, match="not inside a git repository"):
        deploy(site, repo=outside)


def test_a_rejected_push_shows_git_s_message_in_one_line(project):
    repo, remote, site = project
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pages are frozen today' >&2\necho 'ask Ada' >&2\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(DeployError, match="rejected.*pages are frozen today / remote: ask Ada") as refused:
        deploy(site)
    assert "\n" not in str(refused.value)
    result = CliRunner().invoke(main, ["deploy", "--dir", "dist"])
    assert result.exit_code == 1 and result.output.count("\n") == 1 and result.output.startswith("Error: git push")


def test_an_unreachable_remote_is_one_line(project, tmp_path):
    repo, remote, site = project
    git(repo, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    result = CliRunner().invoke(main, ["deploy", "--dir", "dist"])
    assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
    assert result.output.startswith("Error: cannot reach the remote 'origin'")


def test_cli_deploy(project):
    repo, remote, site = project
    result = CliRunner().invoke(main, ["deploy", "--dir", "dist", "-m", "from the cli"])
    assert result.exit_code == 0, result.output
    assert "pushed dist" in result.output
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "from the cli"
    missing = CliRunner().invoke(main, ["deploy", "--dir", "not-built"])
    assert missing.exit_code != 0 and "cnn-explain build" in missing.output


def test_a_link_to_a_file_outside_the_site_is_refused_and_nothing_leaks(project, tmp_path):
    repo, remote, site = project
    secret = tmp_path / "secret.txt"
    secret.write_bytes(SECRET)
    (site / "assets").mkdir()
    (site / "assets" / "notes.txt").symlink_to(os.path.relpath(secret, site / "assets"))
    with pytest.raises(DeployError, match=r"symbolic links leading outside.*assets/notes\.txt -> \.\./.*secret\.txt"):
        deploy(site)
    assert branches(remote) == "", "nothing pushed"
    assert SECRET not in all_objects(remote)
    assert SECRET not in all_objects(repo), "not even stored in the local repository"


def test_a_link_to_etc_passwd_is_refused(project):
    repo, remote, site = project
    passwd = Path("/etc/passwd")
    if not passwd.is_file():
        pytest.skip("no /etc/passwd here")
    (site / "passwd.txt").symlink_to(passwd)
    with pytest.raises(DeployError, match="passwd.txt -> /etc/passwd"):
        deploy(site)
    assert branches(remote) == ""
    first_line = passwd.read_bytes().splitlines()[0]
    assert first_line not in all_objects(remote)


def test_a_linked_folder_is_never_followed(project, tmp_path):
    repo, remote, site = project
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_bytes(SECRET)
    (site / "extra").symlink_to(elsewhere)
    with pytest.raises(DeployError, match=r"extra -> .*elsewhere"):
        deploy(site)
    (site / "extra").unlink()
    (site / "model" / "again").symlink_to("..")  # a cycle, inside the site
    with pytest.raises(DeployError, match="model/again is a symbolic link to a folder"):
        deploy(site)
    assert branches(remote) == ""
    assert SECRET not in all_objects(remote)


def test_a_link_to_a_file_inside_the_site_is_published_as_its_content(project):
    repo, remote, site = project
    (site / "start.html").symlink_to("index.html")
    with pytest.raises(DeployError, match="not written by the build: start.html"):
        deploy(site)
    deploy(site, force=True)
    assert tree_files(remote)["start.html"] == b"<!doctype html><title>x</title>\n"
    assert git(remote, "ls-tree", "gh-pages", "start.html").startswith("100644 blob "), "a file, not a link"


@pytest.mark.parametrize(
    "files",
    [
        {"index.html": "<!doctype html>\n"},
        {"index.html": "<!doctype html>\n", "notes.txt": "mine\n", "photos/cat.jpg": "jpeg"},
        {"README.md": "hello\n"},
    ],
)
def test_a_folder_that_is_not_a_build_is_refused(project, files):
    repo, remote, site = project
    folder = repo / "handmade"
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    with pytest.raises(DeployError, match="handmade is not a site built by cnn-explain.*cnn-explain build --out"):
        deploy(folder)
    assert branches(remote) == ""


def test_a_site_built_before_markers_is_refused(project):
    repo, remote, site = project
    legacy = repo / "old-dist"
    for name in ("index.html", "spec.json", "model/model.json", "data/explainer.js"):
        (legacy / name).parent.mkdir(parents=True, exist_ok=True)
        (legacy / name).write_text(name)
    with pytest.raises(DeployError, match="not a site built by cnn-explain"):
        deploy(legacy)
    assert branches(remote) == ""


def test_a_branch_someone_else_made_is_replaced_only_with_force(project):
    repo, remote, site = project
    theirs = someone_else_s_main(repo, remote)
    short = git(repo, "rev-parse", "--short", theirs)
    with pytest.raises(DeployError, match=rf"refusing to replace origin main: its tip {short} \('first'\).*--force"):
        deploy(site, branch="main")
    assert git(remote, "rev-parse", "main") == theirs, "the remote's main is unchanged"
    assert tree_files(remote, "main") == {"README.md": b"hello\n"}

    result = deploy(site, branch="main", force=True)
    assert result.published and result.parent == theirs
    assert git(remote, "rev-parse", "main") == result.commit
    assert git(remote, "rev-parse", "main^") == theirs, "the old tip stays in the history"
    assert "README.md" not in tree_files(remote, "main")


def test_an_unchanged_site_is_not_published_again(project):
    repo, remote, site = project
    first = deploy(site)
    again = deploy(site)
    assert first.published and not again.published
    assert again.commit == again.parent == first.commit and again.tree == first.tree
    assert git(remote, "rev-parse", "gh-pages") == first.commit
    assert git(remote, "rev-list", "--count", "gh-pages") == "1"

    rebuild(site, {"app.js": b"console.log(2);\n"})
    changed = deploy(site)
    assert changed.published and changed.parent == first.commit
    assert git(remote, "rev-parse", "gh-pages") == changed.commit


def test_every_deployment_carries_the_trailer_so_the_next_one_may_replace_it(project):
    repo, remote, site = project
    first = deploy(site, message="my own words")
    trailer = f"cnn-explain {__version__}"
    assert git(remote, "log", "-1", "--format=%B", first.commit) == f"my own words\n\nDeployed-by: {trailer}"
    assert git(remote, "log", "-1", "--format=%(trailers:key=Deployed-by,valueonly)", first.commit) == trailer

    rebuild(site, {"index.html": b"<!doctype html><title>z</title>\n"})
    second = deploy(site, message="fix\n\nCo-authored-by: B <b@example.org>")  # no --force needed
    assert second.published and second.parent == first.commit
    trailers = git(remote, "log", "-1", "--format=%(trailers:only,unfold)", second.commit).splitlines()
    assert trailers == ["Co-authored-by: B <b@example.org>", f"Deployed-by: {trailer}"]

    rebuild(site, {"index.html": b"<!doctype html><title>w</title>\n"})
    third = deploy(site)
    assert git(remote, "log", "-1", "--format=%(trailers:key=Deployed-by,valueonly)", third.commit) == trailer


def test_cli_deploy_force_and_nothing_to_publish(project):
    repo, remote, site = project
    theirs = someone_else_s_main(repo, remote)
    refused = CliRunner().invoke(main, ["deploy", "--dir", "dist", "--branch", "main"])
    assert refused.exit_code == 1
    assert "Error: refusing to replace origin main" in refused.output and "--force" in refused.output
    assert git(remote, "rev-parse", "main") == theirs

    forced = CliRunner().invoke(main, ["deploy", "--dir", "dist", "--branch", "main", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "pushed dist" in forced.output
    tip = git(remote, "rev-parse", "main")
    assert git(remote, "rev-parse", "main^") == theirs

    again = CliRunner().invoke(main, ["deploy", "--dir", "dist", "--branch", "main"])
    assert again.exit_code == 0, again.output
    assert "nothing to publish: origin main already holds this site" in again.output
    assert "pushed" not in again.output
    assert git(remote, "rev-parse", "main") == tip


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
