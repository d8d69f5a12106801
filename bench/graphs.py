"""Build time and first view of the graph models (residual blocks, branches), each built with --model and --samples.

    .venv/bin/python -m bench.graphs              # 3 builds and 5 loads of each
    .venv/bin/python -m bench.graphs --builds 1 --loads 3

The models are testkit.models' resnet_model (32x32x3, an identity and a 1x1 stride-2 convolution shortcut),
from_scratch_model (64x64x3, shaped like Keras's "image classification from scratch" example, widths 16 and 32) and
branches_model (24x24x3, two convolution branches joined by Concatenate), seeded. A build is the CLI run end to end
in a fresh process (`cnn-explain build --model m.keras --samples samples --out site`, 3 sample images), TensorFlow's
import included. A load is bench.first_view's: served over HTTP, bytes until the page settles after ready, and first
paint (two frames after the overview is drawn).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.first_view import SITE_READY, SITE_TIMINGS, load, served
from testkit.chromium import launch

MODELS = ("resnet_model", "from_scratch_model", "branches_model")


def save_models(work: Path) -> dict[str, Path]:
    """Each model, seeded, with random batch-norm statistics, saved in its own folder beside 3 sample images."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    from testkit import models
    from testkit.images import write_image_folder

    saved = {}
    for name in MODELS:
        keras.utils.set_random_seed(0)
        model = models.with_batchnorm_statistics(getattr(models, name)(), seed=0)
        folder = work / name
        folder.mkdir()
        model.save(folder / "m.keras")
        write_image_folder(folder / "samples", 3, per_class=1, size=int(model.inputs[0].shape[1]))
        saved[name] = folder
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from testkit.cli import CLI

    print(f"{os.cpu_count()} CPUs, load average before: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="graphs-") as scratch, sync_playwright() as playwright:
        folders = save_models(Path(scratch))
        browser = launch(playwright)
        for name, folder in folders.items():
            times = []
            for _ in range(args.builds):
                start = time.monotonic()
                command = [str(CLI), "build", "--model", "m.keras", "--samples", "samples", "--out", "site"]
                subprocess.run(command, cwd=folder, check=True, capture_output=True, text=True)
                times.append(time.monotonic() - start)
            with served(folder / "site") as url:
                loads = [load(browser, url, SITE_READY, SITE_TIMINGS) for _ in range(args.loads)]
            size = sum(f.stat().st_size for f in (folder / "site").rglob("*") if f.is_file())

            def med(key, loads=loads):
                return statistics.median(x[key] for x in loads)

            print(
                f"{name}: build {statistics.median(times):.1f} s (runs: {', '.join(f'{t:.1f}' for t in times)}); "
                f"first-view bytes {med('bytes') / 1e6:.2f} MB, first paint {med('paint'):.0f} ms, "
                f"TF.js ready {med('ready'):.0f} ms ({len(loads)} loads); site on disk {size / 1e6:.2f} MB"
            )
        browser.close()
    print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
