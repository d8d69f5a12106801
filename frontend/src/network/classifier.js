// The class scores' arithmetic: Keras's flatten order, dense sums, products, softmax term by term. No DOM.
// (What a dense layer reads, and which one is the classifier, is network.js's.)

/** The index in the flattened vector of value (y, x, c) of an H x W x C map: Keras's order, (y * W + x) * C + c. */
export function flattenIndex(shape, y, x, c) {
  const [, width, channels] = shape;
  return (y * width + x) * channels + c;
}

/** The map position {y, x, c} of element `index` of an H x W x C map flattened in Keras's order. */
export function flattenPosition(shape, index) {
  const [, width, channels] = shape;
  const c = index % channels;
  const pixel = (index - c) / channels;
  return { y: Math.floor(pixel / width), x: pixel % width, c };
}

/** Column `unit` of a dense kernel ({shape: [inputs, units], data} row-major): the weights into that unit. */
export function weightsInto(kernel, unit) {
  const [inputs, units] = kernel.shape;
  const column = new Float64Array(inputs);
  for (let i = 0; i < inputs; i++) column[i] = kernel.data[i * units + unit];
  return column;
}

/** The element-wise products input[i] * weights[i] (Float64Array). */
export function products(input, weights) {
  const out = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = input[i] * weights[i];
  return out;
}

/** The sum of `values` (in float64, in index order). */
export function sum(values) {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/** Every unit's score sum_i input[i] * kernel[i, unit] + bias[unit] (Float64Array); `bias` may be null. */
export function denseScores(input, kernel, bias) {
  const units = kernel.shape[1];
  const scores = new Float64Array(units);
  for (let u = 0; u < units; u++) scores[u] = sum(products(input, weightsInto(kernel, u))) + (bias ? bias.data[u] : 0);
  return scores;
}

/**
 * Softmax of `logits` term by term: {exps: e^z_i, total: their sum, probabilities: e^z_i / total}.
 * The probabilities are computed with the largest logit subtracted (the same ratio, without overflow).
 */
export function softmaxTerms(logits) {
  const exps = Float64Array.from(logits, Math.exp);
  const total = sum(exps);
  const top = Math.max(...logits);
  const shifted = Float64Array.from(logits, (z) => Math.exp(z - top));
  const shiftedTotal = sum(shifted);
  return { exps, total, probabilities: shifted.map((e) => e / shiftedTotal) };
}

/** The indices of the `count` largest and `count` smallest `values` (largest first / smallest first), skipping zeros. */
export function extremes(values, count) {
  const order = Array.from(values, (_, i) => i).filter((i) => values[i] !== 0);
  order.sort((a, b) => values[b] - values[a]);
  const positive = order.filter((i) => values[i] > 0).slice(0, count);
  const negative = order
    .filter((i) => values[i] < 0)
    .reverse()
    .slice(0, count);
  return { positive, negative };
}
