// The drawing pad: a canvas to sketch an input on with a mouse, finger or pen (pointer events), a brush size and a
// Clear button. Strokes show at once; the owner hears about them at most once per animation frame. Its numbers
// (resolution, brush, pointer position) are padGeometry.js's.

import { el, imageCanvas } from "../ui/dom.js";
import { t } from "../ui/i18n.js";
import { brushRange, brushWidth, padPoint, padSide } from "./padGeometry.js";

/** The brush slider in `controlsRoot` for a model reading `size`-pixel images, starting at `kept` (or its own). */
function brushSlider(controlsRoot, size, kept) {
  const brushLabel = el("label", "pad-brush", controlsRoot);
  brushLabel.append(`${t("drawing.brush")} `);
  const brush = el("input", "", brushLabel);
  brush.type = "range";
  const range = brushRange(size, kept);
  brush.min = range.min;
  brush.max = range.max;
  brush.value = range.value;
  const brushValue = el("output", "pad-brush-value", brushLabel);
  const showBrush = () => (brushValue.textContent = t("drawing.brush.size", { size: Number(brush.value) }));
  brush.addEventListener("input", showBrush);
  showBrush();
  return brush;
}

/**
 * Call `onDraw()` at most once per animation frame: `changed()` asks for it, `flush()` calls it now. Returns
 * {changed, flush}.
 */
function throttled(onDraw) {
  let frame = 0;
  function changed() {
    if (!frame) {
      frame = requestAnimationFrame(() => {
        frame = 0;
        onDraw();
      });
    }
  }
  function flush() {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    onDraw();
  }
  return { changed, flush };
}

/**
 * Draw strokes in `ink` on `canvas` (`side` pixels) with the pointer, `width()` pixels wide; `changed()` while
 * drawing, `flush()` when a stroke ends.
 */
function followPointer(canvas, context, { ink, side, width, changed, flush }) {
  let last = null; // the stroke's last point, in canvas pixels; null when not drawing
  const at = (event) => padPoint(event, canvas.getBoundingClientRect(), side);
  function dot([x, y]) {
    context.beginPath();
    context.arc(x, y, width() / 2, 0, 2 * Math.PI);
    context.fill();
  }
  function line(from, to) {
    context.lineWidth = width();
    context.beginPath();
    context.moveTo(...from);
    context.lineTo(...to);
    context.stroke();
  }
  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    context.fillStyle = ink;
    context.strokeStyle = ink;
    context.lineCap = "round";
    context.lineJoin = "round";
    last = at(event);
    dot(last);
    changed();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const coalesced = event.getCoalescedEvents?.() ?? [];
    for (const step of coalesced.length ? coalesced : [event]) {
      const next = at(step);
      line(last, next);
      last = next;
    }
    changed();
  });
  const end = () => {
    if (!last) return;
    last = null;
    flush();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("lostpointercapture", end);
}

/**
 * A pad for a model reading `size` x `size` images, drawn in `ink` on `paper` (CSS colours); its canvas goes in
 * `canvasRoot` and its brush and Clear controls in `controlsRoot`. `onDraw()` runs while drawing (throttled with
 * requestAnimationFrame), when a stroke ends and after Clear. `from`: another pad's snapshot() to start from (the
 * same drawing and brush, when the page is rebuilt in another language). Returns {canvas, pixels() -> {rgba,
 * width, height}, snapshot()}.
 */
export function createDrawingPad(canvasRoot, controlsRoot, { size, ink, paper, onDraw, from = null }) {
  const side = padSide(size);
  const canvas = imageCanvas(canvasRoot, "drawing-pad", side, side, t("drawing.pad"), "drawing-pad");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const brush = brushSlider(controlsRoot, size, from?.brush);
  const clearButton = el("button", "own-button", controlsRoot);
  clearButton.type = "button";
  clearButton.textContent = t("drawing.clear");
  clearButton.dataset.testid = "draw-clear";

  function clear() {
    context.fillStyle = paper;
    context.fillRect(0, 0, side, side);
  }

  const { changed, flush } = throttled(onDraw);
  const width = () => brushWidth(Number(brush.value), side, size);
  followPointer(canvas, context, { ink, side, width, changed, flush });
  clearButton.addEventListener("click", () => {
    clear();
    flush();
  });
  if (from) context.putImageData(from.image, 0, 0);
  else clear();

  return {
    canvas,
    /** The pad's RGBA pixels now: {rgba, width, height}. */
    pixels: () => ({ rgba: context.getImageData(0, 0, side, side).data, width: side, height: side }),
    /** The drawing and the brush size, for another pad to start from. */
    snapshot: () => ({ image: context.getImageData(0, 0, side, side), brush: brush.value }),
  };
}
