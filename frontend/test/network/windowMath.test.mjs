import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import {
  clampPosition,
  correlate,
  dotProducts,
  kernelSlice,
  poolWindow,
  positionAfterKey,
  positionFromInput,
  stepPosition,
  windowGeometry,
  windowOrigin,
  windowValues,
} from "../../src/network/windowMath.js";

await tf.setBackend("cpu");

function random(seed) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296 - 0.5;
  };
}

function tensor(shape, next) {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: size }, next) };
}

function outSize(size, k, s, padding) {
  return padding === "same" ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
}

function convLayer(inShape, filters, kernel, strides, padding) {
  const shape = [
    outSize(inShape[0], kernel[0], strides[0], padding),
    outSize(inShape[1], kernel[1], strides[1], padding),
    filters,
  ];
  return { kind: "conv", input_shape: inShape, shape, kernel_size: kernel, strides, padding, filters };
}

const CASES = [
  { inShape: [7, 7, 3], kernel: [3, 3], strides: [1, 1], padding: "same" },
  { inShape: [7, 7, 3], kernel: [3, 3], strides: [1, 1], padding: "valid" },
  { inShape: [9, 8, 2], kernel: [5, 5], strides: [2, 2], padding: "same" },
  { inShape: [9, 8, 2], kernel: [4, 2], strides: [2, 3], padding: "valid" },
  { inShape: [6, 6, 4], kernel: [2, 2], strides: [2, 1], padding: "same" },
];

for (const { inShape, kernel, strides, padding } of CASES) {
  test(`intermediates summed plus bias equal TF.js conv2d (${kernel} kernel, stride ${strides}, ${padding})`, () => {
    const next = random(kernel[0] * 31 + strides[1] * 7 + inShape[0]);
    const filters = 3;
    const layer = convLayer(inShape, filters, kernel, strides, padding);
    const geometry = windowGeometry(layer);
    const input = tensor(inShape, next);
    const weights = tensor([kernel[0], kernel[1], inShape[2], filters], next);
    const bias = Float32Array.from({ length: filters }, next);
    const expected = tf.tidy(() =>
      tf
        .add(
          tf.conv2d(
            tf.tensor4d(input.data, [1, ...inShape]),
            tf.tensor4d(weights.data, weights.shape),
            strides,
            padding,
          ),
          tf.tensor1d(bias),
        )
        .dataSync(),
    );
    const [outH, outW] = layer.shape;
    assert.deepEqual(geometry.outShape, layer.shape);
    for (let f = 0; f < filters; f++) {
      const maps = Array.from({ length: inShape[2] }, (_, c) =>
        correlate(input, c, kernelSlice(weights, c, f), geometry),
      );
      for (let p = 0; p < outH * outW; p++) {
        const total = maps.reduce((sum, map) => sum + map[p], bias[f]);
        assert.ok(Math.abs(total - expected[p * filters + f]) < 1e-5, `filter ${f}, position ${p}`);
      }
      // The formula at one window: the window's products summed equal that intermediate's value.
      const pos = [outH - 1, Math.floor(outW / 2)];
      for (let c = 0; c < inShape[2]; c++) {
        const { values } = windowValues(input, c, geometry, pos);
        const { sum } = dotProducts(values, kernelSlice(weights, c, f));
        assert.ok(Math.abs(sum - maps[c][pos[0] * outW + pos[1]]) < 1e-9);
      }
    }
  });
}

test("same padding puts the odd extra row and column at the bottom and right, as TensorFlow does", () => {
  const geometry = windowGeometry(convLayer([8, 8, 1], 1, [4, 4], [1, 1], "same"));
  assert.deepEqual(geometry.pad, { top: 1, left: 1, bottom: 2, right: 2 });
  assert.deepEqual(windowOrigin(geometry, [0, 3]), { row: -1, col: 2 });
  const valid = windowGeometry(convLayer([8, 8, 1], 1, [3, 3], [2, 2], "valid"));
  assert.deepEqual(valid.pad, { top: 0, left: 0, bottom: 0, right: 0 });
  assert.deepEqual(windowOrigin(valid, [2, 1]), { row: 4, col: 2 });
});

test("window values mark the padding cells and fill them", () => {
  const geometry = windowGeometry(convLayer([2, 2, 1], 1, [3, 3], [1, 1], "same"));
  const input = { shape: [2, 2, 1], data: Float32Array.from([1, 2, 3, 4]) };
  const { values, inside } = windowValues(input, 0, geometry, [0, 0]);
  assert.deepEqual(Array.from(values), [0, 0, 0, 0, 1, 2, 0, 3, 4]);
  assert.deepEqual(Array.from(inside), [0, 0, 0, 0, 1, 1, 0, 1, 1]);
});

