import { test } from "node:test";
import assert from "node:assert/strict";
import {
  denseScores,
  extremes,
  flattenIndex,
  flattenPosition,
  products,
  softmaxTerms,
  sum,
  weightsInto,
} from "../../src/network/classifier.js";

test("flatten order is Keras's: channels fastest, then columns, then rows", () => {
  const shape = [7, 7, 10];
  assert.equal(flattenIndex(shape, 0, 0, 1), 1);
  assert.equal(flattenIndex(shape, 0, 1, 0), 10);
  assert.equal(flattenIndex(shape, 1, 0, 0), 70);
  assert.equal(flattenIndex(shape, 6, 6, 9), 489);
  // the same order as a row-major reshape of H x W x C, checked element by element
  let index = 0;
  for (let y = 0; y < 3; y++)
    for (let x = 0; x < 4; x++)
      for (let c = 0; c < 2; c++) {
        assert.equal(flattenIndex([3, 4, 2], y, x, c), index);
        assert.deepEqual(flattenPosition([3, 4, 2], index), { y, x, c });
        index++;
      }
});

test("dense scores are the kernel columns' dot products plus the bias", () => {
  const kernel = { shape: [3, 2], data: Float32Array.from([1, -1, 2, 0.5, -3, 4]) };
  const bias = { shape: [2], data: Float32Array.from([0.25, -1]) };
  const input = Float32Array.from([1, 2, 3]);
  assert.deepEqual(Array.from(weightsInto(kernel, 1)), [-1, 0.5, 4]);
  assert.deepEqual(Array.from(products(input, weightsInto(kernel, 0))), [1, 4, -9]);
  assert.deepEqual(Array.from(denseScores(input, kernel, bias)), [1 + 4 - 9 + 0.25, -1 + 1 + 12 - 1]);
  assert.deepEqual(Array.from(denseScores(input, kernel, null)), [-4, 12]);
  assert.equal(sum([0.1, 0.2, 0.3]), 0.1 + 0.2 + 0.3);
});

test("softmax terms: e^z, their total, and probabilities that survive large logits", () => {
  const { exps, total, probabilities } = softmaxTerms([0, Math.log(3)]);
  assert.ok(Math.abs(exps[1] - 3) < 1e-12);
  assert.ok(Math.abs(total - 4) < 1e-12);
  assert.ok(Math.abs(probabilities[0] - 0.25) < 1e-12 && Math.abs(probabilities[1] - 0.75) < 1e-12);
  const large = softmaxTerms([1000, 1000]);
  assert.deepEqual(Array.from(large.probabilities), [0.5, 0.5]);
});

test("extremes lists the largest products each way and skips zeros", () => {
  const { positive, negative } = extremes(Float64Array.from([0, 3, -1, 5, -4, 0, 2]), 2);
  assert.deepEqual(positive, [3, 1]);
  assert.deepEqual(negative, [4, 2]);
  assert.deepEqual(extremes([0, 0], 3), { positive: [], negative: [] });
});

test("extremes keeps at most `count` each way, largest magnitude first", () => {
  const values = Float64Array.from([-0.5, 4, -3, 1, 2, -6, 0]);
  assert.deepEqual(extremes(values, 1), { positive: [1], negative: [5] });
  assert.deepEqual(extremes(values, 5), { positive: [1, 4, 3], negative: [5, 2, 0] });
});
