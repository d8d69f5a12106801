// The numbers the output view prints for one unit of a dense layer: the weights into it, each value read times its
// weight, their sum, the bias, every unit's score, the range the weights are coloured over, and the element shown
// first. No DOM.

import { denseScores, extremes, products, sum, weightsInto } from "./classifier.js";
import { symmetricRange, valueRange } from "../ui/colors.js";

/**
 * The arithmetic of unit `unit` of a dense layer reading `values` with `kernel` and `bias` (null without one):
 * {values, weights (into the unit), products, dot (their sum), bias, scores (every unit's), score (the unit's),
 * weightRange (symmetric about 0)}.
 */
export function denseUnit(values, kernel, bias, unit) {
  const weights = weightsInto(kernel, unit);
  const terms = products(values, weights);
  const scores = denseScores(values, kernel, bias);
  return {
    values,
    weights,
    products: terms,
    dot: sum(terms),
    bias: bias ? bias.data[unit] : 0,
    scores,
    score: scores[unit],
    weightRange: symmetricRange([valueRange(weights)]),
  };
}

/** The element shown first: the one that pushes the sum up most (the largest product), or 0 when none does. */
export function firstElement(products) {
  return extremes(products, 1).positive[0] ?? 0;
}
