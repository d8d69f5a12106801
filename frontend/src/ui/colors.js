// Colour scales of the overview: which layers share a colour range, the ranges, and lookup tables. No DOM.

import { interpolatePuOr, interpolateRdBu } from "d3-scale-chromatic";

/** How colour ranges are shared: per block of layers (default), per layer, or one for the whole network. */
export const COLOR_MODES = ["block", "layer", "global"];

/** Number of entries in a colour lookup table. */
export const LUT_SIZE = 256;

/** Whether a spec layer's output is an image (height, width, channels). */
export function isSpatial(layer) {
  return layer.shape.length === 3;
}

/**
 * Groups of spec layer names that share one colour range in "block" mode, in spec order.
 * A group starts at every conv (or dense) layer and takes the element-wise layers after it; the
 * input and the final (class) layer are groups of their own. Flatten belongs to no group.
 */
export function layerGroups(spec) {
  const groups = [{ kind: "input", layers: ["input"] }];
  const last = spec.layers[spec.layers.length - 1];
  let current = null;
  for (const layer of spec.layers) {
    if (layer.kind === "flatten") {
      current = null;
      continue;
    }
    if (layer === last) {
      groups.push({ kind: "output", layers: [layer.name] });
      break;
    }
    const kind = isSpatial(layer) ? "spatial" : "vector";
    const starts = layer.kind === "conv" || layer.kind === "dense" || current === null || current.kind !== kind;
    if (starts) {
      current = { kind, layers: [] };
      groups.push(current);
    }
    current.layers.push(layer.name);
  }
  return groups;
}

/** The layers that share one legend in colour mode `mode`, as [{kind, layers}]: the input first; the final layer has none. */
export function legendGroups(spec, mode) {
  if (!COLOR_MODES.includes(mode)) throw new Error(`unknown colour mode ${mode}`);
  const [input, ...signed] = layerGroups(spec).filter((group) => group.kind !== "output");
  if (mode === "block") return [input, ...signed];
  if (mode === "layer") {
    return [input, ...signed.flatMap((group) => group.layers.map((name) => ({ kind: group.kind, layers: [name] })))];
  }
  const merged = ["spatial", "vector"].map((kind) => ({
    kind,
    layers: signed.filter((group) => group.kind === kind).flatMap((group) => group.layers),
  }));
  return [input, ...merged.filter((group) => group.layers.length > 0)];
}

/** {min, max} of the finite values in `data` ({min: 0, max: 0} when there are none). */
export function valueRange(data) {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max && Number.isFinite(min) && Number.isFinite(max) ? { min, max } : { min: 0, max: 0 };
}

/** A range centred at 0 that covers every range in `ranges`: {min: -m, max: m}. */
export function symmetricRange(ranges) {
  let extent = 0;
  for (const r of ranges) extent = Math.max(extent, Math.abs(r.min), Math.abs(r.max));
  return { min: -extent, max: extent };
}

/**
 * Map from layer name (and "input") to the colour range {min, max} used to draw it.
 * `activations` maps layer names to {data}; `ranges` may give their value ranges precomputed.
 * The input is drawn 0..1 in grey, the final layer 0..1; the others are symmetric around 0.
 */
export function colorRanges(spec, activations, mode = "block", ranges = null) {
  if (!COLOR_MODES.includes(mode)) throw new Error(`unknown colour mode ${mode}`);
  const rangeOf = (name) => (ranges && ranges.get(name)) || valueRange(activations.get(name).data);
  const result = new Map([["input", { min: 0, max: 1 }]]);
  const groups = layerGroups(spec);
  const signed = groups.filter((g) => g.kind === "spatial" || g.kind === "vector");
  const output = groups.find((g) => g.kind === "output");
  if (output) result.set(output.layers[0], { min: 0, max: 1 });
  if (mode === "global") {
    const spatial = signed.filter((g) => g.kind === "spatial").flatMap((g) => g.layers);
    const vector = signed.filter((g) => g.kind === "vector").flatMap((g) => g.layers);
    for (const names of [spatial, vector]) {
      const range = symmetricRange(names.map(rangeOf));
      for (const name of names) result.set(name, range);
    }
    return result;
  }
  for (const group of signed) {
    if (mode === "layer") {
      for (const name of group.layers) result.set(name, symmetricRange([rangeOf(name)]));
    } else {
      const range = symmetricRange(group.layers.map(rangeOf));
      for (const name of group.layers) result.set(name, range);
    }
  }
  return result;
}

/** The index (0..size-1) of `value` in a lookup table spanning min..max, clamped. */
export function lutIndex(value, min, max, size = LUT_SIZE) {
  if (!(max > min)) return (size - 1) >> 1;
  const t = (value - min) / (max - min);
  if (!(t > 0)) return 0;
  if (t >= 1) return size - 1;
  return Math.round(t * (size - 1));
}

/** [r, g, b] of a CSS colour string "rgb(r, g, b)" or "#rrggbb". */
export function parseColor(text) {
  const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(text);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  throw new Error(`cannot parse colour ${text}`);
}

/** An RGBA lookup table (Uint8ClampedArray of size*4) sampling `interpolator` over 0..1. */
export function makeLut(interpolator, size = LUT_SIZE) {
  const lut = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    const [r, g, b] = parseColor(interpolator(i / (size - 1)));
    lut.set([r, g, b, 255], i * 4);
  }
  return lut;
}

/** The diverging lookup table: red for negative, near-white at 0, blue for positive (ColorBrewer RdBu, colour-blind safe). */
export function divergingLut(size = LUT_SIZE) {
  return makeLut(interpolateRdBu, size);
}

/** The lookup table for weights: orange for negative, near-white at 0, purple for positive (ColorBrewer PuOr, colour-blind safe). */
export function weightLut(size = LUT_SIZE) {
  return makeLut((t) => interpolatePuOr(1 - t), size);
}

/** The grey lookup table for input pixels: black at 0, white at 1. */
export function greyLut(size = LUT_SIZE) {
  return makeLut((t) => {
    const v = Math.round(t * 255);
    return `rgb(${v}, ${v}, ${v})`;
  }, size);
}

/** The CSS colour of entry `index` of `lut`. */
export function lutColor(lut, index) {
  return `rgb(${lut[index * 4]}, ${lut[index * 4 + 1]}, ${lut[index * 4 + 2]})`;
}

/** A CSS linear-gradient (left to right) through `stops` evenly spaced entries of `lut`. */
export function lutGradient(lut, stops = 9) {
  const size = lut.length / 4;
  const colors = [];
  for (let i = 0; i < stops; i++) colors.push(lutColor(lut, Math.round((i / (stops - 1)) * (size - 1))));
  return `linear-gradient(to right, ${colors.join(", ")})`;
}

/** A short label for a number on a legend or tooltip: 3 significant digits, no "-0". */
export function formatValue(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) < 5e-4) return "0.00";
  const abs = Math.abs(value);
  const text = abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  return text;
}
