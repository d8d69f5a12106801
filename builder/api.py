"""cnn-explain from Python, where Keras users work: `cnn_explain.explain(model, images)` in a notebook.

It runs the CLI's pipeline (build.build, with the same checks and the same errors, raised as ExplainError with the
message the CLI prints) into a temporary folder it keeps while the object lives, and shows the result as the
one-file page (single.py) inside an <iframe srcdoc>: its styles, its policy and its window.explainer stay its own,
beside the notebook's and any other explainer's, with no server and no network.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from .errors import ExplainError
from .options import BuildOptions
from .samples import MAX_SAMPLES

FRAME_HEIGHT = 760  # CSS pixels of the notebook cell's frame: the overview and the start of the article


class Explained:
    """An explainer built by `explain`: `_repr_html_()` shows it inline, `html()` is its one-file page, `save(folder)`
    writes the site as `cnn-explain build --out` does, `save_html(path)` the one file as `--single-file` does."""

    def __init__(self, options: BuildOptions, workspace: tempfile.TemporaryDirectory):
        from .build import build

        self._workspace = workspace  # the model file, the images and the built site live as long as this object
        self._options = options
        self.result = build(options)
        self._page: str | None = None

    @property
    def spec(self) -> dict:
        """The model spec the page reads (docs/format.md)."""
        return self.result.spec

    def html(self) -> str:
        """The whole explainer as one self-contained HTML page."""
        if self._page is None:
            from .single import single_file_page

            self._page = single_file_page(self.result.out)
        return self._page

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" title="{html.escape(self.spec["name"])}" '
            f'sandbox="allow-scripts allow-downloads allow-popups" width="100%" height="{FRAME_HEIGHT}" '
            'frameborder="0"></iframe>'
        )

    def save(self, folder: str | Path) -> Path:
        """Write the site into `folder`, as `cnn-explain build --out FOLDER` (the same refusals); returns it."""
        from .build import build

        return build(replace(self._options, out=Path(folder))).out

    def save_html(self, path: str | Path) -> Path:
        """Write the one-file page at `path`, as `cnn-explain build --single-file PATH` (the same refusals)."""
        from .single import write_single_file

        write_single_file(self.result.out, Path(path))
        return Path(path)


def explain(
    model,
    images,
    classes: Sequence[str] | None = None,
    title: str | None = None,
    lang: str = "en",
    data: str | Path | None = None,
) -> Explained:
    """Explain `model` (a Keras model, or the path of a .keras or .h5 file) on `images`: a NumPy array N x H x W x C
    (or N x H x W, grey) of 0..255 values (uint8, or floats in 0..1, read as 8-bit levels as the page reads pixels),
    or a list of image files; `classes` names the model's outputs in order. `data` (as `--data`: Fashion-MNIST's IDX
    files, or a folder of one sub-folder of images per class) adds the insights of its test split: accuracy,
    confusion matrix, top examples, and the training curves of a history.json beside the model file. Raises
    ExplainError with the message the CLI prints for what cannot be explained."""
    workspace = tempfile.TemporaryDirectory(prefix="cnn-explain-")
    folder = Path(workspace.name)
    model_file = _model_file(model, folder)
    samples = _sample_folder(images, folder / "images")
    options = BuildOptions(
        out=folder / "site",
        model=model_file,
        samples=samples,
        classes=_class_file(classes, folder) if classes is not None else None,
        title=title,
        lang=lang,
        data=Path(data) if data is not None else None,
    )
    return Explained(options, workspace)


def _model_file(model, folder: Path) -> Path:
    """The path of `model`: its own when it is one, else the Keras model saved in `folder`."""
    if isinstance(model, (str, Path)):
        return Path(model)
    if not hasattr(model, "save") or not hasattr(model, "layers"):
        raise ExplainError(f"model: expected a Keras model or the path of a .keras file, not {type(model).__name__}")
    path = folder / "model.keras"
    model.save(path)
    return path


def _sample_folder(images, folder: Path) -> Path:
    """A folder of PNGs made from `images` (an array), or of links to the files `images` names."""
    from PIL import Image

    folder.mkdir()
    if isinstance(images, (list, tuple)) and all(isinstance(item, (str, Path)) for item in images):
        if not images or len(images) > MAX_SAMPLES:
            raise ExplainError(f"images: give 1 to {MAX_SAMPLES} image files, not {len(images)}")
        for index, path in enumerate(images):
            path = Path(path)
            if not path.is_file():
                raise ExplainError(f"images: {path} is not a file")
            (folder / f"{index:03d}_{path.name}").symlink_to(path.resolve())
        return folder
    array = np.asarray(images)
    if array.ndim == 3:
        array = array[..., None]
    if array.ndim != 4 or array.shape[-1] not in (1, 3) or not 1 <= len(array) <= MAX_SAMPLES:
        raise ExplainError(
            f"images: expected 1 to {MAX_SAMPLES} images as an array N x H x W x C (C 1 or 3), not of shape "
            f"{array.shape}"
        )
    if array.dtype != np.uint8:
        values = array.astype(np.float64)
        if not np.isfinite(values).all() or values.min() < 0 or values.max() > 255:
            raise ExplainError("images: expected values from 0 to 255, or from 0 to 1")
        array = np.rint(values * (255 if values.max() <= 1 else 1)).astype(np.uint8)
    for index, image in enumerate(array):
        Image.fromarray(image[..., 0] if image.shape[-1] == 1 else image).save(folder / f"{index:03d}.png")
    return folder


def _class_file(classes: Sequence[str], folder: Path) -> Path:
    path = folder / "classes.txt"
    names = [str(name) for name in classes]
    if any("\n" in name or not name.strip() for name in names):
        raise ExplainError("classes: each class name must be one line of text")
    path.write_text("\n".join(names) + "\n", encoding="utf-8")
    return path
