import { test } from "node:test";
import assert from "node:assert/strict";
import { convFilter, intermediateMaps, positionSum, windowArithmetic } from "../../src/network/convNeuron.js";
import { windowGeometry } from "../../src/network/windowMath.js";

// A 3x3 input of two channels: channel 0 holds 1..9, channel 1 10..90, row by row (stored H x W x C).
const inputs = { shape: [3, 3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((v) => [v, 10 * v])) };
// Filter 1 of a 2x2 kernel [kh, kw, in, out]: [[1, 0], [0, 1]] on channel 0, [[0, 1], [-1, 0]] on channel 1;
// filter 0 is all 9s, which no number below may show.
const slices = [
  [1, 0, 0, 1],
  [0, 1, -1, 0],
];
const kernelData = new Float32Array(2 * 2 * 2 * 2).fill(9);
for (let k = 0; k < 4; k++) for (let c = 0; c < 2; c++) kernelData[(k * 2 + c) * 2 + 1] = slices[c][k];
const kernel = { shape: [2, 2, 2, 2], data: kernelData };
const bias = { shape: [2], data: Float32Array.from([7, 0.5]) };
const layer = {
  kind: "conv",
  kernel_size: [2, 2],
  strides: [1, 1],
  padding: "valid",
  input_shape: [3, 3, 2],
  shape: [2, 2, 2],
};
const geometry = windowGeometry(layer);

test("a filter's slices are its weights on each input channel, with its bias and their shared range", () => {
  const filter = convFilter(kernel, bias, 1, 2);
  assert.deepEqual(
    filter.slices.map((slice) => Array.from(slice)),
    slices,
  );
  assert.equal(filter.bias, 0.5);
  assert.deepEqual(filter.weightRange, { min: -1, max: 1 });
  assert.equal(convFilter(kernel, null, 1, 2).bias, 0);
  assert.deepEqual(convFilter(kernel, bias, 0, 2).weightRange, { min: -9, max: 9 });
});

test("each channel correlated with its slice gives an intermediate map; their range is shared and symmetric", () => {
  const { maps, range } = intermediateMaps(inputs, convFilter(kernel, bias, 1, 2).slices, geometry);
  assert.deepEqual(
    maps.map((map) => Array.from(map)),
    [
      [1 + 5, 2 + 6, 4 + 8, 5 + 9],
      [20 - 40, 30 - 50, 50 - 70, 60 - 80],
    ],
  );
  assert.deepEqual(range, { min: -20, max: 20 });
});

test("at a position the output is the bias plus every intermediate there", () => {
  const maps = [Float64Array.from([6, 8, 12, 14]), Float64Array.from([-20, -21, -22, -23])];
  assert.deepEqual(positionSum(maps, 0.5, [1, 0], geometry), { terms: [12, -22], result: 0.5 + 12 - 22 });
  assert.deepEqual(positionSum(maps, 0, [0, 1], geometry), { terms: [8, -21], result: -13 });
  // a 2 x 3 output: position [1, 0] is the fourth value, row by row
  const wide = [Float64Array.from([1, 2, 3, 4, 5, 6])];
  assert.deepEqual(positionSum(wide, 0, [1, 0], { outShape: [2, 3, 1] }), { terms: [4], result: 4 });
});

test("the arithmetic at a window: its values times the channel's weights, their sum, and the output", () => {
  const filter = convFilter(kernel, bias, 1, 2);
  const { maps } = intermediateMaps(inputs, filter.slices, geometry);
  const numbers = windowArithmetic(filter, inputs, maps, geometry, [1, 0], 0);
  assert.deepEqual(numbers.pos, [1, 0]);
  assert.deepEqual(numbers.origin, { row: 1, col: 0 });
  assert.deepEqual(Array.from(numbers.values), [4, 5, 7, 8]);
  assert.deepEqual(Array.from(numbers.inside), [1, 1, 1, 1]);
  assert.deepEqual(Array.from(numbers.weights), [1, 0, 0, 1]);
  assert.deepEqual(Array.from(numbers.products), [4, 0, 0, 8]);
  assert.deepEqual(numbers.productRange, { min: -8, max: 8 });
  assert.equal(numbers.sum, 12);
  assert.deepEqual(numbers.terms, [12, -20]);
  assert.equal(numbers.bias, 0.5);
  assert.equal(numbers.result, -7.5);
  const second = windowArithmetic(filter, inputs, maps, geometry, [0, 1], 1);
  assert.deepEqual(Array.from(second.values), [20, 30, 50, 60]);
  assert.deepEqual(Array.from(second.products), [0, 30, -50, 0]);
  assert.equal(second.sum, -20);
  assert.equal(second.result, 0.5 + 8 - 20);
});

test("in the padding the window holds zeros, marked outside", () => {
  const same = windowGeometry({ ...layer, kernel_size: [3, 3], padding: "same", shape: [3, 3, 2] });
  const ones = { slices: [new Float64Array(9).fill(1), new Float64Array(9).fill(1)], bias: 0 };
  const { maps } = intermediateMaps(inputs, ones.slices, same);
  const numbers = windowArithmetic(ones, inputs, maps, same, [0, 0], 0);
  assert.deepEqual(numbers.origin, { row: -1, col: -1 });
  assert.deepEqual(Array.from(numbers.inside), [0, 0, 0, 0, 1, 1, 0, 1, 1]);
  assert.deepEqual(Array.from(numbers.values), [0, 0, 0, 0, 1, 2, 0, 4, 5]);
  assert.equal(numbers.sum, 12);
  assert.deepEqual(numbers.terms, [12, 120]);
  assert.equal(numbers.result, 132);
});
