// The drawing pad: a canvas to sketch an input on with a mouse, finger or pen (pointer events), a brush size and a
// Clear button. Strokes show at once; the owner hears about them at most once per animation frame.

import { el, imageCanvas } from "../ui/dom.js";
import { t } from "../ui/i18n.js";

const PAD_MIN_SIDE = 280; // the pad's resolution: the model's size times the smallest whole factor reaching this

/**
 * A pad for a model reading `size` x `size` images, drawn in `ink` on `paper` (CSS colours); its canvas goes in
 * `canvasRoot` and its brush and Clear controls in `controlsRoot`. `onDraw()` runs while drawing (throttled with
 * requestAnimationFrame), when a stroke ends and after Clear. `from`: another pad's snapshot() to start from (the
 * same drawing and brush, when the page is rebuilt in another language). Returns {canvas, pixels() -> {rgba,
 * width, height}, snapshot()}.
 */
export function createDrawingPad(canvasRoot, controlsRoot, { size, ink, paper, onDraw, from = null }) {
  const side = size * Math.ceil(PAD_MIN_SIDE / size);
  const canvas = imageCanvas(canvasRoot, "drawing-pad", side, side, t("drawing.pad"), "drawing-pad");
  const context = canvas.getContext("2d", { willReadFrequently: true });

  const brushLabel = el("label", "pad-brush", controlsRoot);
  brushLabel.append(`${t("drawing.brush")} `);
  const brush = el("input", "", brushLabel);
  brush.type = "range";
  brush.min = "1";
  brush.max = String(Math.max(4, Math.round(size / 4)));
  brush.value = from?.brush ?? String(Math.max(1, Math.round(size / 10)));
  const brushValue = el("output", "pad-brush-value", brushLabel);
  const showBrush = () => (brushValue.textContent = t("drawing.brush.size", { size: Number(brush.value) }));
  brush.addEventListener("input", showBrush);
  showBrush();
  const clearButton = el("button", "own-button", controlsRoot);
  clearButton.type = "button";
  clearButton.textContent = t("drawing.clear");
  clearButton.dataset.testid = "draw-clear";

  function clear() {
    context.fillStyle = paper;
    context.fillRect(0, 0, side, side);
  }

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

  let last = null; // the stroke's last point, in canvas pixels; null when not drawing
  const width = () => (Number(brush.value) * side) / size;
  function at(event) {
    const box = canvas.getBoundingClientRect();
    return [((event.clientX - box.left) * side) / box.width, ((event.clientY - box.top) * side) / box.height];
  }
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
