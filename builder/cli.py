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
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def _train_options(command):
    options = [
        click.option("--data", type=click.Path(path_type=Path), default=None,
                     help="Folder with the Fashion-MNIST IDX files (default: Debian's copy)."),
        click.option("--epochs", type=click.IntRange(1), default=TrainConfig.epochs, show_default=True,
                     help="Most epochs to train; early stopping on validation loss may stop sooner."),
        click.option("--seed", type=int, default=TrainConfig.seed, show_default=True,
                     help="Seed of the data split, weight initialisation and shuffling."),
        click.option("--subset", type=click.IntRange(10), default=None,
                     help="Use at most this many images per split (for quick trial runs)."),
        click.option("--cache", type=click.Path(path_type=Path), default=Path(".cache"), show_default=True,
                     help="Where trained models are kept for reuse."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Show debug messages.")
def main(verbose: bool) -> None:
    """Build an interactive, offline explainer of a small CNN."""
    _quiet_tensorflow()
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )


@main.command()
@_train_options
@click.option("--out", type=click.Path(path_type=Path), default=Path("trained-model"), show_default=True,
              help="Folder for model.keras, history.json and metrics.json.")
def train(data, epochs, seed, subset, cache, out) -> None:
    """Train Tiny VGG and write the model, its history and its test metrics."""
    from .build import trained_model
    from .data import load_dataset, subset as take_subset

    def run():
        dataset = load_dataset(data, seed=seed)
        if subset:
            dataset = take_subset(dataset, subset, seed=seed)
        result = trained_model(dataset, TrainConfig(epochs=epochs, seed=seed), cache)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("model.keras", "history.json", "metrics.json"):
            shutil.copyfile(result.path.parent / name, out / name)
        click.echo(f"test accuracy {result.metrics['accuracy']:.4f}; wrote {out}/model.keras, history.json, metrics.json")

    _run(run)


@main.command()
@_train_options
@click.option("--out", type=click.Path(path_type=Path), default=Path("dist"), show_default=True,
              help="Output folder; replaced only when the build succeeds.")
@click.option("--model", type=click.Path(path_type=Path), default=None,
              help="Use this Keras model (.keras or .h5) instead of training one.")
@click.option("--samples", type=click.IntRange(1, 100), default=10, show_default=True,
              help="How many test images to precompute and offer in the picker.")
@click.option("--title", default="CNN Explainer", show_default=True, help="Title of the page.")
def build(data, epochs, seed, subset, cache, out, model, samples, title) -> None:
    """Build the explainer into a folder that works offline and from disk."""
    from .build import BuildOptions, build as run_build

    options = BuildOptions(
        out=out, data=data, model=model, samples=samples, subset=subset,
        train=TrainConfig(epochs=epochs, seed=seed), cache=cache, title=title,
    )
    _run(lambda: click.echo(f"open {run_build(options).resolve() / 'index.html'}"))


@main.command()
@click.option("--dir", "folder", type=click.Path(path_type=Path, exists=True, file_okay=False),
              default=Path("dist"), show_default=True, help="The built site.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(folder: Path, port: int) -> None:
    """Preview the built site on http://127.0.0.1:PORT/."""
    from .serve import serve_folder

    serve_folder(folder, port)


def _run(action) -> None:
    try:
        action()
    except ExplainError as error:
        raise click.ClickException(str(error)) from None


if __name__ == "__main__":
    main()