test("kernel slices read [kh, kw, in, out] kernels", () => {
  // 1 x 2 kernel, 2 input channels, 3 filters: value = 100 * column + 10 * channel + filter.
  const data = [];
  for (let j = 0; j < 2; j++) for (let c = 0; c < 2; c++) for (let f = 0; f < 3; f++) data.push(100 * j + 10 * c + f);
  assert.deepEqual(Array.from(kernelSlice({ shape: [1, 2, 2, 3], data }, 1, 2)), [12, 112]);
});

for (const op of ["max", "average"]) {
  for (const padding of ["valid", "same"]) {
    test(`${op} pooling windows equal TF.js (${padding} padding)`, () => {
      const next = random(op.length + padding.length);
      const input = tensor([5, 7, 2], next);
      const layer = {
        kind: "pool",
        op,
        input_shape: input.shape,
        shape: [outSize(5, 2, 2, padding), outSize(7, 2, 2, padding), 2],
        pool_size: [2, 2],
        strides: [2, 2],
        padding,
      };
      const geometry = windowGeometry(layer);
      const pool = op === "max" ? tf.maxPool : tf.avgPool;
      const expected = tf.tidy(() => pool(tf.tensor4d(input.data, [1, 5, 7, 2]), 2, 2, padding).dataSync());
      const [outH, outW] = layer.shape;
      for (let row = 0; row < outH; row++)
        for (let col = 0; col < outW; col++)
          for (let c = 0; c < 2; c++) {
            const window = poolWindow(input, c, geometry, [row, col], op);
            assert.ok(Math.abs(window.result - expected[(row * outW + col) * 2 + c]) < 1e-6);
            if (op === "max") assert.equal(window.values[window.index], window.result);
          }
    });
  }
}

test("a pooling window over the padding ignores the padded cells", () => {
  const geometry = windowGeometry({
    kind: "pool",
    input_shape: [3, 3, 1],
    shape: [2, 2, 1],
    pool_size: [2, 2],
    strides: [2, 2],
    padding: "same",
  });
  const input = { shape: [3, 3, 1], data: Float32Array.from([-1, -2, -3, -4, -5, -6, -7, -8, -9]) };
  const window = poolWindow(input, 0, geometry, [1, 1], "average");
  assert.deepEqual(Array.from(window.inside), [1, 0, 0, 0]);
  assert.equal(window.result, -9);
  assert.ok(Number.isNaN(window.values[1]));
});

test("positions step in reading order, follow arrow keys and clamp", () => {
  assert.deepEqual(stepPosition([0, 2], [2, 3], 1), [1, 0]);
  assert.deepEqual(stepPosition([1, 2], [2, 3], 1), [0, 0]);
  assert.deepEqual(stepPosition([0, 0], [2, 3], -1), [1, 2]);
  assert.deepEqual(positionAfterKey([0, 0], [2, 3], "ArrowLeft"), [0, 0]);
  assert.deepEqual(positionAfterKey([0, 0], [2, 3], "ArrowDown"), [1, 0]);
  assert.deepEqual(positionAfterKey([1, 1], [2, 3], "End"), [1, 2]);
  assert.equal(positionAfterKey([1, 1], [2, 3], "Enter"), null);
  assert.deepEqual(clampPosition([9, -4], [2, 3]), [1, 0]);
  assert.deepEqual(clampPosition(null, [2, 3]), [0, 0]);
});

test("pointing at an input cell picks the window centred on it", () => {
  const same = windowGeometry(convLayer([28, 28, 1], 1, [3, 3], [1, 1], "same"));
  assert.deepEqual(positionFromInput(same, [5, 7]), [5, 7]);
  const valid = windowGeometry(convLayer([28, 28, 1], 1, [3, 3], [1, 1], "valid"));
  assert.deepEqual(positionFromInput(valid, [5, 7]), [4, 6]);
  assert.deepEqual(positionFromInput(valid, [0, 27]), [0, 25]);
  const pool = windowGeometry({
    kind: "pool",
    input_shape: [28, 28, 1],
    shape: [14, 14, 1],
    pool_size: [2, 2],
    strides: [2, 2],
    padding: "valid",
  });
  assert.deepEqual(positionFromInput(pool, [5, 6]), [2, 3]);
});

test("a kernel slice reads [kh, kw, in, out] row-major", () => {
  const shape = [2, 2, 2, 3];
  const data = Float32Array.from({ length: 24 }, (_, i) => i);
  assert.deepEqual(Array.from(kernelSlice({ shape, data }, 1, 2)), [5, 11, 17, 23]);
});

