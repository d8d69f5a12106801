// The playground's convolution over a square input: the output size (W - K + 2P) / S + 1 and what is wrong in
// words, the padded input, the windows and their sums (network/windowMath.js's arithmetic), picking a patch of an
// image, and classic kernels for the sizes the model has no filter of. No DOM.

import { correlate, dotProducts, windowValues } from "../network/windowMath.js";

import { tPlain } from "../ui/i18n.js";

export { classicKernels } from "../network/classicKernels.js";

/**
 * The output size of a convolution of an input of W x W with a K x K kernel, padding P and stride S:
 * {padded: W + 2P, span: W - K + 2P, size: span / S + 1 (a fraction when the stride does not fit),
 *  steps: the windows that fit along one side, leftover: the columns after the last window,
 *  valid, problem: why the combination does not work (null when it does), note: a remark on a valid one (or null)}.
 */
export function convOutput({ input, kernel, padding, stride }) {
  for (const [name, value, least] of [
    ["input", input, 1],
    ["kernel", kernel, 1],
    ["padding", padding, 0],
    ["stride", stride, 1],
  ]) {
    if (!Number.isInteger(value) || value < least)
      throw new Error(`${name} must be a whole number >= ${least}, not ${value}`);
  }
  const padded = input + 2 * padding;
  const span = input - kernel + 2 * padding;
  const result = {
    padded,
    span,
    size: span / stride + 1,
    steps: 0,
    leftover: 0,
    valid: false,
    problem: null,
    note: null,
  };
  if (span < 0) {
    result.problem =
      padding === 0
        ? tPlain("playground.problem.kernel", { kernel, input })
        : tPlain("playground.problem.kernelPadded", { kernel, input, padded, padding });
    return result;
  }
  result.steps = Math.floor(span / stride) + 1;
  result.leftover = span % stride;
  if (result.leftover !== 0) {
    result.problem = tPlain("playground.problem.stride", {
      stride,
      input,
      kernel,
      doublePadding: 2 * padding,
      size: Math.round(result.size * 100) / 100, // at most two decimals, as ui/format.js plainNumber writes it
      steps: result.steps,
      afterSteps: tPlain("playground.problem.steps", { count: result.steps }),
      count: result.leftover,
    });
    return result;
  }
  result.valid = true;
  if (padding >= kernel) {
    result.note = tPlain("playground.note.padding", { padding, kernel });
  }
  return result;
}

/** The input of `size` x `size` values with `padding` zeros on every side: a Float64Array of (size + 2P)^2. */
export function padInput(values, size, padding) {
  const side = size + 2 * padding;
  const out = new Float64Array(side * side);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) out[(y + padding) * side + x + padding] = values[y * size + x];
  }
  return out;
}

/** The geometry (network/windowMath.js) of a K x K kernel sliding with stride S over a padded input of side `side`. */
function paddedGeometry(side, kernelSize, stride) {
  const steps = Math.floor((side - kernelSize) / stride) + 1;
  return {
    kernel: [kernelSize, kernelSize],
    strides: [stride, stride],
    pad: { top: 0, left: 0, bottom: 0, right: 0 }, // the input is padded already
    inShape: [side, side, 1],
    outShape: [steps, steps, 1],
  };
}

/** The products window x kernel of output cell (row, col), over a padded input of side `side`: Float64Array of K^2. */
export function windowProducts(padded, side, kernel, kernelSize, stride, row, col) {
  const geometry = paddedGeometry(side, kernelSize, stride);
  const { values } = windowValues({ shape: geometry.inShape, data: padded }, 0, geometry, [row, col]);
  return dotProducts(values, kernel).products;
}

/** Every output value sum(window x kernel) + bias, for the windows that fit: a Float64Array of steps^2. */
export function convolve(padded, side, kernel, kernelSize, stride, bias) {
  const geometry = paddedGeometry(side, kernelSize, stride);
  return correlate({ shape: geometry.inShape, data: padded }, 0, kernel, geometry).map((sum) => sum + bias);
}

/**
 * The `size` x `size` patch of channel `channel` of an H x W x C tensor ({shape, data}) whose values vary most
 * (largest variance; the first such patch in reading order): {values: Float64Array, top, left}.
 */
export function busiestPatch(tensor, size, channel) {
  const [height, width, channels] = tensor.shape;
  if (size > height || size > width) throw new Error(`a ${size} x ${size} patch does not fit in ${height} x ${width}`);
  const at = (y, x) => tensor.data[(y * width + x) * channels + channel];
  let best = { top: 0, left: 0, variance: -1 };
  for (let top = 0; top + size <= height; top++) {
    for (let left = 0; left + size <= width; left++) {
      let total = 0;
      let squares = 0;
      for (let y = top; y < top + size; y++) {
        for (let x = left; x < left + size; x++) {
          const v = at(y, x);
          total += v;
          squares += v * v;
        }
      }
      const n = size * size;
      const variance = squares / n - (total / n) ** 2;
      if (variance > best.variance + 1e-12) best = { top, left, variance };
    }
  }
  const values = new Float64Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) values[y * size + x] = at(best.top + y, best.left + x);
  return { values, top: best.top, left: best.left };
}

/**
 * A grid cell's number in at most 4 characters, which a cell of the playground holds at a readable size: two
 * decimals when they fit (".61", "1.89", "-.35"), else one, else none ("-1.9", "24.5", "-123"), then thousands
 * ("12k") and powers of ten ("1e5"); a leading "0." is written "." and exactly 0 is "0".
 */
export function cellText(value) {
  if (value === 0) return "0";
  const short = (text) => text.replace(/^(-?)0\./, "$1.");
  for (const decimals of [2, 1, 0]) {
    const text = short(value.toFixed(decimals));
    if (text.length <= 4) return text;
  }
  const thousands = `${(value / 1000).toFixed(0)}k`;
  if (thousands.length <= 4) return thousands;
  return value.toExponential(0).replace("+", "");
}
