// The overview's columns of neurons: their elements (labels, neurons, one canvas of maps per column), their place
// on the stage, and drawing a frame of activations into them. The class column is classRows.js's.

import { formatValue } from "../ui/format.js";
import { el, place } from "../ui/dom.js";
import { createHeatmapCanvas, drawHeatmap } from "../ui/heatmap.js";
import { t, tPlain } from "../ui/i18n.js";
import { fillText } from "../ui/text.js";

function shapeText(shape) {
  return `(${shape.join(", ")})`;
}

/**
 * `tensor` (H x W x C) sampled down to at most `height` x `width` pixels, nearest pixel first, as the
 * browser shows a larger canvas scaled down with `image-rendering: pixelated`; `tensor` itself if it fits.
 */
export function sampleDown(tensor, height, width) {
  const [inHeight, inWidth, channels] = tensor.shape;
  if (height >= inHeight && width >= inWidth) return tensor;
  const data = new Float32Array(height * width * channels);
  for (let y = 0, o = 0; y < height; y++) {
    const row = Math.min(inHeight - 1, Math.floor(((y + 0.5) * inHeight) / height)) * inWidth;
    for (let x = 0; x < width; x++) {
      const from = (row + Math.min(inWidth - 1, Math.floor(((x + 0.5) * inWidth) / width))) * channels;
      for (let c = 0; c < channels; c++) data[o++] = tensor.data[from + c];
    }
  }
  return { shape: [height, width, channels], data };
}

/** The label above `column`: its name (a link to the article `section` explains it in, if any) and its shape. */
export function createLabel(stage, column, section) {
  const label = el("div", "ov-label", stage);
  const name = el(section ? "a" : "span", "ov-label-name", label);
  name.textContent = column.name;
  name.dir = "auto"; // a layer name may be written right to left
  if (section) {
    name.href = `#${section}`;
    name.title = t("overview.label.article", { name: column.name });
  }
  el("span", "ov-label-shape", label).textContent = shapeText(column.shape);
  label.title = fillText(`{name} ${shapeText(column.shape)}`, { name: column.name });
  label.dataset.column = column.name;
  return label;
}

/**
 * The neurons of a map or vector column on `stage`: {column, label, elements (one per neuron), captions, maps (the
 * column's canvas, or null for vectors), rects}. Neurons carry data-layer and data-neuron (the testing contract);
 * they are buttons when they `opens` a view, else pictures.
 */
export function createNeurons(stage, column, label, opens) {
  const part = { column, label, elements: [], captions: [], maps: null, rects: [] };
  if (column.kind !== "vector") {
    // One canvas per column holds all its feature maps: Chromium composites every 2-D canvas as a
    // layer of its own, and a thousand layers (64 channels x 18 columns) cost ~0.5 s per frame.
    // The neurons are transparent elements on top of it (see .neuron-map in ui/page.css).
    part.maps = createHeatmapCanvas(1, 1);
    part.maps.className = "ov-maps";
    part.maps.setAttribute("aria-hidden", "true");
    part.maps.dataset.maps = column.name;
    stage.appendChild(part.maps);
  }
  const kind =
    column.kind === "vector"
      ? "neuron unit"
      : column.kind === "input"
        ? "neuron neuron-map neuron-input"
        : "neuron neuron-map";
  for (let i = 0; i < column.count; i++) {
    const node = el("div", kind, stage);
    node.setAttribute("data-layer", column.name);
    node.setAttribute("data-neuron", String(i));
    node.setAttribute("role", opens ? "button" : "img");
    if (opens) node.setAttribute("aria-haspopup", "dialog");
    node.tabIndex = i === 0 ? 0 : -1; // one tab stop per column; arrow keys move inside (see hover.js)
    part.elements.push(node);
    if (column.kind === "input" && column.count === 3) {
      const caption = el("span", `ov-caption ov-caption-${i}`, stage);
      caption.textContent = t(`overview.rgb.${i}`); // overview.rgb.0: Red, 1: Green, 2: Blue
      part.captions.push(caption);
    }
  }
  return part;
}

