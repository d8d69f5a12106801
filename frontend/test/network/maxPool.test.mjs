import { test } from "node:test";
import assert from "node:assert/strict";
import { splitActivations } from "../../src/model/payload.js";
import { readNetwork } from "../../src/network/network.js";
import { maxPool } from "../../src/network/windowMath.js";

/** A max-pooling spec layer. */
function pool(input_shape, shape, pool_size, strides, padding) {
  return { kind: "pool", op: "max", input_shape, shape, pool_size, strides, padding };
}

test("valid max pooling takes the maximum of each 2x2 window per channel", () => {
  // 4 x 4 x 2: channel 0 counts up, channel 1 counts down.
  const data = Float32Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? i / 2 : -i));
  const out = maxPool(data, pool([4, 4, 2], [2, 2, 2], [2, 2], [2, 2], "valid"));
  assert.deepEqual(Array.from(out), [5, -1, 7, -5, 13, -17, 15, -21]);
});

test("same max pooling pads like Keras: the extra row and column go at the end and are ignored", () => {
  const data = Float32Array.from([-1, -2, -3, -4, -5, -6, -7, -8, -9]);
  const out = maxPool(data, pool([3, 3, 1], [2, 2, 1], [2, 2], [2, 2], "same"));
  assert.deepEqual(Array.from(out), [-1, -3, -7, -9]);
});

test("overlapping 3x3 windows with stride 1 and same padding see only real pixels", () => {
  const data = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const out = maxPool(data, pool([3, 3, 1], [3, 3, 1], [3, 3], [1, 1], "same"));
  assert.deepEqual(Array.from(out), [5, 6, 6, 8, 9, 9, 8, 9, 9]);
});

test("derived relu clamps negatives to zero and keeps the rest bit for bit", () => {
  const network = readNetwork({
    name: "n",
    classes: ["a"],
    input: { shape: [4], pixel_divisor: 1 },
    layers: [{ name: "r", kind: "activation", function: "relu", input: "input", input_shape: [4], shape: [4] }],
  });
  const out = network.info("r").derive(Float32Array.from([-1.5, 0, 2.25, -0]));
  assert.deepEqual(Array.from(out), [0, 0, 2.25, 0]);
  assert.ok(Object.is(out[3], 0), "-0 becomes +0, as max(0, x) does in float16");
});

test("splitActivations fills the layers the payload leaves out from the ones it stores", () => {
  const spec = {
    name: "n",
    classes: ["a", "b"],
    input: { shape: [2, 2, 1], pixel_divisor: 255 },
    layers: [
      { name: "conv", kind: "conv", input: "input", input_shape: [2, 2, 1], shape: [2, 2, 1] },
      { name: "relu", kind: "activation", function: "relu", input: "conv", input_shape: [2, 2, 1], shape: [2, 2, 1] },
      {
        name: "pool",
        kind: "pool",
        op: "max",
        input: "relu",
        input_shape: [2, 2, 1],
        shape: [1, 1, 1],
        pool_size: [2, 2],
        strides: [2, 2],
        padding: "valid",
      },
      { name: "flatten", kind: "flatten", input: "pool", input_shape: [1, 1, 1], shape: [1] },
      { name: "out", kind: "dense", activation: "softmax", input: "flatten", input_shape: [1], shape: [2] },
    ],
  };
  const values = Float32Array.from([-1, 3, -2, 0.5, 0.25, 0.75]);
  const [layers] = splitActivations(values, readNetwork(spec), 1, ["conv", "out"]);
  assert.deepEqual(Array.from(layers.get("relu").data), [0, 3, 0, 0.5]);
  assert.deepEqual(Array.from(layers.get("pool").data), [3]);
  assert.deepEqual(Array.from(layers.get("flatten").data), [3]);
  assert.deepEqual(Array.from(layers.get("out").data), [0.25, 0.75]);
});
