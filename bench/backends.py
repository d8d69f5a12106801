"""TF.js's cpu and WebAssembly backends side by side, on models from Tiny VGG's cost to the wide model's: the
figures behind `--backend auto` (builder/budget.py WASM_FROM).

    .venv/bin/python -m bench.backends              # 3 page loads per model and backend
    .venv/bin/python -m bench.backends --runs 5

Models (seeded random weights): Tiny VGG's size (28x28x1, two blocks of two Conv2D(10), same padding), then
32x32x3 with two blocks of two Conv2D(F) 3x3 same relu + max pool for F = 8, 16, 32, 64, then the wide model
(64x64x3, three blocks of two Conv2D(64)). Each is built by the real CLI with --backend cpu and --backend wasm,
opened in headless Chromium from file:// at 1400x900, and timed: navigation to TF.js ready (the first image
recomputed), a new sample's TF.js forward pass (lastForwardMs), and that plus the redraw of every layer
(lastRedrawMs). Medians; the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from testkit.chromium import launch, open_when_ready
from testkit.cli import CLI
from testkit.images import write_image_folder

CLASSES = 4


def ladder():
    """(name, input size, channels, model factory) from the cheapest to the costliest."""
    import keras
    from keras import layers

    from testkit.models import wide_model

    def blocks(size: int, channels: int, filters: int, count: int):
        def make():
            stack = []
            for _ in range(count):
                stack += [
                    layers.Conv2D(filters, 3, padding="same", activation="relu"),
                    layers.Conv2D(filters, 3, padding="same", activation="relu"),
                    layers.MaxPooling2D(2),
                ]
            return keras.Sequential(
                [keras.Input((size, size, channels)), *stack, layers.Flatten(), layers.Dense(CLASSES)]
            )

        return make

    return [
        ("28x28x1, 2 x 2 Conv2D(10)", 28, 1, blocks(28, 1, 10, 2)),
        *((f"32x32x3, 2 x 2 Conv2D({f})", 32, 3, blocks(32, 3, f, 2)) for f in (8, 16, 32, 64)),
        ("wide", 64, 3, lambda: wide_model(classes=CLASSES)),
    ]


def measure(browser, site: Path, runs: int) -> tuple[str, list[float], list[float], list[float]]:
    ready, forward, redraw, backends = [], [], [], set()
    for _ in range(runs):
        page = open_when_ready(browser, site)
        ready.append(page.evaluate("window.explainer.timings.tfReadyMs"))
        backends.add(page.evaluate("window.explainer.backend"))
        for index in (1, 2, 3, 0):
            page.evaluate("(i) => window.explainer.selectSample(i)", index)
            forward.append(page.evaluate("window.explainer.timings.lastForwardMs"))
            redraw.append(page.evaluate("window.explainer.timings.lastRedrawMs"))
        page.context.close()
    return "/".join(sorted(backends)), ready, forward, redraw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    from playwright.sync_api import sync_playwright

    from builder.budget import multiply_adds

    print(f"{os.cpu_count()} CPUs, load average before: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print("| model | multiply-adds | backend | TF.js ready | new image: forward pass | and redrawn |")
    print("| --- | --- | --- | --- | --- | --- |")
    med = statistics.median
    with tempfile.TemporaryDirectory(prefix="backends-") as scratch, sync_playwright() as playwright:
        browser = launch(playwright)
        for number, (name, size, channels, make) in enumerate(ladder()):
            work = Path(scratch) / str(number)
            work.mkdir()
            keras.utils.set_random_seed(0)
            make().save(work / "m.keras")
            write_image_folder(work / "data", CLASSES, per_class=5, size=size, grey=channels == 1)
            for backend in ("cpu", "wasm"):
                command = [str(CLI), "build", "--model", "m.keras", "--data", "data", "--image-size", str(size)]
                command += ["--samples", "4", "--backend", backend, "--out", backend]
                subprocess.run(command, cwd=work, check=True, capture_output=True, text=True)
                spec = json.loads((work / backend / "spec.json").read_text())
                ran, ready, forward, redraw = measure(browser, work / backend, args.runs)
                print(
                    f"| {name} | {multiply_adds(spec) / 1e6:.1f} M | {ran} | {med(ready):.0f} ms | "
                    f"{med(forward):.1f} ms | {med(redraw):.1f} ms |",
                    flush=True,
                )
        browser.close()
    print(f"load average after: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
