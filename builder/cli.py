"""The `cnn-explain` command line: each command parses its options and calls one function."""

from __future__ import annotations

import contextlib
import errno
import logging
import signal
import sys
import threading
from pathlib import Path

import click

from . import __version__
from .budget import BACKENDS, WASM_FROM
from .errors import ExplainError
from .i18n import available_languages
from .model import TrainConfig
from .options import DEFAULT_CACHE, IMAGE_SIZES, BuildOptions, TrainOptions
from .output import INTERRUPTED
from .render import LOCALES
from .samples import MAX_SAMPLES

LANGUAGES = available_languages(LOCALES)  # the languages the page has a catalog for (site_templates/locales/)


class _CountOrFolder(click.ParamType):
    """A number from 1 to `most`, or an existing folder (for --samples)."""

    name = "N|DIR"

    def __init__(self, most: int) -> None:
        self.most = most

    def convert(self, value, param, ctx):
        if isinstance(value, (int, Path)):
            return value
        text = str(value).strip()
        if text.isdigit():
            if not 1 <= int(text) <= self.most:
                self.fail(f"{text} is not a number from 1 to {self.most}", param, ctx)
            return int(text)
        if Path(text).is_dir():
            return Path(text)
        self.fail(f"{text!r} is neither a number from 1 to {self.most} nor a folder of images", param, ctx)


def _train_options(command):
    options = [
        click.option(
            "--data",
            type=click.Path(path_type=Path),
            default=None,
            help="Folder with the Fashion-MNIST IDX files (default: Debian's copy), or a folder "
            "with one sub-folder of images (PNG, JPEG, WebP, GIF, BMP) per class.",
        ),
        click.option(
            "--image-size",
            type=click.IntRange(*IMAGE_SIZES),
            default=None,
            help="Resize images to N x N pixels (default: the data's own size, at most 64 for "
            "image folders; centre-cropped to a square).",
        ),
        click.option(
            "--epochs",
            type=click.IntRange(1),
            default=TrainConfig.epochs,
            show_default=True,
            help="Most epochs to train; early stopping on validation loss may stop sooner.",
        ),
        click.option(
            "--seed",
            type=click.IntRange(0, 2**32 - 1),
            default=TrainConfig.seed,
            show_default=True,
            help="Seed of the data split, weight initialisation and shuffling.",
        ),
        click.option(
            "--subset",
            type=click.IntRange(10),
            default=None,
            help="Use at most this many images per split (for quick trial runs).",
        ),
        click.option(
            "--cache",
            type=click.Path(path_type=Path),
            default=DEFAULT_CACHE,
            show_default=True,
            help="Where trained models are kept for reuse.",
        ),
        click.option(
            "--retrain",
            is_flag=True,
            help="Train even when a model trained on the same data with the same settings is cached or ships "
            "with cnn-explain.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class _Commands(click.Group):
    """Every failure, a mistyped option included, is one line on stderr and exit code 1: never a traceback."""

    def main(self, *args, **kwargs):
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as error:
            where = f" (see {error.ctx.command_path} --help)" if error.ctx is not None else ""
            click.echo(f"Error: {error.format_message()}{where}", err=True)
        except click.ClickException as error:
            click.echo(f"Error: {error.format_message()}", err=True)
        except click.Abort:
            click.echo("Aborted.", err=True)
        sys.exit(1)


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="cnn-explain")
@click.option("-v", "--verbose", is_flag=True, help="Show debug messages, TensorFlow's among them, and tracebacks.")
def main(verbose: bool) -> None:
    """Build an interactive, offline explainer of a small CNN."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )


@main.command()
@_train_options
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=TrainOptions.out,
    show_default=True,
    help="Folder for model.keras, history.json and metrics.json.",
)
def train(data, image_size, epochs, seed, subset, cache, retrain, out) -> None:
    """Train Tiny VGG and write the model, its history and its test metrics."""
    from .build import train_model

    options = TrainOptions(
        out=out,
        data=data,
        image_size=image_size,
        subset=subset,
        train=TrainConfig(epochs=epochs, seed=seed),
        cache=cache,
        retrain=retrain,
    )

    def run():
        trained = train_model(options)
        click.echo(
            f"test accuracy {trained.metrics['accuracy']:.4f}; wrote {out}/model.keras, history.json, metrics.json"
        )

    _run(run)


@main.command()
@_train_options
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help=f"Output folder; replaced only when the build succeeds.  [default: {BuildOptions.out}, or none with "
    "--single-file alone]",
)
@click.option(
    "--single-file",
    "single_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the whole explainer as this one .html file, which opens offline from disk or as an e-mail "
    "attachment (with --out, as well as the folder).",
)
@click.option(
    "--model",
    type=click.Path(path_type=Path),
    default=None,
    help="Use this Keras model (.keras or .h5) instead of training one.",
)
@click.option(
    "--classes",
    type=click.Path(path_type=Path, dir_okay=False),
    multiple=True,
    help="Text file (UTF-8) of class names, one per line in the model's output order; "
    "replaces the dataset's names (e.g. with --model). A file named NAME.zh.txt names them in one language "
    "(here Chinese); repeat --classes for each.",
)
@click.option(
    "--samples",
    type=_CountOrFolder(MAX_SAMPLES),
    default=BuildOptions.samples,
    show_default=True,
    help="How many test images to offer in the picker (the first is precomputed), or a folder of images "
    "to offer instead (in sub-folders named after their class, if known).",
)
@click.option(
    "--pixel-divisor",
    type=float,
    default=None,
    help="With --model: the model reads pixels (0..255) divided by this (default: 1 if its first layer "
    "is Rescaling, which scales them itself, else 255).",
)
@click.option(
    "--title",
    default=None,
    help='Title of the page (default: the model and its data, e.g. "Tiny VGG on Fashion-MNIST, explained").',
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=BuildOptions.lang,
    show_default=True,
    help="The page's language when it opens; a switch in the page offers the others.",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    default=BuildOptions.backend,
    show_default=True,
    help="How the page runs the model: wasm (WebAssembly; the site gains a 300 KB script) or cpu (plain "
    f"JavaScript). auto picks wasm from {WASM_FROM // 1_000_000} million multiply-adds per image. Where "
    "WebAssembly cannot run, the page uses cpu, with the same numbers.",
)
def build(
    data,
    image_size,
    epochs,
    seed,
    subset,
    cache,
    retrain,
    out,
    model,
    classes,
    samples,
    pixel_divisor,
    title,
    lang,
    backend,
    single_file,
) -> None:
    """Build the explainer into a folder that works offline and from disk, or into one HTML file."""
    from .build import build as run_build

    options = BuildOptions(
        out=out if out is not None else BuildOptions.out,
        data=data,
        model=model,
        samples=samples,
        subset=subset,
        image_size=image_size,
        classes=tuple(classes) or None,
        pixel_divisor=pixel_divisor,
        train=TrainConfig(epochs=epochs, seed=seed),
        cache=cache,
        retrain=retrain,
        title=title,
        backend=backend,
        lang=lang,
    )
    if single_file is None:
        _run(lambda: click.echo(f"open {run_build(options).out.resolve() / 'index.html'}"))
        return

    def run():
        import dataclasses
        import tempfile

        from .single import check_single_file, write_single_file

        check_single_file(single_file)  # before anything slow
        with tempfile.TemporaryDirectory(prefix="cnn-explain-") as scratch:
            folder = options if out is not None else dataclasses.replace(options, out=Path(scratch) / "site")
            built = run_build(folder)
            size = write_single_file(built.out, single_file)
        if out is not None:
            click.echo(f"open {built.out.resolve() / 'index.html'}")
        click.echo(f"open {single_file.resolve()} (one file, {size / 2**20:.1f} MiB: it opens offline)")

    _run(run)


@main.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=Path("dist"),
    show_default=True,
    help="The built site.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(folder: Path, port: int) -> None:
    """Preview the built site on http://127.0.0.1:PORT/."""
    from .serve import serve_folder

    _run(lambda: serve_folder(folder, port))


@main.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="The built site to publish.",
)
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option(
    "--branch",
    default="gh-pages",
    show_default=True,
    help="The branch whose whole tree becomes the site (its history is kept).",
)
@click.option("-m", "--message", default=None, help="Commit message (default: names the source commit).")
@click.option(
    "--force",
    is_flag=True,
    default=False,
    help="Replace the branch even if its tip was not made by cnn-explain deploy.",
)
def deploy(folder: Path, remote: str, branch: str, message: str | None, force: bool) -> None:
    """Publish the built site to GitHub Pages: commit it as the gh-pages branch and push it.

    Your working tree, index and current branch are not touched.
    """
    from .deploy import deploy as run_deploy

    def run():
        result = run_deploy(folder, remote=remote, branch=branch, message=message, force=force)
        if result.published:
            click.echo(f"pushed {folder} as {result.commit[:12]} to {remote} {branch}")
        else:
            click.echo(f"nothing to publish: {remote} {branch} already holds this site")
        if result.pages_url:
            click.echo(
                f"GitHub Pages serves it at {result.pages_url} once the repository's Pages source is "
                f"the '{branch}' branch (Settings > Pages)"
            )

    _run(run)


