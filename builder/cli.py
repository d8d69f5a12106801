"""The `cnn-explain` command line: each command parses its options and calls one function."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import click

from .errors import ExplainError
from .model import TrainConfig


def _quiet_tensorflow() -> None:
    """Import TensorFlow with its C++ start-up chatter (CUDA plugin registration, XLA) silenced.

    Those lines are written to file descriptor 2 before TensorFlow's logging is set up, so no
    environment variable hides them; a Python exception raised by the import still shows.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


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
            type=click.IntRange(4, 256),
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
            type=int,
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
            default=Path(".cache"),
            show_default=True,
            help="Where trained models are kept for reuse.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Show debug messages.")
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
    default=Path("trained-model"),
    show_default=True,
    help="Folder for model.keras, history.json and metrics.json.",
)
def train(data, image_size, epochs, seed, subset, cache, out) -> None:
    """Train Tiny VGG and write the model, its history and its test metrics."""
    _quiet_tensorflow()
    from .build import trained_model
    from .data import load_dataset
    from .data import subset as take_subset

    def run():
        dataset = load_dataset(data, seed=seed, image_size=image_size)
        if subset:
            dataset = take_subset(dataset, subset, seed=seed)
        result = trained_model(dataset, TrainConfig(epochs=epochs, seed=seed), cache)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("model.keras", "history.json", "metrics.json"):
            shutil.copyfile(result.path.parent / name, out / name)
        click.echo(
            f"test accuracy {result.metrics['accuracy']:.4f}; wrote {out}/model.keras, history.json, metrics.json"
        )

    _run(run)


@main.command()
@_train_options
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder; replaced only when the build succeeds.",
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
    default=None,
    help="Text file (UTF-8) of class names, one per line in the model's output order; "
    "replaces the dataset's names (e.g. with --model).",
)
@click.option(
    "--samples",
    type=_CountOrFolder(100),
    default=10,
    show_default=True,
    help="How many test images to precompute and offer in the picker, or a folder of images "
    "to offer instead (in sub-folders named after their class, if known).",
)
@click.option(
    "--pixel-divisor",
    type=float,
    default=None,
    help="With --model: the model reads pixels (0..255) divided by this (default: 1 if its first layer "
    "is Rescaling, which scales them itself, else 255).",
)
@click.option("--title", default="CNN Explainer", show_default=True, help="Title of the page.")
def build(data, image_size, epochs, seed, subset, cache, out, model, classes, samples, pixel_divisor, title) -> None:
    """Build the explainer into a folder that works offline and from disk."""
    _quiet_tensorflow()
    from .build import BuildOptions
    from .build import build as run_build

    options = BuildOptions(
        out=out,
        data=data,
        model=model,
        samples=samples,
        subset=subset,
        image_size=image_size,
        classes=classes,
        pixel_divisor=pixel_divisor,
        train=TrainConfig(epochs=epochs, seed=seed),
        cache=cache,
        title=title,
    )
    _run(lambda: click.echo(f"open {run_build(options).resolve() / 'index.html'}"))


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

    serve_folder(folder, port)


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
def deploy(folder: Path, remote: str, branch: str, message: str | None) -> None:
    """Publish the built site to GitHub Pages: commit it as the gh-pages branch and push it.

    Your working tree, index and current branch are not touched.
    """
    from .deploy import deploy as run_deploy

    def run():
        result = run_deploy(folder, remote=remote, branch=branch, message=message)
        click.echo(f"pushed {folder} as {result.commit[:12]} to {remote} {branch}")
        if result.pages_url:
            click.echo(
                f"GitHub Pages serves it at {result.pages_url} once the repository's Pages source is "
                f"the '{branch}' branch (Settings > Pages)"
            )

    _run(run)


def _run(action) -> None:
    try:
        action()
    except ExplainError as error:
        raise click.ClickException(str(error)) from None


if __name__ == "__main__":
    main()
