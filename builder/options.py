"""What `cnn-explain build` and `cnn-explain train` take: their options, each default and range written once (cli.py
reads them for its flags, build.py for its checks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .i18n import DEFAULT_LANGUAGE
from .model import TrainConfig
from .render import LOCALES

DEFAULT_CACHE = Path(".cache")
IMAGE_SIZES = (4, 256)  # the range --image-size accepts
PIXEL_DIVISORS = (1e-6, 1e6)  # the range --pixel-divisor accepts


@dataclass(frozen=True)
class TrainOptions:
    """Everything `cnn-explain train` needs to know."""

    out: Path = Path("trained-model")  # the folder for model.keras, history.json and metrics.json
    data: Path | None = None
    image_size: int | None = None
    subset: int | None = None
    train: TrainConfig = field(default_factory=TrainConfig)
    cache: Path = DEFAULT_CACHE
    retrain: bool = False  # train even when the cache, or the tool itself, holds the model these inputs make


@dataclass(frozen=True)
class BuildOptions:
    """Everything `cnn-explain build` needs to know."""

    out: Path = Path("dist")
    data: Path | None = None
    model: Path | None = None
    samples: int | Path = 10  # how many test images to explain, or a folder of images
    subset: int | None = None
    image_size: int | None = None
    # text files of class names, one per line: NAME.<lang>.txt names them in that language, any other in all
    classes: Path | tuple[Path, ...] | None = None
    pixel_divisor: float | None = None  # what 0..255 pixels are divided by; None: spec.default_pixel_divisor
    train: TrainConfig = field(default_factory=TrainConfig)
    cache: Path = DEFAULT_CACHE
    retrain: bool = False  # train even when the cache, or the tool itself, holds the model these inputs make
    title: str | None = None  # None: the model and its data, e.g. "Tiny VGG on Fashion-MNIST, explained"
    backend: str = "auto"  # the TF.js backend the page starts with: budget.choose_backend
    lang: str = DEFAULT_LANGUAGE  # the page's language when it opens (it can switch to any other it has a catalog for)
    locales: Path = LOCALES  # the message catalogs, one per language (i18n.py)

    @property
    def samples_folder(self) -> Path | None:
        """The folder of images to explain (--samples DIR), or None when they are picked from the test split."""
        return self.samples if isinstance(self.samples, Path) else None
