import { test } from "node:test";
import assert from "node:assert/strict";

import { familiarityFeatures, familiarityScore, judgeFamiliarity } from "../../src/network/familiarity.js";

// one layer, 2 x 1 positions, 4 channels, stored H x W x C
const activations = new Map([["relu", { shape: [2, 1, 4], data: Float32Array.from([1, -2, 0, 4, 3, 2, -1, 0]) }]]);

test("statistics are each channel's mean, maximum and share above 0, per group, per statistic", () => {
  const each = familiarityFeatures({ layers: [{ name: "relu", groups: 4 }] }, activations);
  assert.deepEqual(each, [2, 0, -0.5, 2, 3, 2, 0, 4, 1, 0.5, 0, 0.5]);
  // two groups: channels 0-1 and 2-3 averaged
  const grouped = familiarityFeatures({ layers: [{ name: "relu", groups: 2 }] }, activations);
  assert.deepEqual(grouped, [1, 0.75, 2.5, 2, 0.75, 0.25]);
  // a layer left out adds nothing
  assert.deepEqual(familiarityFeatures({ layers: [{ name: "relu", groups: 0 }] }, activations), []);
});

test("the score is the squared length of Lᵀ(f - mean), L lower-triangular, stored row by row", () => {
  const layers = [{ name: "relu", groups: 1 }];
  // statistics: mean 0.875, maximum 2.25 (the channels' maxima averaged), active 0.5
  const mean = Float64Array.from([0.875, 1.25, 0]);
  // L = [[1, 0, 0], [2, 3, 0], [0, 0, 2]]: Lᵀ(f - mean) = [0 + 2 * 1, 3 * 1, 2 * 0.5] = [2, 3, 1]
  const factor = Float32Array.from([1, 2, 3, 0, 0, 2]);
  const recipe = { layers, mean, factor, threshold: 13.5 };
  assert.equal(familiarityScore(recipe, activations), 14);
  assert.deepEqual(judgeFamiliarity(recipe, activations), { score: 14, threshold: 13.5, unfamiliar: true });
  assert.equal(judgeFamiliarity({ ...recipe, threshold: 14 }, activations).unfamiliar, false);
  assert.throws(() => familiarityScore({ ...recipe, mean: Float64Array.from([0, 0]) }, activations), /3 statistics/);
});
