"""Files that cost far more to read than to store ("bombs"), written in seconds and little memory, for
tests/test_bombs.py and bench/bombs.py: huge PNGs, .keras archives whose members inflate to gigabytes or whose
config claims weights the file does not hold, and gzip IDX files that hold more than their header promises.

The trick for the big ones: after a full flush, zlib's compressor starts afresh, so a block compressed once can be
repeated to stand for the block repeated (deflate_repeated).
"""

from __future__ import annotations

import gzip
import json
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

GIB = 1 << 30
FASHION_MNIST_TRAIN = (60000, 28, 28)


def deflate_repeated(block: bytes, count: int, tail: bytes = b"") -> bytes:
    """Raw deflate data of `block` repeated `count` times, then `tail`, compressing `block` once."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    once = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    return once * count + compressor.compress(tail) + compressor.flush()


def _checksum(function, block: bytes, count: int, tail: bytes, start: int) -> int:
    value = start
    for _ in range(count):
        value = function(block, value)
    return function(tail, value)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png(path: Path, width: int, height: int, value: int = 200, colour: bool = False) -> Path:
    """A valid 8-bit PNG of `width` x `height` pixels all of `value` (grey, or RGB with `colour`): 20000 x 20000
    grey is 390 KB, the most deflate can shrink 400 MB."""
    row = b"\x00" + bytes([value]) * (width * (3 if colour else 1))  # filter type 0, then the pixels
    per_block = max(1, (16 << 20) // len(row))
    count, left = divmod(height, per_block)
    block, tail = row * per_block, row * left
    stream = b"\x78\x01" + deflate_repeated(block, count, tail)
    stream += struct.pack(">I", _checksum(zlib.adler32, block, count, tail, 1))
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if colour else 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b""))
    return path


def write_photo_jpeg(path: Path, width: int, height: int, seed: int = 0, orientation: int = 1) -> Path:
    """A photo-like JPEG (smooth colour patches and sensor noise) of `width` x `height`, stored with EXIF
    `orientation` (6: a phone held upright)."""
    from PIL import Image, ImageChops

    rng = np.random.default_rng(seed)
    patches = Image.fromarray(rng.integers(0, 256, (max(2, height // 40), max(2, width // 40), 3), dtype=np.uint8))
    smooth = patches.resize((width, height), Image.Resampling.BICUBIC)
    noise = Image.effect_noise((width, height), 12).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = orientation
    ImageChops.add(smooth, noise, offset=-128).save(path, quality=90, exif=exif)
    return path


@dataclass(frozen=True)
class Member:
    """A zip archive member as stored: its (compressed) bytes, method, CRC-32 and the size it declares."""

    name: str
    payload: bytes
    method: int
    crc: int
    size: int


def stored(name: str, data: bytes) -> Member:
    return Member(name, data, zipfile.ZIP_STORED, zlib.crc32(data), len(data))


def inflating(name: str, block: bytes, count: int, declared: int | None = None) -> Member:
    """A deflated member holding `block` `count` times; it declares that size unless `declared` says otherwise."""
    size = len(block) * count
    crc = _checksum(zlib.crc32, block, count, b"", 0)
    return Member(
        name, deflate_repeated(block, count), zipfile.ZIP_DEFLATED, crc, size if declared is None else declared
    )


def write_zip(path: Path, members: list[Member]) -> Path:
    """A zip archive of `members`, written field by field (zipfile would compress gigabytes to write them)."""
    out = bytearray()
    central = bytearray()
    for member in members:
        name = member.name.encode()
        sizes = (member.method, 0, 0x21, member.crc, len(member.payload), member.size, len(name))  # date 1980-01-01
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, *sizes, 0, 0, 0, 0, 0, len(out)) + name
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, *sizes, 0) + name + member.payload
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def small_keras_model(path: Path, size: int = 12, classes: int = 3) -> Path:
    """A small real model saved as .keras: Conv2D(4) on size x size x 3, max pool, Flatten, Dense(classes)."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(3)
    path.parent.mkdir(parents=True, exist_ok=True)
    keras.Sequential(
        [
            keras.Input((size, size, 3)),
            layers.Conv2D(4, 3, padding="same", activation="relu", name="conv"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(classes, activation="softmax", name="output"),
        ]
    ).save(path)
    return path


def _members(model: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(model) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_config_bomb(path: Path, model: Path, size: int = 3 * GIB, declared: int | None = None) -> Path:
    """`model` (a .keras file) with its config.json replaced by `size` bytes of spaces, deflated to a few MB;
    it declares its true size unless `declared` says otherwise."""
    members = _members(model)
    spaces = b" " * (1 << 20)
    bomb = inflating("config.json", spaces, size // len(spaces), declared)
    others = [stored(name, data) for name, data in members.items() if name != "config.json"]
    return write_zip(path, [others[0], bomb, *others[1:]])


def write_lying_config(path: Path, model: Path, inputs: int = 135_000_000, layer: str = "output") -> Path:
    """`model` (a .keras file) with its config.json edited so that Dense `layer` reads `inputs` values: a Dense of
    3 units then claims 405 million weights, which model.weights.h5 does not hold."""
    members = _members(model)
    config = json.loads(members["config.json"])
    for entry in config["config"]["layers"]:
        if entry["config"].get("name") == layer:
            entry["build_config"]["input_shape"] = [None, inputs]
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def idx_header(shape: tuple[int, ...], code: int = 0x08) -> bytes:
    return bytes([0, 0, code, len(shape)]) + b"".join(struct.pack(">I", d) for d in shape)


def write_idx_bomb(path: Path, shape: tuple[int, ...] = FASHION_MNIST_TRAIN, data_bytes: int = 13 * GIB) -> Path:
    """A gzip IDX file of uint8 whose header promises `shape` and whose data inflates to `data_bytes` zeros
    (13 GiB from 13 MB: the most gzip can shrink them)."""
    header = idx_header(shape)
    block = bytes(16 << 20)
    count, left = divmod(data_bytes, len(block))
    tail = bytes(left)
    body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip: deflate, no name, no time
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(header) + compressor.flush(zlib.Z_FULL_FLUSH)
    body += start + deflate_repeated(block, count, tail)
    crc = _checksum(zlib.crc32, block, count, tail, zlib.crc32(header))
    body += struct.pack("<II", crc, (len(header) + data_bytes) & 0xFFFFFFFF)
    path.write_bytes(body)
    return path


def write_idx(path: Path, array: np.ndarray) -> Path:
    """A gzip IDX file of a uint8 array."""
    with gzip.open(path, "wb") as handle:
        handle.write(idx_header(array.shape) + array.tobytes())
    return path


def write_fashion_mnist_bomb(folder: Path, data_bytes: int = 13 * GIB) -> Path:
    """A folder laid out like Fashion-MNIST whose training images are write_idx_bomb's, the rest small and sound."""
    from builder.datasets.idx import IDX_FILES

    folder.mkdir(parents=True, exist_ok=True)
    write_idx_bomb(folder / IDX_FILES["train_images"], data_bytes=data_bytes)
    write_idx(folder / IDX_FILES["train_labels"], (np.arange(60000) % 10).astype(np.uint8))
    write_idx(folder / IDX_FILES["test_images"], np.zeros((10, 28, 28), dtype=np.uint8))
    write_idx(folder / IDX_FILES["test_labels"], (np.arange(10) % 10).astype(np.uint8))
    return folder
