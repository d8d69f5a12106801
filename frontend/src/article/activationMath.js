// The article's four activation functions side by side (ReLU, tanh, |tanh|, sigmoid): their values, and the
// geometry of the small plots that draw them (activationPlots.js): every point of a curve is computed from its
// function, on axes the four share, so their shapes compare. No DOM.

import { formatNumber, formatShort } from "../ui/format.js";

/** name -> how it is written ({z} where its input goes) and its value at z. */
export const ACTIVATIONS = [
  { name: "relu", call: "ReLU({z})", f: (z) => Math.max(0, z) },
  { name: "tanh", call: "tanh({z})", f: Math.tanh },
  { name: "abs_tanh", call: "|tanh({z})|", f: (z) => Math.abs(Math.tanh(z)) },
  { name: "sigmoid", call: "sigmoid({z})", f: (z) => 1 / (1 + Math.exp(-z)) },
];

/** The plots' shared axes: z from Z[0] to Z[1], the value from Y[0] to Y[1], in a WIDTH x HEIGHT box. */
export const Z = [-3, 3];
export const Y = [-1.25, 3];
export const WIDTH = 120;
export const HEIGHT = 84;
export const Z_STEP = 0.1; // the slider's step, and the distance between two computed points of a curve
export const START_Z = 1.5; // where the slider starts: a value for which the four differ

/** The point of the plot at input `z` and value `y` ([x, y] in the box, y growing downwards). */
export function toPlot(z, y) {
  return [((z - Z[0]) / (Z[1] - Z[0])) * WIDTH, ((Y[1] - y) / (Y[1] - Y[0])) * HEIGHT];
}

/** The input z and value y at point [x, y] of the plot (the inverse of toPlot). */
export function fromPlot([x, y]) {
  return [Z[0] + (x / WIDTH) * (Z[1] - Z[0]), Y[1] - (y / HEIGHT) * (Y[1] - Y[0])];
}

/** The inputs a curve is computed at: Z[0] to Z[1] every Z_STEP, whole tenths (0 among them, ReLU's corner). */
export function curveInputs() {
  const count = Math.round((Z[1] - Z[0]) / Z_STEP);
  const per = Math.round(1 / Z_STEP);
  return Array.from({ length: count + 1 }, (_, i) => Math.round((Z[0] + i * Z_STEP) * per) / per);
}

/** The points of `f`'s curve in the plot, as an SVG points attribute ("x,y x,y ..."), rounded to 0.01. */
export function curvePoints(f) {
  return curveInputs()
    .map((z) => toPlot(z, f(z)).map((v) => Math.round(v * 100) / 100))
    .map(([x, y]) => `${x},${y}`)
    .join(" ");
}

/** `z` as the slider gives it, clamped to the plots' axes and to whole steps. */
export function readZ(text) {
  const z = Number(text);
  if (!Number.isFinite(z)) return START_Z;
  return Math.min(Z[1], Math.max(Z[0], Math.round(z / Z_STEP) / Math.round(1 / Z_STEP)));
}

/**
 * What each plot shows at input `z`: [{name, value (unrounded), text ("tanh(1.5) = 0.905"), point ([x, y] of the
 * dot, on the curve)}], in ACTIVATIONS' order.
 */
export function valuesAt(z) {
  return ACTIVATIONS.map(({ name, call, f }) => {
    const value = f(z);
    return {
      name,
      value,
      text: `${call.replace("{z}", formatShort(z))} = ${formatNumber(value)}`,
      point: toPlot(z, value),
    };
  });
}
