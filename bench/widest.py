"""Benchmark the page for the largest models the explainer supports: 64 filters per layer, up to 6 conv blocks.

    .venv/bin/python -m bench.widest                    # both models, 5 fresh page loads each
    .venv/bin/python -m bench.widest --model deep --runs 3
    .venv/bin/python -m bench.widest --model wide --samples 5    # as issue 12's targets count it
    .venv/bin/python -m bench.widest --model wide --backend cpu  # TF.js's cpu backend instead of WebAssembly

Models (untrained, seeded random weights, saved to .keras; fused ReLUs, so every conv is two columns):
  wide   64x64x3 input, 3 blocks of (Conv2D 64 3x3 same relu, Conv2D 64 3x3 same relu, MaxPooling2D 2), Dense 10
  deep   128x128x3 input, 6 blocks of (Conv2D 64 3x3 same relu, MaxPooling2D 2), Dense 10
Each is built with the real CLI (`cnn-explain build --model M.keras --data DIR --samples N`, 10 by default) from a
generated 10-class image folder, then opened in headless Chromium (Debian's) from file:// at 1400x900,
in a fresh browser context per run. Prints medians of: navigation to overview drawn
(window.explainer.timings.overviewDrawnMs; target <= 1 s), navigation to TF.js ready, and a new
image's TF.js forward pass plus redraw of every layer (lastRedrawMs; target <= 1 s), the same until
the frame is on screen, and a hover highlight until it is on screen. Screenshots go to
artifacts/widest-<model>.png. Timings depend on the machine and its load: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from testkit.chromium import ARTIFACTS, launch
from testkit.cli import CLI
from testkit.images import write_image_folder
from testkit.models import DEEP, WIDE, deep_model, wide_model

CLASSES = 10
MODELS = {"wide": (wide_model, 64), "deep": (deep_model, 128)}
DESCRIPTIONS = {"wide": WIDE, "deep": DEEP}


def build(name: str, work: Path, samples: int, backend: str = "auto") -> tuple[Path, float]:
    """Save the model, generate its dataset, build the site with the CLI; return the site and build seconds."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    make, size = MODELS[name]
    keras.utils.set_random_seed(0)
    model_file = work / f"{name}.keras"
    make().save(model_file)
    write_image_folder(work / "data", CLASSES, per_class=12, size=size)
    command = [str(CLI), "build", "--model", str(model_file), "--data", "data", "--image-size", str(size)]
    command += ["--samples", str(samples), "--backend", backend, "--out", name]
    started = time.perf_counter()
    subprocess.run(command, cwd=work, check=True, capture_output=True, text=True)
    return work / name, time.perf_counter() - started


# Milliseconds until the frame after an action is on screen: a requestAnimationFrame callback runs
# before the frame is laid out, painted and committed; a task queued from it runs after.
NEXT_FRAME = "new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now() - t0), 0)))"
SELECT_AND_PAINT = (
    f"(i) => {{ const t0 = performance.now(); return window.explainer.selectSample(i).then(() => {NEXT_FRAME}); }}"
)
HOVER_AND_PAINT = f"""(i) => {{
    const neurons = document.querySelectorAll("[data-layer][data-neuron]");
    const target = neurons[Math.floor(((i + 0.5) * neurons.length) / 8)];
    const t0 = performance.now();
    target.dispatchEvent(new PointerEvent("pointerover", {{bubbles: true}}));
    return {NEXT_FRAME}; }}"""


