"""What files that cost far more to read than to store ("bombs") cost the build, through the real CLI.

    .venv/bin/python -m bench.bombs
    .venv/bin/python -m bench.bombs --cases baseline photo-jpeg

Each case runs `cnn-explain build ... --out` a temporary folder in a fresh process and prints whether it built or
was refused, its wall time and its peak RSS (getrusage of the child), with the line it ended on. Every build imports
TensorFlow, so the baseline, a plain build of a small model with one small sample, is what any build costs. The
files are written by testkit/bombs.py; the load average is printed before and after.

  baseline         a 12 x 12 sample PNG, with the small model (28 x 28 x 3, Conv2D(4), Dense(3))
  png-20000        a 20000 x 20000 grey PNG sample (390 KB; 400 MB decoded)
  png-8000         an 8000 x 8000 grey PNG sample (62 KB; 64 MB decoded, 64 megapixels)
  png-8000x6000    an 8000 x 6000 RGB PNG sample (140 KB; 192 MB decoded: the most a colour image under the limit takes)
  photo-jpeg       an 8000 x 6000 photo-like JPEG (21 MB, 48 megapixels, EXIF orientation 6 as a phone writes it)
  config-3gib      the small model as .keras with a config.json that inflates to 3 GiB of spaces (3.2 MB)
  lying-config     the small model as .keras, its config editing the Dense to read 135 million values (405 million
                   weights the file does not hold)
  idx-bomb         --data: Fashion-MNIST's four file names, the training images promising 47 MB and inflating to
                   13 GiB of zeros (13 MB)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testkit import bombs
from testkit.cli import CLI

# Runs a command and prints its peak RSS (KiB). A small launcher, because a child forked from this process would
# start out with this process's memory counted as its own.
PEAK = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)

CASES = (
    "baseline",
    "png-20000",
    "png-8000",
    "png-8000x6000",
    "photo-jpeg",
    "config-3gib",
    "lying-config",
    "idx-bomb",
)


def prepare(case: str, work: Path, model: Path) -> list[str]:
    """Write the files of `case` into `work`; the arguments of its build."""
    samples = work / "samples"
    samples.mkdir()
    with_samples = ["--model", str(model), "--samples", str(samples)]
    if case == "baseline":
        bombs.write_png(samples / "small.png", 12, 12, 90, colour=True)
    elif case == "png-20000":
        bombs.write_png(samples / "giant.png", 20000, 20000)
    elif case == "png-8000":
        bombs.write_png(samples / "large.png", 8000, 8000)
    elif case == "png-8000x6000":
        bombs.write_png(samples / "colour.png", 8000, 6000, colour=True)
    elif case == "photo-jpeg":
        bombs.write_photo_jpeg(samples / "photo.jpg", 8000, 6000, orientation=6)
    elif case == "config-3gib":
        bombs.write_png(samples / "small.png", 12, 12, 90, colour=True)
        return ["--model", str(bombs.write_config_bomb(work / "config-3gib.keras", model)), "--samples", str(samples)]
    elif case == "lying-config":
        bombs.write_png(samples / "small.png", 12, 12, 90, colour=True)
        return ["--model", str(bombs.write_lying_config(work / "lying.keras", model)), "--samples", str(samples)]
    elif case == "idx-bomb":
        return ["--data", str(bombs.write_fashion_mnist_bomb(work / "fashion"))]
    return with_samples


def build(arguments: list[str], work: Path) -> dict:
    """Run the CLI's build with `arguments` in a child process: exit code, last line, seconds, peak RSS (MiB)."""
    command = [str(CLI), "build", *arguments, "--out", str(work / "site")]
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=work, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = result.stderr.strip().splitlines() or [""]
    return {
        "ok": result.returncode == 0,
        "line": next((line for line in lines if line.startswith("Error: ")), lines[-1]),
        "seconds": seconds,
        "peak": float(result.stdout.split()[-1]) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    print(f"{os.cpu_count()} CPUs, load average before: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bombs-") as scratch:
        model = bombs.small_keras_model(Path(scratch) / "net.keras", size=28)
        for case in args.cases:
            work = Path(scratch) / case
            work.mkdir()
            arguments = prepare(case, work, model)
            built = build(arguments, work)
            status = "built" if built["ok"] else "refused"
            load = os.getloadavg()[0]
            print(f"{case}: {status} in {built['seconds']:.1f} s, peak RSS {built['peak']:.0f} MiB (load {load:.1f})")
            print(f"  {built['line']}")
    print(f"load average after: {', '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