/** The kh x kw values under the window of output `pos`, read from an explicitly zero-padded copy of channel `c`. */
function bruteWindow(input, c, [kh, kw], [sh, sw], [top, left], [row, col]) {
  const [h, w, channels] = input.shape;
  const values = [];
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const y = row * sh - top + i;
      const x = col * sw - left + j;
      values.push(y >= 0 && y < h && x >= 0 && x < w ? input.data[(y * w + x) * channels + c] : 0);
    }
  return values;
}

/** TensorFlow's leading padding along one axis of a `same` layer (the odd cell goes after). */
function leading(size, outSize, k, s, padding) {
  return padding === "same" ? Math.floor(Math.max((outSize - 1) * s + k - size, 0) / 2) : 0;
}

for (const { inShape, kernel, strides, padding } of CASES) {
  test(`every window position (corners, edges, centre) reads the right cells (${kernel}, ${strides}, ${padding})`, () => {
    const layer = convLayer(inShape, 1, kernel, strides, padding);
    const geometry = windowGeometry(layer);
    const input = tensor(inShape, random(inShape[0] * 13 + kernel[1]));
    const [outH, outW] = layer.shape;
    const top = leading(inShape[0], outH, kernel[0], strides[0], padding);
    const left = leading(inShape[1], outW, kernel[1], strides[1], padding);
    for (let row = 0; row < outH; row++)
      for (let col = 0; col < outW; col++)
        for (let c = 0; c < inShape[2]; c++) {
          const { values } = windowValues(input, c, geometry, [row, col]);
          const expected = bruteWindow(input, c, kernel, strides, [top, left], [row, col]);
          assert.deepEqual(Array.from(values), expected, `window (${row}, ${col}), channel ${c}`);
        }
  });
}

for (const [pool, stride, padding, shape] of [
  [3, 2, "same", [6, 7, 2]],
  [3, 1, "valid", [5, 6, 1]],
  [2, 1, "same", [4, 5, 2]],
  [3, 3, "same", [7, 8, 1]],
]) {
  for (const op of ["max", "average"]) {
    test(`${op} pooling ${pool}x${pool}, stride ${stride}, ${padding}: every position equals TF.js`, () => {
      const input = tensor(shape, random(pool * 17 + stride + shape[1]));
      const outShape = [outSize(shape[0], pool, stride, padding), outSize(shape[1], pool, stride, padding), shape[2]];
      const layer = {
        kind: "pool",
        op,
        input_shape: shape,
        shape: outShape,
        pool_size: [pool, pool],
        strides: [stride, stride],
        padding,
      };
      const geometry = windowGeometry(layer);
      const tfPool = op === "max" ? tf.maxPool : tf.avgPool;
      const expected = tf.tidy(() => tfPool(tf.tensor4d(input.data, [1, ...shape]), pool, stride, padding).dataSync());
      for (let row = 0; row < outShape[0]; row++)
        for (let col = 0; col < outShape[1]; col++)
          for (let c = 0; c < shape[2]; c++) {
            const { result } = poolWindow(input, c, geometry, [row, col], op);
            const want = expected[(row * outShape[1] + col) * shape[2] + c];
            assert.ok(Math.abs(result - want) < 1e-6, `(${row}, ${col}), channel ${c}: ${result} != ${want}`);
          }
    });
  }
}

test("hand-computed: a 3x3 kernel over a 3x3 image with same padding", () => {
  // image 1..9, kernel of ones except a 2 in the centre: each output sums its 3x3 neighbourhood plus its own value.
  const input = { shape: [3, 3, 1], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) };
  const weights = Float64Array.from([1, 1, 1, 1, 2, 1, 1, 1, 1]);
  const geometry = windowGeometry(convLayer([3, 3, 1], 1, [3, 3], [1, 1], "same"));
  assert.deepEqual(Array.from(correlate(input, 0, weights, geometry)), [13, 23, 19, 31, 50, 39, 31, 47, 37]);
});

test("hand-computed: 2x2 max and average pooling, stride 2, valid", () => {
  const input = { shape: [2, 4, 1], data: Float32Array.from([1, 5, -2, 0, 3, 2, -4, -1]) };
  const layer = {
    kind: "pool",
    input_shape: [2, 4, 1],
    shape: [1, 2, 1],
    pool_size: [2, 2],
    strides: [2, 2],
    padding: "valid",
  };
  const geometry = windowGeometry(layer);
  assert.equal(poolWindow(input, 0, geometry, [0, 0], "max").result, 5);
  assert.equal(poolWindow(input, 0, geometry, [0, 1], "max").result, 0);
  assert.equal(poolWindow(input, 0, geometry, [0, 0], "average").result, 2.75);
  assert.equal(poolWindow(input, 0, geometry, [0, 1], "average").result, -1.75);
});
