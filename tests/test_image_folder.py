"""Image-folder datasets ("bring your own data"), sample folders, class-name files and their CLI options."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import make_dataset
from PIL import Image, ImageDraw, ImageOps, JpegImagePlugin

from builder.datasets import load_dataset, read_class_names, with_image_size
from builder.datasets.folders import load_image_folder, read_image
from builder.errors import DataError
from builder.resize import to_model_pixels
from builder.samples import load_sample_folder
from testkit.bombs import write_png

FORMATS = ("png", "jpg", "webp", "gif", "bmp")


def shape_image(kind: str, size=(32, 32), colour=None, background=None, seed=0) -> Image.Image:
    """A circle or a square on a plain background; grey unless `colour` is given."""
    rng = np.random.default_rng(seed)
    mode = "RGB"
    fill = colour or (int(rng.integers(150, 256)),) * 3
    image = Image.new(mode, size, background or (int(rng.integers(0, 60)),) * 3)
    draw = ImageDraw.Draw(image)
    box = (size[0] // 5, size[1] // 5, size[0] * 4 // 5, size[1] * 4 // 5)
    (draw.ellipse if kind == "circle" else draw.rectangle)(box, fill=fill)
    return image


def save(image: Image.Image, path: Path, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **options)
    return path


def make_folder(root: Path, classes=("circle", "square"), per_class=6, colour=False, size=(32, 32)) -> Path:
    """`per_class` images of each class in turn as PNG, JPEG, WebP, GIF and BMP."""
    palette = [(220, 40, 40), (40, 200, 60), (30, 60, 220)]
    for c, name in enumerate(classes):
        for i in range(per_class):
            kind = "circle" if c % 2 == 0 else "square"
            image = shape_image(kind, size, colour=palette[(c + i) % 3] if colour else None, seed=c * 100 + i)
            save(image, root / name / f"{i:02d}.{FORMATS[i % len(FORMATS)]}")
    return root


def test_reads_every_format_as_grey_and_skips_broken_files_with_one_warning(tmp_path, caplog):
    root = make_folder(tmp_path / "shapes")
    good = (root / "circle" / "00.png").read_bytes()
    (root / "circle" / "broken.png").write_bytes(good[: len(good) // 2])
    (root / "square" / "notes.jpg").write_text("this is not a picture\n")
    (root / "square" / ".DS_Store").write_bytes(b"\x00\x01 hidden junk")
    (root / "README.txt").write_text("files beside the class folders are ignored\n")
    with caplog.at_level(logging.WARNING):
        dataset = load_image_folder(root)
    assert dataset.classes == ("circle", "square")
    assert dataset.image_shape == (32, 32, 1), "grey shapes give one channel"
    assert len(dataset.train) + len(dataset.validation) + len(dataset.test) == 12
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "skipped 2 files" in warnings[0]
    assert "broken.png" in warnings[0] and "notes.jpg" in warnings[0]
    assert ".DS_Store" not in warnings[0] and "README" not in warnings[0]
    assert dataset.name == "shapes" and dataset.source == str(root)


def test_colour_images_give_three_channels(tmp_path):
    dataset = load_image_folder(make_folder(tmp_path / "c", colour=True))
    assert dataset.image_shape == (32, 32, 3)
    pixels = np.concatenate([dataset.train.images, dataset.test.images]).astype(int)
    assert (pixels.max(axis=3) - pixels.min(axis=3)).max() > 100


def test_one_colour_image_makes_the_whole_dataset_rgb(tmp_path):
    root = make_folder(tmp_path / "mixed")
    save(shape_image("circle", colour=(250, 0, 0)), root / "circle" / "red.png")
    assert load_image_folder(root).image_shape == (32, 32, 3)


def test_grey_jpeg_with_rounding_noise_still_counts_as_grey(tmp_path):
    root = make_folder(tmp_path / "g", per_class=5)
    for i in range(5):
        save(shape_image("circle", seed=i), tmp_path / "g" / "circle" / f"q{i}.jpg", quality=60)
    assert load_image_folder(root).image_shape[2] == 1


def test_split_is_stratified_deterministic_and_seeded(tmp_path):
    root = make_folder(tmp_path / "s", classes=("a", "b", "c"), per_class=20)
    first, again, other = (
        load_image_folder(root, seed=1),
        load_image_folder(root, seed=1),
        load_image_folder(root, seed=2),
    )
    assert first.fingerprint() == again.fingerprint()
    assert first.fingerprint() != other.fingerprint()
    for split in (first.train, first.validation, first.test):
        assert sorted(np.bincount(split.labels, minlength=3) > 0) == [True] * 3, "every class in every split"
    assert (len(first.train), len(first.validation), len(first.test)) == (42, 9, 9)
    every = np.concatenate([first.train.images, first.validation.images, first.test.images])
    assert len({image.tobytes() for image in every}) == 60, "each image in exactly one split"


def test_image_size_is_respected(tmp_path):
    root = make_folder(tmp_path / "r", size=(40, 30))
    assert load_image_folder(root).image_shape == (30, 30, 1), "default: the most common size, cropped square"
    assert load_image_folder(root, image_size=16).image_shape == (16, 16, 1)
    assert load_dataset(root, image_size=20).image_shape == (20, 20, 1)


def test_default_size_is_the_most_common_and_at_most_64(tmp_path):
    root = make_folder(tmp_path / "big", size=(100, 100))
    save(shape_image("circle", (48, 48)), root / "circle" / "small.png")
    assert load_image_folder(root).image_shape == (64, 64, 1)


def test_class_names_are_kept_verbatim(tmp_path):
    names = ("<img src=x onerror=alert(1)>", 'Ünïcødé & "quotes"')
    dataset = load_image_folder(make_folder(tmp_path / "h", classes=names))
    assert dataset.classes == tuple(sorted(names))


def test_fewer_than_two_classes_is_an_error(tmp_path):
    root = make_folder(tmp_path / "one", classes=("only",))
    with pytest.raises(DataError, match="only the sub-folder 'only'.*at least 2 classes"):
        load_image_folder(root)
    flat = tmp_path / "flat"
    save(shape_image("circle"), flat / "a.png")
    with pytest.raises(DataError, match="no sub-folders"):
        load_image_folder(flat)


def test_a_class_with_too_few_images_is_an_error_naming_it(tmp_path):
    root = make_folder(tmp_path / "few")
    save(shape_image("circle"), root / "rare" / "1.png")
    save(shape_image("circle"), root / "rare" / "2.png")
    (root / "rare" / "3.png").write_bytes(b"not a png")
    with pytest.raises(DataError, match="at least 5 readable images, but class 'rare' has 2"):
        load_image_folder(root)


def test_no_readable_images_and_not_a_folder_are_errors(tmp_path):
    for name in ("a", "b"):
        (tmp_path / "junk" / name).mkdir(parents=True)
        (tmp_path / "junk" / name / "x.png").write_text("nope")
    with pytest.raises(DataError, match="none of the 2 files"):
        load_image_folder(tmp_path / "junk")
    (tmp_path / "file.zip").write_bytes(b"PK")
    with pytest.raises(DataError, match="is not a folder"):
        load_dataset(tmp_path / "file.zip")


def test_the_warning_names_ten_files_then_counts_the_rest(tmp_path, caplog):
    root = make_folder(tmp_path / "many")
    for i in range(13):
        (root / "circle" / f"bad{i:02d}.gif").write_bytes(b"GIF89a truncated")
    with caplog.at_level(logging.WARNING):
        load_image_folder(root)
    (message,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "skipped 13 files" in message and "and 3 more" in message
    assert "bad09.gif" in message and "bad10.gif" not in message


def test_exif_orientation_alpha_and_gif_first_frame(tmp_path):
    upright = Image.new("RGB", (20, 20), (255, 255, 255))
    ImageDraw.Draw(upright).rectangle((0, 0, 9, 19), fill=(0, 0, 0))  # dark left half
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to display"
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # dark bottom half as stored
    rotated = read_image(save(stored, tmp_path / "o.jpg", exif=exif, quality=95), 20)
    assert rotated[:, :8].mean() < 40 and rotated[:, 12:].mean() > 215

    clear = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    assert (read_image(save(clear, tmp_path / "a.png"), 8) == 255).all(), "transparency composited on white"

    frames = [Image.new("L", (8, 8), 0), Image.new("L", (8, 8), 255)]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert (read_image(path, 8) == 0).all(), "the first frame of a GIF"

    wide = Image.new("L", (30, 10), 255)
    ImageDraw.Draw(wide).rectangle((10, 0, 19, 9), fill=0)  # dark centre square
    assert read_image(save(wide, tmp_path / "w.png"), 10).max() < 20, "centre crop to a square"


def upright_pixels(path: Path, size: int, width: int | None = None) -> np.ndarray:
    """What read_image gives, the plain way: the whole image decoded, turned upright, as RGBA, then resized."""
    with Image.open(path) as image:
        upright = ImageOps.exif_transpose(image)
    return to_model_pixels(np.asarray(upright.convert("RGBA")), size, width or size, 3)


def test_large_images_are_read_upright_in_every_orientation_as_when_decoded_whole(tmp_path):
    rng = np.random.default_rng(5)
    rgba = rng.integers(0, 256, (1100, 1237, 4), dtype=np.uint8)  # larger than the working size: averaged in strips
    rgba[..., 3] = np.where(rng.random(rgba.shape[:2]) < 0.8, 255, rgba[..., 3])
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        path = save(Image.fromarray(rgba, "RGBA"), tmp_path / f"o{orientation}.png", exif=exif)
        for size, width in ((28, None), (24, 40)):
            expected = upright_pixels(path, size, width)
            np.testing.assert_array_equal(read_image(path, size, width), expected, f"orientation {orientation}")


def test_a_large_jpeg_is_decoded_at_a_fraction_of_its_size_and_still_averages_its_area(tmp_path, monkeypatch):
    rng = np.random.default_rng(6)
    y, x = np.mgrid[0:2200, 0:2600]
    smooth = np.stack([x * 255 // 2600, y * 255 // 2200, (x + y) % 256], axis=-1)
    photo = np.clip(smooth + rng.integers(-30, 31, smooth.shape), 0, 255).astype(np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = save(Image.fromarray(photo), tmp_path / "photo.jpg", quality=92, exif=exif)
    scales = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(image, mode, size):
        result = draft(image, mode, size)
        scales.append(image.decoderconfig[0] if result else 1)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    pixels = read_image(path, 28)
    assert scales == [2], "decoded at half size: 1100 x 1300, still more than the working size (1008)"
    difference = np.abs(pixels.astype(int) - upright_pixels(path, 28))
    assert difference.max() <= 2 and difference.mean() < 0.2


def test_an_image_of_more_than_the_pixel_limit_is_skipped_from_its_header_saying_what_to_do(tmp_path, caplog):
    samples = tmp_path / "samples"
    samples.mkdir()
    write_png(samples / "giant.png", 20000, 20000)  # 390 KB that would decode to 400 MB
    save(shape_image("circle"), samples / "small.png")
    with pytest.raises(ValueError) as refused:
        read_image(samples / "giant.png", 28)
    reason = str(refused.value)
    assert "20000 x 20000 pixels, 400.0 megapixels, more than the 50 an image may have" in reason
    assert "scale it down" in reason and "\n" not in reason
    with caplog.at_level(logging.WARNING):
        loaded = load_sample_folder(samples, (28, 28, 1), ("circle", "square"))
    assert loaded.files == ["small.png"]
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"giant.png ({reason})" in warning and "bomb" not in warning.lower()

    root = make_folder(tmp_path / "data")
    write_png(root / "circle" / "giant.png", 20000, 20000)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        load_image_folder(root)
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "skipped 1 file" in warning and f"circle/giant.png ({reason})" in warning


def test_sample_folder_labels_come_from_class_named_folders(tmp_path, caplog):
    save(shape_image("circle", colour=(200, 0, 0)), tmp_path / "samples" / "circle" / "1.png")
    save(shape_image("square", (50, 40)), tmp_path / "samples" / "loose.jpg")
    save(shape_image("square"), tmp_path / "samples" / "mystery" / "2.webp")
    (tmp_path / "samples" / "bad.png").write_text("nope")
    with caplog.at_level(logging.WARNING):
        samples = load_sample_folder(tmp_path / "samples", (24, 24, 1), ("circle", "square"))
    assert samples.images.shape == (3, 24, 24, 1), "same size and colour as the dataset"
    assert samples.files == ["circle/1.png", "loose.jpg", "mystery/2.webp"]
    assert samples.labels == [0, None, None] and samples.indices == [0, 1, 2]
    text = caplog.text
    assert "bad.png" in text and "'mystery'" in text
    assert load_sample_folder(tmp_path / "samples", (24, 24, 3), ("circle", "square")).images.shape[3] == 3


def test_samples_payload_allows_unknown_labels(tmp_path, tiny_vgg_model):
    from builder.activations import samples_payload
    from builder.spec import model_spec

    save(shape_image("circle", (28, 28)), tmp_path / "s" / "Dress" / "a.png")
    save(shape_image("square", (28, 28)), tmp_path / "s" / "b.bmp")
    spec = model_spec(tiny_vgg_model, [f"c{i}" for i in range(9)] + ["Dress"])
    samples = load_sample_folder(tmp_path / "s", spec["input"]["shape"], spec["classes"])
    payload = samples_payload(tiny_vgg_model, spec, samples.images, samples.labels, samples.indices, samples.files)
    assert [(item["label"], item["file"], item["index"]) for item in payload["items"]] == [
        (9, "Dress/a.png", 0),
        (None, "b.bmp", 1),
    ]


def test_read_class_names(tmp_path):
    path = tmp_path / "classes.txt"
    path.write_bytes("\ufeffchat\r\n  chien \n\n<b>oiseau</b>\n".encode())
    assert read_class_names(path) == ("chat", "chien", "<b>oiseau</b>")
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(DataError, match="not UTF-8"):
        read_class_names(path)
    path.write_text("\n\n")
    with pytest.raises(DataError, match="empty"):
        read_class_names(path)
    path.write_text("a\nb\na\n")
    with pytest.raises(DataError, match="twice: a"):
        read_class_names(path)


def test_with_image_size_resizes_idx_style_datasets():
    dataset = make_dataset(size=12, channels=1)
    resized = with_image_size(dataset, 20)
    assert resized.image_shape == (20, 20, 1) and len(resized.test) == len(dataset.test)
    assert with_image_size(dataset, None) is dataset


@pytest.fixture
def captured_build(monkeypatch):
    """Run `cnn-explain build` with the pipeline replaced by a recorder of its options."""
    import builder.build
    import builder.cli

    seen = {}

    def fake_build(options):
        seen["options"] = options
        return SimpleNamespace(out=options.out)

    monkeypatch.setattr(builder.build, "build", fake_build)
    return seen


def test_cli_passes_image_size_classes_and_a_samples_folder(tmp_path, captured_build):
    from builder.cli import main

    (tmp_path / "samples").mkdir()
    (tmp_path / "names.txt").write_text("a\nb\n")
    args = ["build", "--image-size", "32", "--classes", str(tmp_path / "names.txt"), "--lang", "zh"]
    result = CliRunner().invoke(main, [*args, "--samples", str(tmp_path / "samples")])
    assert result.exit_code == 0, result.output
    options = captured_build["options"]
    assert options.image_size == 32 and options.classes == (tmp_path / "names.txt",) and options.lang == "zh"
    assert options.samples == tmp_path / "samples"
    assert CliRunner().invoke(main, ["build", "--samples", "7"]).exit_code == 0
    assert captured_build["options"].samples == 7
    for bad in ("0", "101", str(tmp_path / "nowhere")):
        result = CliRunner().invoke(main, ["build", "--samples", bad])
        assert result.exit_code == 1 and "--samples" in result.output, bad
    assert CliRunner().invoke(main, ["build", "--image-size", "2"]).exit_code == 1


@pytest.mark.integration
def test_build_from_an_image_folder_with_class_names_and_a_samples_folder(tmp_path):
    import json

    from builder.build import BuildOptions, build
    from builder.model import TrainConfig
    from testkit.site import read_payload, sample_pixels

    root = make_folder(tmp_path / "data", classes=("circle", "square"), per_class=8, colour=True, size=(24, 24))
    save(shape_image("circle", (40, 40), colour=(250, 0, 0)), tmp_path / "samples" / "Kreis" / "k.png")
    save(shape_image("square", (40, 40)), tmp_path / "samples" / "unknown.jpg")
    (tmp_path / "names.txt").write_text("Kreis\nQuadrat\n", encoding="utf-8")
    options = BuildOptions(
        out=tmp_path / "site",
        data=root,
        image_size=16,
        classes=tmp_path / "names.txt",
        samples=tmp_path / "samples",
        train=TrainConfig(epochs=1, seed=0),
        cache=tmp_path / "cache",
    )
    site = build(options).out
    payload = read_payload(site)
    assert payload["spec"]["classes"] == ["Kreis", "Quadrat"]
    assert payload["spec"]["input"]["shape"] == [16, 16, 3]
    assert [(item["label"], item["file"]) for item in payload["samples"]["items"]] == [
        (0, "Kreis/k.png"),
        (None, "unknown.jpg"),
    ]
    assert sample_pixels(payload).shape == (2, 16, 16, 3)
    assert json.loads((site / "metrics.json").read_text())["classes"] == ["Kreis", "Quadrat"]