def measure(browser, site: Path, runs: int, shot: Path) -> dict:
    url = (site / "index.html").as_uri()
    drawn, ready, redraw, own, painted, hover = [], [], [], [], [], []
    for run in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.goto(url)
        page.wait_for_function("() => window.explainer && window.explainer.ready", timeout=120_000)
        page.evaluate("window.explainer.ready.then(() => true)")
        timings = page.evaluate("window.explainer.timings")
        backend = page.evaluate("window.explainer.backend")
        drawn.append(timings["overviewDrawnMs"])
        ready.append(timings["tfReadyMs"])
        count = page.evaluate("window.CNN_EXPLAIN.samples.count")
        for index in [*range(1, count), 0]:
            painted.append(page.evaluate(SELECT_AND_PAINT, index))
            redraw.append(page.evaluate("window.explainer.timings.lastRedrawMs"))
        if run == 0:  # sample 0 is shown (selected last), nothing highlighted yet
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(shot))
            nodes = page.evaluate("document.getElementsByTagName('*').length")
            neurons = page.locator("[data-layer][data-neuron]").count()
        for index in range(8):
            hover.append(page.evaluate(HOVER_AND_PAINT, index))
        shape = page.evaluate("window.CNN_EXPLAIN.spec.input.shape")
        started = time.perf_counter()
        page.evaluate(
            """([h, w, c]) => window.explainer.setImage(
                   Array.from({length: h * w * c}, (_, i) => (i * 37) % 256), h, w, c)""",
            shape,
        )
        own.append((time.perf_counter() - started) * 1000)
        if errors:
            raise SystemExit(f"page errors: {errors}")
        context.close()
    return {
        "drawn": drawn,
        "ready": ready,
        "redraw": redraw,
        "painted": painted,
        "hover": hover,
        "own": own,
        "nodes": nodes,
        "neurons": neurons,
        "backend": backend,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=[*MODELS, "all"], default="all")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--backend", choices=["auto", "wasm", "cpu"], default="auto")
    args = parser.parse_args()
    names = list(MODELS) if args.model == "all" else [args.model]
    from playwright.sync_api import sync_playwright

    print(f"{os.cpu_count()} CPUs, load average before: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="widest-") as scratch, sync_playwright() as playwright:
        browser = launch(playwright)
        for name in names:
            work = Path(scratch) / name
            work.mkdir()
            site, seconds = build(name, work, args.samples, args.backend)
            payload = (site / "data" / "explainer.js").stat().st_size
            # what the page loads: the folder without its reusable model/ copy, which the page does not fetch
            first_view = sum(
                f.stat().st_size for f in site.rglob("*") if f.is_file() and f.relative_to(site).parts[0] != "model"
            )
            shot = ARTIFACTS / f"widest-{name}.png"
            m = measure(browser, site, args.runs, shot)
            med = statistics.median
            print(f"{name}: {DESCRIPTIONS[name]}; built by the CLI in {seconds:.1f} s")
            print(
                f"  payload data/explainer.js: {payload / 2**20:.2f} MiB, first view {first_view / 2**20:.2f} MiB "
                f"({args.samples} samples); {m['neurons']} neuron elements, {m['nodes']} DOM elements"
            )
            print(
                f"  navigation to overview drawn: median {med(m['drawn']):.0f} ms "
                f"(runs: {', '.join(f'{v:.0f}' for v in m['drawn'])})  target <= 1000 ms"
            )
            print(
                f"  navigation to TF.js ready and first image recomputed: median {med(m['ready']):.0f} ms "
                f"(backend {m['backend']})"
            )
            print(
                f"  new sample, TF.js forward + redraw of every layer: median {med(m['redraw']):.0f} ms "
                f"over {len(m['redraw'])} (max {max(m['redraw']):.0f} ms)  target <= 1000 ms"
            )
            print(
                f"  new sample until the redrawn frame is on screen: median {med(m['painted']):.0f} ms "
                f"(max {max(m['painted']):.0f} ms)"
            )
            print(
                f"  hover a neuron until its highlight is on screen: median {med(m['hover']):.0f} ms "
                f"(max {max(m['hover']):.0f} ms)"
            )
            print(f"  setImage of an own image, round trip from Python: median {med(m['own']):.0f} ms")
            print(f"  screenshot: {shot}")
        browser.close()


if __name__ == "__main__":
    main()
