"""What the browser tests of the explanation views share: Keras's side of the arithmetic, reading the numbers a view
prints."""

from __future__ import annotations

import base64
import functools
import io
import json
import re
import subprocess

import numpy as np
from PIL import Image

from .chromium import ROOT, screenshot
from .site import Site

SETTLE_MS = 450  # the panel's and the overview's transitions take 350 ms at most

SAMPLE = 3  # the sample image the view tests explain


def window_start(size_in: int, size_out: int, kernel: int, stride: int, padding: str) -> int:
    """How many padding cells come before the input along one axis (TensorFlow puts the odd one after)."""
    if padding != "same":
        return 0
    return max((size_out - 1) * stride + kernel - size_in, 0) // 2


def conv_arithmetic(site: Site, name: str, sample: int, neuron: int, pos: tuple[int, int]) -> dict:
    """Keras's numbers for conv neuron `neuron` of layer `name` at output position `pos`, in float64.

    patch: kh x kw x C input values under the window (zero padding included); weights: kh x kw x C;
    products; intermediates (one per input channel); bias; result (their sum plus the bias); output (Keras's
    own output at pos, which the result must equal).
    """
    layer = next(entry for entry in site.spec["layers"] if entry["name"] == name)
    outputs = site.keras_outputs(site.pixels[sample : sample + 1])
    x = outputs[layer["input"]][0].astype(np.float64)
    kernel, *rest = site.model.get_layer(layer.get("fused_with", name)).get_weights()
    bias = float(rest[0][neuron]) if rest else 0.0
    (kh, kw), (sh, sw) = layer["kernel_size"], layer["strides"]
    (h, w, _), (oh, ow, _) = layer["input_shape"], layer["shape"]
    top = window_start(h, oh, kh, sh, layer["padding"])
    left = window_start(w, ow, kw, sw, layer["padding"])
    padded = np.pad(x, ((top, kh + sh * oh), (left, kw + sw * ow), (0, 0)))
    r0, c0 = pos[0] * sh, pos[1] * sw
    patch = padded[r0 : r0 + kh, c0 : c0 + kw, :]
    weights = kernel[:, :, :, neuron].astype(np.float64)
    products = patch * weights
    intermediates = products.sum(axis=(0, 1))
    return {
        "patch": patch,
        "weights": weights,
        "products": products,
        "intermediates": intermediates,
        "bias": bias,
        "use_bias": bool(rest),
        "result": intermediates.sum() + bias,
        "output": float(outputs[name][0][pos[0], pos[1], neuron]),
        "inside": _inside(h, w, kh, kw, pos[0] * sh - top, pos[1] * sw - left),
    }


def _inside(h: int, w: int, kh: int, kw: int, row: int, col: int) -> np.ndarray:
    rows = np.arange(row, row + kh)[:, None]
    cols = np.arange(col, col + kw)[None, :]
    return (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)


def read_numbers(page, testid: str) -> list[dict]:
    """Every element with data-testid `testid`: its printed text, unrounded data-value and data-row/col/channel."""
    return page.eval_on_selector_all(
        f'[data-testid="{testid}"]',
        """els => els.map(e => ({
            text: (e.querySelector("input")?.value ?? e.textContent).trim(),
            value: e.dataset.value === undefined ? null : Number(e.dataset.value),
            row: e.dataset.row === undefined ? null : Number(e.dataset.row),
            col: e.dataset.col === undefined ? null : Number(e.dataset.col),
            channel: e.dataset.channel === undefined ? null : Number(e.dataset.channel),
        }))""",
    )


def read_number(page, testid: str) -> dict:
    """The one element with data-testid `testid` (see read_numbers)."""
    found = read_numbers(page, testid)
    assert len(found) == 1, f"{len(found)} elements with data-testid={testid}"
    return found[0]


def assert_shows(number: dict, expected: float, what: str, tolerance: float = 1e-4) -> None:
    """`number` (from read_numbers) holds `expected` to `tolerance` and prints it to its printed precision."""
    assert number["value"] is not None, f"{what}: no data-value"
    assert abs(number["value"] - expected) <= tolerance, f"{what}: data-value {number['value']} != {expected}"
    text = number["text"].replace("\u2212", "-")
    printed = float(text)
    mantissa = re.split("e", text, flags=re.IGNORECASE)[0]
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(text.lower().split("e")[1]) if "e" in text.lower() else 0
    half_unit = 0.5 * 10.0 ** (exponent - decimals)
    assert abs(printed - expected) <= half_unit * 1.001 + tolerance, f"{what}: printed {text}, expected {expected}"
    if expected != 0 and abs(expected) >= 1e-3 and printed != 0:
        digits = len(mantissa.replace("-", "").replace(".", "").lstrip("0"))
        assert digits >= 3 or decimals >= 2, f"{what}: {text} shows too few digits of {expected}"


def settled_screenshot(page, name: str) -> None:
    """A screenshot (artifacts/<name>.png) once the view's opening transitions are over."""
    page.wait_for_timeout(SETTLE_MS)
    screenshot(page, name)


