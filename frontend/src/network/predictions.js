// What the class column shows: class probabilities from the final layer's output, and the top class. No DOM.

/** Softmax of `values` as a Float32Array (stable: the maximum is subtracted first). */
export function softmax(values) {
  let max = -Infinity;
  for (const v of values) max = Math.max(max, v);
  const out = new Float32Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += out[i] = Math.exp(values[i] - max);
  for (let i = 0; i < values.length; i++) out[i] /= sum;
  return out;
}

/** Class probabilities from the final layer's `values` (network.js): as they are after softmax or sigmoid, softmax of
 * linear scores. */
export function classProbabilities(network, values) {
  return network.outputFunction === "linear" ? softmax(values) : Float32Array.from(values);
}

/** The index of the largest value (the first one on ties). */
export function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
