// Colour scales: lookup tables (ColorBrewer's, through d3), value ranges, colour strings. No DOM.
// (Which layers share a range in each colour mode is network/ranges.js's.)

import { interpolatePuOr, interpolateRdBu } from "d3-scale-chromatic";

/** Number of entries in a colour lookup table. */
export const LUT_SIZE = 256;

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

/** {min, max} of channel `channel` of an H x W x C tensor ({shape, data}), as valueRange gives for a whole array. */
export function channelExtent(tensor, channel) {
  const channels = tensor.shape[tensor.shape.length - 1];
  let min = Infinity;
  let max = -Infinity;
  for (let i = channel; i < tensor.data.length; i += channels) {
    const v = tensor.data[i];
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

/**
 * Where on a colour scale value position `t` (0..1, the middle being 0) is drawn, on a square-root scale: a quarter of
 * the way from the middle to an end is drawn halfway to its colour. Maps that share a colour range with much
 * stronger ones (a quarter of their peak is common in a layer's weakest channels) stay readable, and still paler.
 */
export function sqrtScale(t) {
  const u = 2 * t - 1;
  return (1 + Math.sign(u) * Math.sqrt(Math.abs(u))) / 2;
}

/**
 * The lookup table of activations: red for negative, white at 0, blue for positive (ColorBrewer RdBu, colour-blind
 * safe), on the square-root scale of sqrtScale; a legend drawn from it shows the same scale.
 */
export function divergingLut(size = LUT_SIZE) {
  return makeLut((t) => interpolateRdBu(sqrtScale(t)), size);
}

/** The lookup table for weights: orange for negative, near-white at 0, purple for positive (ColorBrewer PuOr, colour-blind safe). */
export function weightLut(size = LUT_SIZE) {
  return makeLut((t) => interpolatePuOr(1 - t), size);
}

// ColorBrewer's Greens (9 classes): the stops d3-scale-chromatic's interpolateGreens runs through. Built here, as d3
// builds it, rather than sampled by build.mjs: the bundle then needs no other scale of d3's.
const GREENS = ["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#006d2c", "#00441b"];

/** d3's interpolateRgbBasis: a uniform B-spline through the "#rrggbb" `colors`, each channel, as "rgb(r, g, b)". */
export function rgbBasis(colors) {
  const channels = [0, 1, 2].map((k) => colors.map((color) => parseColor(color)[k]));
  const n = colors.length - 1;
  const spline = (values, t) => {
    const i = t <= 0 ? 0 : t >= 1 ? n - 1 : Math.floor(t * n);
    const v1 = values[i];
    const v2 = values[i + 1];
    const v0 = i > 0 ? values[i - 1] : 2 * v1 - v2;
    const v3 = i < n - 1 ? values[i + 2] : 2 * v2 - v1;
    const u = (Math.min(Math.max(t, 0), 1) - i / n) * n;
    const u2 = u * u;
    const u3 = u2 * u;
    return (
      ((1 - 3 * u + 3 * u2 - u3) * v0 + (4 - 6 * u2 + 3 * u3) * v1 + (1 + 3 * u + 3 * u2 - 3 * u3) * v2 + u3 * v3) / 6
    );
  };
  const byte = (value) => Math.max(0, Math.min(255, Math.round(value) || 0));
  return (t) => `rgb(${channels.map((values) => byte(spline(values, t))).join(", ")})`;
}

/**
 * The lookup table of what the model looks at (insights/attention.js): near-white at 0 to dark green at the top
 * (ColorBrewer Greens, as d3's interpolateGreens). No other map of the page is green: blue and red are values,
 * purple and orange weights, grey the input.
 */
export function greenLut(size = LUT_SIZE) {
  return makeLut(rgbBasis(GREENS), size);
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

/** WCAG's relative luminance of an sRGB colour (0..255 channels). */
export function relativeLuminance(r, g, b) {
  const linear = (v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * The text colour, black or white, with the higher WCAG contrast on background entry `index` of `lut`: at least
 * 4.58:1 on any colour (the page's softer dark ink would fall below 4.5:1 on mid reds).
 */
export function inkOn(lut, index) {
  const background = relativeLuminance(lut[index * 4], lut[index * 4 + 1], lut[index * 4 + 2]);
  return (background + 0.05) / 0.05 >= 1.05 / (background + 0.05) ? "#000" : "#fff";
}
