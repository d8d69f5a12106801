// The numbers the conv view prints for one neuron (one filter of a conv layer): the kernel slice it applies to each
// input channel, its bias, the range its weights are coloured over, the intermediate maps (one input channel
// correlated with its slice), and the arithmetic at one window position. No DOM.

import { correlate, dotProducts, kernelSlice, windowOrigin, windowValues } from "./windowMath.js";
import { symmetricRange, valueRange } from "../ui/colors.js";

/**
 * Filter `filter` of a conv layer's `kernel` ([kh, kw, in, out]) and `bias` (null without one), over `channels`
 * input channels: {slices (its kh x kw weights per input channel), bias, weightRange (symmetric about 0)}.
 */
export function convFilter(kernel, bias, filter, channels) {
  const slices = Array.from({ length: channels }, (_, c) => kernelSlice(kernel, c, filter));
  return { slices, bias: bias ? bias.data[filter] : 0, weightRange: symmetricRange(slices.map(valueRange)) };
}

/** Each input channel of `inputs` correlated with its slice: {maps (outH x outW each), range (symmetric, over all)}. */
export function intermediateMaps(inputs, slices, geometry) {
  const maps = slices.map((weights, c) => correlate(inputs, c, weights, geometry));
  return { maps, range: symmetricRange(maps.map(valueRange)) };
}

/** At output position `pos`: every intermediate map's value and their sum with `bias`, {terms, result}. */
export function positionSum(maps, bias, pos, geometry) {
  const p = pos[0] * geometry.outShape[1] + pos[1];
  const terms = maps.map((map) => map[p]);
  return { terms, result: terms.reduce((total, term) => total + term, bias) };
}

/**
 * Every number of the arithmetic of `filter` (convFilter's) at output position `pos` for input channel `channel`
 * of `inputs`, its intermediate `maps` given: {pos, origin (the window's first input cell), values and inside (the
 * window's cells, 0 in the padding), weights, products, productRange (symmetric), sum (the intermediate's value),
 * terms (every intermediate's), bias, result (the neuron's output)}.
 */
export function windowArithmetic(filter, inputs, maps, geometry, pos, channel) {
  const { values, inside } = windowValues(inputs, channel, geometry, pos);
  const weights = filter.slices[channel];
  const { products, sum } = dotProducts(values, weights);
  const { terms, result } = positionSum(maps, filter.bias, pos, geometry);
  const productRange = symmetricRange([valueRange(products)]);
  const origin = windowOrigin(geometry, pos);
  return { pos, origin, values, inside, weights, products, productRange, sum, terms, bias: filter.bias, result };
}