def position_text(pos: tuple[int, int]) -> str:
    """How the views write a window position."""
    return f"row {pos[0]}, col {pos[1]}"


def check_formula(page, expected: dict, channel: int) -> None:
    """The conv formula on `page` (intermediate `channel`) prints `expected` (conv_arithmetic) number by number."""
    kh, kw, _ = expected["patch"].shape
    inputs = read_numbers(page, "formula-input")
    weights = read_numbers(page, "formula-weight")
    products = read_numbers(page, "formula-product")
    assert len(inputs) == len(weights) == len(products) == kh * kw
    for cells, key in ((inputs, "patch"), (weights, "weights"), (products, "products")):
        for cell in cells:
            assert_shows(cell, expected[key][cell["row"], cell["col"], channel], f"{key}[{cell['row']}, {cell['col']}]")
    assert_shows(read_number(page, "formula-sum"), expected["intermediates"][channel], "sum of the products")
    terms = read_numbers(page, "formula-intermediate")
    assert [t["channel"] for t in terms] == list(range(len(expected["intermediates"])))
    for term in terms:
        assert_shows(term, expected["intermediates"][term["channel"]], f"intermediate {term['channel']}")
    biases = read_numbers(page, "formula-bias")
    if expected["use_bias"]:
        assert len(biases) == 1
        assert_shows(biases[0], expected["bias"], "bias")
    else:
        assert biases == [], "a conv layer without bias shows one"
    result = read_number(page, "formula-result")
    assert_shows(result, expected["result"], "intermediates plus bias")
    assert abs(result["value"] - expected["output"]) <= 1e-4, "the sum plus the bias is not Keras's conv output"


@functools.cache
def page_luts() -> dict[str, np.ndarray]:
    """The page's colour lookup tables (frontend/src/ui/colors.js, built on d3's RdBu and PuOr), as 256 x 3 arrays."""
    script = (
        f"import {{ divergingLut, greyLut, weightLut }} from '{(ROOT / 'frontend/src/ui/colors.js').as_uri()}';\n"
        "const rgb = (lut) => Array.from(lut).filter((_, i) => i % 4 !== 3);\n"
        "console.log(JSON.stringify({diverging: rgb(divergingLut()), grey: rgb(greyLut()), weights: rgb(weightLut())}));"
    )
    found = json.loads(
        subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, check=True).stdout
    )
    return {name: np.asarray(values, dtype=np.int32).reshape(-1, 3) for name, values in found.items()}


def drawn_maps(page, within: str = ".vh-panel:not(.is-leaving)") -> list[dict]:
    """Every map drawn in the open view: what it says it shows ({map, channel}) and its pixels (H x W x 3 uint8)."""
    found = page.eval_on_selector_all(
        f"{within} [data-map]",
        """els => els.map(e => ({map: e.dataset.map, channel: Number(e.dataset.channel),
            src: (e.tagName === 'IMG' ? e : e.querySelector('img.vmap-image')).src}))""",
    )
    for item in found:
        png = base64.b64decode(item.pop("src").split(",", 1)[1])
        item["pixels"] = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int32)
    return found


def assert_draws(pixels: np.ndarray, values: np.ndarray, lut: str, what: str) -> None:
    """`pixels` (H x W x 3) are `values` (H x W) drawn with the page's lookup table `lut` over some range: each
    pixel's entry in the table is the value's place in that range (clamped), to within rounding."""
    table = page_luts()[lut]
    assert pixels.shape[:2] == values.shape, f"{what}: drawn {pixels.shape[:2]}, expected {values.shape}"
    distances = ((pixels[..., None, :] - table[None, None]) ** 2).sum(axis=-1)
    index = distances.argmin(axis=-1).ravel().astype(np.float64)
    assert distances.min(axis=-1).max() <= 12, f"{what}: colours that are not in the {lut} table"
    v = values.ravel().astype(np.float64)
    if np.ptp(v) < 1e-9:
        assert np.ptp(index) == 0, f"{what}: a constant map drawn in several colours"
        return
    inside = (index > 0) & (index < len(table) - 1)
    assert inside.sum() >= 2, f"{what}: every pixel at the ends of the colour scale"
    slope, offset = np.polyfit(v[inside], index[inside], 1)
    assert slope > 0, f"{what}: the colours run against the values"
    # Each pixel must be drawn in a colour of the table within 1.5 entries of where its value falls on the fitted
    # line (clamped to the ends): compared as colours, because where the table changes slowly (the ends of a
    # square-root scale) neighbouring entries differ by less than rounding, and the nearest entry is a coin toss.
    fitted = np.clip(slope * v + offset, 0, len(table) - 1)
    entries = np.arange(len(table))[None, :]
    near = np.abs(entries - fitted[:, None]) <= 1.5
    seen = np.where(near, distances.reshape(len(v), len(table)), np.inf).min(axis=1)
    worst = float(seen.max())
    assert worst <= 12, f"{what}: the drawn colours are not this map's values (a colour {worst:.0f} away)"
