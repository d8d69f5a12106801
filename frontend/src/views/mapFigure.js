// One map of an explanation view: a channel drawn at native resolution and scaled up, an optional zero-padding
// ring around it, a window outline, and pointer (mouse, pen, touch) tracking in cell coordinates.

import { lutGradient } from "../ui/colors.js";
import { formatNumber, formatShort } from "../ui/format.js";
import { createHeatmapCanvas, drawHeatmap } from "../ui/heatmap.js";
import { el, textEl } from "../ui/dom.js";
import { tNodes } from "../ui/i18n.js";

const NO_PAD = { top: 0, left: 0, bottom: 0, right: 0 };
const scratch = new Map(); // one off-screen canvas per map size

/**
 * A PNG data URL of channel `channel` of `tensor` drawn with `lut` over `range`. Maps are images, not canvases:
 * Chromium composites every canvas as a layer of its own, and a view of 64 channels would have hundreds.
 */
export function heatmapUrl(tensor, channel, range, lut) {
  const [height, width] = tensor.shape;
  const key = `${width}x${height}`;
  if (!scratch.has(key)) scratch.set(key, createHeatmapCanvas(width, height));
  const canvas = scratch.get(key);
  drawHeatmap(canvas, tensor, channel, range, lut);
  return canvas.toDataURL();
}

/**
 * A map figure of `height` x `width` cells, `size` wide (CSS pixels, or any CSS length), with `pad` cells of zero
 * padding drawn around it, a caption and an aria-label. Give `as: "button"` to make it a button. `shows` names what
 * it draws, {map: a layer name or "intermediate", channel}, as data-map and data-channel (read by the tests, which
 * check the drawn pixels against that map). Under the map, a scale shows the range it is drawn with, and the value
 * under the pointer. Returns {element,
 * frame, draw(tensor, channel, range, lut), showWindow(row, col, rows, cols) (cells, negative inside the padding),
 * onPoint(callback)}: `callback([row, col])` gets the cell under the pointer (in the padding: outside
 * 0..height-1 / 0..width-1).
 */
export function createMapFigure({ height, width, size, pad = NO_PAD, caption, label, as = "figure", shows }) {
  const rows = height + pad.top + pad.bottom;
  const cols = width + pad.left + pad.right;
  const element = el(as, `vmap${as === "button" ? " vmap-button" : ""}`);
  if (as === "button") element.type = "button";
  if (shows) Object.assign(element.dataset, { map: shows.map, channel: String(shows.channel) });
  if (as !== "button") element.setAttribute("aria-label", label); // a button is named by its text (below)
  const frame = el("span", `vmap-frame${rows !== height || cols !== width ? " has-pad" : ""}`, element);
  frame.style.width = typeof size === "number" ? `${size}px` : size;
  frame.style.aspectRatio = `${cols} / ${rows}`;
  const image = el("img", "vmap-image", frame);
  image.alt = "";
  image.decoding = "sync";
  image.draggable = false;
  image.style.left = `${(100 * pad.left) / cols}%`;
  image.style.top = `${(100 * pad.top) / rows}%`;
  image.style.width = `${(100 * width) / cols}%`;
  image.style.height = `${(100 * height) / rows}%`;
  const outline = el("span", "vmap-window", frame);
  outline.hidden = true; // until a window is shown
  if (caption) textEl(as === "figure" ? "figcaption" : "span", "vmap-caption", caption, element);
  // a button's name: its caption (as a speech user would say it), what it does, and the range it shows
  if (as === "button") textEl("span", "visually-hidden", caption ? tNodes("view.map.also", { label }) : label, element);
  const scale = el("span", "vmap-scale", element);
  const bar = el("span", "vmap-scale-bar", scale);
  const reading = el("output", "vmap-reading", scale); // the range, or the value under the pointer

  let listener = null;
  let shown = null; // {tensor, channel, range}: what is drawn

  function showRange() {
    if (!shown) return;
    const { min, max } = shown.range;
    if (min === -max) reading.textContent = `±${formatShort(max)}`;
    else reading.replaceChildren(tNodes("view.map.range", { min: formatShort(min), max: formatShort(max) }));
    delete reading.dataset.value;
  }

  function showValue(row, col) {
    if (!shown || row < 0 || col < 0 || row >= height || col >= width) return showRange();
    const { tensor, channel } = shown;
    const value = tensor.data[(row * width + col) * tensor.shape[2] + channel];
    reading.replaceChildren(tNodes("view.map.value", { value: formatNumber(value), row, col }));
    reading.dataset.value = String(value);
  }

  function point(event) {
    const box = frame.getBoundingClientRect();
    const col = Math.floor(((event.clientX - box.left) / box.width) * cols) - pad.left;
    const row = Math.floor(((event.clientY - box.top) / box.height) * rows) - pad.top;
    showValue(row, col);
    if (listener) listener([row, col]);
  }
  frame.addEventListener("pointermove", point);
  frame.addEventListener("pointerleave", showRange);
  frame.addEventListener("pointerdown", (event) => {
    if (event.pointerType !== "mouse") frame.setPointerCapture(event.pointerId); // drag the window with a finger
    point(event);
  });

  return {
    element,
    frame,
    /** Draw channel `channel` of `tensor` ({shape: [h, w, c], data}) with `lut` over `range`. */
    draw(tensor, channel, range, lut) {
      image.src = heatmapUrl(tensor, channel, range, lut);
      bar.style.background = lutGradient(lut, 5);
      shown = { tensor, channel, range };
      showRange();
    },
    /** Outline `rows` x `cols` cells from cell (row, col). */
    showWindow(row, col, windowRows, windowCols) {
      outline.style.left = `${(100 * (col + pad.left)) / cols}%`;
      outline.style.top = `${(100 * (row + pad.top)) / rows}%`;
      outline.style.width = `${(100 * windowCols) / cols}%`;
      outline.style.height = `${(100 * windowRows) / rows}%`;
      outline.hidden = false;
    },
    /** Call `callback([row, col])` with the cell under the pointer as it moves or presses over the map. */
    onPoint(callback) {
      listener = callback;
    },
  };
}
