"""What a visitor waits for: the first view's bytes, DOM nodes, first paint and TF.js ready, beside a floor.

    .venv/bin/python -m bench.first_view                       # the site in dist/, 7 loads
    .venv/bin/python -m bench.first_view --site DIR --runs 9
    .venv/bin/python -m bench.first_view --wide                # also the wide model, --model + --samples 5
    .venv/bin/python -m bench.first_view --slow-network        # also the site over a slow 4G link
    .venv/bin/python -m bench.first_view --site NEW --versus OLD   # two builds in the same run, load by load

Each load is a fresh browser context in Debian's headless Chromium at 1400x900, the site served from 127.0.0.1 (so
every response is counted, as a static host sends it), and is followed until `window.explainer.ready` has resolved
and no response has arrived for a second. Per load:
  first-view bytes  every response body the page received (DevTools Network.loadingFinished encodedDataLength)
  DOM nodes         Chrome's own count (Performance.getMetrics "Nodes"; <template> contents included)
  first paint       navigation to two frames after the overview is drawn (timings.overviewPaintedMs)
  TF.js ready       navigation to the model loaded in TF.js (timings.tfReadyMs)
  first image       navigation to the first image computed by TF.js and drawn (timings.readyMs)
  longest task      the longest main-thread task (PerformanceObserver "longtask", over 50 ms) that overlaps the
                    time from first paint until window.explainer.ready resolves (the first image recomputed by
                    TF.js and drawn, timings.readyMs); 0 when there is none
With --slow-network the site is also loaded over a link that DevTools slows to Lighthouse's "slow 4G" (1.6 Mbit/s
down, 750 kbit/s up, 150 ms added to every request): there the bytes the first picture waits for count most.
With --versus another site is loaded in turn with the floor and the site, in alternating order, and the report adds
the median of the differences load by load: on a machine whose speed drifts between runs, only loads taken side by
side compare two builds.
The floor, loaded alternately with the site in the same browser: a bare page that draws 101 28x28 heatmaps into
canvases and waits two frames. Prints medians, the ratios to the floor, and the load average before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from testkit.chromium import ROOT, launch

FLOOR = """<!doctype html><meta charset="utf-8"><title>floor</title><body><script>
const t0 = performance.now();
const rng = (s => () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648)(1);
for (let k = 0; k < 101; k++) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 28;
  canvas.style.cssText = "width:56px;height:56px;image-rendering:pixelated;margin:2px";
  const context = canvas.getContext("2d");
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 28 * 28; i++) {
    const v = rng();
    image.data.set([255 * v, 128, 255 * (1 - v), 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
  document.body.append(canvas);
}
requestAnimationFrame(() => requestAnimationFrame(() => { window.floorPaintedMs = performance.now(); }));
</script>
"""

# collects the long tasks from the start of the page (entries before an observer exists are not buffered)
LONG_TASKS = """window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
  .observe({ type: "longtask", buffered: true });"""


@contextlib.contextmanager
def served(folder: Path):
    """An HTTP server on 127.0.0.1 for `folder`, quiet; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Lighthouse's "slow 4G", as DevTools emulates a network (Network.emulateNetworkConditions: bytes per second, ms)
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}


def load(browser, url: str, ready: str, painted: str, network: dict | None = None) -> dict:
    """One fresh load of `url` (over `network`, emulated, when given): bytes, nodes and the page's timings, once
    `ready` holds and responses have stopped."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.add_init_script(LONG_TASKS)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if network:
        cdp.send("Network.emulateNetworkConditions", network)
    cdp.send("Performance.enable")
    received = {"bytes": 0, "last": time.monotonic()}

    def finished(event):
        received["bytes"] += event["encodedDataLength"]
        received["last"] = time.monotonic()

    cdp.on("Network.loadingFinished", finished)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_function(ready, timeout=120_000)
    while time.monotonic() - received["last"] < 1.0:  # settled: no response for a second
        page.wait_for_timeout(200)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    timings = page.evaluate(painted)
    tasks = page.evaluate("window.__longTasks")
    context.close()
    if errors:
        raise SystemExit(f"page errors at {url}: {errors}")
    paint, tf, done = timings.get("paint"), timings.get("ready"), timings.get("done")
    longest = max((d for s, d in tasks if done and s < done and s + d > paint), default=0.0)
    return {
        "bytes": received["bytes"],
        "nodes": metrics["Nodes"],
        "paint": paint,
        "ready": tf,
        "done": done,
        "longest": longest,
    }


SITE_READY = "() => window.explainer && window.explainer.timings.readyMs !== null"
SITE_TIMINGS = "({paint: explainer.timings.overviewPaintedMs, ready: explainer.timings.tfReadyMs, done: explainer.timings.readyMs})"
FLOOR_READY = "() => window.floorPaintedMs !== undefined"
FLOOR_TIMINGS = "({paint: window.floorPaintedMs})"


def build_wide(work: Path) -> Path:
    """The wide model (testkit.models.wide_model, seeded) built with `--model` and `--samples` of 5 images."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    from testkit.cli import CLI
    from testkit.images import write_image_folder
    from testkit.models import wide_model

    keras.utils.set_random_seed(0)
    wide_model().save(work / "wide.keras")
    write_image_folder(work / "samples", 5, per_class=1, size=64)
    command = [str(CLI), "build", "--model", "wide.keras", "--samples", "samples", "--out", "wide"]
    subprocess.run(command, cwd=work, check=True, capture_output=True, text=True)
    return work / "wide"


def report(name: str, loads: list[dict], floor: float | None) -> None:
    med = lambda key: statistics.median(load[key] for load in loads)  # noqa: E731
    print(f"{name} ({len(loads)} loads):")
    print(f"  first-view bytes {med('bytes') / 1e6:.2f} MB   DOM nodes {med('nodes'):.0f}")
    ratio = f"  ({med('paint') / floor:.2f} x floor)" if floor else ""
    runs = ", ".join(f"{x['paint']:.0f}" for x in loads)
    print(f"  first paint {med('paint'):.0f} ms{ratio}   runs: {runs}")
    if loads[0]["ready"] is not None:
        ratio = f"  ({med('ready') / floor:.2f} x floor)" if floor else ""
        print(f"  TF.js ready {med('ready'):.0f} ms{ratio}")
        print(f"  first image from TF.js {med('done'):.0f} ms")
        worst = max(x["longest"] for x in loads)
        print(f"  longest task between first paint and ready: median {med('longest'):.0f} ms, worst {worst:.0f} ms")


def compare(name: Path, loads: list[dict], versus: list[dict]) -> None:
    """The median differences, load by load, between `loads` of site `name` and `versus`, taken in turn with them."""
    for key, what in (("paint", "first paint"), ("ready", "TF.js ready"), ("done", "first image from TF.js")):
        change = statistics.median(new[key] - old[key] for new, old in zip(loads, versus, strict=True))
        print(f"  {name} against it, load by load: {what} {change:+.0f} ms (median)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "dist")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--wide", action="store_true", help="also build and load the wide model")
    parser.add_argument("--slow-network", action="store_true", help="also load the site over a slow 4G link")
    parser.add_argument("--versus", type=Path, help="another site, loaded in turn with the floor and the site")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"{os.cpu_count()} CPUs, load average before: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="first-view-") as scratch, sync_playwright() as playwright:
        work = Path(scratch)
        (work / "floor").mkdir()
        (work / "floor" / "index.html").write_text(FLOOR)
        wide = build_wide(work) if args.wide else None
        browser = launch(playwright)
        floor, site, wide_loads, slow, versus, slow_versus = [], [], [], [], [], []
        with contextlib.ExitStack() as servers:
            floor_url, site_url = (servers.enter_context(served(folder)) for folder in (work / "floor", args.site))
            versus_url = servers.enter_context(served(args.versus)) if args.versus else None
            for run in range(args.runs):
                floor.append(load(browser, floor_url, FLOOR_READY, FLOOR_TIMINGS))
                if versus_url and run % 2:
                    versus.append(load(browser, versus_url, SITE_READY, SITE_TIMINGS))
                site.append(load(browser, site_url, SITE_READY, SITE_TIMINGS))
                if versus_url and not run % 2:
                    versus.append(load(browser, versus_url, SITE_READY, SITE_TIMINGS))
            for _ in range(args.runs if args.slow_network else 0):
                slow.append(load(browser, site_url, SITE_READY, SITE_TIMINGS, SLOW_4G))
                if versus_url:
                    slow_versus.append(load(browser, versus_url, SITE_READY, SITE_TIMINGS, SLOW_4G))
        if wide:
            with served(wide) as wide_url:
                wide_loads = [load(browser, wide_url, SITE_READY, SITE_TIMINGS) for _ in range(args.runs)]
        browser.close()
    floor_paint = statistics.median(x["paint"] for x in floor)
    print(f"floor: 101 28x28 heatmaps drawn, two frames: median {floor_paint:.0f} ms")
    report(str(args.site), site, floor_paint)
    if versus:
        report(str(args.versus), versus, floor_paint)
        compare(args.site, site, versus)
    if wide_loads:
        report("wide model, --model + --samples 5", wide_loads, None)
    if slow:
        report(f"{args.site} over slow 4G (1.6 Mbit/s, 150 ms)", slow, None)
    if slow_versus:
        report(f"{args.versus} over slow 4G", slow_versus, None)
        compare(args.site, slow, slow_versus)
    print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