def one_line(text: str) -> str:
    """`text` with its lines joined: every failure is one line, whatever a library's message holds."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _run(action) -> None:
    """Run `action`; an error it raises becomes one line on stderr (a traceback only with --verbose)."""
    with _noting_ctrl_c() as interrupted:
        try:
            action()
        except ExplainError as error:
            raise click.ClickException(one_line(str(error))) from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted; nothing was replaced") from None
        except OSError as error:
            if interrupted.is_set():
                raise click.ClickException("interrupted; nothing was replaced") from None
            if logging.getLogger().isEnabledFor(logging.DEBUG):
                raise
            raise click.ClickException(_system_error(error)) from None
        except Exception as error:
            if interrupted.is_set():
                raise click.ClickException("interrupted; nothing was replaced") from None
            _unexpected(error)


def _system_error(error: OSError) -> str:
    """What the system refused (a full disk, a file that cannot be read or written), in one line saying what to do."""
    where = f" ({error.filename})" if error.filename else ""
    reason = error.strerror or str(error) or type(error).__name__
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{reason}{where}: free some space and run it again; nothing was replaced"
    return one_line(f"{reason}{where}; nothing was replaced (run with --verbose for the traceback)")


@contextlib.contextmanager
def _noting_ctrl_c():
    """Note that Ctrl-C was pressed, then raise KeyboardInterrupt as Python does.

    A KeyboardInterrupt raised inside C code under TensorFlow can come out as another exception (a TypeError
    "expected a message argument" was seen): the note tells an interrupted build from a broken one.
    """
    pressed = INTERRUPTED  # staged_output checks it before it replaces anything
    pressed.clear()
    # only Python's own handler is replaced: a process started with Ctrl-C ignored (in the background) keeps ignoring it
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield pressed
        return

    def note(signum, frame):
        pressed.set()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, note)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


def _unexpected(error: Exception) -> None:
    """`error` as one line asking for a report; with --verbose, its traceback."""
    if logging.getLogger().isEnabledFor(logging.DEBUG):
        raise error
    reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
    raise click.ClickException(
        f"unexpected {type(error).__name__}{': ' + reason if reason else ''} (run with --verbose for the "
        "traceback, and please report it)"
    ) from None


if __name__ == "__main__":
    main()