/** Put `part`'s label, neurons, captions and canvas where `geometry` (a column of layout.js) says. */
export function placeNeurons(part, geometry) {
  place(part.label, geometry.labelX, geometry.labelY, geometry.labelWidth);
  part.elements.forEach((node, i) => {
    const b = geometry.boxes[i];
    place(node, b.x, b.y, b.w, b.h);
  });
  part.captions.forEach((caption, i) => {
    const b = geometry.boxes[i];
    place(caption, b.x - 10, b.y + b.h + 2, b.w + 20);
  });
  if (part.maps) placeMaps(part, geometry.boxes);
}

/** Size the column's canvas to cover its neurons' boxes at the screen's resolution. */
function placeMaps(part, boxes) {
  const dpr = window.devicePixelRatio || 1;
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.w));
  const bottom = Math.max(...boxes.map((b) => b.y + b.h));
  place(part.maps, left, top, right - left, bottom - top);
  part.maps.width = Math.max(1, Math.round((right - left) * dpr));
  part.maps.height = Math.max(1, Math.round((bottom - top) * dpr));
  // Each map in canvas pixels; drawn from at most as many values as it has pixels on screen.
  part.rects = boxes.map((b) => ({
    x: Math.round((b.x - left) * dpr),
    y: Math.round((b.y - top) * dpr),
    w: Math.max(1, Math.round(b.w * dpr)),
    h: Math.max(1, Math.round(b.h * dpr)),
  }));
}

const scratch = new Map(); // one off-screen canvas per map size, to scale maps into the column canvases

function drawMap(part, tensor, channel, range, lut) {
  const rect = part.rects[channel];
  const [height, width] = tensor.shape;
  const key = `${width}x${height}`;
  if (!scratch.has(key)) scratch.set(key, createHeatmapCanvas(width, height));
  const source = scratch.get(key);
  drawHeatmap(source, tensor, channel, range, lut);
  const context = part.maps.getContext("2d");
  context.imageSmoothingEnabled = false; // pixels stay square when a map is scaled up
  context.drawImage(source, rect.x, rect.y, rect.w, rect.h);
}

/** `stats` (channelRanges) of channel `i` as the values of a message: {min, max}, formatted. */
export function rangeValues(stats, i) {
  return { min: formatValue(stats.mins[i]), max: formatValue(stats.maxs[i]) };
}

/**
 * What neuron `index` of a map `column` is, as plain text: "Red channel" (of a colour input), "image" (of a grey
 * one) or "channel 5"; `unit 5` for a vector column. Indices are written as they are, like names.
 */
export function neuronWhat(column, index) {
  if (column.kind === "input") return t(column.count === 3 ? `overview.rgb.${index}.channel` : "overview.neuron.image");
  return tPlain(column.kind === "vector" ? "overview.neuron.unit" : "overview.neuron.channel", { index });
}

/**
 * Draw `tensor` into `part`'s neurons with `range` and the lookup table `lut`: maps into the column's canvas,
 * vector units as coloured squares; each neuron's accessible name gives its layer, channel and values.
 */
export function drawNeurons(part, tensor, range, lut, stats) {
  const { column } = part;
  const rect = part.rects[0];
  const shown = rect ? sampleDown(tensor, rect.h, rect.w) : tensor;
  part.elements.forEach((node, i) => {
    if (column.kind === "vector") {
      const v = tensor.data[i];
      const share = range.max > range.min ? (v - range.min) / (range.max - range.min) : 0.5;
      const k = Math.max(0, Math.min(255, Math.round(share * 255)));
      node.style.background = `rgb(${lut[k * 4]}, ${lut[k * 4 + 1]}, ${lut[k * 4 + 2]})`;
      node.setAttribute(
        "aria-label",
        tPlain("overview.unit.label", { name: column.name, what: neuronWhat(column, i), value: formatValue(v) }),
      );
    } else {
      drawMap(part, shown, i, range, lut);
      const values = { name: column.name, what: neuronWhat(column, i), ...(stats ? rangeValues(stats, i) : {}) };
      node.setAttribute("aria-label", tPlain(stats ? "overview.neuron.label.values" : "overview.neuron.label", values));
    }
  });
}
